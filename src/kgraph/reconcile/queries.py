"""Reconciliation query batches read from what a client sent, checked field by field.

The batch is the JSON object of the `queries` parameter (form field of a POST, or GET `queries=`):
{"q0": {"query": "Stad Gent", "type": "...", "limit": 3, "properties": [{"pid": "nisCode", "v": "44021"}]}}.
Anything unreadable raises ReconcileInputError naming the parameter and the path inside it
("queries: q1.properties[0].v: ..."), never a traceback.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from kgraph.reconcile.errors import ReconcileInputError
from kgraph.reconcile.types import PROPERTIES_BY_ID, TYPES, find_type

MAX_QUERIES = 100  # OpenRefine sends 10 per batch by default
MAX_TEXT = 500  # characters of a name worth comparing
MAX_LIMIT = 50
DEFAULT_LIMIT = 5
QUERY_FIELDS = frozenset({"query", "type", "limit", "properties", "type_strict"})


@dataclass(frozen=True)
class PropertyValue:
    """One property constraint: the property id and the values given (ids or strings)."""

    pid: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """One query of a batch, checked."""

    text: str
    types: frozenset[str] | None = None  # type ids; None: any type
    limit: int = DEFAULT_LIMIT
    properties: tuple[PropertyValue, ...] = field(default_factory=tuple)


def read_json(parameter: str, text: str) -> Any:
    """The JSON value of a parameter, or ReconcileInputError with the line and column of the fault."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReconcileInputError(parameter, f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise ReconcileInputError(parameter, "not JSON: nested too deeply") from None


def parse_query_batch(text: str, parameter: str = "queries") -> dict[str, Query]:
    """The queries of a batch by their key, in the order sent."""
    batch = read_json(parameter, text)
    if not isinstance(batch, dict):
        raise ReconcileInputError(parameter, "must be a JSON object of queries by key, like {\"q0\": {\"query\": \"Stad Gent\"}}")
    if len(batch) > MAX_QUERIES:
        raise ReconcileInputError(parameter, f"{len(batch)} queries in one batch; at most {MAX_QUERIES}")
    return {name: parse_query(value, f"{parameter}: {name}") for name, value in batch.items()}


def parse_query(value: Any, where: str) -> Query:
    """One query object; `where` names it in errors ("queries: q0")."""
    if not isinstance(value, dict):
        raise ReconcileInputError(where, "must be an object with at least \"query\" or \"properties\"")
    unknown = sorted(set(value) - QUERY_FIELDS)
    if unknown:
        raise ReconcileInputError(f"{where}.{unknown[0]}", f"unknown field; a query has {', '.join(sorted(QUERY_FIELDS))}")
    text = value.get("query", "")
    if not isinstance(text, str):
        raise ReconcileInputError(f"{where}.query", "must be a string")
    properties = _properties(value.get("properties", []), f"{where}.properties")
    if not text.strip() and not properties:
        raise ReconcileInputError(where, "needs a non-empty \"query\" or at least one property")
    return Query(text[:MAX_TEXT], parse_types(value.get("type"), f"{where}.type"),
                 _limit(value.get("limit", DEFAULT_LIMIT), f"{where}.limit"), properties)


def parse_types(value: Any, where: str) -> frozenset[str] | None:
    if value is None or value == "" or value == []:
        return None
    values = value if isinstance(value, list) else [value]
    found = set()
    for position, item in enumerate(values):
        spec = find_type(item) if isinstance(item, str) else None
        if spec is None:
            at = f"{where}[{position}]" if isinstance(value, list) else where
            known = ", ".join(f"{t.id} ({t.en})" for t in TYPES)
            raise ReconcileInputError(at, f"unknown type {_show(item)}; the types are {known}")
        found.add(spec.id)
    return frozenset(found)


def _limit(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ReconcileInputError(where, "must be a finite number")
    return max(1, min(MAX_LIMIT, int(value)))


def _properties(value: Any, where: str) -> tuple[PropertyValue, ...]:
    if not isinstance(value, list):
        raise ReconcileInputError(where, "must be a list of {\"pid\": ..., \"v\": ...}")
    found = []
    for position, item in enumerate(value[:20]):
        at = f"{where}[{position}]"
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise ReconcileInputError(at, "must be an object with \"pid\" and \"v\"")
        pid = item["pid"]
        spec = PROPERTIES_BY_ID.get(pid) if isinstance(pid, str) else None
        if spec is None or not spec.match:
            known = ", ".join(p.id for p in PROPERTIES_BY_ID.values() if p.match)
            raise ReconcileInputError(f"{at}.pid", f"unknown property {_show(pid)}; match on {known}")
        raw = item["v"] if isinstance(item["v"], list) else [item["v"]]
        values = tuple(v for v in (_value(v, f"{at}.v") for v in raw[:20]) if v)
        if values:
            found.append(PropertyValue(pid, values))
    return tuple(found)


def _value(value: Any, where: str) -> str:
    """A property value as text: a string, a number, or a reconciled entity's id (else its name)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (str, int, float)):
        return str(value).strip()[:MAX_TEXT]
    if isinstance(value, dict) and isinstance(value.get("id", value.get("name")), str):
        return str(value.get("id") or value.get("name")).strip()[:MAX_TEXT]
    raise ReconcileInputError(where, "must be a string, a number or an object with \"id\"")


def _show(value: Any) -> str:
    """A client value quoted in a message: JSON-escaped (no markup or control character as sent), cut short."""
    shown = json.dumps(value, ensure_ascii=True) if not isinstance(value, str) else json.dumps(value[:80])
    return shown.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
