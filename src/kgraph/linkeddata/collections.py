"""Page models over many resources: the home page, the index of a category, the label search."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kgraph.linkeddata.common import Context, month_title, show_date
from kgraph.linkeddata.iris import local_name, normalise, ref_of
from kgraph.linkeddata.models import (
    CategoryCount,
    CategoryIndex,
    HomePage,
    IndexItem,
    Link,
    SearchHit,
    SearchPage,
    TimelineEntry,
    TimelineMonth,
)
from kgraph.linkeddata.vocab import pick
from kgraph.namespaces import CATEGORIES
from kgraph.provenance import dataset_iri

# Category -> (nl, en) headings. The order is the order on the home page.
CATEGORY_TITLES: dict[str, tuple[str, str]] = {
    "organisatie": ("Organisaties", "Organisations"),
    "activiteit": ("Activiteiten", "Activities"),
    "evenement": ("Evenementen", "Events"),
    "document": ("Documenten", "Documents"),
    "persoon": ("Personen", "People"),
    "plaats": ("Plaatsen", "Places"),
    "thema": ("Thema's", "Themes"),
    "rol": ("Rollen", "Roles"),
    "sectie": ("Secties van het verslag", "Report sections"),
    "conceptschema": ("Begrippenlijsten", "Concept schemes"),
    "dataset": ("Datasets", "Datasets"),
}
SORTS = ("label", "count", "date")


def category_title(category: str, lang: str) -> str:
    nl, en = CATEGORY_TITLES.get(category, (category, category))
    return en if lang == "en" else nl


MEMBERS = """
SELECT ?s ?label WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{ ?s ?p ?o . FILTER(STRSTARTS(STR(?s), "{prefix}")) }} }}
  OPTIONAL {{ ?s rdfs:label ?label }}
}}"""

# Resources of the dataset linked to or from each member, directly or through a blank node.
COUNTS = """
SELECT ?s (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{ ?s ?p ?o . FILTER(STRSTARTS(STR(?s), "{prefix}")) }} }}
  {{ ?s ?p1 ?x }} UNION {{ ?x ?p1 ?s }}
  UNION {{ ?s ?p1 ?b . FILTER(isBlank(?b)) ?b ?p2 ?x }}
  UNION {{ ?b ?p1 ?s . FILTER(isBlank(?b)) ?x ?p2 ?b }}
  FILTER(isIRI(?x) && ?x != ?s && STRSTARTS(STR(?x), "{space}"))
}} GROUP BY ?s"""

KINDS = """
SELECT ?s ?kind WHERE {{
  ?s a ?kind . FILTER(STRSTARTS(STR(?s), "{prefix}") && STRSTARTS(STR(?kind), "{vocab}"))
}}"""

DATES = """
SELECT ?s ?date WHERE {{
  {{ ?s schema:startDate ?date }} UNION {{ ?e kg:eventOf ?s . ?e schema:startDate ?date }}
  UNION {{ ?s kg:startYear ?date }}
  FILTER(STRSTARTS(STR(?s), "{prefix}"))
}}"""

EVENTS = """
SELECT ?event ?start ?end ?activity ?place WHERE {
  ?event a schema:Event ; schema:startDate ?start .
  OPTIONAL { ?event kg:eventOf ?activity }
  OPTIONAL { ?event schema:endDate ?end }
  OPTIONAL { ?event schema:location ?place }
} ORDER BY ?start ?event"""

DATASET = """
SELECT ?p ?o WHERE {{ <{dataset}> ?p ?o }}"""

RESOURCES = """
SELECT DISTINCT ?s WHERE {{ ?s ?p ?o . FILTER(STRSTARTS(STR(?s), "{space}")) }}"""

QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

SEARCHABLE = """
SELECT ?s ?text WHERE {{
  ?s rdfs:label|skos:altLabel|skos:prefLabel|dcterms:title|foaf:name ?text .
  FILTER(STRSTARTS(STR(?s), "{space}") && isLiteral(?text))
}}"""


def _best_date(values: list[str]) -> str | None:
    """The earliest full date, else the earliest year."""
    dates = sorted(v for v in values if len(v) >= 10)
    return dates[0] if dates else (min(values) if values else None)


def category_index(ctx: Context, category: str, lang: str = "nl", sort: str = "label") -> CategoryIndex | None:
    """Every resource of a URI category with a count and a date; None for an unknown category."""
    if category not in CATEGORIES:
        return None
    sort = sort if sort in SORTS else "label"
    prefix = f"{ctx.base}id/{category}/"
    prologue = ctx.prologue()
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in ctx.source.select(prologue + MEMBERS.format(prefix=prefix)):
        labels.setdefault(row["s"].value, {})
        if "label" in row:
            labels[row["s"].value][row["label"].language or ""] = row["label"].value
    counts = {
        row["s"].value: int(row["n"].value)
        for row in ctx.source.select(prologue + COUNTS.format(prefix=prefix, space=f"{ctx.base}id/"))
    }
    kinds: dict[str, list[str]] = defaultdict(list)
    for row in ctx.source.select(prologue + KINDS.format(prefix=prefix, vocab=ctx.kg)):
        kinds[row["s"].value].append(ctx.vocab.label(row["kind"].value, lang))
    dates: dict[str, list[str]] = defaultdict(list)
    for row in ctx.source.select(prologue + DATES.format(prefix=prefix)):
        dates[row["s"].value].append(row["date"].value)
    items = []
    for iri, by_lang in labels.items():
        date = _best_date(dates.get(iri, []))
        items.append(IndexItem(
            link=Link(iri, pick(by_lang, lang) or local_name(iri), category),
            kind=", ".join(sorted(set(kinds[iri]))) or None,
            count=counts.get(iri, 0),
            date=date,
            shown_date=show_date(date, lang) if date else None,
        ))
    by_label = lambda item: normalise(item.link.label)
    items.sort(key=by_label)
    if sort == "count":
        items.sort(key=lambda item: -item.count)
    elif sort == "date":
        items.sort(key=lambda item: (item.date is None, item.date or ""))
    return CategoryIndex(category, category_title(category, lang), lang, sort, items)


def timeline(ctx: Context, lang: str = "nl") -> list[TimelineMonth]:
    """Every dated event, by month."""
    rows = ctx.source.select(ctx.prologue() + EVENTS)
    labels = ctx.labels(r[k].value for r in rows for k in ("event", "activity", "place") if k in r)
    months: dict[str, TimelineMonth] = {}
    seen: set[str] = set()
    for row in rows:
        event = row["event"].value
        if event in seen:
            continue
        seen.add(event)
        start = row["start"].value
        key = start[:7]
        month = months.setdefault(key, TimelineMonth(key, month_title(key, lang), []))
        month.entries.append(TimelineEntry(
            date=start,
            shown=show_date(start, lang),
            event=ctx.link(event, labels, lang),
            end=row["end"].value if "end" in row else None,
            activity=ctx.link(row["activity"].value, labels, lang) if "activity" in row else None,
            place=ctx.link(row["place"].value, labels, lang) if "place" in row else None,
        ))
    return [months[k] for k in sorted(months)]


def dataset_title(ctx: Context, lang: str = "nl") -> str:
    """The dataset's title (dcterms:title) in a language, else in Dutch."""
    rows = ctx.source.select(f"SELECT ?t WHERE {{ <{dataset_iri(ctx.base)}> <http://purl.org/dc/terms/title> ?t }}")
    return pick({r["t"].language or "": r["t"].value for r in rows}, lang) or "kgraph"


