"""Helpers every page builder shares: prefixes, label look-ups, links and readable values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from kgraph.linkeddata.iris import local_name, ref_of
from kgraph.linkeddata.models import Link
from kgraph.query_source import QuerySource as Source
from kgraph.linkeddata.vocab import Vocabulary, pick
from kgraph.namespaces import STANDARD_PREFIXES as NS
from kgraph.namespaces import sparql_prologue

XSD = NS["xsd"]
MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Context:
    """What every builder needs: where to read, the data's base, the vocabulary labels."""

    source: Source
    base: str
    vocab: Vocabulary

    @property
    def kg(self) -> str:
        return f"{self.base}ns/kgraph#"

    def prologue(self) -> str:
        return sparql_prologue(self.base)

    def link(self, iri: str, labels: dict[str, dict[str, str]], lang: str) -> Link:
        """A link to an IRI by its label (from `labels`, else the vocabulary, else its last segment)."""
        ref = ref_of(self.base, iri)
        label = pick(labels.get(iri), lang)
        if label is None:
            label = self.vocab.label(iri, lang) if (self.vocab.has_label(iri) or ref is None) else local_name(iri)
        return Link(iri, label, ref.category if ref else None)

    def labels(self, iris: Iterable[str]) -> dict[str, dict[str, str]]:
        """rdfs:label of each IRI by language tag ("" for untagged)."""
        wanted = sorted({i for i in iris if i})
        found: dict[str, dict[str, str]] = {}
        for start in range(0, len(wanted), 200):  # keep VALUES blocks a sane size
            values = " ".join(f"<{i}>" for i in wanted[start:start + 200])
            query = f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s <{NS['rdfs']}label> ?l }}"
            for row in self.source.select(query):
                found.setdefault(row["s"].value, {})[row["l"].language or ""] = row["l"].value
        return found


def negotiate_language(accepted: Iterable[str]) -> str:
    """nl unless the client's first supported language is en (Accept-Language, best first)."""
    for tag in accepted:
        primary = tag.lower().split("-")[0]
        if primary in LANGUAGES:
            return primary
    return "nl"


def show_date(iso: str, lang: str) -> str:
    """An ISO date as people read it: "20 februari 2018" / "20 February 2018"; other text unchanged."""
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {MONTHS[lang if lang in MONTHS else 'nl'][day.month - 1]} {day.year}"


def month_title(key: str, lang: str) -> str:
    """"2018-02" -> "februari 2018"."""
    year, _, month = key.partition("-")
    return f"{MONTHS[lang if lang in MONTHS else 'nl'][int(month) - 1]} {year}"


def show_number(text: str, lang: str) -> str:
    """A number with digit grouping: 4000000 -> "4.000.000" (nl) or "4,000,000" (en)."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    shown = f"{number:,}" if number == number.to_integral_value() else f"{number:,.2f}"
    if "." in shown and number == number.to_integral_value():
        shown = shown.split(".")[0]
    if lang == "nl":
        shown = shown.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return shown


def show_literal(literal: ox.Literal, lang: str) -> str:
    """A literal's value as text for people (dates and numbers formatted, others as they are)."""
    datatype = literal.datatype.value if literal.datatype else ""
    if datatype == XSD + "date":
        return show_date(literal.value, lang)
    if datatype == XSD + "dateTime":
        return f"{show_date(literal.value, lang)} {literal.value[11:16]}".strip()
    if datatype in (XSD + "integer", XSD + "decimal", XSD + "int", XSD + "long"):
        return show_number(literal.value, lang)
    return literal.value
