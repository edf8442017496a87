"""Refuse federated SERVICE and LOAD before the engine sees a query or an update.

pyoxigraph performs the HTTP request of a SERVICE clause or a LOAD operation as soon as it is
evaluated, so an endpoint passing client text straight to it fetches any URL a client names. The
check here runs first and is layered so neither layer alone has to be perfect:

1. A lexer (after SPARQL's \\uXXXX codepoint unescaping, which could otherwise spell a keyword the
   lexer does not see) drops comments, strings and IRIs and finds SERVICE / LOAD as keyword tokens
   (never parts of prefixed names or variables), resolving their targets with the PREFIX/BASE
   declarations. Any target not on the allowlist (or a variable) is refused.
2. If the text mentions "service" or "load" anywhere at all (even in a comment or a string), the
   query is also parsed with rdflib's SPARQL parser and its tree is walked for
   ServiceGraphPattern / Load nodes, whose targets must be allowed too. When rdflib cannot parse
   it, the query is refused: we will not hand the engine a text we could not check structurally.

Most queries mention neither word and pass in microseconds, without rdflib.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator
from urllib.parse import urljoin


from kgraph.sparql.errors import ForbiddenOperation  # noqa: E402,F401 - raised here, defined with the others


@dataclass(frozen=True)
class Target:
    """One SERVICE or LOAD found in a text: the keyword and its (resolved) IRI, or None for a variable."""

    keyword: str
    iri: str | None


_UESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# Token patterns in the order they are tried; anything else is one character of punctuation.
_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
    | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]*)?:(?:[A-Za-z0-9_:%\\\-.\u00B7\u00C0-\uFFFF]*))
    | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def unescape_codepoints(text: str) -> str:
    """Apply SPARQL's \\uXXXX / \\UXXXXXXXX codepoint escapes (SPARQL 1.1 Query, 19.2)."""
    return _UESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def spans(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) tokens of a SPARQL text, without whitespace and comments."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind not in ("ws", "comment"):
            yield kind, match.group(), match.start()


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) tokens of a SPARQL text, without whitespace and comments."""
    for kind, value, _ in spans(text):
        yield kind, value


def _lexical_targets(text: str) -> list[Target]:
    """SERVICE / LOAD targets found by the lexer, with prefixed names and relative IRIs resolved."""
    found: list[Target] = []
    prefixes: dict[str, str] = {}
    base = ""
    toks = list(tokens(text))

    def resolve(kind: str, value: str) -> str | None:
        if kind == "iri":
            return urljoin(base, value[1:-1]) if base else value[1:-1]
        if kind == "pname":
            prefix, _, local = value.partition(":")
            # An undeclared prefix cannot parse; keep a marker that is never allowlisted.
            return prefixes.get(prefix, f"urn:undeclared-prefix:{prefix}:") + local.replace("\\", "")
        return None  # a variable or anything unexpected: never allowed

    for i, (kind, value) in enumerate(toks):
        if kind != "word":
            continue
        word = value.upper()
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1].rstrip(":")] = resolve("iri", toks[i + 2][1]) or ""
        elif word == "BASE" and i + 1 < len(toks) and toks[i + 1][0] == "iri":
            base = resolve("iri", toks[i + 1][1]) or ""
        elif word in ("SERVICE", "LOAD"):
            j = i + 1
            if j < len(toks) and toks[j][1].upper() == "SILENT":
                j += 1
            target = resolve(*toks[j]) if j < len(toks) else None
            found.append(Target(word, target))
    return found


def _walk(node: object) -> Iterator[object]:
    """Every node of an rdflib parse tree (CompValue / ParseResults / lists)."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, (list, tuple)) or type(current).__name__ == "ParseResults":
            stack.extend(list(current))


def _structural_targets(text: str, is_update: bool) -> list[Target]:
    """SERVICE / LOAD targets from rdflib's parse tree; ForbiddenOperation if rdflib cannot parse it."""
    from pyparsing import ParseException  # rdflib's parser is pyparsing-based
    from rdflib.plugins.sparql import parser
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    try:
        tree = parser.parseUpdate(text) if is_update else parser.parseQuery(text)
    except (ParseException, ValueError, TypeError) as exc:
        raise ForbiddenOperation(
            "the text mentions SERVICE or LOAD and could not be checked (rdflib's parser refused it: "
            f"{str(exc).splitlines()[0]}); it is not run"
        ) from None
    # Queries: [prologue, query]; updates: {'prologue': [...], 'request': [...]} per operation.
    if is_update:
        units = list(zip(tree.get("prologue") or [], tree.get("request") or []))
    else:
        units = [(tree[0], tree[1])]
    found: list[Target] = []
    prologue = None
    for raw_prologue, body in units:
        try:
            prologue = translatePrologue(raw_prologue, None, None, prologue)
        except Exception as exc:  # noqa: BLE001 - rdflib raises bare Exception for unknown prefixes
            raise ForbiddenOperation(f"the text could not be checked ({exc}); it is not run") from None
        for node in _walk(body):
            if not isinstance(node, CompValue) or node.name not in ("ServiceGraphPattern", "Load"):
                continue
            term = node.get("term") if node.name == "ServiceGraphPattern" else node.get("iri")
            if isinstance(term, Variable) or term is None:
                found.append(Target("SERVICE" if node.name != "Load" else "LOAD", None))
                continue
            try:
                iri = str(prologue.absolutize(term))
            except Exception:  # noqa: BLE001 - unknown prefix: cannot be resolved, so not allowed
                iri = None
            found.append(Target("SERVICE" if node.name != "Load" else "LOAD", iri))
    return found


_MENTION = re.compile(r"service|load", re.IGNORECASE)


def find_targets(text: str, is_update: bool = False) -> list[Target]:
    """Every SERVICE / LOAD target either layer finds in a query or update text."""
    unescaped = unescape_codepoints(text)
    # Lex both readings: an escape inside a string could hide or reveal a quote.
    found = _lexical_targets(text) + _lexical_targets(unescaped)
    if _MENTION.search(unescaped) or _MENTION.search(text):
        found += _structural_targets(unescaped, is_update)
    return found


def check(text: str, allowlist: Iterable[str] = (), is_update: bool = False) -> None:
    """Raise ForbiddenOperation unless every SERVICE / LOAD in the text targets an allowlisted IRI."""
    allowed = set(allowlist)
    for target in find_targets(text, is_update):
        if target.iri is None:
            raise ForbiddenOperation(f"{target.keyword} with a variable or unreadable target is not allowed")
        if target.iri not in allowed:
            raise ForbiddenOperation(
                f"{target.keyword} <{target.iri}> is not allowed: this endpoint does not fetch "
                "other services or documents unless they are on its allowlist"
            )
