"""SHACL validation that scales: the project's shapes evaluated set-wise on an Oxigraph store.

pyshacl evaluates every constraint per focus node on an rdflib graph; with the SPARQL-based
shapes of ``shapes/`` (targets and constraints over every ``{base}id/`` resource) that costs
minutes at 100k triples and hours at 1M. This module gives the same findings (same focus,
path, value, message, shape and severity; tests/validation/test_engines.py compares it with
pyshacl on the shapes' test cases, the real data and a generated corpus with injected errors)
by evaluating each shape once for all its focus nodes:

- targets (class, subjects-of, objects-of, SPARQL targets) are SPARQL queries on the store;
- the values of a property shape are one scan of its predicate;
- class membership is one ``rdf:type/rdfs:subClassOf*`` query per class, cached;
- SPARQL constraints run once with ``$this`` unbound, and their rows are kept for the focus
  nodes (the shapes bind ``$this`` in a triple pattern, where this is the same as pre-binding).

It covers the SHACL features the shapes use (core value, cardinality, string, range, pair,
logical ``sh:or``, qualified value shapes, SHACL-SPARQL constraints and targets) and raises
Unsupported for anything else, so that callers fall back to pyshacl rather than guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from datetime import date, datetime, time
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Protocol

import pyoxigraph as ox
import rdflib
from pyshacl.rdfutil.compare import compare_literal
from rdflib.namespace import RDF, RDFS, XSD

from kgraph.namespaces import all_prefixes
from kgraph.rdfconv import to_rdflib_term
from kgraph.validation import terms as sh
from kgraph.validation.findings import Finding, short_term
from kgraph.validation.shapes import localised_message


class Unsupported(ValueError):
    """The shapes use a SHACL feature this evaluator does not implement."""


def _py(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    return to_rdflib_term(term)


def _datatype_matches(v: rdflib.Literal, rule: rdflib.URIRef) -> bool:
    """pyshacl's DatatypeConstraintComponent, term for term."""
    if v.datatype == rule:
        if getattr(v, "ill_typed", None) is True:
            return False
        value = v.value
        checks = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
                  XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime}
        return isinstance(value, checks[rule]) if rule in checks else True
    if rule == RDFS.Literal:
        return True
    if rule == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and rule == XSD.string:
        return isinstance(v.value, (str, bytes))
    if rule == RDF.langString and v.language:
        return isinstance(v.value, (str, bytes))
    return False


def _range_ok(v: rdflib.term.Node, bound: rdflib.Literal, minimum: bool) -> bool:
    """pyshacl's sh:minInclusive / sh:maxInclusive for one value."""
    if isinstance(v, rdflib.BNode) or not isinstance(v, rdflib.Literal):
        return False
    if isinstance(bound.value, str) != isinstance(v.value, str):
        return False
    try:
        cmp = compare_literal(v, bound)
    except (TypeError, NotImplementedError):
        return False
    return cmp >= 0 if minimum else cmp <= 0


def _lang_ok(v: ox.NamedNode | ox.BlankNode | ox.Literal, languages: set[str]) -> bool:
    """pyshacl's sh:languageIn for one value (read from the pyoxigraph term: converting every
    label to rdflib would cost more time and memory than the check)."""
    if not isinstance(v, ox.Literal) or not v.language:
        return False
    lang = v.language.lower()
    return "*" in languages or lang in languages or lang.split("-")[0] in languages


_NODE_KINDS = {sh.IRI: (ox.NamedNode,), sh.Literal: (ox.Literal,), sh.BlankNode: (ox.BlankNode,),
               sh.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode), sh.IRIOrLiteral: (ox.NamedNode, ox.Literal),
               sh.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal)}
_XSD_STRING, _RDF_LANGSTRING = ox.NamedNode(str(XSD.string)), ox.NamedNode(str(RDF.langString))


def _datatype_test(rule: rdflib.URIRef, py: Callable) -> Callable[[object], bool]:
    """A test for sh:datatype rule that agrees with _datatype_matches. Strings, the most
    common case, are told apart by their datatype alone (a string literal is never ill-typed);
    other datatypes go through rdflib, which knows which lexical forms are ill-typed."""
    if rule == XSD.string:
        return lambda v: isinstance(v, ox.Literal) and v.datatype == _XSD_STRING
    if rule == RDF.langString:
        return lambda v: isinstance(v, ox.Literal) and bool(v.language)
    return lambda v: isinstance(v, ox.Literal) and _datatype_matches(py(v), rule)


