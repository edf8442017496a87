"""A linear-time SPARQL tokenizer that reads a text the way pyoxigraph's parser does.

One regular expression, tried left to right, splits the text into tokens: strings (all four
forms, with ECHAR escapes), IRIREFs (with \\u / \\U escapes), comments, variables, blank-node
labels, language tags, prefixed names, numbers, words (keywords, function names) and
punctuation. Each token is read once, so the cost is linear in the length of the text.

Codepoint escapes (\\uXXXX, \\UXXXXXXXX) are *not* applied to the whole text first: SPARQL 1.1
(19.2) says they should be, but pyoxigraph 0.5 builds spargebra without its
"standard-unicode-escaping" feature, so it reads escapes only inside strings and IRIs
(`\\u0053ELECT * {}` is a syntax error there; tests/sparql/test_guard.py checks this still
holds, so an engine upgrade that changes it fails a test instead of opening a hole).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_LOCAL = f"(?:[{_CHARS_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_CHARS_U}0-9][{_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"

_TOKEN = re.compile(
    rf"""
      (?P<ws>[\x20\x09\x0d\x0a]+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:(?:''|')?(?:[^'\\]|\\[\s\S]))*'''
               |\"\"\"(?:(?:\"\"|\")?(?:[^"\\]|\\[\s\S]))*\"\"\"
               |'(?:[^'\\\n\r]|\\[^\n\r])*'
               |"(?:[^"\\\n\r]|\\[^\n\r])*")
    | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
    | (?P<var>[?$]{_VARNAME})
    | (?P<bnode>_:[{_CHARS_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
    | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
    | (?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
    | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op>\|\||&&|!=|<=|>=|\^\^|[{{}}()\[\];,.=<>!+\-*/|^?])
    | (?P<other>[\s\S])
    """,
    re.VERBOSE,
)

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind (a group name of _TOKEN), its text and its offset in the query text."""

    kind: str
    text: str
    start: int


def tokenize(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL text, without whitespace and comments, in order."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind != "ws" and kind != "comment":
            yield Token(kind, match.group(), match.start())  # type: ignore[arg-type]


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset (columns count characters, as Oxigraph's do)."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def bad_escape(token_text: str) -> tuple[int, str] | None:
    """(offset in the token, escape) of the first \\u / \\U escape that is no Unicode scalar value."""
    if "\\" not in token_text:
        return None
    for match in _ESCAPE.finditer(token_text):
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return match.start(), match.group()
    return None


def unescape(token_text: str) -> str:
    """An IRI's text with its \\u / \\U escapes applied (call bad_escape first)."""
    if "\\" not in token_text:
        return token_text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token_text)
