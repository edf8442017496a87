"""Running a SPARQL query on a store and writing its result in a chosen format (for the CLI).

The HTTP endpoint has its own executor (kgraph.sparql) with timeouts and guards; this module
is the plain local path: the user's own query on the user's own built store.
"""

from __future__ import annotations

import datetime as dt
import re

import pyoxigraph as ox

from kgraph.named_queries import NamedQuery, Parameter
from kgraph.namespaces import all_prefixes
from kgraph.sparql import ask_tables, diagnostics, policy
from kgraph.sparql.dataset import dataset_options
from kgraph.sparql.errors import QueryError as SparqlQueryError

FORMATS = ("table", "json", "csv", "tsv", "turtle", "ntriples")
_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}


class QueryError(ValueError):
    """The query is not valid SPARQL, or a parameter value is wrong; says where."""


def run(
    store: ox.Store,
    text: str,
    base: str,
    bindings: dict[str, ox.NamedNode | ox.Literal] | None = None,
    allowlist: tuple[str, ...] | list[str] = (),
):
    """Evaluate text on the dataset it names (FROM / FROM NAMED), else the union of the store's graphs.

    QueryError (one readable message, the position once) on a syntax error, an update, a SERVICE
    not on the allowlist or nesting the engine could not survive.
    """
    substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
    try:
        analysis = policy.check(text, allowlist)
    except SparqlQueryError as exc:
        raise QueryError(str(exc)) from None
    if analysis.is_update:
        raise QueryError(str(diagnostics.not_accepted_update(analysis.first_keyword or "")))
    options = dataset_options(analysis, (), ())
    try:
        return store.query(text, base_iri=base, substitutions=substitutions or None, **options)
    except SyntaxError as exc:
        raise QueryError(str(diagnostics.readable(text, str(exc)))) from None


def term_value(parameter: Parameter, raw: str, base: str) -> ox.NamedNode | ox.Literal:
    """The RDF term a parameter value stands for; QueryError naming the parameter if invalid."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    try:
        if parameter.type == "iri":
            prefixes = all_prefixes(base)
            prefix, _, local = raw.partition(":")
            if raw.startswith("<") and raw.endswith(">"):
                raw = raw[1:-1]
                return ox.NamedNode(raw if re.match(r"^[a-z]+:", raw) else base + raw)
            if prefix in prefixes and not local.startswith("//"):
                return ox.NamedNode(prefixes[prefix] + local)
            return ox.NamedNode(raw)
        if parameter.type == "integer":
            return ox.Literal(str(int(raw)), datatype=ox.NamedNode(xsd + "integer"))
        if parameter.type == "decimal":
            return ox.Literal(str(float(raw)), datatype=ox.NamedNode(xsd + "decimal"))
        if parameter.type == "date":
            return ox.Literal(dt.date.fromisoformat(raw).isoformat(), datatype=ox.NamedNode(xsd + "date"))
        return ox.Literal(raw)
    except ValueError as exc:
        raise QueryError(f"parameter {parameter.name!r} ({parameter.type}): invalid value {raw!r} ({exc})") from None


def bindings_for(query: NamedQuery, given: dict[str, str], base: str) -> dict[str, ox.NamedNode | ox.Literal]:
    """Terms for a named query's parameters: given values, else defaults; unknown names refused."""
    known = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise QueryError(f"unknown parameter(s) for {query.name}: {', '.join(unknown)}")
    bound = {}
    for name, parameter in known.items():
        raw = given.get(name, parameter.default)
        if raw is not None:
            bound[name] = term_value(parameter, raw, base)
    return bound


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def render(result, fmt: str, base: str) -> bytes:
    """The result of run() in fmt (see FORMATS); tables are plain aligned text."""
    if isinstance(result, ox.QueryBoolean):
        value = "true" if bool(result) else "false"
        if ask_tables.is_table_format(fmt.upper()):
            return ask_tables.ask_table(fmt.upper(), bool(result))  # pyoxigraph writes no boolean CSV / TSV
        if fmt in _RESULT_FORMATS:
            return result.serialize(format=_RESULT_FORMATS[fmt])
        return f"{value}\n".encode()
    if isinstance(result, ox.QueryTriples):
        if fmt not in _GRAPH_FORMATS:
            fmt = "turtle"
        prefixes = all_prefixes(base) if fmt == "turtle" else None
        return ox.serialize(list(result), format=_GRAPH_FORMATS[fmt], prefixes=prefixes)
    if fmt in _RESULT_FORMATS:
        return result.serialize(format=_RESULT_FORMATS[fmt])
    if fmt in _GRAPH_FORMATS:
        raise QueryError(f"format {fmt!r} is for CONSTRUCT/DESCRIBE results; use table, json, csv or tsv")
    names = [v.value for v in result.variables]
    rows = [[_cell(solution[name]) for name in names] for solution in result]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = lambda cells: " | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(names), "-+-".join("-" * w for w in widths), *(line(r) for r in rows), f"({len(rows)} rows)"]
    return ("\n".join(out) + "\n").encode()