def home_page(ctx: Context, lang: str = "nl") -> HomePage:
    """What the dataset is (from its own metadata), how many of each, and the timeline."""
    texts: dict[str, dict[str, str]] = defaultdict(dict)
    links: dict[str, str] = {}
    for row in ctx.source.select(DATASET.format(dataset=dataset_iri(ctx.base))):
        name = row["p"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        value = row["o"]
        if hasattr(value, "language"):
            texts[name][value.language or ""] = value.value
        else:
            links.setdefault(name, value.value)
    per_category: dict[str, int] = defaultdict(int)
    for row in ctx.source.select(RESOURCES.format(space=f"{ctx.base}id/")):
        ref = ref_of(ctx.base, row["s"].value)
        if ref:
            per_category[ref.category] += 1
    quads = ctx.source.select(QUADS)
    report = links.get("wasDerivedFrom")
    modified = pick(texts.get("modified"), lang)
    return HomePage(
        lang=lang,
        title=pick(texts.get("title"), lang) or "kgraph",
        description=pick(texts.get("description"), lang),
        modified=show_date(modified, lang) if modified else None,
        version=pick(texts.get("versionInfo"), lang),
        triples=int(quads[0]["n"].value) if quads else 0,
        counts=[CategoryCount(c, category_title(c, lang), per_category[c]) for c in CATEGORY_TITLES if per_category.get(c)],
        months=timeline(ctx, lang),
        report=ctx.link(report, ctx.labels([report]), lang) if report else None,
    )


@dataclass
class LabelIndex:
    """Every label (and alternative label, title, reference) of the dataset's resources, folded for
    accent- and case-insensitive matching. Built once per data version by the caller."""

    entries: list[tuple[str, str, str]] = field(default_factory=list)  # (iri, folded text, text)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    refs: set[tuple[str, str]] = field(default_factory=set)  # (iri, reference) entries

    @classmethod
    def build(cls, ctx: Context) -> LabelIndex:
        index = cls()
        seen: set[tuple[str, str]] = set()
        for row in ctx.source.select(ctx.prologue() + SEARCHABLE.format(space=f"{ctx.base}id/")):
            iri, text = row["s"].value, row["text"].value
            if (iri, text) not in seen:
                seen.add((iri, text))
                index.entries.append((iri, normalise(text), text))
        index.labels = ctx.labels({iri for iri, _, _ in index.entries})
        for iri in {iri for iri, _, _ in index.entries}:
            ref = ref_of(ctx.base, iri)
            if ref:  # the reference itself ("sint-niklaas") is searchable too
                index.entries.append((iri, normalise(ref.ref), ref.ref))
                index.refs.add((iri, ref.ref))
        return index

    def search(self, ctx: Context, query: str, lang: str = "nl", limit: int = 100) -> SearchPage:
        """Resources whose label holds every word of the query (accents, case and hyphens ignored).

        Ranked as people expect: the whole label equal to the query, then labels whose words
        equal the query's words, then labels whose words start with them, then any substring;
        ties by label. "GENT" finds "Stad Gent" long before "Agentschap ...".
        """
        folded = normalise(query)
        words = folded.split()
        best: dict[str, tuple[int, str, bool]] = {}
        refs = self.refs
        if words:
            for iri, text, original in self.entries:
                if not all(w in text for w in words):
                    continue
                rank = _rank(text, folded, words)
                is_ref = (iri, original) in refs
                if iri not in best or (rank, is_ref) < best[iri][::2]:
                    best[iri] = (rank, original, is_ref)
        hits = []
        for iri, (rank, matched, is_ref) in best.items():
            ref = ref_of(ctx.base, iri)
            label = pick(self.labels.get(iri), lang) or matched
            hits.append((rank, normalise(label), SearchHit(
                Link(iri, label, ref.category if ref else None),
                matched,
                category_title(ref.category, lang) if ref else None,
                matched_is_ref=is_ref,
            )))
        hits.sort(key=lambda h: (h[0], h[1]))
        return SearchPage(lang, query, [h[2] for h in hits[:limit]])


def _rank(text: str, folded: str, words: list[str]) -> int:
    """0 whole label, 1 every word a whole word, 2 every word a word start, 3 substrings."""
    if text == folded:
        return 0
    label_words = text.split()
    if all(w in label_words for w in words):
        return 1
    if all(any(lw.startswith(w) for lw in label_words) for w in words):
        return 2
    return 3
