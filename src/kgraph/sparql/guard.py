"""Refuse federated SERVICE and LOAD before the engine sees a query or an update.

pyoxigraph performs the HTTP request of a SERVICE clause or a LOAD operation as soon as it is
evaluated, so an endpoint passing client text straight to it would fetch any URL a client names.
The decision is made by one linear pass of kgraph.sparql.lexer / kgraph.sparql.policy that reads
the text as the engine does (strings, IRIs, comments, variables, blank nodes, language tags and
prefixed names are not keywords; keywords glued to what follows are). The same pass refuses
nesting the engine could not survive and escapes outside Unicode. No rdflib, no recursion: a
529 KB query is checked in tens of milliseconds (benchmarks/README.md).
"""

from __future__ import annotations

from typing import Iterable

from kgraph.sparql.errors import ForbiddenOperation  # noqa: F401 - raised here, defined with the others
from kgraph.sparql.policy import Analysis, Target, analyse  # noqa: F401 - re-exported
from kgraph.sparql.policy import check as _check


def check(text: str, allowlist: Iterable[str] = (), is_update: bool = False) -> Analysis:
    """Raise ForbiddenOperation unless every SERVICE / LOAD in the text targets an allowlisted IRI.

    Also raises QueryTooComplex (nesting past the documented limit) and QuerySyntaxError (an
    escape outside Unicode), both with the position. Returns what the pass found.
    """
    return _check(text, allowlist, is_update)


def is_update(text: str) -> bool:
    """Whether a text is a SPARQL Update (its first keyword after PREFIX / BASE is INSERT, DELETE, ...)."""
    return analyse(text).is_update