class Evaluator:
    """The shapes graph, compiled against one data store."""

    def __init__(self, shapes: rdflib.Graph, store: ox.Store, base: str, language: str = "en",
                 union: bool = False, targets_from_store: bool = False):
        self.sg, self.store, self.language, self.union = shapes, store, language, union
        # True when the index will not hold every statement (kgraph.validation.prefilter): subjects and
        # objects of target predicates are then read from the store
        self.targets_from_store = targets_from_store
        # Terms are shortened with the dataset's prefixes, as kgraph.validation.reference does.
        self.data = rdflib.Graph()
        for prefix, namespace in all_prefixes(base).items():
            self.data.bind(prefix, namespace, replace=True)
        self._instances: dict[rdflib.URIRef, set] = {}
        self._values: dict[rdflib.URIRef, dict] = {}
        self._supported: set = set()
        self._specs: dict = {}
        self._messages: dict = {}
        self._lists: dict = {}
        self._tests: dict = {}
        self._set_wise: dict = {}
        self._terms: dict = {}

    def spec(self, shape) -> dict:
        """shape's predicates and their objects, read from the shapes graph once (rdflib
        lookups per focus node would cost more than the validation itself)."""
        if shape not in self._specs:
            found: dict = defaultdict(list)
            for p, o in self.sg.predicate_objects(shape):
                found[p].append(o)
            self._specs[shape] = dict(found)
        return self._specs[shape]

    def items(self, node) -> list:
        if node not in self._lists:
            self._lists[node] = list(self.sg.items(node))
        return self._lists[node]

    # --- data access --------------------------------------------------------------------
    def select(self, query: str) -> Iterable[ox.QuerySolution]:
        return self.store.query(query, use_default_graph_as_union=self.union)

    def instances(self, cls: rdflib.URIRef) -> set:
        if cls not in self._instances:
            q = f"SELECT DISTINCT ?x WHERE {{ ?x a/<{RDFS.subClassOf}>* <{cls}> }}"
            self._instances[cls] = {s["x"] for s in self.select(q)}
        return self._instances[cls]

    def index(self, quads: Iterable[ox.Quad]) -> None:
        """The values of every predicate the shapes read, from the statements as parsed.

        Not from the store: Oxigraph stores numbers and dates by value, so "9.0"^^xsd:decimal
        would come back as "9", and pyshacl reports (and compares) the lexical form as written.
        """
        sg = self.sg
        wanted = {p for key in (sh.path, sh.targetSubjectsOf, sh.targetObjectsOf, sh.lessThanOrEquals)
                  for p in sg.objects(None, key) if isinstance(p, rdflib.URIRef)}
        tables = {ox.NamedNode(str(p)): defaultdict(dict) for p in wanted}
        for quad in quads:
            table = tables.get(quad.predicate)
            if table is not None:
                table[quad.subject][quad.object] = None  # a set that keeps the order of the input
        self._values = {rdflib.URIRef(p.value): {s: list(o) for s, o in t.items()} for p, t in tables.items()}

    def values(self, path: rdflib.URIRef) -> dict:
        return self._values[path]

    def subjects_of(self, p: rdflib.URIRef) -> Iterable:
        """The subjects of p: from the index, or with targets_from_store, from the store."""
        if self.targets_from_store:
            return (row[0] for row in self.select(f"SELECT DISTINCT ?s WHERE {{ ?s <{p}> ?o }}"))
        return self.values(p)

    def objects_of(self, p: rdflib.URIRef) -> Iterable:
        """The objects of p (from the store: as stored, which for literals may not be as written)."""
        if self.targets_from_store:
            return (row[0] for row in self.select(f"SELECT DISTINCT ?o WHERE {{ ?s <{p}> ?o }}"))
        return (o for objects in self.values(p).values() for o in objects)

    def prologue(self, node: rdflib.term.Node) -> str:
        lines = []
        for declared in self.sg.objects(node, sh.prefixes):
            for decl in self.sg.objects(declared, sh.declare):
                lines.append(f"PREFIX {self.sg.value(decl, sh.prefix)}: <{self.sg.value(decl, sh.namespace)}>")
        return "\n".join(lines) + "\n"

    # --- shapes -------------------------------------------------------------------------
    def focus_nodes(self, shape: rdflib.term.Node) -> list:
        found: dict = {}
        for cls in self.spec(shape).get(sh.targetClass, ()):
            found.update(dict.fromkeys(self.instances(cls)))
        for p in self.spec(shape).get(sh.targetSubjectsOf, ()):
            found.update(dict.fromkeys(self.subjects_of(p)))
        for p in self.spec(shape).get(sh.targetObjectsOf, ()):
            found.update(dict.fromkeys(self.objects_of(p)))
        for target in self.spec(shape).get(sh.target, ()):
            select = self.sg.value(target, sh.select)
            if select is None:
                raise Unsupported(f"target {target} is not a SPARQL target")
            for row in self.select(self.prologue(target) + str(select)):
                found[row["this"]] = None
        return list(found)

    def severity(self, shape: rdflib.term.Node) -> str:
        severity = self.spec(shape).get(sh.severity, [sh.Violation])[0]
        return str(severity).rsplit("#", 1)[-1]

    def message(self, shape, bound: Mapping[str, rdflib.term.Node] | None = None, constraint=None) -> str:
        """The message kgraph.validation.reference picks from the result pyshacl would make: the shape's
        messages, or for a SPARQL constraint those messages filled in (pyshacl then drops
        their language tags, which localised_message copes with)."""
        if bound is None:  # the same for every result of the shape: worked out once
            if shape not in self._messages:
                self._messages[shape] = self._message(shape, None, constraint)
            return self._messages[shape]
        return self._message(shape, bound, constraint)

    def _message(self, shape, bound, constraint) -> str:
        messages = list(self.spec(shape).get(sh.message, ()))
        if bound is not None:
            substituted = []
            for m in messages:
                text = str(m)
                for var, val in bound.items():
                    text = re.sub("{{[?$]{}}}".format(var), str(val), text)
                substituted.append(rdflib.Literal(text))
            messages = substituted
        found = localised_message(self.sg, (shape, constraint), messages, self.language)
        return found if found is not None else (str(messages[0]) if messages else "")

    def finding(self, shape, focus, path, value, bound=None, constraint=None) -> Finding:
        return Finding(
            severity=self.severity(shape),
            focus=str(focus) if isinstance(focus, rdflib.term.Node) else str(_py(focus)),
            path=short_term(path, self.data),
            value=short_term(value if value is None or isinstance(value, rdflib.term.Node) else _py(value), self.data),
            message=self.message(shape, bound, constraint),
            shape=short_term(shape, self.sg) or "",
        )

    def py(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
        """term as rdflib sees it (memoised: converting literals is the costly part)."""
        found = self._terms.get(term)
        if found is None:
            found = self._terms[term] = _py(term)
        return found

    def conforms(self, shape: rdflib.term.Node, value) -> bool:
        """Whether a value node conforms to a (nested, value-only) shape such as sh:or members."""
        self._check_supported(shape, nested=True)
        return all(test(value) for test in self.value_tests(shape))

    def value_tests(self, shape) -> list[Callable[[object], bool]]:
        """shape's constraints on single value nodes, each compiled once into a test that
        says whether a value passes (in the order pyshacl's components are listed)."""
        if shape not in self._tests:
            self._tests[shape] = list(self._compile(shape))
        return self._tests[shape]

    def _compile(self, shape) -> Iterator[Callable[[object], bool]]:
        spec, py = self.spec(shape), self.py
        for cls in spec.get(sh.class_, ()):
            members = self.instances(cls)
            yield lambda v, members=members: not isinstance(v, ox.Literal) and v in members
        for rule in spec.get(sh.datatype, ()):
            yield _datatype_test(rule, py)
        for kind in spec.get(sh.nodeKind, ()):
            allowed = _NODE_KINDS[kind]
            yield lambda v, allowed=allowed: isinstance(v, allowed)
        for pattern in spec.get(sh.pattern, ()):
            # pyshacl matches the lexical form of literals and the IRI of named nodes, which is
            # what pyoxigraph's .value gives for both
            search = re.compile(str(pattern)).search
            yield lambda v, search=search: not isinstance(v, ox.BlankNode) and search(v.value) is not None
        for members in spec.get(sh.in_, ()):
            allowed = set(self.items(members))
            yield lambda v, allowed=allowed: py(v) in allowed
        for langs in spec.get(sh.languageIn, ()):
            languages = {str(x).lower() for x in self.items(langs)}
            yield lambda v, languages=languages: _lang_ok(v, languages)
        for key, minimum in ((sh.minInclusive, True), (sh.maxInclusive, False)):
            for bound in spec.get(key, ()):
                yield lambda v, bound=bound, minimum=minimum: _range_ok(py(v), bound, minimum)
        for alternatives in spec.get(sh.or_, ()):
            members = list(self.items(alternatives))
            yield lambda v, members=members: any(self.conforms(m, v) for m in members)

    def check_values(self, shape, focus, values: list, path) -> list[Finding]:
        """Every constraint of shape on the value nodes of one focus node."""
        self._check_supported(shape, nested=False)
        out = [self.finding(shape, focus, path, v)
               for test in self.value_tests(shape) for v in values if not test(v)]
        if self._has_set_constraints(shape):
            out += self.check_focus(shape, focus, values, path)
        return out

    def _has_set_constraints(self, shape) -> bool:
        found = self._set_wise.get(shape)
        if found is None:
            spec = self.spec(shape)
            found = self._set_wise[shape] = any(
                key in spec for key in (sh.minCount, sh.maxCount, sh.uniqueLang, sh.qualifiedValueShape,
                                        sh.lessThanOrEquals))
        return found

    def _check_supported(self, shape, nested: bool) -> None:
        """Raise Unsupported for a feature not implemented here (once per shape)."""
        if (shape, nested) in self._supported:
            return
        for p in set(self.sg.predicates(shape)):
            if p not in sh.KNOWN:
                raise Unsupported(f"{shape}: {p} is not supported")
        whole_set = (sh.minCount, sh.maxCount, sh.qualifiedValueShape, sh.sparql, sh.uniqueLang, sh.lessThanOrEquals)
        if nested and any(self.sg.value(shape, p) is not None for p in whole_set):
            raise Unsupported(f"{shape}: a cardinality, pair or SPARQL constraint inside a nested shape")
        self._supported.add((shape, nested))

    def check_focus(self, shape, focus, values: list, path) -> list[Finding]:
        """The constraints on the value set as a whole: counts, languages, pairs."""
        out: list[Finding] = []
        spec = self.spec(shape)
        for n in spec.get(sh.minCount, ()):
            if len(values) < int(n):
                out.append(self.finding(shape, focus, path, None))
        for n in spec.get(sh.maxCount, ()):
            if len(values) > int(n):
                out.append(self.finding(shape, focus, path, None))
        if any(bool(x.toPython()) for x in spec.get(sh.uniqueLang, ())):
            seen: dict[str, int] = defaultdict(int)
            for v in values:
                if isinstance(v, ox.Literal) and v.language:
                    seen[v.language.lower()] += 1
            out += [self.finding(shape, focus, path, None) for n in seen.values() if n > 1]
        for qualified in spec.get(sh.qualifiedValueShape, ()):
            matching = sum(1 for v in values if self.conforms(qualified, v))
            high = spec.get(sh.qualifiedMaxCount, [None])[0]
            low = spec.get(sh.qualifiedMinCount, [None])[0]
            if high is not None and matching > int(high):
                out.append(self.finding(shape, focus, path, None))
            if low is not None and matching < int(low):
                out.append(self.finding(shape, focus, path, None))
        for other in spec.get(sh.lessThanOrEquals, ()):
            for v in values:
                for w in self.values(other).get(focus, ()):
                    a, b = self.py(v), self.py(w)
                    try:
                        ok = isinstance(a, rdflib.Literal) and isinstance(b, rdflib.Literal) and compare_literal(a, b) <= 0
                    except (TypeError, NotImplementedError):
                        ok = False
                    if not ok:
                        out.append(self.finding(shape, focus, path, v))
        return out

    def sparql_findings(self, shape, focus_nodes: list, path) -> list[Finding]:
        out: list[Finding] = []
        wanted = set(focus_nodes)
        for constraint in self.spec(shape).get(sh.sparql, ()):
            if self.sg.value(constraint, sh.message) is not None:
                raise Unsupported(f"{constraint}: messages on a SPARQL constraint")
            query = self.prologue(constraint) + str(self.sg.value(constraint, sh.select)).replace("$this", "?this")
            seen: set = set()
            solutions = self.select(query)
            variables = [v.value for v in solutions.variables]
            for row in solutions:
                this = row["this"]
                if this not in wanted:
                    continue
                names = [n for n in variables if row[n] is not None]
                extra = tuple((n, row[n]) for n in names if n not in ("this", "path", "value"))
                p, v = row["path"] if "path" in names else None, row["value"] if "value" in names else None
                key = (this, p, v, extra)
                if key in seen:  # pyshacl drops duplicate rows for a focus node
                    continue
                seen.add(key)
                value = v if v is not None else (this if path is None else None)
                bound = {name: _py(t) for name, t in extra}
                bound.update({k: _py(t) for k, t in (("this", this), ("path", p), ("value", value)) if t is not None})
                out.append(self.finding(shape, this, _py(p) if p is not None else path, value, bound, constraint))
        return out

    def node_shapes(self) -> list:
        """Every shape with a target, in a fixed order."""
        node_shapes = {s for s in self.sg.subjects(RDF.type, sh.NodeShape)}
        for p in (sh.targetClass, sh.targetSubjectsOf, sh.targetObjectsOf, sh.target):
            node_shapes |= set(self.sg.subjects(p, None))
        return sorted(node_shapes, key=str)

    def properties(self, shape) -> list[tuple]:
        """The property shapes of shape, each with its (predicate) path."""
        found = []
        for prop in self.spec(shape).get(sh.property, ()):
            path = self.sg.value(prop, sh.path)
            if not isinstance(path, rdflib.URIRef):
                raise Unsupported(f"{prop}: only predicate paths are supported")
            found.append((prop, path))
        return found

    def check_nodes(self, shape, focus_nodes: list) -> list[Finding]:
        """shape's own constraints on its focus nodes (not those of its property shapes)."""
        findings: list[Finding] = []
        if focus_nodes:
            self._check_supported(shape, nested=False)
        # most node shapes constrain only through their property shapes: then no focus node
        # needs a look here (at 1M triples that look cost 400k calls for nothing)
        if focus_nodes and (self.value_tests(shape) or self._has_set_constraints(shape)):
            for f in focus_nodes:
                findings += self.check_values(shape, f, [f], None)
        return findings + self.sparql_findings(shape, focus_nodes, None)

    def run(self, narrowing: "Narrowing | None" = None) -> list[Finding]:
        """Every finding of every shape with a target. Without narrowing, every focus node's
        values are checked, from the index; with it (kgraph.validation.prefilter), only the
        suspects it names, from the statements it gives for them."""
        findings: list[Finding] = []
        pending = []
        if narrowing:
            narrowing.expect(pair for shape in self.node_shapes() for pair in self.properties(shape))
        for shape in self.node_shapes():
            focus_nodes = self.focus_nodes(shape)
            if not focus_nodes:
                if narrowing:
                    narrowing.expect(self.properties(shape), uses=-1)
                continue
            if narrowing:
                narrowing.check_focus_nodes(focus_nodes)
            findings += self.check_nodes(shape, focus_nodes)
            focus = set(focus_nodes)
            for prop, path in self.properties(shape):
                findings += self.sparql_findings(prop, focus_nodes, path)
                checked = narrowing.suspects(prop, path, focus) if narrowing else focus_nodes
                pending.append((prop, path, checked))
        if narrowing:
            self.index(narrowing.statements_of(set().union(*(nodes for _, _, nodes in pending))))
        for prop, path, checked in pending:
            table = self.values(path)
            for f in checked:
                findings += self.check_values(prop, f, table.get(f, []), path)
        return findings


class Narrowing(Protocol):
    """What Evaluator.run asks of a prefilter (kgraph.validation.prefilter.Prefilter)."""

    def expect(self, shapes_and_paths: Iterable[tuple], uses: int = 1) -> None: ...

    def check_focus_nodes(self, focus_nodes: Iterable) -> None: ...

    def suspects(self, prop, path: rdflib.URIRef, focus: set) -> set: ...

    def statements_of(self, subjects: set) -> Iterable[ox.Quad]: ...


def store_of(quads: Iterable[ox.Quad]) -> ox.Store:
    """The union of the quads' graphs as the default graph of an in-memory store (a set of
    triples, like the rdflib graph pyshacl validates)."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    return store


def evaluate(store: ox.Store, statements: Iterable[ox.Quad], shapes: rdflib.Graph, base: str,
             language: str = "en", union: bool = False) -> list[Finding]:
    """The findings on the statements (also in store: as its default graph, or with union, in
    its named graphs, read as their union); the statements are read once, as written, for the
    values the shapes look at (the store gives normalised literals: "9.0" back as "9")."""
    evaluator = Evaluator(shapes, store, base, language, union)
    evaluator.index(statements)
    return evaluator.run()
