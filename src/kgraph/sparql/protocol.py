"""Protocol-level pieces that are not HTTP: dataset parameters of updates, service-wide names.

SPARQL 1.1 Protocol 2.2.3: `using-graph-uri` / `using-named-graph-uri` act as USING / USING NAMED
on every operation of an update, and a request giving them with an update that has its own USING
or WITH is an error. pyoxigraph takes no such parameters, so they are written into the text.
"""

from __future__ import annotations

from kgraph.sparql.errors import DatasetConflict  # noqa: F401 - raised here, defined with the others
from kgraph.sparql.lexer import tokenize


def _iri(value: str) -> str:
    if any(c in value for c in '<>"{}|^`\\ \t\r\n'):
        raise DatasetConflict(f"not a valid IRI for a graph: {value!r}")
    return f"<{value}>"


def add_using(update: str, using: list[str] | tuple[str, ...], using_named: list[str] | tuple[str, ...]) -> str:
    """The update text with USING / USING NAMED clauses for the protocol's dataset parameters.

    Every DELETE/INSERT ... WHERE operation gets the clauses before its WHERE (found at brace depth
    0 by the lexer, so braces in strings, IRIs or comments do not count).
    """
    if not using and not using_named:
        return update
    clauses = " ".join([f"USING {_iri(g)}" for g in using] + [f"USING NAMED {_iri(g)}" for g in using_named])
    insertions: list[int] = []
    depth = 0
    previous = ""
    for token in tokenize(update):
        kind, value, start = token.kind, token.text, token.start
        if kind == "op" and value == "{":
            depth += 1
            previous = "{"
            continue
        if kind == "op" and value == "}":
            depth -= 1
            previous = "}"
            continue
        if depth != 0:
            continue
        word = value.upper() if kind == "word" else ""
        if word in ("USING", "WITH"):
            raise DatasetConflict(
                "the update has its own USING or WITH clause and the request gives "
                "using-graph-uri / using-named-graph-uri: use one or the other"
            )
        if word == "WHERE":
            if previous == "DELETE":
                raise DatasetConflict("using-graph-uri / using-named-graph-uri cannot apply to DELETE WHERE")
            insertions.append(start)
        previous = word or value
    for position in reversed(insertions):
        update = f"{update[:position]}{clauses} {update[position:]}"
    return update
