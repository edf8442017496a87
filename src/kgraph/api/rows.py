"""A query's answer as rows of plain values: JSON objects (one per solution, every variable a key,
null when unbound; numbers and booleans as JSON numbers and booleans) or CSV with a header."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")}
DECIMALS = {XSD + t for t in ("decimal", "double", "float")}


def plain(binding: dict[str, Any] | None) -> Any:
    """One SPARQL JSON binding as a plain JSON value."""
    if binding is None:
        return None
    value, datatype = binding["value"], binding.get("datatype")
    try:
        if datatype in INTEGERS:
            return int(value)
        if datatype in DECIMALS:
            number = float(value)
            return number if number == number and abs(number) != float("inf") else value
    except ValueError:
        return value
    if datatype == XSD + "boolean":
        return value in ("true", "1")
    return value


def from_results_json(body: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    """(variables, rows) from SPARQL 1.1 Query Results JSON (a SELECT or an ASK)."""
    document = json.loads(body)
    if "boolean" in document:
        return ["boolean"], [{"boolean": bool(document["boolean"])}]
    variables = list(document["head"]["vars"])
    rows = [{v: plain(b.get(v)) for v in variables} for b in document["results"]["bindings"]]
    return variables, rows


def to_csv(variables: list[str], rows: list[dict[str, Any]]) -> bytes:
    """The rows as CSV (RFC 4180, a header line of the variable names)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if row[v] is None else ("true" if row[v] is True else "false" if row[v] is False else row[v])
                         for v in variables])
    return buffer.getvalue().encode("utf-8")
