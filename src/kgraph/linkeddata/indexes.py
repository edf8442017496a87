"""The index of a URI category, sorted, filtered by kind and paged by the store.

The store does the work that grows with the data: it picks the members (through the class the
category's resources all have, a bounded scan of that class, never of every triple), sorts them
and cuts out one page (ORDER BY ... LIMIT/OFFSET), and counts them. Python then only reads the
labels, kinds, dates and link counts of that page's rows (VALUES blocks of at most `size` IRIs).

Sorts: label (the page's language, else Dutch), date (events: their date; activities: their first
event, else their start year), number (report sections: kg:sectionNumber, the report's order; the
default for sections), count (resources linked to or from it, most first).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kgraph.linkeddata.common import Context, show_date
from kgraph.linkeddata.iris import local_name
from kgraph.linkeddata.models import IndexItem, Link
from kgraph.linkeddata.vocab import pick
from kgraph.namespaces import CATEGORIES
from kgraph.namespaces import STANDARD_PREFIXES as NS

SORTS = ("label", "date", "number", "count")
PAGE_SIZE = 100
MAX_PAGE_SIZE = 500

# The class every resource of a category has (types are materialised by the build).
CATEGORY_CLASS: dict[str, str] = {
    "organisatie": NS["org"] + "Organization",
    "activiteit": NS["prov"] + "Activity",
    "evenement": NS["schema"] + "Event",
    "document": NS["foaf"] + "Document",
    "persoon": NS["foaf"] + "Person",
    "plaats": NS["schema"] + "Place",
    "thema": NS["skos"] + "Concept",
    "rol": NS["skos"] + "Concept",
    "sectie": "{kg}ReportSection",
    "conceptschema": NS["skos"] + "ConceptScheme",
}

MEMBERS = """{{ SELECT DISTINCT ?s WHERE {{ ?s a {cls} . {kind} FILTER(STRSTARTS(STR(?s), "{prefix}")) }} }}"""

SORT_KEYS = {
    "label": """
  OPTIONAL {{ ?s rdfs:label ?chosen FILTER(LANG(?chosen) = "{lang}") }}
  OPTIONAL {{ ?s rdfs:label ?dutch FILTER(LANG(?dutch) = "nl") }}
  BIND(LCASE(COALESCE(?chosen, ?dutch, STR(?s))) AS ?key)""",
    "event-date": """
  OPTIONAL {{ ?s schema:startDate ?key }}""",
    "date": """
  OPTIONAL {{ ?s schema:startDate ?own }}
  OPTIONAL {{ SELECT ?s (MIN(?d) AS ?first) WHERE {{ ?e kg:eventOf ?s ; schema:startDate ?d }} GROUP BY ?s }}
  OPTIONAL {{ ?s kg:startYear ?year }}
  BIND(COALESCE(STR(?own), STR(?first), STR(?year)) AS ?key)""",
    "number": """
  OPTIONAL {{ ?s kg:sectionNumber ?key }}""",
    "count": """
  OPTIONAL {{ SELECT ?s (COUNT(DISTINCT ?x) AS ?key) WHERE {{
    {members}
    {{ ?s ?p1 ?x }} UNION {{ ?x ?p1 ?s }}
    UNION {{ ?s ?p1 ?b . FILTER(isBlank(?b)) ?b ?p2 ?x }}
    UNION {{ ?b ?p1 ?s . FILTER(isBlank(?b)) ?x ?p2 ?b }}
    FILTER(isIRI(?x) && ?x != ?s && STRSTARTS(STR(?x), "{space}"))
  }} GROUP BY ?s }}""",
}
ORDER = {"label": "?key ?s", "date": "(!BOUND(?key)) ?key ?s", "event-date": "(!BOUND(?key)) ?key ?s", "number": "(!BOUND(?key)) ?key ?s",
         "count": "DESC(COALESCE(?key, 0)) ?s"}

PAGE = """SELECT ?s ?key WHERE {{
  {members}
  {sort_key}
}} ORDER BY {order} LIMIT {limit} OFFSET {offset}"""
ORDERED = """SELECT ?s WHERE {{
  {members}
  {sort_key}
}} ORDER BY {order}"""
# A category index's whole order is kept with the facts (per data version) up to this many members:
# then every page after the first is a slice, not a sort of the whole category again (at 1M triples
# a page of organisations by link count took 1.9 s, of events by date 0.85 s; 80 bytes an IRI).
ORDER_KEPT_UP_TO = 250_000

TOTAL = """SELECT (COUNT(?s) AS ?n) WHERE {{ {members} }}"""

# The vocabulary's own classes first (a few dozen), then their members: joined the other way round,
# Oxigraph reads every type statement of every member (1.3 s against 0.4 s for 4,551 events at 100k).
KINDS = """SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?kind rdfs:isDefinedBy <{ontology}> . ?s a ?kind . ?s a {cls} . FILTER(STRSTARTS(STR(?s), "{prefix}"))
}} GROUP BY ?kind"""

ROW_LABELS = "SELECT ?s ?l WHERE {{ VALUES ?s {{ {iris} }} ?s rdfs:label ?l }}"
ROW_KINDS = 'SELECT ?s ?kind WHERE {{ VALUES ?s {{ {iris} }} ?s a ?kind FILTER(STRSTARTS(STR(?kind), "{vocab}")) }}'
ROW_DATES = """SELECT ?s ?start ?end ?first ?last ?fromYear ?toYear WHERE {{
  VALUES ?s {{ {iris} }}
  OPTIONAL {{ ?s schema:startDate ?start }} OPTIONAL {{ ?s schema:endDate ?end }}
  OPTIONAL {{ SELECT ?s (MIN(?d) AS ?first) (MAX(COALESCE(?e2, ?d)) AS ?last) WHERE {{
    VALUES ?s {{ {iris} }} ?ev kg:eventOf ?s ; schema:startDate ?d . OPTIONAL {{ ?ev schema:endDate ?e2 }} }} GROUP BY ?s }}
  OPTIONAL {{ ?s kg:startYear ?fromYear }} OPTIONAL {{ ?s kg:endYear ?toYear }}
}}"""
ROW_COUNTS = """SELECT ?s (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  VALUES ?s {{ {iris} }}
  {{ ?s ?p1 ?x }} UNION {{ ?x ?p1 ?s }}
  UNION {{ ?s ?p1 ?b . FILTER(isBlank(?b)) ?b ?p2 ?x }}
  UNION {{ ?b ?p1 ?s . FILTER(isBlank(?b)) ?x ?p2 ?b }}
  FILTER(isIRI(?x) && ?x != ?s && STRSTARTS(STR(?x), "{space}"))
}} GROUP BY ?s"""


@dataclass
class KindOption:
    """A kind to filter an index by, with how many members have it."""

    iri: str
    label: str
    count: int


@dataclass
class PagedIndex:
    """One page of a category's index, and what the page needs to link to the others."""

    category: str
    title: str
    lang: str
    sort: str
    items: list[IndexItem]
    total: int
    page: int
    pages: int
    size: int
    kind: str | None = None  # the kind filtered on (its IRI)
    kinds: list[KindOption] = field(default_factory=list)
    dates_are_periods: bool = False


