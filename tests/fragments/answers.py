"""SPARQL answers as comparable values, modulo what SPARQL leaves open: the order of rows (all
of it without ORDER BY; among rows with equal sort keys with it), blank node labels (and the
skolem IRIs the fragments write blank nodes as), the order of GROUP_CONCAT's parts and the
language tag of its result (SPARQL 1.1 makes it a simple literal, Oxigraph keeps a common tag),
and the lexical form of numbers (1.50 and 1.5 are one decimal)."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal, InvalidOperation

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "long", "int")}
GENID = "/.well-known/genid/"


def concatenations(query: str) -> dict[str, str]:
    """Variable -> separator of every (GROUP_CONCAT(…) AS ?var) of a query."""
    found = {}
    for match in re.finditer(r"GROUP_CONCAT\s*\((.*?)\)\s*AS\s+\?(\w+)", query, re.S | re.I):
        separator = re.search(r'SEPARATOR\s*=\s*"((?:[^"\\]|\\.)*)"', match.group(1), re.I)
        found[match.group(2)] = json.loads(f'"{separator.group(1)}"') if separator else " "
    return found


def sort_keys(query: str) -> list[str] | None:
    """The variables the query's ORDER BY names (in order), or None without ORDER BY."""
    match = re.search(r"ORDER\s+BY(.*?)(LIMIT|OFFSET|\}|$)", query, re.S | re.I)
    return re.findall(r"\?(\w+)", match.group(1)) if match else None


def _term(binding: dict, separator: str | None) -> tuple:
    kind = binding["type"]
    value = binding["value"]
    if kind == "bnode" or (kind == "uri" and GENID in value):
        return ("bnode",)
    datatype = binding.get("datatype", "")
    if datatype in NUMERIC:
        try:
            return ("number", Decimal(value).normalize())
        except InvalidOperation:
            pass
    if separator is not None:
        return ("concat", tuple(sorted(value.split(separator))) if value else ())
    return ("literal" if kind == "typed-literal" else kind, value, binding.get("xml:lang", ""),
            "" if datatype == XSD + "string" else datatype)


def rows(document: str | dict, query: str) -> list[tuple]:
    """The result rows as tuples of (variable, comparable term), in the order given."""
    doc = json.loads(document) if isinstance(document, str) else document
    if "boolean" in doc:
        return [(("boolean", doc["boolean"]),)]
    separators = concatenations(query)
    names = sorted(doc["head"]["vars"])
    return [tuple((n, _term(b[n], separators.get(n)) if n in b else None) for n in names)
            for b in doc["results"]["bindings"]]


def same_answers(expected: list[tuple], actual: list[tuple], query: str) -> bool:
    """Whether two results agree: as multisets, and with ORDER BY, row keys in the same order."""
    if Counter(expected) != Counter(actual):
        return False
    keys = sort_keys(query)
    if not keys:
        return True

    def projected(result: list[tuple]) -> list[tuple]:
        return [tuple(term for name, term in row if name in keys) for row in result]

    return projected(expected) == projected(actual)


def triples(ntriples: str) -> Counter:
    """A CONSTRUCT answer in N-Triples as a multiset of lines, blank nodes (and skolem IRIs) as one."""
    lines = set()
    for line in ntriples.splitlines():
        line = line.strip()
        if not line:
            continue
        line = re.sub(r"_:\S+", "_:b", line)
        line = re.sub(r"<[^>]*" + re.escape(GENID) + r"[^>]*>", "_:b", line)
        lines.add(line)
    return Counter(lines)
