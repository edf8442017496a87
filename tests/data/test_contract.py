"""The public contract of the 2018 graph, pinned point by point on the built store.

Consumers and partners rely on these: the URI scheme, labels, explicit types, dated events,
byte-exact links, typed amounts, the cities with their NIS codes, and provenance.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pyoxigraph as ox
import pytest

from kgraph.namespaces import CATEGORIES, sparql_prologue

CITIES = {
    "aalst": "41002", "antwerpen": "11002", "brugge": "31005", "genk": "71016", "gent": "44021",
    "hasselt": "71022", "kortrijk": "34022", "leuven": "24062", "mechelen": "12025",
    "oostende": "35013", "roeselare": "36015", "sint-niklaas": "46021", "turnhout": "13040",
}
MONTHS = {m: i for i, m in enumerate(
    "januari februari maart april mei juni juli augustus september oktober november december".split(), 1)}


@pytest.fixture(scope="module")
def ask(store, project_settings):
    """Run a query with every known prefix over the union of the graphs."""
    prologue = sparql_prologue(project_settings.base)

    def run(query: str):
        return store.query(prologue + query, use_default_graph_as_union=True)

    return run


def values(rows, name="x"):
    return [row[name].value for row in rows]


def test_uris_follow_the_flemish_uri_standard(ask, project_settings):
    base = project_settings.base
    subjects = values(ask(f'SELECT DISTINCT ?x {{ ?x ?p ?o FILTER(STRSTARTS(STR(?x), "{base}")) }}'))
    assert len(subjects) > 150
    slug = r"[a-z0-9]+(-[a-z0-9]+)*"
    pattern = re.compile(rf"^{re.escape(base)}(id/({'|'.join(CATEGORIES)})/{slug}|ns/kgraph(#\w+)?|ns/kgraph/[\w.]+)$")
    bad = [s for s in subjects if not pattern.match(s)]
    assert not bad, bad


def test_every_resource_has_one_dutch_label_and_at_most_one_english(ask, project_settings):
    rows = ask(f"""
        SELECT ?x (SUM(IF(LANG(?l) = "nl", 1, 0)) AS ?nl) (SUM(IF(LANG(?l) = "en", 1, 0)) AS ?en)
        WHERE {{ {{ SELECT DISTINCT ?x {{ ?x a ?type FILTER(STRSTARTS(STR(?x), "{project_settings.base}id/")) }} }}
                OPTIONAL {{ ?x rdfs:label ?l }} }} GROUP BY ?x""")
    counts = {r["x"].value: (int(r["nl"].value), int(r["en"].value)) for r in rows}
    assert len(counts) > 150
    assert {x: c for x, c in counts.items() if c[0] != 1 or c[1] > 1} == {}
    english = sum(1 for nl, en in counts.values() if en == 1)
    assert english / len(counts) > 0.95  # English labels added wherever a translation makes sense


@pytest.mark.parametrize(
    "specific, general",
    [("kg:CentralCity", "org:Organization"), ("kg:LocalGovernment", "org:Organization"),
     ("kg:Network", "org:Organization"), ("kg:Company", "org:Organization"),
     ("kg:Project", "prov:Activity"), ("kg:WorkingGroup", "prov:Activity"), ("kg:StudyDay", "prov:Activity"),
     ("kg:Meeting", "schema:Event"), ("kg:Event", "schema:Event"), ("kg:Milestone", "schema:Event")],
)
def test_superclass_types_are_asserted(ask, specific, general):
    assert len(values(ask(f"SELECT ?x {{ ?x a {specific} }}"))) > 0
    assert values(ask(f"SELECT ?x {{ ?x a {specific} FILTER NOT EXISTS {{ ?x a {general} }} }}")) == []


def test_every_subclass_entailment_is_materialised(ask):
    missing = ask("""SELECT ?x ?super { ?x a ?c . ?c rdfs:subClassOf+ ?super . FILTER(isIRI(?super))
                     FILTER NOT EXISTS { ?x a ?super } }""")
    assert list(missing) == []


def test_events_have_dates_and_one_activity(ask):
    events = values(ask("SELECT ?x { ?x a schema:Event }"))
    assert len(events) >= 19
    bad = ask("""SELECT ?x { ?x a schema:Event .
        FILTER NOT EXISTS { ?x schema:startDate ?d FILTER(DATATYPE(?d) = xsd:date) } }""")
    assert list(bad) == []
    counts = ask("SELECT ?x (COUNT(DISTINCT ?a) AS ?n) { ?x a schema:Event . OPTIONAL { ?x kg:eventOf ?a . ?a a prov:Activity } } GROUP BY ?x")
    assert {r["x"].value: int(r["n"].value) for r in counts if int(r["n"].value) != 1} == {}
    multi_day = ask("SELECT ?x ?s ?e { ?x schema:startDate ?s ; schema:endDate ?e }")
    spans = {(r["s"].value, r["e"].value) for r in multi_day}
    assert ("2018-05-16", "2018-05-17") in spans  # excursies Slim Gedeeld
    assert ("2018-11-13", "2018-11-15") in spans  # studiereis Barcelona
    assert ("2018-10-18", "2018-10-19") in spans  # opleiding gebiedsgericht werken, Brussel


def test_event_dates_are_those_of_the_report(ask, seed_text):
    """Every event date is written in the report as 'D maand', 'D en D maand' or 'D tot en met D maand'."""
    text = " ".join(seed_text.split())
    printed = set()
    pattern = r"\b(\d{1,2})(?: (?:en|tot en met) (\d{1,2}))? (" + "|".join(MONTHS) + r")\b"
    for first, last, month in re.findall(pattern, text):
        for day in range(int(first), int(last or first) + 1):
            printed.add((day, MONTHS[month]))
    dates = values(ask("SELECT DISTINCT ?x { ?e a schema:Event ; schema:startDate|schema:endDate ?x }"))
    assert len(dates) >= 15
    for date in dates:
        _, month, day = (int(p) for p in date.split("-"))
        assert (day, month) in printed, date


def distinct_links(seed_text: str) -> set[str]:
    return set(re.findall(r"https?://\S+", seed_text))


def test_all_28_links_are_documents_with_byte_exact_urls(ask, seed_text):
    printed = distinct_links(seed_text)
    assert len(printed) == 28
    rows = list(ask("SELECT ?x ?url { ?x a foaf:Document ; schema:url ?url }"))
    urls = [r["url"].value for r in rows]
    assert sorted(urls) == sorted(printed)  # each exactly once, byte for byte
    assert any("%20%20" in u for u in urls) and any("%C3%AB" in u for u in urls)
    assert any("'intern%20organisatie'" in u for u in urls) and any("%27" in u for u in urls)
    assert all(isinstance(r["url"], ox.NamedNode) for r in rows)
    undocumented = ask("SELECT ?x { ?x schema:url ?u FILTER NOT EXISTS { ?x kg:documents ?a . ?a a prov:Activity } }")
    assert list(undocumented) == []


def test_counts_are_integers_and_money_is_typed(ask):
    counts = list(ask("SELECT ?v { ?q a schema:QuantitativeValue ; schema:value ?v }"))
    assert len(counts) >= 15
    assert {r["v"].datatype.value for r in counts} == {"http://www.w3.org/2001/XMLSchema#integer"}
    money = {(r["v"].value, r["v"].datatype.value, r["c"].value) for r in ask(
        "SELECT ?v ?c { ?m a schema:MonetaryAmount ; schema:value ?v ; schema:currency ?c }")}
    decimal = "http://www.w3.org/2001/XMLSchema#decimal"
    assert ("354767.87", decimal, "EUR") in money  # Afrekening 2018
    assert ("4000000", decimal, "EUR") in money  # City of Things: 4 miljoen euro
    assert {m[1] for m in money} == {decimal} and {m[2] for m in money} == {"EUR"}
    nine = ask("SELECT DISTINCT ?a { ?a kg:quantity [ schema:value 9 ] . ?a rdfs:label ?l FILTER(CONTAINS(?l, 'OBMi')) }")
    assert len(list(nine)) == 1  # "vergaderde in 2018 negen keer"


def test_the_13_cities_and_the_vgc(ask, project_settings):
    rows = ask("SELECT ?x ?nis ?m { ?x a kg:CentralCity ; kg:nisCode ?nis ; kg:municipality ?m }")
    found = {r["x"].value.rsplit("/", 1)[1]: (r["nis"].value, r["m"].value) for r in rows}
    assert found == {c: (nis, f"https://data.vlaanderen.be/id/gemeente/{nis}") for c, nis in CITIES.items()}
    vgc = f"{project_settings.base}id/organisatie/vgc"
    assert ask(f"ASK {{ <{vgc}> a org:Organization , kg:LocalGovernment }}")
    members = values(ask("SELECT ?x { organisatie:centrumsteden org:hasMember ?x }"))
    assert len(members) == 14 and vgc in members


def test_partners_named_in_the_report_are_organisations(ask):
    labels = values(ask("SELECT ?l { ?x a org:Organization ; rdfs:label|skos:altLabel ?l }"), "l")
    for name in ("imec", "VLAIO", "VVSG", "Cronos", "BUUR", "Miss Miyagi", "AGION", "CSI Flanders",
                 "UGent", "SoCrowd", "Voor je Buurt"):
        assert any(name.lower() in label.lower() for label in labels), name


def test_roles_are_qualified_and_plain_associations_exist(ask):
    missing = ask("""SELECT ?a ?agent { ?a prov:qualifiedAssociation [ prov:agent ?agent ]
                     FILTER NOT EXISTS { ?a prov:wasAssociatedWith ?agent } }""")
    assert list(missing) == []
    roles = set(values(ask("SELECT DISTINCT ?x { ?a prov:qualifiedAssociation [ prov:hadRole ?x ] }")))
    assert {r.rsplit("/", 1)[1] for r in roles} >= {"trekker", "organisator", "partner", "deelnemer", "uitvoerder"}
    leads = {r["p"].value.rsplit("/", 1)[1]: r["o"].value.rsplit("/", 1)[1] for r in ask(
        "SELECT ?p ?o { ?p prov:qualifiedAssociation [ prov:agent ?o ; prov:hadRole rol:trekker ] ; kg:partOfActivity ?call }")}
    assert {"gent", "turnhout", "leuven"} <= set(leads.values())  # City of Things: 3 projects, 3 leads


def test_every_activity_names_its_section(ask):
    assert list(ask("SELECT ?a { ?a a prov:Activity FILTER NOT EXISTS { ?a dcterms:source ?s . ?s a kg:ReportSection } }")) == []
    sections = values(ask("SELECT ?n { ?s a kg:ReportSection ; kg:sectionNumber ?n } ORDER BY ?n"), "n")
    assert [int(n) for n in sections] == list(range(1, 25))
    used = values(ask("SELECT DISTINCT ?s { ?a a prov:Activity ; dcterms:source ?s }"), "s")
    assert len(used) == 24  # every section states at least one activity


def test_dataset_says_when_and_from_what_it_was_built(ask, built_release):
    row = next(iter(ask("""SELECT ?when ?version ?report { dataset:kgraph prov:generatedAtTime ?when ;
                           owl:versionInfo ?version ; prov:wasDerivedFrom ?report . ?report a schema:Report }""")))
    assert row["version"].value == built_release.version
    when = dt.datetime.fromisoformat(row["when"].value.replace("Z", "+00:00"))
    assert when == dt.datetime.fromisoformat(built_release.manifest["source_date"])
    assert row["report"].value.endswith("id/document/jaarverslag-2018")


def test_dutch_text_stays_dutch(ask):
    descriptions = list(ask("SELECT ?d { ?x dcterms:description ?d }"))
    assert len(descriptions) > 50
    assert {r["d"].language for r in descriptions} <= {"nl", "en"}
    assert sum(r["d"].language == "nl" for r in descriptions) > 50


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def test_descriptions_quote_nothing_that_is_not_in_the_report(ask, seed_text):
    """Numbers in Dutch descriptions are numbers of the report (nothing invented)."""
    text = _fold(" ".join(seed_text.split()))
    numbers_in_report = set(re.findall(r"\d+", text))
    for row in ask('SELECT ?d { ?x dcterms:description ?d FILTER(LANG(?d) = "nl") }'):
        for number in re.findall(r"\d+", _fold(row["d"].value)):
            assert number in numbers_in_report, (number, row["d"].value)


ONTOLOGY_TERMS = """
SELECT ?t { ?t rdfs:isDefinedBy|^rdfs:isDefinedBy ?o . ?o a owl:Ontology . ?t a ?k
            VALUES ?k { owl:Class owl:ObjectProperty owl:DatatypeProperty } }"""


def test_ontology_terms_are_fully_annotated(ask):
    terms = values(ask("SELECT ?t { ?t a ?k VALUES ?k { owl:Class owl:ObjectProperty owl:DatatypeProperty } FILTER(STRSTARTS(STR(?t), STR(kg:))) }"), "t")
    assert len(terms) >= 40
    for term in terms:
        langs = values(ask(f"SELECT ?l {{ <{term}> rdfs:label ?x BIND(LANG(?x) AS ?l) }}"), "l")
        assert sorted(langs) == ["en", "nl"], term
        defs = values(ask(f"SELECT ?l {{ <{term}> skos:definition ?x BIND(LANG(?x) AS ?l) }}"), "l")
        assert sorted(defs) == ["en", "nl"], term
        assert ask(f"ASK {{ <{term}> rdfs:isDefinedBy ?o . ?o a owl:Ontology }}"), term


def test_ontology_has_title_description_licence_version_creator(ask):
    for prop in ("dcterms:title", "dcterms:description", "dcterms:license", "owl:versionInfo", "dcterms:creator"):
        assert ask(f"ASK {{ ?o a owl:Ontology ; {prop} ?v }}"), prop


@pytest.mark.parametrize(
    "term, reused",
    [("kg:CentralCity", "besluit:Bestuurseenheid"), ("kg:Network", "org:OrganizationalCollaboration"),
     ("kg:Activity", "prov:Activity"), ("kg:Event", "schema:Event"), ("kg:ReportSection", "foaf:Document"),
     ("kg:Role", "prov:Role")],
)
def test_ontology_documents_its_alignment(ask, term, reused):
    assert ask(f"ASK {{ {term} rdfs:subClassOf+ {reused} }}")
