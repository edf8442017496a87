"""What a SPARQL text asks for, read in one tokenizer pass, before the engine sees it.

`analyse` walks the tokens of kgraph.sparql.lexer once and finds:

- every SERVICE / LOAD the engine could read, with its target resolved through PREFIX / BASE
  (pyoxigraph matches keywords without a word boundary: `SERVICEex:x {}` and `service:x {}` are
  a SERVICE to `ex:x` and `:x`, `SERVICEsilent<...>` is SERVICE SILENT; such glued forms count);
- how deep the text nests, as a cost the engine's recursive parser and evaluator pay: refused
  past MAX_DEPTH_COST, which stays well inside what pyoxigraph 0.5.13 survives (see below);
- \\u / \\U escapes that are no Unicode scalar value (pyoxigraph's messages for them are
  unreadable, the old guard crashed on them), and lone surrogates in the text;
- whether the query has FROM / FROM NAMED clauses (its own dataset), and whether the text is
  an update (its first keyword after the prologue).

Depth limits, measured with pyoxigraph 0.5.13 (a worker process per try; exit -11 is the crash):
nested `{}` / `()` / sub-selects survive 2,000 levels and crash at 5,000; nested
`FILTER EXISTS {` survive 500 and crash at 1,000; 5,000 BIND / MINUS elements in one group
crash; 20,000 chained `!`, `+`, `||`, `|`, UNION crash (5,000 survive). The cost below weighs an
open bracket 4, EXISTS 8, a group element (BIND, OPTIONAL, UNION, ...) 2 and an operator 1 on the
path from the outermost frame to the current token: MAX_DEPTH_COST = 2,000 allows 500 plain
nested brackets, about 140 nested FILTER EXISTS and 1,000 elements or 2,000 operators in one
chain, each at most a quarter to a half of the crash point. tests/sparql/test_hardening.py runs
every construct at the limit in a real worker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import urljoin

from kgraph.sparql.errors import ForbiddenOperation, QuerySyntaxError, QueryTooComplex
from kgraph.sparql.lexer import Token, bad_escape, line_col, tokenize, unescape

MAX_DEPTH_COST = 2000
BRACKET_COST = 4
EXISTS_COST = 8
ELEMENT_COST = 2
OPERATOR_COST = 1

_OPEN = {"{": "}", "(": ")", "[": "]"}
_CLOSE = {"}", ")", "]"}
_OPERATORS = {"||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "!", "^", "|"}
_ELEMENTS = {"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE", "VALUES", "LATERAL"}
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
QUERY_KEYWORDS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_LONG_IRI = 200  # a "false IRI" (`?a<((((1>`) this long could hide brackets: count them


@dataclass(frozen=True)
class Target:
    """A SERVICE or LOAD the engine would run: keyword, resolved IRI (None: a variable or
    unresolvable), and where in the text it is."""

    keyword: str
    iri: str | None
    line: int
    column: int
    written: str  # the target as written


@dataclass
class Analysis:
    """What analyse() found in a text."""

    targets: list[Target] = field(default_factory=list)
    has_dataset: bool = False  # FROM / FROM NAMED at the top level
    first_keyword: str | None = None  # after the prologue: SELECT, ASK, ..., INSERT, DELETE, ...
    prefixes: dict[str, str] = field(default_factory=dict)  # declared, in order

    @property
    def is_update(self) -> bool:
        """Whether the text starts (after PREFIX / BASE) as a SPARQL Update does."""
        return self.first_keyword in UPDATE_KEYWORDS


def _position(text: str, offset: int) -> str:
    line, column = line_col(text, offset)
    return f"line {line}, column {column}"


def _glued(prefix: str, keyword: str) -> str | None:
    """The rest of a word or prefix that starts with keyword (and an optional SILENT), else None."""
    if not prefix[: len(keyword)].upper() == keyword:
        return None
    rest = prefix[len(keyword):]
    if rest[:6].upper() == "SILENT":
        rest = rest[6:]
    return rest


class _Reader:
    """The state of one pass: prefixes, base, the bracket stack and the depth cost."""

    def __init__(self, text: str, is_update: bool):
        self.text, self.is_update = text, is_update
        self.tokens: list[Token] = list(tokenize(text))
        self.result = Analysis()
        self.base = ""
        self.stack: list[list] = []  # [bracket, cost of the frame itself, cost of its chain]
        self.cost = 0

    # -- depth
    def _charge(self, amount: int, token: Token) -> None:
        self.cost += amount
        if self.stack:
            self.stack[-1][2] += amount
        if self.cost > MAX_DEPTH_COST:
            raise QueryTooComplex(
                f"the query nests too deeply at {_position(self.text, token.start)} (near {token.text[:20]!r}): "
                f"this endpoint reads at most {MAX_DEPTH_COST // BRACKET_COST} levels of brackets, "
                f"{MAX_DEPTH_COST // ELEMENT_COST} group elements or {MAX_DEPTH_COST // OPERATOR_COST} "
                "chained operators, so that no query can overflow the engine's stack; split or flatten it"
            )

    def _open(self, token: Token) -> None:
        self.stack.append([token.text, BRACKET_COST, 0])
        self.cost += BRACKET_COST
        self._charge(0, token)

    def _close(self) -> None:
        if self.stack:  # an unbalanced text is the engine's syntax error to report
            _, own, chain = self.stack.pop()
            self.cost -= own + chain

    # -- terms
    def _check_escapes(self, token: Token) -> None:
        found = bad_escape(token.text)
        if found:
            offset, escape = found
            line, column = line_col(self.text, token.start + offset)
            raise QuerySyntaxError(
                f"syntax error at line {line}, column {column}: {escape} is not a Unicode character "
                "(code points end at \\U0010FFFF, and D800-DFFF are surrogate halves, not characters)",
                line,
                column,
            )

    def resolve(self, token: Token, glued_rest: str | None = None) -> str | None:
        """The IRI a target token stands for, or None (a variable, an unknown prefix, relative)."""
        if token.kind == "iri":
            iri = unescape(token.text[1:-1])
            iri = urljoin(self.base, iri) if self.base else iri
            return iri if _ABSOLUTE.match(iri) else None
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if glued_rest is not None:
                prefix = glued_rest
            namespace = self.result.prefixes.get(prefix)
            if namespace is None:
                return None
            return namespace + re.sub(r"\\(.)", r"\1", local)
        return None

    def _target(self, keyword: str, token: Token, iri: str | None) -> None:
        line, column = line_col(self.text, token.start)
        self.result.targets.append(Target(keyword, iri, line, column, token.text))

    def _service_at(self, i: int) -> None:
        """Record a SERVICE starting at token i (a word or a prefixed name), if the engine reads one."""
        tokens, token = self.tokens, self.tokens[i]
        if i > 0 and tokens[i - 1].kind == "word" and tokens[i - 1].text.upper() == "GRAPH":
            return  # GRAPH service:g { ... }: a graph name, not the keyword
        if token.kind == "word":
            rest = _glued(token.text, "SERVICE")
            if rest is None or rest != "":
                return
            j, silent = i + 1, False
            if j < len(tokens) and tokens[j].kind == "word" and tokens[j].text.upper() == "SILENT":
                j, silent = j + 1, True
            if j >= len(tokens):
                return
            target, glued = tokens[j], None
            if target.kind == "pname" and not silent:
                name = target.text.partition(":")[0]
                if name[:6].upper() == "SILENT":  # SERVICE SILENTex:x reads as SILENT + ex:x
                    glued = name[6:]
            if j + 1 < len(tokens) and tokens[j + 1].text != "{":
                return  # SERVICE needs VarOrIri then a group: the engine cannot read one here
            plain = token.text.upper() == "SERVICE" and glued is None
            iri = self.resolve(target, glued)
            if target.kind == "var" or iri is not None or plain:
                self._target("SERVICE", target, iri)
            return
        # A prefixed name whose prefix starts with SERVICE: `SERVICEex:x {` / `service:x {`.
        prefix = token.text.partition(":")[0]
        rest = _glued(prefix, "SERVICE")
        if rest is None or (rest and not re.match(f"[{_BASE_FIRST}]", rest[0])):
            return
        if i + 1 < len(tokens) and tokens[i + 1].text != "{":
            return
        iri = self.resolve(token, rest)
        if iri is not None:
            self._target("SERVICE", token, iri)

    def _load_at(self, i: int) -> None:
        """Record a LOAD starting at token i (updates only, outside braces)."""
        tokens, token = self.tokens, self.tokens[i]
        if token.kind == "word":
            if _glued(token.text, "LOAD") != "":
                return
            j = i + 1
            if j < len(tokens) and tokens[j].kind == "word" and tokens[j].text.upper() == "SILENT":
                j += 1
            if j >= len(tokens):
                return
            self._target("LOAD", tokens[j], self.resolve(tokens[j]))
            return
        prefix = token.text.partition(":")[0]
        rest = _glued(prefix, "LOAD")
        if rest is None or (rest and not re.match(f"[{_BASE_FIRST}]", rest[0])):
            return
        iri = self.resolve(token, rest)
        if iri is not None:
            self._target("LOAD", token, iri)

    # -- the pass
    def run(self) -> Analysis:
        tokens, result = self.tokens, self.result
        result.first_keyword = self._first_keyword()
        for i, token in enumerate(tokens):
            kind, value = token.kind, token.text
            if kind == "op":
                if value in _OPEN:
                    if value == "{" and self.stack:
                        self._charge(ELEMENT_COST, token)  # a group is an element of its parent
                    self._open(token)
                elif value in _CLOSE:
                    self._close()
                elif value in _OPERATORS:
                    self._charge(OPERATOR_COST, token)
            elif kind == "word":
                upper = value.upper()
                if upper in _ELEMENTS:
                    self._charge(ELEMENT_COST, token)
                elif upper == "EXISTS":
                    self._charge(EXISTS_COST, token)
                if upper.startswith("SERVICE"):
                    self._service_at(i)
                elif self.is_update and upper.startswith("LOAD") and not self.stack:
                    self._load_at(i)
                if upper == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1].kind == "pname":
                    self._declare(tokens[i + 1].text, tokens[i + 2])
                elif upper == "BASE" and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
                    self._check_escapes(tokens[i + 1])
                    self.base = self.resolve(tokens[i + 1]) or self.base
                elif upper == "FROM" and not self.stack:
                    result.has_dataset = True
            elif kind == "iri":
                self._check_escapes(token)
                if len(value) > _LONG_IRI:
                    hidden = value.count("(") + value.count("[")
                    ops = sum(value.count(c) for c in "!+-*&=^")
                    if hidden * BRACKET_COST + ops > MAX_DEPTH_COST // 2:
                        self._charge(hidden * BRACKET_COST + ops, token)
            elif kind == "string":
                self._check_escapes(token)
            elif kind == "pname":
                upper = value.upper()
                if upper.startswith("SERVICE"):
                    self._service_at(i)
                elif self.is_update and upper.startswith("LOAD") and not self.stack:
                    self._load_at(i)
                elif upper.startswith("PREFIX") and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
                    # PREFIXex: <...>: the engine reads the keyword glued to the name
                    self._declare(value[6:], tokens[i + 1])
                elif upper.startswith("FROM") and not self.stack:
                    result.has_dataset = True
            elif kind == "other":
                if "\ud800" <= value <= "\udfff":
                    line, column = line_col(self.text, token.start)
                    raise QuerySyntaxError(
                        f"syntax error at line {line}, column {column}: the text holds a lone surrogate "
                        f"(U+{ord(value):04X}), which is not a character; send valid UTF-8",
                        line,
                        column,
                    )
        return result

    def _first_keyword(self) -> str | None:
        """The first word after the PREFIX / BASE declarations (upper case), if it is a word."""
        tokens, i = self.tokens, 0
        while i < len(tokens):
            word = tokens[i].text.upper() if tokens[i].kind == "word" else None
            if word == "PREFIX":
                i += 3
            elif word == "BASE":
                i += 2
            else:
                return word
        return None

    def _declare(self, name: str, iri_token: Token) -> None:
        if iri_token.kind != "iri" or not name.endswith(":"):
            return
        self._check_escapes(iri_token)
        iri = unescape(iri_token.text[1:-1])
        self.result.prefixes[name[:-1]] = urljoin(self.base, iri) if self.base else iri


_BASE_FIRST = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"


def analyse(text: str, is_update: bool = False) -> Analysis:
    """Read a query or update once; QueryTooComplex / QuerySyntaxError for what the engine must not see."""
    return _Reader(text, is_update).run()


def check(text: str, allowlist: Iterable[str] = (), is_update: bool = False) -> Analysis:
    """The analysis of a text, after refusing SERVICE / LOAD targets not on the allowlist.

    ForbiddenOperation names the keyword, the target and its position; a variable or
    unresolvable target is always refused.
    """
    analysis = analyse(text, is_update)
    allowed = set(allowlist)
    for target in analysis.targets:
        where = f"line {target.line}, column {target.column}"
        if target.iri is None:
            raise ForbiddenOperation(
                f"{target.keyword} {target.written} at {where} is not allowed: a variable, relative or "
                "unresolvable target could be anything, and this endpoint does not fetch other services or documents"
            )
        if target.iri not in allowed:
            allowed_text = ("; allowed: " + ", ".join(sorted(allowed))) if allowed else ""
            raise ForbiddenOperation(
                f"{target.keyword} <{target.iri}> at {where} is not allowed: this endpoint does not fetch "
                f"other services or documents unless they are on its allowlist{allowed_text}"
            )
    return analysis
