"""Words for things the data names by code, and phrases for links read from the other side.

- Municipalities are linked by their data.vlaanderen.be IRI, which ends in the NIS code: pages
  name them ("Gent (NIS 44021)"). The 13 central cities' codes are the ones data/README.md says
  are known for certain; another code is shown as "NIS 12345".
- Languages are linked by the EU Publications Office authority IRI (…/language/NLD): pages name
  them ("Nederlands" / "Dutch").
- An incoming link ("section 3 is part of the report", shown on the report's page) is phrased from
  the reader's side ("has part: section 3"), with the property's inverse where the vocabulary has
  one, else "… links here with <property>".
"""

from __future__ import annotations

MUNICIPALITY = "https://data.vlaanderen.be/id/gemeente/"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"

MUNICIPALITIES = {
    "41002": "Aalst", "11002": "Antwerpen", "31005": "Brugge", "71016": "Genk", "44021": "Gent",
    "71022": "Hasselt", "34022": "Kortrijk", "24062": "Leuven", "12025": "Mechelen",
    "35013": "Oostende", "36015": "Roeselare", "46021": "Sint-Niklaas", "13040": "Turnhout",
}
LANGUAGES = {
    "NLD": ("Nederlands", "Dutch"), "ENG": ("Engels", "English"), "FRA": ("Frans", "French"),
    "DEU": ("Duits", "German"),
}

# Incoming property (prefixed) -> (nl, en) as read on the page of the object.
INVERSES: dict[str, tuple[str, str]] = {
    "dcterms:isPartOf": ("omvat", "has part"),
    "dcterms:hasPart": ("maakt deel uit van", "is part of"),
    "kg:partOfActivity": ("deelactiviteiten", "sub-activities"),
    "kg:eventOf": ("evenementen", "events"),
    "kg:documents": ("documenten erover", "documents about it"),
    "kg:followsUp": ("gevolgd door", "followed by"),
    "dcterms:subject": ("over dit onderwerp", "about this subject"),
    "dcterms:source": ("bron van", "source of"),
    "prov:wasAssociatedWith": ("betrokken bij", "involved in"),
    "org:memberOf": ("leden", "members"),
    "org:hasMember": ("lid van", "member of"),
    "schema:location": ("evenementen hier", "events here"),
    "schema:organizer": ("organiseerde", "organised"),
    "schema:performer": ("trad op in", "performed in"),
    "schema:attendee": ("nam deel aan", "attended"),
    "skos:inScheme": ("begrippen", "concepts"),
    "skos:broader": ("engere begrippen", "narrower concepts"),
    "skos:narrower": ("ruimere begrippen", "broader concepts"),
    "skos:hasTopConcept": ("topbegrip van", "top concept of"),
    "skos:topConceptOf": ("topbegrippen", "top concepts"),
    "dcterms:publisher": ("publiceerde", "published"),
    "dcterms:creator": ("maakte", "created"),
    "prov:wasDerivedFrom": ("hiervan afgeleid", "derived from it"),
    "prov:wasInformedBy": ("inspireerde", "informed"),
    "prov:hadRole": ("rol in", "role in"),
}


def known_name(iri: str, lang: str) -> str | None:
    """A readable name for a municipality or language IRI, else None."""
    if iri.startswith(MUNICIPALITY):
        code = iri[len(MUNICIPALITY):]
        name = MUNICIPALITIES.get(code)
        return f"{name} (NIS {code})" if name else f"NIS {code}"
    if iri.startswith(LANGUAGE):
        code = iri[len(LANGUAGE):]
        names = LANGUAGES.get(code)
        return (names[1] if lang == "en" else names[0]) if names else code
    return None


def inverse_phrase(prefixed: str | None, label: str, lang: str) -> str:
    """How the page of an object names the subjects linking to it through a property."""
    phrase = INVERSES.get(prefixed or "")
    if phrase:
        return phrase[1] if lang == "en" else phrase[0]
    return f"linking here as “{label}”" if lang == "en" else f"verwijst hierheen als “{label}”"
