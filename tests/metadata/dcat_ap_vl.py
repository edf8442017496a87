"""The official DCAT-AP Vlaanderen 3.0 shapes, normalised in memory for pyshacl (the file itself
is never edited; ../shared/standards/dcat-ap-vl-3.0/README.md describes it).

As published, the file cannot be used by a SHACL processor as is, for two reasons:
- cardinalities are written as strings: `sh:minCount "1"`, `sh:maxCount "1"`, and `sh:maxCount
  "n"` (also `"n"^^xsd:integer`) for "unbounded". SHACL requires xsd:integer, and pyshacl refuses
  to load the shapes at all (ConstraintLoadError). "1" becomes 1; "n" (no upper bound) is no
  sh:maxCount at all, which is what SHACL means by unbounded.
- URL properties (dcat:endpointURL, dcat:accessURL, dcat:landingPage, ...) say `sh:class
  rdfs:Resource`. Under RDF semantics every IRI denotes an rdfs:Resource, but SHACL checks
  sh:class against rdf:type triples in the data, without inference, so every URL would be a
  violation unless the data typed each web page rdfs:Resource. What the profile means is "a
  resource, not a literal": the constraint becomes `sh:nodeKind sh:IRI`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import rdflib
from rdflib import RDFS, XSD, Literal

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
VL_FILE = Path("standards/dcat-ap-vl-3.0/DCAT-AP-VL-SHACL.ttl")


def read_published(shared_dir: Path) -> rdflib.Graph:
    """The file as published (rdflib logs every "n"^^xsd:integer it cannot convert: silenced)."""
    term_log = logging.getLogger("rdflib.term")
    level = term_log.level
    term_log.setLevel(logging.CRITICAL)
    try:
        return rdflib.Graph().parse(shared_dir / VL_FILE, format="turtle")
    finally:
        term_log.setLevel(level)


def cast_cardinalities(shapes: rdflib.Graph) -> rdflib.Graph:
    """Cardinalities as xsd:integer, "n" (unbounded) dropped; in place, returned for chaining."""
    for predicate in (SH.minCount, SH.maxCount):
        for subject, value in list(shapes.subject_objects(predicate)):
            shapes.remove((subject, predicate, value))
            if str(value) != "n":
                shapes.add((subject, predicate, Literal(int(str(value)), datatype=XSD.integer)))
    return shapes


def urls_as_iris(shapes: rdflib.Graph) -> rdflib.Graph:
    """`sh:class rdfs:Resource` as `sh:nodeKind sh:IRI`; in place, returned for chaining."""
    for subject in list(shapes.subjects(SH["class"], RDFS.Resource)):
        shapes.remove((subject, SH["class"], RDFS.Resource))
        shapes.add((subject, SH.nodeKind, SH.IRI))
    return shapes


def normalised(shared_dir: Path) -> rdflib.Graph:
    """The DCAT-AP VL 3.0 shapes, read from the published file and normalised in memory."""
    return urls_as_iris(cast_cardinalities(read_published(shared_dir)))
