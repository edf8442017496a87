"""The page model of one resource, built from its /doc/ graph plus two small queries
(its documents with their addresses, and the events on its timeline)."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kgraph.linkeddata.common import Context, show_date, show_literal, show_number
from kgraph.linkeddata.describe import describe, describe_query
from kgraph.linkeddata.iris import Ref
from kgraph.linkeddata.partners import partner_label, partner_name, partner_names
from kgraph.linkeddata.memberships import through_networks
from kgraph.linkeddata.models import (
    DocumentEntry,
    Field,
    Group,
    IncomingGroup,
    Involvement,
    Link,
    Participation,
    ResourcePage,
    TimelineEntry,
    Value,
)
from kgraph.linkeddata.iris import curie
from kgraph.linkeddata.reading import inverse_phrase, known_name
from kgraph.linkeddata.vocab import pick
from kgraph.namespaces import STANDARD_PREFIXES as NS

RDF_TYPE = NS["rdf"] + "type"
LABEL = NS["rdfs"] + "label"
DESCRIPTION = NS["dcterms"] + "description"
DEFINITION = NS["skos"] + "definition"
AGENT = NS["prov"] + "agent"
ROLE = NS["prov"] + "hadRole"
ASSOCIATED = NS["prov"] + "wasAssociatedWith"
URL = NS["schema"] + "url"
FORMAT = NS["dcterms"] + "format"
ORGANIZATION = NS["org"] + "Organization"
QUALIFIED = NS["prov"] + "qualifiedAssociation"
SOURCE = NS["dcterms"] + "source"
MODIFIED = NS["dcterms"] + "modified"
# Texts that name the resource: one line per distinct text, with the languages it is given in.
NAMES = {LABEL, NS["dcterms"] + "title", NS["skos"] + "prefLabel", NS["skos"] + "altLabel"}

SECTION_NUMBERS = """
SELECT ?s ?n WHERE {{ VALUES ?s {{ {iris} }} ?s kg:sectionNumber ?n }}"""

# Headings of the property groups, and which properties go where ("kg:" = the dataset's vocabulary).
# Properties not listed land in "other". Order here is the order on the page.
GROUPS: list[tuple[str, tuple[str, str], tuple[str, ...]]] = [
    ("names", ("Namen", "Names"), ("rdfs:label", "skos:prefLabel", "skos:altLabel", "foaf:name",
                                   "schema:name", "dcterms:title", "dcterms:identifier", "kg:nisCode",
                                   "schema:jobTitle")),
    ("involved", ("Betrokkenen", "Involved"), ("prov:wasAssociatedWith", "prov:qualifiedAssociation",
                                               "schema:organizer", "schema:performer", "schema:attendee",
                                               "org:memberOf", "org:hasMember", "dcterms:creator",
                                               "dcterms:publisher")),
    ("when", ("Tijd en plaats", "Time and place"), ("schema:startDate", "schema:endDate", "kg:startYear",
                                                    "kg:endYear", "schema:location", "schema:containedInPlace",
                                                    "kg:municipality", "besluit:werkingsgebied")),
    ("links", ("Dezelfde in andere datasets", "The same in other datasets"), ("owl:sameAs", "skos:exactMatch",
                                                                             "skos:closeMatch")),
    ("figures", ("Cijfers", "Figures"), ("kg:quantity", "kg:budget")),
    ("context", ("Samenhang", "Context"), ("kg:eventOf", "kg:partOfActivity", "dcterms:isPartOf",
                                           "dcterms:hasPart", "kg:followsUp", "prov:wasInformedBy",
                                           "dcterms:subject", "kg:documents", "skos:inScheme",
                                           "skos:topConceptOf", "skos:hasTopConcept", "skos:broader",
                                           "skos:narrower")),
    ("source", ("Bron en publicatie", "Source and publication"), ("dcterms:source", "prov:wasDerivedFrom",
                                                                  "schema:url", "dcterms:format",
                                                                  "dcterms:language", "kg:linkText",
                                                                  "dcterms:license", "dcterms:issued",
                                                                  "dcterms:modified", "kg:sectionNumber")),
    ("other", ("Overige kenmerken", "Other properties"), ()),
]
# Shown elsewhere on the page (title, types, description), or by a section of their own.
NOT_IN_GROUPS = {RDF_TYPE}
INCOMING_SHOWN_ELSEWHERE = ("kg:documents", "kg:eventOf", "prov:wasAssociatedWith")

DOCUMENTS = """
SELECT DISTINCT ?doc ?about ?url ?format WHERE {{
  ?doc kg:documents ?about .
  {{ VALUES ?about {{ <{iri}> }} }}
  UNION {{ <{iri}> kg:eventOf ?about }}
  UNION {{ <{iri}> kg:partOfActivity ?about }}
  UNION {{ ?about prov:wasAssociatedWith <{iri}> }}
  UNION {{ ?about dcterms:subject <{iri}> }}
  OPTIONAL {{ ?doc schema:url ?url }}
  OPTIONAL {{ ?doc dcterms:format ?format }}
}}"""

TIMELINE = """
SELECT DISTINCT ?event ?start ?end ?activity ?place WHERE {{
  # The resource's events first, in a subquery: joined in the same group, Oxigraph would scan
  # every dated event and try the branches on each (14 s against 0.07 s for a hub at 100k).
  {{
    SELECT DISTINCT ?event WHERE {{
      {{ ?event kg:eventOf <{iri}> }}
      UNION {{ ?event kg:eventOf/kg:partOfActivity <{iri}> }}
      UNION {{ ?event kg:eventOf/prov:wasAssociatedWith <{iri}> }}
      UNION {{ ?event kg:eventOf/dcterms:subject <{iri}> }}
      UNION {{ ?event schema:organizer|schema:performer|schema:attendee|schema:location <{iri}> }}
    }}
  }}
  ?event schema:startDate ?start .
  OPTIONAL {{ ?event kg:eventOf ?activity }}
  OPTIONAL {{ ?event schema:endDate ?end }}
  OPTIONAL {{ ?event schema:location ?place }}
}} ORDER BY ?start ?event"""


def _expand(ctx: Context, name: str) -> str:
    prefix, _, local = name.partition(":")
    return ctx.kg + local if prefix == "kg" else NS[prefix] + local


class _Graph:
    """The /doc/ triples indexed by subject and by object, with their labels by language."""

    def __init__(self, triples: list[ox.Triple]):
        self.out: dict[ox.NamedNode | ox.BlankNode, list[tuple[str, object]]] = defaultdict(list)
        self.into: dict[object, list[tuple[object, str]]] = defaultdict(list)
        self.labels: dict[str, dict[str, str]] = {}
        for t in triples:
            self.out[t.subject].append((t.predicate.value, t.object))
            self.into[t.object].append((t.subject, t.predicate.value))
            if t.predicate.value == LABEL and isinstance(t.object, ox.Literal) and isinstance(t.subject, ox.NamedNode):
                self.labels.setdefault(t.subject.value, {})[t.object.language or ""] = t.object.value

    def objects(self, subject: object, predicate: str) -> list[object]:
        return [o for p, o in self.out.get(subject, []) if p == predicate]


def _text(values: list[object], lang: str) -> str | None:
    literals = {(v.language or ""): v.value for v in values if isinstance(v, ox.Literal)}
    return pick(literals, lang)


def _text_language(values: list[object], lang: str) -> str | None:
    """The language tag of the text _text picks (for the lang attribute around it)."""
    chosen = _text(values, lang)
    return next((v.language for v in values if isinstance(v, ox.Literal) and v.value == chosen and v.language), None)


class _Builder:
    def __init__(self, ctx: Context, ref: Ref, lang: str, triples: list[ox.Triple]):
        self.ctx, self.ref, self.lang = ctx, ref, lang
        self.iri = ref.thing(ctx.base)
        self.node = ox.NamedNode(self.iri)
        self.graph = _Graph(triples)
        self.triples = triples
        self.numbers = self.section_numbers()
        self._partners: list[tuple[str, str]] | None = None

    def link(self, iri: str) -> Link:
        named = known_name(iri, self.lang)
        if named and iri not in self.graph.labels:
            # A municipality by name and code, and whose IRI it is: "Gent (NIS 44021), Gemeenten …".
            partner = partner_name(iri, self.partners)
            return Link(iri, f"{named}, {partner}" if partner else named)
        found = self.ctx.link(iri, self.graph.labels, self.lang)
        if found.category is None and iri not in self.graph.labels:
            label = partner_label(iri, self.partners)
            if label:  # a partner's resource: say whose, then which ("Gemeenten …: 44021")
                return Link(iri, label)
        return found

    @property
    def partners(self) -> list[tuple[str, str]]:
        if self._partners is None:
            self._partners = partner_names(self.ctx.source, self.lang)
        return self._partners

    def value(self, term: object, depth: int = 0) -> Value:
        if isinstance(term, ox.NamedNode):
            return Value(link=self.link(term.value))
        if isinstance(term, ox.Literal):
            return Value(text=show_literal(term, self.lang), lang=term.language)
        # A blank node: its own fields (two levels at most, as deep as the /doc/ graph goes).
        parts = self.fields(self.graph.out.get(term, []), depth + 1) if depth < 2 else []
        return Value(text=self.summary(term), parts=parts)

    def summary(self, blank: object) -> str | None:
        """One line for amounts and quantities: "€ 4.000.000", "9 vergaderingen in 2018"."""
        amount = self.graph.objects(blank, NS["schema"] + "value")
        if not amount or not isinstance(amount[0], ox.Literal):
            return None
        number = show_number(amount[0].value, self.lang)
        currency = self.graph.objects(blank, NS["schema"] + "currency")
        if currency and isinstance(currency[0], ox.Literal):
            return f"€ {number}" if currency[0].value == "EUR" else f"{number} {currency[0].value}"
        unit = _text(self.graph.objects(blank, NS["schema"] + "unitText"), self.lang)
        return f"{number} {unit}" if unit else number

    def fields(self, pairs: list[tuple[str, object]], depth: int = 0) -> list[Field]:
        by_property: dict[str, list[object]] = defaultdict(list)
        for predicate, obj in pairs:
            if predicate not in NOT_IN_GROUPS or depth:
                by_property[predicate].append(obj)
        result = []
        for predicate, objects in by_property.items():
            if depth and predicate == RDF_TYPE:
                continue  # a blank node's type (prov:Association, …) says nothing people need
            if predicate != LABEL:
                # Language-tagged text: keep the page's language (else Dutch) when there is a choice.
                tagged = {o.language for o in objects if isinstance(o, ox.Literal) and o.language}
                keep = self.lang if self.lang in tagged else ("nl" if "nl" in tagged else None)
                if keep:
                    objects = [o for o in objects if not (isinstance(o, ox.Literal) and o.language and o.language != keep)]
            if predicate in NAMES:
                values = _names(objects, self.lang)
            else:
                values = sorted((self.value(o, depth) for o in objects), key=self._order)
            result.append(Field(self.prop(predicate), values))
        return result

    def prop(self, iri: str) -> Link:
        return Link(iri, self.ctx.vocab.label(iri, self.lang))

    def groups(self, own: list[tuple[str, object]], description_used: bool) -> list[Group]:
        placed: dict[str, str] = {}
        for key, _, names in GROUPS:
            for name in names:
                placed[_expand(self.ctx, name)] = key
        skip = {DESCRIPTION} if description_used else set()
        if any(p == QUALIFIED for p, _ in own):
            skip |= {QUALIFIED, ASSOCIATED}  # the participants table says it, with the roles
        if any(p == _expand(self.ctx, "kg:municipality") for p, _ in own):
            skip.add(_expand(self.ctx, "kg:nisCode"))  # the municipality is named with its code
        fields = self.fields([(p, o) for p, o in own if p not in skip])
        groups = []
        for key, titles, _ in GROUPS:
            members = [f for f in fields if placed.get(f.property.iri, "other") == key]
            if members:
                order = [_expand(self.ctx, n) for n in next(g[2] for g in GROUPS if g[0] == key)]
                members.sort(key=lambda f: (order.index(f.property.iri) if f.property.iri in order else len(order), f.property.label))
                groups.append(Group(key, titles[0] if self.lang == "nl" else titles[1], members))
        return groups

    def involvements(self) -> list[Involvement]:
        """Activities the resource took part in: qualified associations (with roles) and plain ones."""
        found: dict[str, Involvement] = {}
        for subject, predicate in self.graph.into.get(self.node, []):
            if isinstance(subject, ox.BlankNode) and predicate == AGENT:
                for owner, _ in self.graph.into.get(subject, []):
                    if isinstance(owner, ox.NamedNode):
                        entry = found.setdefault(owner.value, Involvement(self.link(owner.value)))
                        entry.roles += [self.link(r.value) for r in self.graph.objects(subject, ROLE) if isinstance(r, ox.NamedNode)]
                        note = _text(self.graph.objects(subject, DESCRIPTION), self.lang)
                        if note:
                            entry.notes.append(note)
            elif isinstance(subject, ox.NamedNode) and predicate == ASSOCIATED:
                found.setdefault(subject.value, Involvement(self.link(subject.value)))
        for entry in found.values():
            entry.roles = sorted(set(entry.roles), key=lambda r: r.label.casefold())
        return sorted(found.values(), key=lambda e: e.activity.label.casefold())

    def incoming(self) -> list[IncomingGroup]:
        elsewhere = {_expand(self.ctx, n) for n in INCOMING_SHOWN_ELSEWHERE}
        # The page's own document (foaf:primaryTopic) is provenance, not a link worth listing.
        ignore = {self.node, ox.NamedNode(self.ref.document(self.ctx.base))}
        by_property: dict[str, set[str]] = defaultdict(set)
        for subject, predicate in self.graph.into.get(self.node, []):
            if isinstance(subject, ox.NamedNode) and predicate not in elsewhere and subject not in ignore:
                by_property[predicate].add(subject.value)
            elif isinstance(subject, ox.BlankNode) and predicate != AGENT:
                for owner, owner_predicate in self.graph.into.get(subject, []):
                    if isinstance(owner, ox.NamedNode):
                        by_property[owner_predicate].add(owner.value)
        # Linked both ways (a report "has part" a section, which "is part of" it): shown once, above.
        shown = {o.value for _, o in self.graph.out.get(self.node, []) if isinstance(o, ox.NamedNode)}
        groups = []
        for p, subjects in by_property.items():
            kept = subjects - shown
            if kept:
                phrase = inverse_phrase(curie(p, {"kg": self.ctx.kg}), self.ctx.vocab.label(p, self.lang), self.lang)
                groups.append(IncomingGroup(Link(p, phrase), sorted((self.link(s) for s in kept), key=self._order_link)))
        return sorted(groups, key=lambda g: g.property.label.casefold())

    def participants(self) -> list[Participation]:
        """An activity's organisations with their roles (qualified associations) and notes, then
        those associated without a role."""
        found: dict[str, Participation] = {}
        for blank in self.graph.objects(self.node, QUALIFIED):
            for agent in self.graph.objects(blank, AGENT):
                if not isinstance(agent, ox.NamedNode):
                    continue
                entry = found.setdefault(agent.value, Participation(self.link(agent.value)))
                entry.roles += [self.link(r.value) for r in self.graph.objects(blank, ROLE) if isinstance(r, ox.NamedNode)]
                note = _text(self.graph.objects(blank, DESCRIPTION), self.lang)
                if note:
                    entry.notes.append(note)
        if not found:
            return []
        for agent in self.graph.objects(self.node, ASSOCIATED):
            if isinstance(agent, ox.NamedNode):
                found.setdefault(agent.value, Participation(self.link(agent.value)))
        for entry in found.values():
            entry.roles = sorted(set(entry.roles), key=lambda r: r.label.casefold())
        return sorted(found.values(), key=lambda e: (not e.roles, e.agent.label.casefold()))

    def section_numbers(self) -> dict[str, int]:
        """kg:sectionNumber of every report section the page links to (for report order)."""
        iris = {t.value for _, t in self.graph.out.get(self.node, []) if isinstance(t, ox.NamedNode)}
        iris |= {t.value for t in self.graph.into if isinstance(t, ox.NamedNode)}
        iris |= {s.value for s, _ in self.graph.into.get(self.node, []) if isinstance(s, ox.NamedNode)}
        iris = sorted(i for i in iris if "/id/sectie/" in i)
        if not iris:
            return {}
        query = self.ctx.prologue() + SECTION_NUMBERS.format(iris=" ".join(f"<{i}>" for i in iris))
        return {r["s"].value: int(r["n"].value) for r in self.ctx.source.select(query)}

    def _order_link(self, link: Link) -> tuple:
        number = self.numbers.get(link.iri)
        return (number is None, number or 0, link.label.casefold())

    def _order(self, value: Value) -> tuple:
        if value.link is not None:
            return (0,) + self._order_link(value.link)
        return (1, False, 0, (value.text or "").casefold())

    def documents(self) -> list[DocumentEntry]:
        rows = self.ctx.source.select(self.ctx.prologue() + DOCUMENTS.format(iri=self.iri))
        labels = self.ctx.labels([r["doc"].value for r in rows] + [r["about"].value for r in rows])
        labels.update(self.graph.labels)
        entries: dict[str, DocumentEntry] = {}
        for row in rows:
            doc = row["doc"].value
            entries.setdefault(doc, DocumentEntry(
                self.ctx.link(doc, labels, self.lang),
                row["url"].value if "url" in row else None,
                row["format"].value if "format" in row else None,
                None if row["about"].value == self.iri else self.ctx.link(row["about"].value, labels, self.lang),
            ))
        return sorted(entries.values(), key=lambda d: d.document.label.casefold())

    def timeline(self) -> list[TimelineEntry]:
        rows = self.ctx.source.select(self.ctx.prologue() + TIMELINE.format(iri=self.iri))
        iris = [r[k].value for r in rows for k in ("event", "activity", "place") if k in r]
        labels = self.ctx.labels(iris)
        entries: dict[str, TimelineEntry] = {}
        for row in rows:
            event = row["event"].value
            if event in entries:
                continue
            start = row["start"].value
            entries[event] = TimelineEntry(
                date=start,
                shown=show_date(start, self.lang),
                event=self.ctx.link(event, labels, self.lang),
                end=row["end"].value if "end" in row else None,
                activity=self.ctx.link(row["activity"].value, labels, self.lang) if "activity" in row else None,
                place=self.ctx.link(row["place"].value, labels, self.lang) if "place" in row else None,
            )
        return sorted(entries.values(), key=lambda e: (e.date, e.event.label))

    def page(self) -> ResourcePage:
        own = self.graph.out.get(self.node, [])
        types = [o.value for p, o in own if p == RDF_TYPE and isinstance(o, ox.NamedNode)]
        # The dataset's own (most specific) classes first.
        types.sort(key=lambda t: (not t.startswith(self.ctx.kg), self.ctx.vocab.label(t, self.lang)))
        texts = [o for p, o in own if p == DESCRIPTION] or [o for p, o in own if p == DEFINITION]
        description = _text(texts, self.lang)
        url = next((o.value for p, o in own if p == URL and isinstance(o, ox.NamedNode)), None)
        groups = self.groups(own, description is not None)
        modified = next((t.object.value for t in self.triples if t.predicate.value == MODIFIED
                         and t.subject.value == self.ref.document(self.ctx.base)), None)
        return ResourcePage(
            iri=self.iri,
            doc_iri=self.ref.document(self.ctx.base),
            category=self.ref.category,
            ref=self.ref.ref,
            lang=self.lang,
            label=pick(self.graph.labels.get(self.iri), self.lang) or self.ref.ref,
            types=_distinct_labels(Link(t, self.ctx.vocab.label(t, self.lang)) for t in types),
            description=description,
            description_lang=_text_language(texts, self.lang),
            groups=groups,
            involvements=self.involvements(),
            incoming=self.incoming(),
            documents=self.documents(),
            timeline=self.timeline(),
            url=url,
            query=describe_query(self.ctx.base, self.ref),
            triples=len(self.triples),
            is_organisation=ORGANIZATION in types,
            participants=self.participants(),
            sources=[self.link(o.value) for p, o in own if p == SOURCE and isinstance(o, ox.NamedNode)],
            modified=modified[:10] if modified else None,
            dutch_only=self.lang != "nl" and _shows_dutch_only(own, self.lang),
            through_networks=through_networks(self.ctx, self.iri, self.lang) if ORGANIZATION in types else [],
        )


def _distinct_labels(links) -> list[Link]:
    """One link per label: kg:Activity and prov:Activity both read "activiteit"; show it once."""
    seen: set[str] = set()
    kept = []
    for link in links:
        if link.label.casefold() not in seen:
            seen.add(link.label.casefold())
            kept.append(link)
    return kept


def _names(objects: list[object], lang: str) -> list[Value]:
    """Each distinct text once, with the languages it is given in; the page's language first."""
    by_text: dict[str, list[str]] = {}
    for o in objects:
        if isinstance(o, ox.Literal):
            by_text.setdefault(o.value, []).append(o.language or "")
    values = [Value(text=text, lang=tags[0] or None, languages=sorted(t for t in tags if t))
              for text, tags in by_text.items()]
    return sorted(values, key=lambda v: (lang not in v.languages, v.text.casefold()))


def _shows_dutch_only(own: list[tuple[str, object]], lang: str) -> bool:
    """Whether a text of the resource (description, note) exists in Dutch but not in `lang`."""
    by_property: dict[str, set[str]] = defaultdict(set)
    for p, o in own:
        if isinstance(o, ox.Literal) and o.language:
            by_property[p].add(o.language)
    return any("nl" in tags and lang not in tags for tags in by_property.values())


def resource_page(ctx: Context, ref: Ref, lang: str = "nl", triples: list[ox.Triple] | None = None) -> ResourcePage | None:
    """The page of a resource in a language (nl or en), or None if the store does not describe it.

    Pass `triples` when the /doc/ graph is already at hand (describe() is not run twice).
    """
    triples = describe(ctx.source, ctx.base, ref) if triples is None else triples
    if not triples:
        return None
    return _Builder(ctx, ref, lang, triples).page()
