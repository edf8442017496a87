"""Bound parameters for an engine that takes only a query text: a VALUES block.

The embedded store binds variables to RDF terms before evaluation (pyoxigraph substitutions).
An engine over HTTP gets the same as `VALUES (?a ?b) { (<iri> "text") }` written at the start of
the query's outermost WHERE group, with every term in N-Triples syntax written by pyoxigraph
itself (its str() of a term escapes quotes, backslashes and newlines): nothing of a client's
text is spliced in, only terms the caller built.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

import pyoxigraph as ox

from kgraph.sparql.errors import QueryEvaluationError
from kgraph.sparql.lexer import tokenize

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def values_block(substitutions: Mapping[str, Any]) -> str:
    """`VALUES (?a ?b) { (t1 t2) }` for variable names and pyoxigraph NamedNode / Literal terms."""
    names, terms = [], []
    for name, term in substitutions.items():
        name = name.value if isinstance(name, ox.Variable) else str(name)
        if not _NAME.match(name):
            raise QueryEvaluationError(f"cannot bind a variable named {name!r}")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise QueryEvaluationError(f"?{name} can be bound only to an IRI or a literal here, not {term!r}")
        names.append(f"?{name}")
        terms.append(str(term))
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def where_group_start(text: str) -> int | None:
    """The offset just after the `{` that opens the query's outermost WHERE group, else None.

    The group follows a top-level WHERE keyword, or (SELECT / ASK / DESCRIBE may leave WHERE out)
    is the first top-level `{`; a CONSTRUCT's template, the first `{` of a CONSTRUCT, is skipped
    by needing the WHERE.
    """
    depth = 0
    first_keyword = None
    after_where = False
    first_brace = None
    for token in tokenize(text):
        if token.kind == "word":
            upper = token.text.upper()
            if first_keyword is None and upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                first_keyword = upper
            if depth == 0 and upper == "WHERE":
                after_where = True
        elif token.kind == "op" and token.text == "{":
            if depth == 0:
                if after_where:
                    return token.start + 1
                if first_brace is None:
                    first_brace = token.start + 1
            depth += 1
        elif token.kind == "op" and token.text == "}":
            depth = max(0, depth - 1)
    if first_keyword == "CONSTRUCT":
        return None
    return first_brace


def bind(text: str, substitutions: Mapping[str, Any]) -> str:
    """The query text with the substitutions as a VALUES block in its outermost WHERE group."""
    if not substitutions:
        return text
    at = where_group_start(text)
    if at is None:
        raise QueryEvaluationError("the query has no WHERE group to bind its parameters in")
    return f"{text[:at]} {values_block(substitutions)} {text[at:]}"
