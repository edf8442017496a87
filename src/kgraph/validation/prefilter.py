"""SHACL validation at scale: SPARQL on the store picks the focus nodes that may fail a
property shape, and only those are checked, exactly, by kgraph.validation.evaluator.

The evaluator alone checks every value of every focus node in Python, which costs some 20 seconds
per million triples and holds every value in memory. Here each property shape becomes a few
SPARQL queries that Oxigraph answers without Python: which subjects have a value that is not
certainly fine, too many values, or too few. Those subjects (the "suspects") are then checked
by the set-wise evaluator (kgraph.validation.evaluator) on their statements as written, read
back from the build's spool.

Why the findings stay exactly pyshacl's (tests/validation/test_engines.py compares them on the
whole test corpus; tests/validation/test_prefilter.py tests the parts):
- every SPARQL condition here only ever says "certainly fine": a value it cannot vouch for
  (or a condition Oxigraph cannot evaluate) makes its subject a suspect, and suspects get
  the exact check;
- counts are a store's distinct values, which are the values as written unless the store
  wrote a literal differently (Oxigraph stores "9.0"^^xsd:decimal as "9", so "9.0" and
  "9.00" become one value). Such literals are found by renamed_literals, and every subject
  that has one is a suspect whatever its values look like.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, XSD

from kgraph.validation import evaluator as fv
from kgraph.validation.ahead import Ahead, Keys, key_of
from kgraph.validation import terms as sh
from kgraph.validation.findings import Finding

_XSD = str(XSD)
# The lexical forms of these datatypes that rdflib surely reads as valid values and that
# Oxigraph stores unchanged: a value in another form of them is not vouched for.
_PLAIN_FORMS = {
    XSD.integer: r"^-?[0-9]+$",
    XSD.decimal: r"^-?[0-9]+(\.[0-9]+)?$",
    XSD.date: r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$",
    XSD.gYear: r"^[1-9][0-9]{3}$",
}
# A regular expression written only with these parts means the same to Oxigraph (Rust regex)
# as to pyshacl (Python re) wherever Oxigraph finds a match; anything else is not vouched for.
_SAFE_PATTERN = re.compile(r"^(?:[A-Za-z0-9 ^$|()\[\]{},*+?.:/_%#=&~@!'-]|\\[d.\-/?+*()\[\]{}^$|])*$")
_NODE_KIND_TESTS = {sh.IRI: "isIRI({v})", sh.Literal: "isLiteral({v})", sh.BlankNode: "isBlank({v})",
                    sh.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
                    sh.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
                    sh.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))"}


def sparql_string(text: str) -> str:
    """text as a SPARQL string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def safe_pattern(pattern: str) -> bool:
    """Whether Oxigraph's REGEX and Python's re.search agree on pattern where Oxigraph matches
    (ASCII text, classes, anchors, groups, alternation, quantifiers and \\d only: Python's $
    also matches before a final newline, which only makes it accept more)."""
    return bool(_SAFE_PATTERN.match(pattern)) and "(?" not in pattern


def literal_of(term: rdflib.Literal) -> str | None:
    """term as SPARQL, if it is a literal of a datatype with plain forms (else None)."""
    if term.datatype in _PLAIN_FORMS and re.match(_PLAIN_FORMS[term.datatype], str(term)):
        return f"{sparql_string(str(term))}^^<{term.datatype}>"
    return None


class Condition:
    """A SPARQL expression that, true for a value, means the value passes a shape's value
    constraints; `exact` when false also means it fails (needed to count passing values)."""

    def __init__(self, expression: str, exact: bool):
        self.expression, self.exact = expression, exact

    @staticmethod
    def all_of(parts: list[Condition]) -> Condition:
        if not parts:
            return Condition("true", True)
        return Condition("(" + " && ".join(p.expression for p in parts) + ")", all(p.exact for p in parts))


