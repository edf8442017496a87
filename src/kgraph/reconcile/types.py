"""The types and properties the service reconciles with, and the IRIs they stand for.

Type ids are the class IRIs themselves (what a partner's data names); a type may be limited to a
URI category when its class is shared (skos:Concept: themes, but also roles and code lists).
Property ids are short, stable names: the predicates behind them may change (OSLO alignment),
the ids a partner's OpenRefine project stored may not.
"""

from __future__ import annotations

from dataclasses import dataclass

from kgraph.namespaces import STANDARD_PREFIXES as NS


@dataclass(frozen=True)
class TypeSpec:
    """One reconciliation type: its id (a class IRI), names in nl/en, and aliases people type."""

    id: str
    nl: str
    en: str
    aliases: tuple[str, ...]
    category: str | None = None  # only resources of this URI category have the type

    def name(self, lang: str = "en") -> str:
        return self.nl if lang == "nl" else self.en


TYPES: tuple[TypeSpec, ...] = (
    TypeSpec(NS["org"] + "Organization", "organisatie", "organisation", ("organisation", "organization", "organisatie")),
    TypeSpec(NS["prov"] + "Activity", "activiteit", "activity", ("activity", "activiteit")),
    TypeSpec(NS["schema"] + "Event", "evenement", "event", ("event", "evenement")),
    TypeSpec(NS["foaf"] + "Document", "document", "document", ("document",)),
    TypeSpec(NS["foaf"] + "Person", "persoon", "person", ("person", "persoon")),
    TypeSpec(NS["schema"] + "Place", "plaats", "place", ("place", "plaats")),
    TypeSpec(NS["skos"] + "Concept", "thema", "theme", ("theme", "thema"), category="thema"),
)
TYPES_BY_ID = {t.id: t for t in TYPES}
ORGANISATION = TYPES[0].id


def find_type(value: str) -> TypeSpec | None:
    """The type a client names by its id (class IRI) or by one of its aliases; None if unknown."""
    if value in TYPES_BY_ID:
        return TYPES_BY_ID[value]
    folded = value.strip().casefold()
    return next((t for t in TYPES if folded in t.aliases), None)


@dataclass(frozen=True)
class PropertySpec:
    """One property: to match on (`match`), to fetch by data extension (`extend`), or both."""

    id: str
    nl: str
    en: str
    description: str
    match: bool
    extend: bool
    applies_to: tuple[str, ...] = (ORGANISATION,)

    def name(self, lang: str = "en") -> str:
        return self.nl if lang == "nl" else self.en


PROPERTIES: tuple[PropertySpec, ...] = (
    PropertySpec("nisCode", "NIS-code", "NIS code",
                 "The Statbel NIS code of the municipality a local government governs (5 digits).",
                 match=True, extend=True),
    PropertySpec("kind", "soort organisatie", "kind of organisation",
                 "central city, local government, government agency, non-profit, company, research "
                 "organisation or network (the organisation's class or classification).",
                 match=True, extend=True),
    PropertySpec("city", "stad of gemeente", "city",
                 "The municipality the organisation governs or the place lies in: a name, NIS code or "
                 "data.vlaanderen.be municipality IRI.",
                 match=True, extend=True, applies_to=(ORGANISATION, NS["schema"] + "Place")),
    PropertySpec("activityCount", "aantal activiteiten", "number of activities",
                 "How many activities of the report the organisation is associated with.",
                 match=False, extend=True),
    PropertySpec("partner", "partners", "partners",
                 "The organisations associated with the same activities.",
                 match=False, extend=True),
)
PROPERTIES_BY_ID = {p.id: p for p in PROPERTIES}
