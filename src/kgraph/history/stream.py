"""The event stream's documents as RDF (no HTTP): the stream, its view, the time-fragmented
pages, single versions and the change log of a release. `root` is the service's root URL: the
stream and its pages live there; version IRIs are the dataset's own (kgraph.history.terms).

    {root}ldes                    ldes:EventStream, tree:view {root}ldes/view
    {root}ldes/view               the view: per release, a page bounded by
                                  tree:GreaterThanOrEqualToRelation / tree:LessThanRelation on
                                  prov:generatedAtTime (the release's time and the next one's)
    {root}ldes/{stamp}/{n}        page n of a release: at most PAGE_MEMBERS members; page 0
                                  links the release's further pages
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kgraph.history import terms
from kgraph.history.index import HistoryIndex, Member, Release
from kgraph.provenance import LICENCE

PAGE_MEMBERS = 100  # members per page: pages stay small (tens of kilobytes) whatever the release

RDF_TYPE = ox.NamedNode(terms.RDF_TYPE)
TREE = {name: ox.NamedNode(f"{terms.TREE}{name}") for name in (
    "Node", "Relation", "GreaterThanOrEqualToRelation", "LessThanRelation", "ViewDescription",
    "view", "member", "relation", "node", "path", "value", "viewDescription", "remainingItems")}
LDES = {name: ox.NamedNode(f"{terms.LDES}{name}") for name in (
    "EventStream", "timestampPath", "versionOfPath", "versionDeleteObject", "retentionPolicy",
    "PointInTimePolicy", "pointInTime")}
DCT = {name: ox.NamedNode(f"{terms.DCTERMS}{name}") for name in (
    "license", "modified", "issued", "title", "description", "conformsTo", "isPartOf")}
GENERATED_AT = ox.NamedNode(terms.GENERATED_AT)
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
XSD_DATETIME = ox.NamedNode(f"{terms.XSD}dateTime")
XSD_INTEGER = ox.NamedNode(f"{terms.XSD}integer")
RETENTION = ("Every version since the first release is kept: no member is ever removed from the "
             "stream, and the members of a release never change once it is published.")


def stream_iri(root: str) -> str:
    return f"{root}ldes"


def view_iri(root: str) -> str:
    return f"{root}ldes/view"


def page_iri(root: str, stamp: str, number: int) -> str:
    return f"{root}ldes/{stamp}/{number}"


def page_count(release: Release) -> int:
    """How many pages a release's members take (at least one, so every release has a page)."""
    return max(1, -(-release.members // PAGE_MEMBERS))


def _time(stamp: str) -> ox.Literal:
    return ox.Literal(terms.xsd_datetime(stamp), datatype=XSD_DATETIME)


@dataclass
class _Quads:
    quads: list[ox.Quad]

    def add(self, s, p, o) -> None:
        self.quads.append(ox.Quad(s, p, o, ox.DefaultGraph()))


def _stream_description(out: _Quads, root: str, releases: list[Release]) -> None:
    stream = ox.NamedNode(stream_iri(root))
    out.add(stream, RDF_TYPE, LDES["EventStream"])
    out.add(stream, LDES["timestampPath"], GENERATED_AT)
    out.add(stream, LDES["versionOfPath"], ox.NamedNode(terms.IS_VERSION_OF))
    out.add(stream, LDES["versionDeleteObject"], ox.NamedNode(terms.AS_DELETE))
    out.add(stream, DCT["license"], ox.NamedNode(LICENCE))
    out.add(stream, DCT["conformsTo"], ox.NamedNode(terms.LDES_SPECIFICATION))
    out.add(stream, DCT["title"], ox.Literal("kgraph: every release as versions of its resources", language="en"))
    if releases:
        out.add(stream, DCT["issued"], _time(releases[0].stamp))
        out.add(stream, DCT["modified"], _time(releases[-1].stamp))
    out.add(stream, TREE["view"], ox.NamedNode(view_iri(root)))


def event_stream(root: str, index: HistoryIndex) -> list[ox.Quad]:
    """GET /ldes: the stream, its paths, licence, dates and its view."""
    out = _Quads([])
    _stream_description(out, root, index.releases())
    return out.quads


def view(root: str, index: HistoryIndex) -> list[ox.Quad]:
    """GET /ldes/view: the view's root node, one time-bounded relation pair per release."""
    releases = index.releases()
    out = _Quads([])
    _stream_description(out, root, releases)
    node = ox.NamedNode(view_iri(root))
    out.add(node, RDF_TYPE, TREE["Node"])
    out.add(node, DCT["license"], ox.NamedNode(LICENCE))
    description = ox.NamedNode(f"{view_iri(root)}#description")
    policy = ox.NamedNode(f"{view_iri(root)}#retention")
    out.add(node, TREE["viewDescription"], description)
    out.add(description, RDF_TYPE, TREE["ViewDescription"])
    out.add(description, LDES["retentionPolicy"], policy)
    out.add(policy, RDF_TYPE, LDES["PointInTimePolicy"])
    if releases:
        out.add(policy, LDES["pointInTime"], _time(releases[0].stamp))
    out.add(policy, RDFS_COMMENT, ox.Literal(RETENTION, language="en"))
    for number, release in enumerate(releases):
        bounds = [("GreaterThanOrEqualToRelation", release.stamp)]
        if number + 1 < len(releases):
            bounds.append(("LessThanRelation", releases[number + 1].stamp))
        for kind, stamp in bounds:
            relation = ox.BlankNode(f"r{number}{'ge' if kind.startswith('Greater') else 'lt'}")
            out.add(node, TREE["relation"], relation)
            out.add(relation, RDF_TYPE, TREE[kind])
            out.add(relation, TREE["path"], GENERATED_AT)
            out.add(relation, TREE["value"], _time(stamp))
            out.add(relation, TREE["node"], ox.NamedNode(page_iri(root, release.stamp, 0)))
            out.add(relation, TREE["remainingItems"], ox.Literal(str(release.members), datatype=XSD_INTEGER))
    return out.quads


def page(root: str, index: HistoryIndex, release: Release, number: int) -> list[ox.Quad] | None:
    """GET /ldes/{stamp}/{n}: the page's members (each version in its named graph), None if the
    release has no such page."""
    if not 0 <= number < page_count(release):
        return None
    out = _Quads([])
    node, stream = ox.NamedNode(page_iri(root, release.stamp, number)), ox.NamedNode(stream_iri(root))
    out.add(node, RDF_TYPE, TREE["Node"])
    out.add(node, DCT["license"], ox.NamedNode(LICENCE))
    out.add(node, GENERATED_AT, _time(release.stamp))
    out.add(node, DCT["isPartOf"], ox.NamedNode(view_iri(root)))
    if number == 0:
        for other in range(1, page_count(release)):
            relation = ox.BlankNode(f"p{other}")
            out.add(node, TREE["relation"], relation)
            out.add(relation, RDF_TYPE, TREE["Relation"])
            out.add(relation, TREE["node"], ox.NamedNode(page_iri(root, release.stamp, other)))
    members = index.members(release.stamp, number * PAGE_MEMBERS, PAGE_MEMBERS)
    for member in members:
        out.add(stream, TREE["member"], ox.NamedNode(member.version))
    out.quads.extend(_in_default_graph(ox.parse(index.blocks(members), format=ox.RdfFormat.N_QUADS)))
    return out.quads


def _in_default_graph(quads) -> list[ox.Quad]:
    # The log keeps each version in its named graph (for SPARQL); the pages give the members in
    # the default graph, where LDES clients look for a member's description (by CBD).
    return [ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads]


def version_quads(index: HistoryIndex, member: Member) -> list[ox.Quad]:
    """One member's statements (in the default graph, as on the stream's pages)."""
    return _in_default_graph(ox.parse(index.block(member), format=ox.RdfFormat.N_QUADS))


def version_triples(index: HistoryIndex, member: Member) -> set[str]:
    """What a version said of the resource, as N-Triples lines with the version IRI read as the
    resource, without the version's own terms (a deletion says nothing)."""
    if member.kind == terms.DELETED:
        return set()
    version, resource = f"<{member.version}>", f"<{member.resource}>"
    own = (f"<{terms.IS_VERSION_OF}>", f"<{terms.GENERATED_AT}>")
    said = set()
    for quad in version_quads(index, member):
        subject = str(quad.subject)
        if subject == version and str(quad.predicate) in own:
            continue
        said.add(f"{resource if subject == version else subject} {quad.predicate} {quad.object} .")
    return said


def change_of(index: HistoryIndex, member: Member) -> tuple[list[str], list[str]]:
    """The statements a version added and removed, against the resource's version before it."""
    versions = index.versions_of(member.resource)
    earlier = [m for m in versions if m.stamp < member.stamp]
    before = version_triples(index, earlier[-1]) if earlier else set()
    now = version_triples(index, member)
    return sorted(now - before), sorted(before - now)


def serialise(quads: list[ox.Quad], format_name: str, prefixes: dict[str, str]) -> bytes:
    """Quads in an RDF format; for a triple format the named graphs are merged into one."""
    fmt = getattr(ox.RdfFormat, format_name)
    if not fmt.supports_datasets:
        quads = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    options = {"prefixes": prefixes} if format_name in ("TURTLE", "TRIG", "JSON_LD") else {}
    return ox.serialize(quads, format=fmt, **options)

