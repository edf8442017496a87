"""Page models: plain dataclasses the templates render (no Flask, no pyoxigraph terms inside).

IRIs stay canonical ({base}…) here; the web layer maps them to the serving host when it renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    """A resource to link to, by its label. `category` is set for resources of the dataset."""

    iri: str
    label: str
    category: str | None = None


@dataclass
class Value:
    """One value of a property: a literal's text, a link, or a blank node's own fields."""

    text: str | None = None
    link: Link | None = None
    lang: str | None = None
    parts: list[Field] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # the tags a text is given in (shown beside it)


@dataclass
class Field:
    """A property (by its label) and its values."""

    property: Link
    values: list[Value]


@dataclass
class Group:
    """Properties shown together under one heading."""

    key: str
    title: str
    fields: list[Field]


@dataclass
class Involvement:
    """An activity a resource (an organisation, a person) took part in, with its roles there."""

    activity: Link
    roles: list[Link] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Participation:
    """An organisation (or person) in an activity: its roles and what the report says it did."""

    agent: Link
    roles: list[Link] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class IncomingGroup:
    """Resources linking to this one through one property."""

    property: Link
    subjects: list[Link]


@dataclass
class TimelineEntry:
    """An event on a timeline."""

    date: str  # ISO date, for sorting and <time datetime>
    shown: str  # the date as people read it, in the page's language
    event: Link
    end: str | None = None
    activity: Link | None = None
    place: Link | None = None


@dataclass
class DocumentEntry:
    """A document (PDF or web page) with the address it is published at."""

    document: Link
    url: str | None = None
    format: str | None = None
    about: Link | None = None


@dataclass
class ResourcePage:
    """Everything the page of one resource shows."""

    iri: str
    doc_iri: str
    category: str
    ref: str
    lang: str
    label: str
    types: list[Link]
    description: str | None
    groups: list[Group]
    involvements: list[Involvement]
    incoming: list[IncomingGroup]
    documents: list[DocumentEntry]
    timeline: list[TimelineEntry]
    url: str | None  # for a document: where it is published
    query: str  # the SPARQL query that produced the /doc/ graph
    triples: int
    is_organisation: bool = False
    description_lang: str | None = None  # the description's language tag (it may differ from the page's)
    participants: list[Participation] = field(default_factory=list)  # an activity's, with roles
    sources: list[Link] = field(default_factory=list)  # the report sections it comes from
    modified: str | None = None  # the dataset's modification date (ISO), for citing
    dutch_only: bool = False  # the page (in English) shows text that exists only in Dutch
    through_networks: list = field(default_factory=list)  # kgraph.linkeddata.memberships.ThroughNetwork (issue 15)


@dataclass
class IndexItem:
    """One row of a category index."""

    link: Link
    kind: str | None  # the most specific type's label
    count: int  # resources of the dataset linked to or from it
    date: str | None  # ISO date (events: start; activities: first event) or year
    shown_date: str | None = None


@dataclass
class CategoryIndex:
    """All resources of one URI category."""

    category: str
    title: str
    lang: str
    sort: str
    items: list[IndexItem]


@dataclass
class CategoryCount:
    """How many resources a category holds."""

    category: str
    title: str
    count: int


@dataclass
class TimelineMonth:
    """The events of one month."""

    key: str  # YYYY-MM
    title: str
    entries: list[TimelineEntry]


@dataclass
class HomePage:
    """The dataset: what it is, counts, the timeline."""

    lang: str
    title: str
    description: str | None
    modified: str | None
    version: str | None
    triples: int
    counts: list[CategoryCount]
    months: list[TimelineMonth]
    report: Link | None = None


@dataclass
class SearchHit:
    """A resource found by its label."""

    link: Link
    matched: str  # the label (or alternative label) that matched
    kind: str | None = None
    matched_is_ref: bool = False  # the reference (slug) matched: not worth showing


@dataclass
class SearchPage:
    """The answer to a label search."""

    lang: str
    query: str
    hits: list[SearchHit]


@dataclass
class GraphNode:
    """A node of the relationship view."""

    iri: str
    label: str
    category: str | None
    center: bool = False


@dataclass
class GraphEdge:
    """An organisation's part in an activity, with its roles."""

    source: str  # organisation IRI
    target: str  # activity IRI
    roles: list[str]


@dataclass
class RelationGraph:
    """Around one organisation: its activities and the organisations it worked with there."""

    center: Link
    lang: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
