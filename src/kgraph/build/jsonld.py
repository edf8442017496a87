"""A streaming, compacted JSON-LD writer for the dumps.

pyoxigraph writes expanded JSON-LD only, and rdflib's compacting serialiser builds the whole
document in memory (about 50 s and gigabytes at a million triples). The dump needs no general
compaction algorithm: its context is fixed (prefixes, plus `id`, `type` and a language map
`label`), and its input is sorted, so every subject's statements come together. This writer
emits one node object per subject as it goes, with IRIs shortened by the longest matching
prefix. tests/build/test_build.py parses the result back with rdflib and compares it with the
N-Triples dump, triple for triple.
"""

from __future__ import annotations

import json
from typing import BinaryIO, Iterable, Iterator

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# A compact IRI whose suffix starts with "//" would read as an absolute IRI (JSON-LD 1.1, 4.1.5).
_NOT_A_SUFFIX = "//"


def context(prefixes: dict[str, str]) -> dict:
    """The dump's @context: the prefixes, plus short names for identifiers, types and labels."""
    found: dict = dict(sorted(prefixes.items()))
    found["label"] = {"@id": RDFS_LABEL, "@container": "@language"}
    found["type"] = "@type"
    found["id"] = "@id"
    return found


class Compactor:
    """IRIs to compact IRIs (prefix:suffix) against a fixed set of prefixes, memoised."""

    def __init__(self, prefixes: dict[str, str]):
        # Longest namespace first, so that the most specific prefix wins.
        self._by_length = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self._schemes = set(prefixes)
        self._memo: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        """The shortest compact form of iri, or iri itself when no prefix fits."""
        found = self._memo.get(iri)
        if found is None:
            found = self._compact(iri)
            if len(self._memo) < 1_000_000:  # namespaces and classes repeat; instance IRIs rarely
                self._memo[iri] = found
        return found

    def _compact(self, iri: str) -> str:
        for name, namespace in self._by_length:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                suffix = iri[len(namespace):]
                if not suffix.startswith(_NOT_A_SUFFIX):
                    return f"{name}:{suffix}"
        if iri.split(":", 1)[0] in self._schemes:
            # A prefix named like this IRI's scheme would make a reader expand it wrongly.
            raise ValueError(f"cannot write {iri} in JSON-LD: a prefix is named like its scheme")
        return iri


def _node_id(term: ox.NamedNode | ox.BlankNode, compact: Compactor) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact.iri(term.value)


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal, compact: Compactor):
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": compact.iri(datatype)}
    return {"@id": _node_id(term, compact)}


def _node(subject, statements: list[ox.Triple], compact: Compactor) -> dict:
    """One node object: its id, its types, its language-tagged labels, then other properties."""
    node: dict = {"id": _node_id(subject, compact)}
    types: list[str] = []
    labels: dict[str, list[str]] = {}
    properties: dict[str, list] = {}
    for triple in statements:
        predicate, obj = triple.predicate.value, triple.object
        if predicate == RDF_TYPE and isinstance(obj, ox.NamedNode):
            types.append(compact.iri(obj.value))
        elif predicate == RDFS_LABEL and isinstance(obj, ox.Literal) and obj.language:
            labels.setdefault(obj.language, []).append(obj.value)
        else:
            properties.setdefault(compact.iri(predicate), []).append(_value(obj, compact))
    if types:
        node["type"] = types[0] if len(types) == 1 else types
    if labels:
        node["label"] = {lang: texts[0] if len(texts) == 1 else texts for lang, texts in labels.items()}
    for key, values in properties.items():
        node[key] = values[0] if len(values) == 1 else values
    return node


def _by_subject(triples: Iterable[ox.Triple]) -> Iterator[tuple[object, list[ox.Triple]]]:
    subject, group = None, []
    for triple in triples:
        if triple.subject != subject:
            if group:
                yield subject, group
            subject, group = triple.subject, []
        group.append(triple)
    if group:
        yield subject, group


def write(triples: Iterable[ox.Triple], prefixes: dict[str, str], out: BinaryIO) -> None:
    """Write the triples as one JSON-LD document with a @graph of node objects, one per line.

    Triples of one subject must come together (sorted input does that); a subject that came
    back later would be written as a second node object, which JSON-LD merges on reading.
    """
    compact = Compactor(prefixes)
    encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    out.write(b'{\n  "@context": ')
    out.write(json.dumps(context(prefixes), indent=4, ensure_ascii=False).replace("\n", "\n  ").encode("utf-8"))
    out.write(b',\n  "@graph": [')
    separator = b"\n    "
    for subject, statements in _by_subject(triples):
        out.write(separator)
        out.write(encode(_node(subject, statements, compact)).encode("utf-8"))
        separator = b",\n    "
    out.write(b"\n  ]\n}\n")
