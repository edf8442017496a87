"""What the 2018 graph must answer, whichever client asks: the queries and the right answers.

The facts come from data/shared/organisaties.ttl (the 13 centrumsteden and their NIS codes) and
data/2018/09-oproep-vlaio-city-of-things.ttl (Turnhout leads the ANPR-camera project).
"""

from __future__ import annotations

BASE = "https://data.kenniscentrumvlaamsesteden.be/"
KG = f"{BASE}ns/kgraph#"
ORG = f"{BASE}id/organisatie/"
ACT = f"{BASE}id/activiteit/"
PROV = "http://www.w3.org/ns/prov#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

TURNHOUT = f"{ORG}turnhout"
ANPR = f"{ACT}city-of-things-anpr-cameras"

# NIS code -> the city's IRI and Dutch label.
CENTRAL_CITIES = {
    "41002": ("aalst", "Stad Aalst"),
    "11002": ("antwerpen", "Stad Antwerpen"),
    "31005": ("brugge", "Stad Brugge"),
    "71016": ("genk", "Stad Genk"),
    "44021": ("gent", "Stad Gent"),
    "71022": ("hasselt", "Stad Hasselt"),
    "34022": ("kortrijk", "Stad Kortrijk"),
    "24062": ("leuven", "Stad Leuven"),
    "12025": ("mechelen", "Stad Mechelen"),
    "35013": ("oostende", "Stad Oostende"),
    "36015": ("roeselare", "Stad Roeselare"),
    "46021": ("sint-niklaas", "Stad Sint-Niklaas"),
    "13040": ("turnhout", "Stad Turnhout"),
}
CITY_ROWS = sorted((f"{ORG}{slug}", nis, label) for nis, (slug, label) in CENTRAL_CITIES.items())

PREFIXES = f"""PREFIX kg: <{KG}>
PREFIX organisatie: <{ORG}>
PREFIX activiteit: <{ACT}>
PREFIX rol: <{BASE}id/rol/>
PREFIX prov: <{PROV}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

SELECT_CITIES = PREFIXES + """SELECT ?city ?nis ?label WHERE {
  ?city a kg:CentralCity ; kg:nisCode ?nis ; rdfs:label ?label .
  FILTER(LANG(?label) = "nl")
} ORDER BY ?nis"""

# The lead ("trekker") of the ANPR-camera project of City of Things.
SELECT_ANPR_LEAD = PREFIXES + """SELECT ?lead ?label WHERE {
  activiteit:city-of-things-anpr-cameras prov:qualifiedAssociation [ prov:agent ?lead ; prov:hadRole rol:trekker ] .
  ?lead rdfs:label ?label FILTER(LANG(?label) = "nl")
}"""

ASK_TURNHOUT_LEADS_ANPR = PREFIXES + """ASK {
  activiteit:city-of-things-anpr-cameras prov:qualifiedAssociation [ prov:agent organisatie:turnhout ; prov:hadRole rol:trekker ] .
}"""
ASK_GENT_LEADS_ANPR = ASK_TURNHOUT_LEADS_ANPR.replace("organisatie:turnhout", "organisatie:gent")

CONSTRUCT_NIS = PREFIXES + """CONSTRUCT { ?city kg:nisCode ?nis } WHERE { ?city a kg:CentralCity ; kg:nisCode ?nis }"""
CONSTRUCT_ANPR_LEAD = PREFIXES + """CONSTRUCT { ?activity kg:ledBy ?lead } WHERE {
  BIND(activiteit:city-of-things-anpr-cameras AS ?activity)
  ?activity prov:qualifiedAssociation [ prov:agent ?lead ; prov:hadRole rol:trekker ] .
}"""
DESCRIBE_TURNHOUT = PREFIXES + "DESCRIBE organisatie:turnhout"
