"""Oxigraph's parser messages, rewritten for people.

Oxigraph reports `error at 1:25: expected one of LATERAL, SERVICE, [_]`: a position and the
grammar tokens its PEG parser tried last, with Unicode ranges for name characters. `readable`
turns that into one message: the line, that line with a caret under the position, and what was
expected in words; an undeclared prefix names the prefix and those declared; an update sent
where queries are run says so. The tokenizer (kgraph.sparql.lexer) supplies the context.
"""

from __future__ import annotations

import re

from kgraph.sparql.errors import QueryError, QuerySyntaxError, UpdateNotAccepted
from kgraph.sparql.lexer import line_col, tokenize
from kgraph.sparql.policy import QUERY_KEYWORDS, UPDATE_KEYWORDS, analyse

_POSITION = re.compile(r"error at (\d+):(\d+): (?:expected )?(?:one of )?(.*)", re.DOTALL)
_ITEM = re.compile(r"\[[^\]]*\]|\"(?:[^\"\\]|\\.)*\"|[^,]+")
_TERMS = {"var", "iri", "pname", "string", "number", "bnode"}
_WINDOW = 76


def excerpt(text: str, line: int, column: int) -> str:
    """The line of the text at `line`, indented, with a caret under `column` (long lines cut around it)."""
    lines = text.splitlines() or [""]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    start = max(0, min(column - 1 - _WINDOW // 2, len(source) - _WINDOW))
    shown = source[start:start + _WINDOW]
    left = "..." if start > 0 else ""
    right = "..." if start + _WINDOW < len(source) else ""
    return f"    {left}{shown}{right}\n    {' ' * (len(left) + column - 1 - start)}^"


def _words(items: list[str]) -> list[str]:
    """What the expected grammar tokens mean, in words."""
    keywords, marks, other = [], [], []
    for raw in items:
        item = raw.strip()
        if not item or item == "[_]":
            continue
        if item.startswith("["):
            if "'0' ..= '9'" in item and "'A' ..= 'Z'" not in item and "\\u{00B7}" not in item:
                other.append("a number")
            elif "'A' ..= 'Z'" in item or "\\u{00B7}" in item or "'_'" in item:
                other.append("a name")
            elif "'%'" in item:
                other.append("a name")
            else:
                chars = re.findall(r"'((?:\\.|[^'])+)'", item)
                marks.extend(f"'{c}'" for c in chars[:8])
        elif item.startswith('"'):
            marks.append("'" + item[1:-1].replace('\\"', '"').replace("\\\\", "\\") + "'")
        elif re.fullmatch(r"[A-Za-z_]+", item):
            keywords.append(item)
        elif item == "Prefix not found":
            other.append("a declared prefix")
        else:
            other.append(item[0].lower() + item[1:])  # a sentence of Oxigraph's own
    words = list(dict.fromkeys(other))
    if marks:
        words.append("one of " + " ".join(dict.fromkeys(marks)))
    if keywords:
        shown = ", ".join(keywords[:6]) + (" ..." if len(keywords) > 6 else "")
        words.append(("a keyword such as " if len(keywords) > 1 else "the keyword ") + shown)
    return words


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _incomplete_triple(tokens: list, offset: int) -> tuple[str, int] | None:
    """(hint, offset of the closing token) when a triple pattern ends after its subject or predicate.

    Oxigraph reports such errors at or just after the '}' / '.' that ended the pattern too early.
    """
    before = [t for t in tokens if t.start < offset]
    after = [t for t in tokens if t.start >= offset][:1]
    if after and after[0].text in ("}", "."):
        closing, previous = after[0], before
    elif before and before[-1].text in ("}", "."):
        closing, previous = before[-1], before[:-1]
    else:
        return None
    count = 0
    for token in reversed(previous):
        if token.kind in _TERMS or (token.kind == "word" and token.text == "a"):
            count += 1
        elif token.kind == "op" and token.text in ("{", ".", ";"):
            if token.text == ";":
                count += 1  # after ';' the subject is shared: one term is the predicate
            break
        else:
            return None
    if count == 2:
        return ("the triple pattern has a subject and a predicate but no object: "
                "expected a variable, an IRI, a literal or a blank node"), closing.start
    if count == 1:
        return ("the triple pattern has only a subject: expected a predicate "
                "(a variable, an IRI or 'a') and an object"), closing.start
    return None


def _unknown_prefix(text: str) -> QuerySyntaxError | None:
    """The first prefixed name whose prefix is not declared before it, as an error."""
    declared: dict[str, None] = {}
    previous = None
    for token in tokenize(text):
        if token.kind == "pname":
            prefix = token.text.partition(":")[0]
            if previous is not None and previous.kind == "word" and previous.text.upper() == "PREFIX":
                declared[prefix] = None
            elif prefix not in declared:
                line, column = line_col(text, token.start)
                names = ", ".join(f"{p}:" for p in declared) or "none"
                message = (
                    f"syntax error at line {line}, column {column}: the prefix {prefix}: (in {token.text}) is not declared; "
                    f"declared prefixes: {names}. Add PREFIX {prefix}: <...> before the query\n{excerpt(text, line, column)}"
                )
                return QuerySyntaxError(message, line, column)
        previous = token
    return None


def not_accepted_update(keyword: str) -> UpdateNotAccepted:
    """The error for an update sent where only queries run."""
    return UpdateNotAccepted(
        f"updates are not accepted here: this text is a SPARQL Update (it starts with {keyword}), and only queries "
        f"({', '.join(sorted(QUERY_KEYWORDS))}) are run here, on a published, read-only release of the data. "
        "To change the data, edit the sources and rebuild (or send the update as 'update' to an endpoint "
        "started with an update token)"
    )


def readable(text: str, engine_message: str, is_update: bool = False) -> QueryError:
    """The error to report for a text the engine's query (or update) parser refused with engine_message."""
    first = analyse(text).first_keyword
    if not is_update and first in UPDATE_KEYWORDS:
        return not_accepted_update(first)
    unknown = _unknown_prefix(text)
    if unknown is not None:
        return unknown
    match = _POSITION.match(engine_message)
    if not match:
        return QuerySyntaxError(f"syntax error: {engine_message}")
    line, column = int(match.group(1)), int(match.group(2))
    lines = text.split("\n")
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
    tokens = list(tokenize(text))
    incomplete = _incomplete_triple(tokens, offset)
    if incomplete is not None:
        hint, offset = incomplete
        line, column = line_col(text, offset)
    else:
        words = _words(_ITEM.findall(match.group(3).replace("\n", " ")))
        found = next((t.text for t in tokens if t.start >= offset), None)
        found_text = f"found {found[:30]!r}" if found else "the text ends here"
        hint = f"{found_text}; expected {_join(words)}" if words else found_text
    return QuerySyntaxError(f"syntax error at line {line}, column {column}: {hint}\n{excerpt(text, line, column)}", line, column)