class Prefilter:
    """The suspects of an evaluator's property shapes: see the module's docstring."""

    def __init__(self, evaluator: fv.Evaluator, renamed: set[ox.Literal], spool: Path | None = None,
                 workers: int = 1):
        """workers > 1: the queries are answered by that many threads ahead of their use
        (kgraph.validation.ahead), with the same suspects; close() stops them."""
        self.ev = evaluator
        self.spool = spool
        self.renamed = renamed
        self._answers: dict[str, set] = {}
        self._uses: Counter[str] = Counter()
        self._ahead: Ahead | None = None
        self._focus_keys: tuple[set, dict] | None = None
        self.tainted: set = set()
        if renamed:
            values = " ".join(str(term) for term in renamed)
            self.tainted = set(self._subjects(f"SELECT DISTINCT ?this WHERE {{ VALUES ?o {{ {values} }} ?this ?p ?o }}"))
        if workers > 1:  # after the tainted subjects, which are wanted as terms
            self._ahead = Ahead(evaluator.select, workers, lambda query: self._uses[query] > 0)

    def _subjects(self, query: str) -> set:
        """The first column of query's rows (terms; Keys when answered ahead); kept while expect() announced more uses of it
        (shapes on the same path often ask the same, e.g. for a Dutch label)."""
        answer = self._answers.pop(query, None)
        if answer is None:
            try:
                answer = self._ahead.answer(query) if self._ahead else None
                if answer is None:  # serially, or an answer Keys cannot hold: its rows as terms
                    answer = {row[0] for row in self.ev.select(query)}
            except (SyntaxError, ValueError, OSError) as exc:  # a translation Oxigraph cannot run
                raise fv.Unsupported(f"prefilter query not evaluated ({exc}): {query}") from None
        self._uses[query] -= 1
        if self._uses[query] > 0:
            self._answers[query] = answer
        return answer

    def check_focus_nodes(self, focus_nodes: Iterable) -> None:
        """Refuse literal focus nodes the store renamed: their form as written is unknown here."""
        if self.renamed and any(isinstance(f, ox.Literal) and f in self.renamed for f in focus_nodes):
            raise fv.Unsupported("a focus node is a literal the store writes differently")

    def statements_of(self, subjects: set) -> list[ox.Quad]:
        """The statements about the suspects, as written (read back from the spool)."""
        if self.spool is None:
            raise ValueError("a Prefilter without a spool only names suspects")
        return statements_about(self.spool, subjects)

    # --- value constraints as SPARQL ----------------------------------------------------------
    def condition(self, shape, v: str) -> Condition | None:
        """shape's value constraints on the value in variable v, or None if one of them has no
        SPARQL form here (then every value is a suspect)."""
        spec, ev = self.ev.spec(shape), self.ev
        parts: list[Condition] = []
        for cls in spec.get(sh.class_, ()):
            # a direct type is enough to vouch (the build has asserted every superclass type);
            # following rdfs:subClassOf* for every value costs Oxigraph far more
            parts.append(Condition(f"(!isLiteral({v}) && EXISTS {{ {v} a <{cls}> }})", False))
        for rule in spec.get(sh.datatype, ()):
            if rule == XSD.string:
                parts.append(Condition(f"(isLiteral({v}) && datatype({v}) = <{XSD.string}>)", True))
            elif rule == RDF.langString:
                parts.append(Condition(f"(isLiteral({v}) && LANG({v}) != \"\")", True))
            elif rule in _PLAIN_FORMS:
                valid = f" && COALESCE(<{rule}>(STR({v})) = {v}, false)" if rule == XSD.date else ""
                parts.append(Condition(f"(isLiteral({v}) && datatype({v}) = <{rule}> && "
                                       f"REGEX(STR({v}), {sparql_string(_PLAIN_FORMS[rule])}){valid})", False))
            else:
                return None
        for kind in spec.get(sh.nodeKind, ()):
            parts.append(Condition(_NODE_KIND_TESTS[kind].format(v=v), True))
        for pattern in spec.get(sh.pattern, ()):
            if not safe_pattern(str(pattern)):
                return None
            parts.append(Condition(f"(!isBlank({v}) && REGEX(STR({v}), {sparql_string(str(pattern))}))", False))
        for members in spec.get(sh.in_, ()):
            part = self._in(members, v)
            if part is None:
                return None
            parts.append(part)
        for langs in spec.get(sh.languageIn, ()):
            languages = sorted({str(x).lower() for x in ev.items(langs)})
            listed = ", ".join(sparql_string(lang) for lang in languages)
            test = "true" if "*" in languages else (
                f"(LCASE(LANG({v})) IN ({listed}) || LCASE(STRBEFORE(LANG({v}), \"-\")) IN ({listed}))")
            parts.append(Condition(f"(isLiteral({v}) && LANG({v}) != \"\" && {test})", True))
        for key, op in ((sh.minInclusive, ">="), (sh.maxInclusive, "<=")):
            for bound in spec.get(key, ()):
                written = literal_of(bound) if isinstance(bound, rdflib.Literal) else None
                if written is None:
                    return None
                plain = sparql_string(_PLAIN_FORMS[bound.datatype])
                parts.append(Condition(f"(isLiteral({v}) && datatype({v}) = <{bound.datatype}> && "
                                       f"REGEX(STR({v}), {plain}) && {v} {op} {written})", False))
        for alternatives in spec.get(sh.or_, ()):
            members = [self.condition(m, v) for m in ev.items(alternatives)]
            if any(m is None for m in members):
                return None
            parts.append(Condition("(" + " || ".join(m.expression for m in members) + ")", all(m.exact for m in members)))
        return Condition.all_of(parts)

    def _in(self, members, v: str) -> Condition | None:
        """sh:in as sameTerm tests, for IRIs and strings only; a member the exact check would
        not accept in the form the store gives it is left out (it can never vouch)."""
        allowed = set(self.ev.items(members))
        tests = []
        for m in allowed:
            if isinstance(m, rdflib.URIRef):
                term = ox.NamedNode(str(m))
            elif isinstance(m, rdflib.Literal) and m.datatype in (None, XSD.string) and not m.language:
                term = ox.Literal(str(m))
            else:
                return None
            if self.ev.py(term) in allowed:
                tests.append(f"sameTerm({v}, {term})")
        return Condition("(" + (" || ".join(tests) or "false") + ")", False)

    # --- suspects -----------------------------------------------------------------------------
    def queries(self, prop, path: rdflib.URIRef) -> list[tuple[str, str]] | None:
        """What suspects() asks the store for property shape prop: (how, query) pairs, where
        the suspects are the focus nodes in ("in") or not in ("not in") the query's answer;
        None when every focus node must be checked. It depends on the shapes alone."""
        spec, p = self.ev.spec(prop), f"<{path}>"
        distinct = f"{{ SELECT DISTINCT ?this ?v WHERE {{ ?this {p} ?v }} }}"
        asked: list[tuple[str, str]] = []
        ok = self.condition(prop, "?v")
        if ok is None:
            asked.append(("in", f"SELECT DISTINCT ?this WHERE {{ ?this {p} ?v }}"))
        elif ok.expression != "true":
            asked.append(("in", f"SELECT DISTINCT ?this WHERE {{ ?this {p} ?v FILTER (!COALESCE({ok.expression}, false)) }}"))
        too_many, enough = [], []
        for n in spec.get(sh.maxCount, ()):
            too_many.append(f"COUNT(?v) > {int(n)}")
        for n in spec.get(sh.minCount, ()):
            if int(n) > 0:
                enough.append(f"COUNT(?v) >= {int(n)}")
        for qualified in spec.get(sh.qualifiedValueShape, ()):
            matching = self.condition(qualified, "?v")
            high = spec.get(sh.qualifiedMaxCount, [None])[0]
            low = spec.get(sh.qualifiedMinCount, [None])[0]
            if matching is None or (high is not None and not matching.exact):
                return None  # cannot count what passes
            # a condition Oxigraph cannot evaluate counts against the focus node both ways
            if high is not None:
                too_many.append(f"SUM(IF(COALESCE({matching.expression}, true), 1, 0)) > {int(high)}")
            if low is not None and int(low) > 0:
                enough.append(f"SUM(IF(COALESCE({matching.expression}, false), 1, 0)) >= {int(low)}")
        if too_many:
            asked.append(("in", f"SELECT ?this WHERE {{ {distinct} }} GROUP BY ?this HAVING ({' || '.join(too_many)})"))
        if enough:
            asked.append(("not in", f"SELECT ?this WHERE {{ {distinct} }} GROUP BY ?this HAVING ({' && '.join(enough)})"))
        if any(bool(x.toPython()) for x in spec.get(sh.uniqueLang, ())):
            asked.append(("in", f"SELECT DISTINCT ?this WHERE {{ {distinct} FILTER (LANG(?v) != \"\") }} "
                                f"GROUP BY ?this (LCASE(LANG(?v)) AS ?language) HAVING (COUNT(?v) > 1)"))
        for other in spec.get(sh.lessThanOrEquals, ()):
            asked.append(("in", self._not_ordered(p, f"<{other}>")))
        return asked

    def expect(self, shapes_and_paths: Iterable[tuple], uses: int = 1) -> None:
        """Say which (property shape, path) pairs suspects() will be asked about (uses=-1:
        will not be after all), so that an answer several of them share is kept until its
        last use, and only so long."""
        for prop, path in shapes_and_paths:
            for _, query in self.queries(prop, path) or ():
                self._uses[query] += uses
                if self._ahead and uses > 0:
                    self._ahead.plan([query])
                if self._uses[query] <= 0:
                    self._answers.pop(query, None)
                    if self._ahead:
                        self._ahead.drop(query)

    def suspects(self, prop, path: rdflib.URIRef, focus: set) -> set:
        """The focus nodes that may have a finding for property shape prop (a superset)."""
        asked = self.queries(prop, path)
        if asked is None:
            return set(focus)
        found = focus & self.tainted
        for how, query in asked:
            answer = self._subjects(query)
            if isinstance(answer, Keys):
                keys = self._keys(focus)
                if how == "in":
                    found.update(keys[key] for key in answer if key in keys)
                else:
                    found.update(term for key, term in keys.items() if key not in answer)
            else:
                found |= focus.intersection(answer) if how == "in" else focus.difference(answer)
        return found

    def _keys(self, focus: set) -> dict:
        """focus's terms by their keys (kgraph.validation.ahead.key_of), worked out once per
        shape: its property shapes are asked about with the same set."""
        if self._focus_keys is None or self._focus_keys[0] is not focus:
            self._focus_keys = (focus, {key_of(term): term for term in focus})
        return self._focus_keys[1]

    def close(self) -> None:
        """Stop the threads that answer queries ahead (if any)."""
        if self._ahead:
            self._ahead.close()

    @staticmethod
    def _not_ordered(p: str, other: str) -> str:
        """Subjects with a value of p not certainly <= every value of other (same datatype,
        both in a plain form, compared by Oxigraph as by rdflib)."""
        plain = " || ".join(f"(datatype(?v) = <{dt}> && REGEX(STR(?v), {sparql_string(form)}) && "
                            f"REGEX(STR(?w), {sparql_string(form)}))" for dt, form in _PLAIN_FORMS.items()
                            if dt != XSD.gYear)
        return (f"SELECT DISTINCT ?this WHERE {{ ?this {p} ?v . ?this {other} ?w FILTER (!COALESCE(isLiteral(?v) && "
                f"isLiteral(?w) && datatype(?v) = datatype(?w) && ({plain}) && ?v <= ?w, false)) }}")