def default_sort(category: str) -> str:
    """Sections in the report's order; everything else by name."""
    return "number" if category == "sectie" else "label"


def _members(ctx: Context, category: str, kind: str | None) -> str:
    cls = CATEGORY_CLASS.get(category)
    pattern = f"<{cls.format(kg=ctx.kg)}>" if cls else "?anyType"
    kind_pattern = f"?s a <{kind}> ." if kind else ""
    return MEMBERS.format(cls=pattern, kind=kind_pattern, prefix=f"{ctx.base}id/{category}/")


def _values(iris: list[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _shown_period(row: dict, lang: str) -> tuple[str | None, str | None]:
    """(ISO key, text) of a row's date: a date, a period of dates, or a period of years."""
    start = row.get("start") or row.get("first")
    end = row.get("end") or row.get("last")
    if start:
        text = show_date(start, lang)
        if end and end != start:
            text = f"{text} – {show_date(end, lang)}"
        return start, text
    year, until = row.get("fromYear"), row.get("toYear")
    if year:
        return year, f"{year} – {until}" if until and until != year else (f"{year} –" if not until else year)
    return None, None


def paged_index(ctx: Context, category: str, lang: str, titles: tuple[str, str], sort: str | None = None,
                kind: str | None = None, page: int = 1, size: int = PAGE_SIZE,
                facts: dict | None = None) -> PagedIndex | None:
    """One page of the index of a URI category; None for an unknown category.

    `facts`, when given, keeps what does not depend on the page (the kinds and their counts, the
    totals, the whole order of a category of at most ORDER_KEPT_UP_TO members) between calls: the
    caller holds one per data version (they change only with the data).
    """
    if category not in CATEGORIES:
        return None
    sort = sort if sort in SORTS else default_sort(category)
    size = max(1, min(size, MAX_PAGE_SIZE))
    prologue = ctx.prologue()
    keep_facts = facts is not None
    facts = {} if facts is None else facts
    cls = CATEGORY_CLASS.get(category)
    if ("kinds", category) not in facts:
        found = ctx.source.select(prologue + KINDS.format(
            ontology=ctx.kg.rstrip("#"), cls=f"<{cls.format(kg=ctx.kg)}>" if cls else "?anyType",
            prefix=f"{ctx.base}id/{category}/"))
        facts[("kinds", category)] = [(r["kind"].value, int(r["n"].value)) for r in found]
    kinds = [KindOption(iri, ctx.vocab.label(iri, lang), n) for iri, n in facts[("kinds", category)]]
    everyone = {k.iri for k in kinds if k.count == max((k.count for k in kinds), default=0)}
    # A kind every member has (kg:Activity on activities) says nothing: neither a filter nor a column.
    kinds = sorted((k for k in kinds if k.iri not in everyone or len(kinds) == 1), key=lambda k: k.label.casefold())
    if kind and kind not in {k.iri for k in kinds}:
        kind = None
    members = _members(ctx, category, kind)
    if ("total", category, kind) not in facts:
        total_rows = ctx.source.select(prologue + TOTAL.format(members=members))
        facts[("total", category, kind)] = int(total_rows[0]["n"].value) if total_rows else 0
    total = facts[("total", category, kind)]
    pages = max(1, -(-total // size))
    page = max(1, min(page, pages))
    key = "event-date" if sort == "date" and category == "evenement" else sort
    sort_key = SORT_KEYS[key].format(lang=lang, members=members, space=f"{ctx.base}id/")
    kept = ("order", category, kind, key, lang)
    if kept not in facts and keep_facts and total <= ORDER_KEPT_UP_TO:
        ordered = ctx.source.select(prologue + ORDERED.format(members=members, sort_key=sort_key, order=ORDER[key]))
        facts[kept] = list(dict.fromkeys(r["s"].value for r in ordered))
    if kept in facts:
        iris = facts[kept][(page - 1) * size:page * size]
    else:
        rows = ctx.source.select(prologue + PAGE.format(
            members=members, sort_key=sort_key, order=ORDER[key], limit=size, offset=(page - 1) * size))
        iris = list(dict.fromkeys(r["s"].value for r in rows))
    items = _rows(ctx, category, lang, iris, everyone) if iris else []
    return PagedIndex(category, titles[1] if lang == "en" else titles[0], lang, sort, items, total, page, pages,
                      size, kind, kinds, dates_are_periods=category == "activiteit")


def _rows(ctx: Context, category: str, lang: str, iris: list[str], obvious: set[str]) -> list[IndexItem]:
    prologue = ctx.prologue()
    values = _values(iris)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for r in ctx.source.select(prologue + ROW_LABELS.format(iris=values)):
        labels[r["s"].value][r["l"].language or ""] = r["l"].value
    kinds: dict[str, set[str]] = defaultdict(set)
    for r in ctx.source.select(prologue + ROW_KINDS.format(iris=values, vocab=ctx.kg)):
        if r["kind"].value not in obvious:
            kinds[r["s"].value].add(ctx.vocab.label(r["kind"].value, lang))
    dates: dict[str, dict[str, str]] = defaultdict(dict)
    for r in ctx.source.select(prologue + ROW_DATES.format(iris=values)):
        for name in ("start", "end", "first", "last", "fromYear", "toYear"):
            if name in r:
                dates[r["s"].value].setdefault(name, r[name].value)
    space = f"{ctx.base}id/"
    counts = {r["s"].value: int(r["n"].value) for r in ctx.source.select(prologue + ROW_COUNTS.format(iris=values, space=space))}
    items = []
    for iri in iris:
        date, shown = _shown_period(dates.get(iri, {}), lang)
        items.append(IndexItem(
            link=Link(iri, pick(labels.get(iri), lang) or local_name(iri), category),
            kind=", ".join(sorted(kinds[iri])) or None,
            count=counts.get(iri, 0),
            date=date,
            shown_date=shown,
        ))
    return items
