"""SPARQL JSON results as comparable values, modulo what SPARQL leaves open: the order of rows
(unless the query orders them), blank node labels, the order of GROUP_CONCAT's parts, and the
lexical form of numbers (1.50 and 1.5 are one decimal)."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal, InvalidOperation

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "long", "int")}


def _term(binding: dict, concatenated: bool) -> tuple:
    kind = binding["type"]
    if kind == "bnode":
        return ("bnode",)
    value = binding["value"]
    datatype = binding.get("datatype", "")
    if datatype in NUMERIC:
        try:
            return ("number", Decimal(value).normalize())
        except InvalidOperation:
            pass
    if concatenated and kind in ("literal", "typed-literal") and " | " in value:
        value = " | ".join(sorted(value.split(" | ")))
    return (kind if kind != "typed-literal" else "literal", value, binding.get("xml:lang", ""),
            "" if datatype == XSD + "string" else datatype)


def rows(document: str | dict, concatenated: frozenset[str] = frozenset()) -> list[tuple]:
    """The result rows as tuples of comparable terms, in the order given (variables sorted)."""
    doc = json.loads(document) if isinstance(document, str) else document
    if "boolean" in doc:
        return [("boolean", doc["boolean"])]
    names = sorted(doc["head"]["vars"])
    return [tuple((name, _term(b[name], name in concatenated)) if name in b else (name, None) for name in names)
            for b in doc["results"]["bindings"]]


def same_answers(expected: list[tuple], actual: list[tuple], ordered: bool) -> bool:
    """Whether two results agree: as sequences when the query orders them, else as multisets."""
    return expected == actual if ordered else Counter(expected) == Counter(actual)