def renamed_literals(literals: Iterable[ox.Literal]) -> set[ox.Literal]:
    """Of the literals as written, the forms the store gives those it writes differently."""
    written = [term for term in literals if term.language or term.datatype.value != f"{_XSD}string"]
    store = ox.Store()
    predicate = ox.NamedNode("urn:kgraph:value")
    store.extend(ox.Quad(ox.NamedNode(f"urn:kgraph:literal:{i}"), predicate, term) for i, term in enumerate(written))
    return {q.object for q in store if q.object != written[int(q.subject.value.rsplit(":", 1)[1])]}


def statements_about(spool: Path, subjects: set) -> list[ox.Quad]:
    """The spooled statements (N-Quads, as written) whose subject is one of subjects: one pass
    over the file that only parses those lines."""
    if not subjects:
        return []
    keys = {str(s).encode() for s in subjects}
    lines = []
    with open(spool, "rb") as spooled:
        for line in spooled:
            if line[:line.find(b" ")] in keys:
                lines.append(line)
    return list(ox.parse(b"".join(lines), format=ox.RdfFormat.N_QUADS))


def prefiltered_findings(store: ox.Store, spool: Path, literals: Iterable[ox.Literal], shapes: rdflib.Graph,
                         base: str, language: str = "en", workers: int = 1) -> list[Finding]:
    """The findings on the named graphs of store, read as their union, which hold the
    statements of the N-Quads file spool; literals are the spool's literals, as written (at
    least every typed one but xsd:string). The findings are the evaluator's, and so pyshacl's;
    workers > 1 threads answer the prefilter's queries (the same findings, sooner)."""
    evaluator = fv.Evaluator(shapes, store, base, language, union=True, targets_from_store=True)
    narrowing = Prefilter(evaluator, renamed_literals(literals), spool, workers)
    try:
        return evaluator.run(narrowing)
    finally:
        narrowing.close()
