"""The named competency queries of queries/*.rq, checked against the 2018 annual report.

Every expected value below was derived by reading the report text
(shared/seed/000_557579d2faabea49.txt), not by copying the data files; where possible the
answer is also cross-checked against the seed text itself (URLs verbatim, Dutch dates,
amounts, section titles).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgraph.named_queries import CatalogueError, NamedQuery, load_catalogue, parse_query_file
from kgraph.querying import QueryError, bindings_for, run

NL_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december")
THIRTEEN_NIS = {  # Statbel NIS codes of the 13 central cities
    "aalst": "41002", "antwerpen": "11002", "brugge": "31005", "genk": "71016", "gent": "44021",
    "hasselt": "71022", "kortrijk": "34022", "leuven": "24062", "mechelen": "12025",
    "oostende": "35013", "roeselare": "36015", "sint-niklaas": "46021", "turnhout": "13040",
}

@pytest.fixture(scope="session")
def base(project_settings) -> str:
    return project_settings.base


@pytest.fixture(scope="session")
def catalogue(project_settings) -> dict[str, NamedQuery]:
    return load_catalogue(project_settings.queries_dir)


@pytest.fixture(scope="session")
def prose(seed_text) -> str:
    """The report without its URL lines, with all whitespace runs collapsed to one space."""
    lines = [line for line in seed_text.splitlines() if not line.strip().startswith("http")]
    return re.sub(r"\s+", " ", " ".join(lines))


@pytest.fixture
def ask(store, base, catalogue):
    """ask(name, **params): run a named query; SELECT -> list of {var: str|None},
    ASK -> bool, CONSTRUCT -> set of (s, p, o) strings."""

    def _ask(name: str, **params: str):
        query = catalogue[name]
        result = run(store, query.text(base), base, bindings_for(query, params, base))
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QueryTriples):
            return {(t.subject.value, t.predicate.value, t.object.value) for t in result}
        names = [v.value for v in result.variables]
        return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in result]

    return _ask


def the(base: str, kind: str, slug: str) -> str:
    return f"{base}id/{kind}/{slug}"


def dutch_date_in(prose: str, date: str) -> bool:
    """Whether an ISO date is printed in the report as a Dutch date ("20 februari",
    "16 en 17 mei", "13 tot en met 15 november")."""
    d = dt.date.fromisoformat(date)
    pattern = rf"\b{d.day}\s+(?:(?:en|tot en met)\s+\d{{1,2}}\s+)?{NL_MONTHS[d.month - 1]}\b"
    return re.search(pattern, prose) is not None


def squash(text: str) -> str:
    """Lower case without whitespace or hyphens (the PDF text breaks and hyphenates titles)."""
    return re.sub(r"[\s\-]", "", text).lower()


# ---------------------------------------------------------------------------------------
# The catalogue itself
# ---------------------------------------------------------------------------------------

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries"
QUERY_FILES = sorted(QUERY_DIR.glob("*.rq"))


def test_catalogue_has_at_least_20_queries(catalogue):
    assert QUERY_FILES, f"no queries in {QUERY_DIR}"
    assert len(catalogue) >= 20
    assert len(catalogue) == len(QUERY_FILES)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_header_is_complete_in_dutch_and_english(path):
    query = parse_query_file(path)
    for texts in (query.title, query.description):
        assert texts.get("nl", "").strip() and texts.get("en", "").strip()
        assert texts["nl"] != texts["en"], "the English text should be a translation"
    for parameter in query.parameters:
        assert parameter.label.strip(), f"parameter {parameter.name} has no label"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_parses_is_base_relative_and_ordered(path, base, store):
    query = parse_query_file(path)
    body = "\n".join(line for line in query.sparql.splitlines() if not line.startswith("#"))
    assert base not in body, "queries use IRIs relative to the dataset base"
    assert not re.search(r"\bGRAPH\b", body), "queries read the union default graph"
    form = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body)[1]
    if form in ("SELECT", "CONSTRUCT"):
        assert "ORDER BY" in body, "SELECT and CONSTRUCT queries need ORDER BY"
    # parses and evaluates with its defaults, against another base too
    run(store, query.text(base), base, bindings_for(query, {}, base))
    ox.Store().query(query.text("http://example.org/other/"))


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_declared_parameter_is_used_and_projected(path):
    query = parse_query_file(path)
    body = "\n".join(line for line in query.sparql.splitlines() if not line.startswith("#"))
    select = re.search(r"\bSELECT\b(.*?)\bWHERE\b", body, re.S)
    for parameter in query.parameters:
        assert re.search(rf"[?$]{parameter.name}\b", body), f"{parameter.name} is not used"
        if select and "*" not in select[1].split("(")[0]:
            # pyoxigraph only substitutes variables of the SELECT projection
            assert re.search(rf"[?$]{parameter.name}\b", select[1]), f"{parameter.name} not projected"


@pytest.mark.parametrize("path", [p for p in QUERY_FILES if "# param:" in p.read_text(encoding="utf-8")],
                         ids=lambda p: p.stem)
def test_query_without_bindings_answers_as_with_its_defaults(path, base, store):
    """The web UI and other SPARQL clients run the text as is: it must answer like the defaults."""
    query = parse_query_file(path)
    names = {p.name for p in query.parameters}
    plain = run(store, query.text(base), base)
    bound = run(store, query.text(base), base, bindings_for(query, {}, base))
    if isinstance(plain, ox.QueryBoolean):
        assert bool(plain) == bool(bound)
        return

    def rows(result):
        columns = [v.value for v in result.variables if v.value not in names]
        return [[s[c].value if s[c] is not None else None for c in columns] for s in result]

    assert rows(plain) == rows(bound)


def test_malformed_header_raises_catalogue_error_naming_file_and_line(tmp_path):
    path = tmp_path / "kapot.rq"
    path.write_text(
        "# title: Kapot\n# title@en: Broken\n# description: x\n# description@en: y\n"
        "# param: org uri = organisatie:gent\nSELECT ?org WHERE { ?org ?p ?o }\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as caught:
        parse_query_file(path)
    assert f"{path}:5" in str(caught.value)
    with pytest.raises(CatalogueError):
        load_catalogue(tmp_path)


def test_header_missing_english_title_is_refused(tmp_path):
    path = tmp_path / "half.rq"
    path.write_text("# title: Half\n# description: x\n# description@en: y\nASK {}\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=rf"{re.escape(str(path))}:1"):
        parse_query_file(path)


@pytest.mark.parametrize("name, given, parameter", [
    ("evenementen-in-periode", {"from": "20 februari 2018"}, "from"),
    ("evenementen-in-periode", {"to": "2018-02-30"}, "to"),
    ("tijdlijn", {"year": "tweeduizendachttien"}, "year"),
    ("samenwerkingen", {"minimum": "1.5"}, "minimum"),
])
def test_bad_parameter_value_raises_query_error_naming_it(catalogue, base, name, given, parameter):
    with pytest.raises(QueryError, match=rf"'{parameter}'"):
        bindings_for(catalogue[name], given, base)


def test_unknown_parameter_is_refused(catalogue, base):
    with pytest.raises(QueryError, match="stad"):
        bindings_for(catalogue["activiteiten-van-stad"], {"stad": "organisatie:gent"}, base)


# ---------------------------------------------------------------------------------------
# One test (or more) per query, against the report
# ---------------------------------------------------------------------------------------

def test_trekkers(ask, base, prose):
    rows = ask("trekkers")
    leads = {(r["activity"], r["lead"]) for r in rows}
    # "De 3 projecten zijn : databroker (trekker Gent), ANPR-camera's (trekker Turnhout) en ...
    #  open (IoT) data awareness bij lokale overheden (trekker Leuven)"
    assert (the(base, "activiteit", "city-of-things-anpr-cameras"), the(base, "organisatie", "turnhout")) in leads
    assert (the(base, "activiteit", "city-of-things-databroker"), the(base, "organisatie", "gent")) in leads
    assert (the(base, "activiteit", "city-of-things-open-iot-data-awareness"), the(base, "organisatie", "leuven")) in leads
    # "... dit project waarvan de leiding berust bij het Kenniscentrum"
    assert (the(base, "activiteit", "project-van-leegstaande-naar-verweven-werklocaties"),
            the(base, "organisatie", "kenniscentrum-vlaamse-steden")) in leads
    # the cities named as trekker in the text are exactly the cities leading something
    printed = set(re.findall(r"\(trekker (\w+)\)", prose))
    assert printed == {"Gent", "Turnhout", "Leuven"}
    city_leads = {r["leadLabel"].removeprefix("Stad ") for r in rows if r["leadLabel"].startswith("Stad ")}
    assert city_leads == printed
    anpr = [r for r in rows if r["activity"].endswith("/city-of-things-anpr-cameras")]
    assert [r["leadLabel"] for r in anpr] == ["Stad Turnhout"]
    assert [r["sectionNumber"] for r in anpr] == ["9"]


def test_samenwerkingen(ask, base):
    rows = ask("samenwerkingen")
    pairs = {frozenset((r["orgA"], r["orgB"])): int(r["sharedActivities"]) for r in rows}
    assert len(pairs) == len(rows), "every pair once"
    assert all(r["orgA"] < r["orgB"] for r in rows)
    kc = the(base, "organisatie", "kenniscentrum-vlaamse-steden")
    # workshop GDPR and the study trip to Barcelona, both with Agentschap Binnenlands Bestuur
    assert pairs[frozenset((kc, the(base, "organisatie", "agentschap-binnenlands-bestuur")))] == 2
    # congress Slim Gedeeld, the trajectory it concluded, and 'Van leegstaande naar verweven werklocaties'
    assert pairs[frozenset((kc, the(base, "organisatie", "vvsg")))] == 3
    # OBMi, the study afternoon of 19 December, the Barcelona study trip
    assert pairs[frozenset((the(base, "organisatie", "antwerpen"), the(base, "organisatie", "gent")))] == 3
    assert pairs[frozenset((the(base, "organisatie", "csi-flanders"), the(base, "organisatie", "ugent")))] == 1
    assert not any("/persoon/" in r["orgA"] + r["orgB"] for r in rows)
    counts = [int(r["sharedActivities"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    # the parameter changes the answer
    strong = ask("samenwerkingen", minimum="3")
    assert strong and all(int(r["sharedActivities"]) >= 3 for r in strong)
    assert len(strong) < len(rows)
    assert frozenset((kc, the(base, "organisatie", "agentschap-binnenlands-bestuur"))) not in {
        frozenset((r["orgA"], r["orgB"])) for r in strong}


def test_organisaties_per_aantal_activiteiten(ask, base):
    rows = ask("organisaties-per-aantal-activiteiten")
    count = {r["organisation"]: int(r["activities"]) for r in rows}
    assert rows[0]["organisation"] == the(base, "organisatie", "kenniscentrum-vlaamse-steden")
    assert [int(r["activities"]) for r in rows] == sorted(count.values(), reverse=True)
    assert count[the(base, "organisatie", "agentschap-binnenlands-bestuur")] == 2
    assert count[the(base, "organisatie", "ugent")] == 1
    # the EU is only named as where the GDPR took effect: no activity
    assert count[the(base, "organisatie", "europese-unie")] == 0
    assert all(r["labelEn"] for r in rows)


def test_partners_van_organisatie(ask, base):
    gent = {r["partner"]: r for r in ask("partners-van-organisatie")}  # default: Gent
    assert int(gent[the(base, "organisatie", "antwerpen")]["sharedActivities"]) == 3
    kc = gent[the(base, "organisatie", "kenniscentrum-vlaamse-steden")]
    assert int(kc["sharedActivities"]) == 2
    assert set(kc["activities"].split(" | ")) == {
        "Studiereis naar de Smart Cities World Expo Barcelona 2018", "Studienamiddag crowdfunding"}
    # "Aanvullend stelden Growfunding vzw, SoCrowd en Voor je Buurt hun werkwijzen voor."
    for name in ("growfunding", "socrowd", "voor-je-buurt"):
        assert the(base, "organisatie", name) in gent
    assert the(base, "organisatie", "gent") not in gent
    # "samen met CSI Flanders en de UGent"
    ugent = ask("partners-van-organisatie", org="organisatie:ugent")
    assert {r["partner"] for r in ugent} == {the(base, "organisatie", "kenniscentrum-vlaamse-steden"),
                                            the(base, "organisatie", "csi-flanders")}


def test_evenementen_per_maand(ask, prose):
    months = {int(r["month"]): int(r["events"]) for r in ask("evenementen-per-maand")}
    assert months == {2: 1, 3: 1, 5: 1, 6: 1, 9: 1, 10: 4, 11: 6, 12: 4}  # October: 5, 15 (OBMi), 18, 23
    # December: every "<day> december" of the report's prose is one event
    assert months[12] == len(re.findall(r"\b\d{1,2} december\b", prose))
    assert {int(r["month"]): int(r["events"]) for r in ask("evenementen-per-maand", year="2017")} == {1: 1}
    assert ask("evenementen-per-maand", year="2019") == []


def test_tijdlijn(ask, base, prose):
    rows = ask("tijdlijn")
    assert len(rows) == 19  # 18 events and the OBMi milestone of 15 October
    starts = [r["start"] for r in rows]
    assert starts == sorted(starts) and starts[0] == "2018-02-20" and starts[-1] == "2018-12-19"
    for r in rows:
        assert dutch_date_in(prose, r["start"]), r
        if r["end"]:
            assert dutch_date_in(prose, r["end"]) and r["end"] > r["start"], r
    gdpr = [r for r in rows if r["start"] == "2018-02-20"]
    assert [r["activity"] for r in gdpr] == [the(base, "activiteit", "workshop-gdpr")]
    trip = next(r for r in rows if r["start"] == "2018-11-13")
    assert (trip["end"], trip["placeLabel"]) == ("2018-11-15", "Barcelona")
    assert {r["activity"] for r in rows if r["start"] == "2018-12-19"} == {
        the(base, "activiteit", "werkgroep-orba"),
        the(base, "activiteit", "studienamiddag-bestuursakkoord-meerjarenplan")}
    assert next(r for r in rows if r["start"] == "2018-12-11")["placeLabel"] == "Leuven"
    assert next(r for r in rows if r["start"] == "2018-10-18")["placeLabel"] == "Brussel"
    # "lanceerde op 1 januari 2017 Smart Flanders"
    launch = ask("tijdlijn", year="2017")
    assert [(r["start"], r["activity"]) for r in launch] == [("2017-01-01", the(base, "activiteit", "smart-flanders"))]


def test_evenementen_in_periode(ask, base):
    november = ask("evenementen-in-periode")  # default: November 2018
    assert [r["start"] for r in november] == ["2018-11-05", "2018-11-06", "2018-11-09", "2018-11-09",
                                              "2018-11-12", "2018-11-13"]
    # a day inside the study trip (13 tot en met 15 november) finds it
    middle = ask("evenementen-in-periode", **{"from": "2018-11-14", "to": "2018-11-14"})
    assert [r["activity"] for r in middle] == [the(base, "activiteit", "studiereis-smart-cities-world-expo-barcelona-2018")]
    assert len(ask("evenementen-in-periode", **{"from": "2018-01-01", "to": "2018-12-31"})) == 19
    assert ask("evenementen-in-periode", **{"from": "2018-07-01", "to": "2018-08-31"}) == []


def test_obmi_milestone_is_found_by_its_date(ask, base, prose):
    # "Sinds 15 oktober staan alle stad-in-cijfers websites online" (section 01, werkgroep OBMi)
    assert "Sinds 15 oktober staan alle stad-in-cijfers websites online" in prose
    day = ask("evenementen-in-periode", **{"from": "2018-10-15", "to": "2018-10-15"})
    assert [r["activity"] for r in day] == [the(base, "activiteit", "werkgroep-obmi")]
    assert any(r["start"] == "2018-10-15" and r["activity"] == the(base, "activiteit", "werkgroep-obmi")
               for r in ask("tijdlijn"))


def test_evenementen_op_plaats(ask, base):
    antwerp = ask("evenementen-op-plaats")  # default: Antwerpen, including Den Bell
    assert [(r["start"], r["venue"]) for r in antwerp] == [
        ("2018-05-16", the(base, "plaats", "antwerpen")),
        ("2018-12-19", the(base, "plaats", "den-bell")),
    ]
    # "De eerste studievoormiddag ging door op 11 december en Leuven was de gaststad."
    assert [r["start"] for r in ask("evenementen-op-plaats", place="plaats:leuven")] == ["2018-12-11"]
    assert [r["start"] for r in ask("evenementen-op-plaats", place="plaats:barcelona")] == ["2018-11-13"]
    assert [r["start"] for r in ask("evenementen-op-plaats", place="plaats:brussel")] == ["2018-10-18"]


def test_activiteiten_per_thema(ask, base):
    rows = {r["theme"]: r for r in ask("activiteiten-per-thema")}
    assert all(int(r["activities"]) >= 1 for r in rows.values())
    gdpr = rows[the(base, "thema", "gdpr")]
    assert (int(gdpr["activities"]), gdpr["activityLabels"]) == (1, "Workshop GDPR")
    assert rows[the(base, "thema", "crowdfunding")]["activityLabels"] == "Studienamiddag crowdfunding"
    smart = set(rows[the(base, "thema", "smart-city")]["activityLabels"].split(" | "))
    assert {"Databroker (City of Things)", "ANPR-camera’s (City of Things)",
            "Studiereis naar de Smart Cities World Expo Barcelona 2018"} <= smart
    assert rows[the(base, "thema", "financiering")]["themeLabelEn"] == "funding"


def test_documenten_per_activiteit(ask, base, seed_text):
    rows = ask("documenten-per-activiteit")
    urls = {r["url"] for r in rows}
    for url in urls:
        assert url in seed_text, f"not printed in the report: {url}"
    # every link printed in the report is there, byte for byte
    assert urls == set(re.findall(r"https?://\S+", seed_text))
    assert len(urls) == 28
    gdpr = [r for r in rows if r["activity"] == the(base, "activiteit", "workshop-gdpr")]
    assert [r["url"] for r in gdpr] == [
        "http://www.kenniscentrumvlaamsesteden.be/Gedeelde%20%20documenten/2019/Jaarverslag2018/Workshop%20GDPR.pdf"]
    for r in rows:
        assert r["format"] == ("application/pdf" if r["url"].endswith(".pdf") else "text/html"), r
        assert r["linkText"] and squash(r["linkText"]) in squash(seed_text), r
    plan = next(r for r in rows if "Stappenplan" in r["url"])
    assert plan["activity"] == the(base, "activiteit", "werkgroep-orba")
    assert [r["sectionNumber"] for r in rows] == sorted((r["sectionNumber"] for r in rows), key=int)


def test_budgetten(ask, base, prose):
    rows = {r["activity"]: r for r in ask("budgetten")}
    city_of_things = rows[the(base, "activiteit", "oproep-vlaio-city-of-things")]
    assert (Decimal(city_of_things["amount"]), city_of_things["currency"]) == (Decimal("4000000"), "EUR")
    assert "4 miljoen euro" in prose
    kc = rows[the(base, "activiteit", "werking-2018")]
    assert (Decimal(kc["amount"]), kc["currency"]) == (Decimal("354767.87"), "EUR")
    assert "Kenniscentrum Vlaamse Steden" in kc["fundersOrExecutors"]
    # the amount as printed: "een budget van 354.767,87 euro"
    printed = f"{Decimal(kc['amount']):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    assert f"budget van {printed} euro" in prose
    assert len(rows) == 2
    assert list(rows) == [the(base, "activiteit", "oproep-vlaio-city-of-things"), the(base, "activiteit", "werking-2018")]


def test_aantallen(ask, base, prose):
    rows = ask("aantallen")
    stated = {(r["activity"].rsplit("/", 1)[1], int(r["value"]), r["unit"]) for r in rows}
    for expected in [
        ("werkgroep-obmi", 9, "vergaderingen in 2018"),            # "vergaderde in 2018 negen keer"
        ("oproep-vlaio-city-of-things", 3, "ingediende en weerhouden voorstellen"),
        ("studiedag-toekomstgericht-herbestemmen", 12, "uitgediepte cases"),
        ("excursies-slim-gedeeld", 10, "bezochte praktijkvoorbeelden"),
        ("project-van-leegstaande-naar-verweven-werklocaties", 12, "kandidaatstellingen"),
        ("project-van-leegstaande-naar-verweven-werklocaties", 5, "geselecteerde projectzones"),
        ("begeleidingstrajecten-herbestemming-parochiekerken", 30, "cases toegevoegd aan de website"),
        ("stadsgenoten", 9, "thematische fiches"),
        ("stadsgenoten", 12, "semi-gestructureerde diepte-interviews"),
        ("overleg-vlaamse-europarlementariers", 2, "overlegmomenten"),
        ("overleg-vlaamse-europarlementariers", 5, "beleidsambities"),
    ]:
        assert expected in stated, expected
    words = {2: "twee", 3: "drie", 4: "vier", 5: "vijf", 8: "acht", 9: "negen", 10: "tien", 12: "twaalf"}
    for r in rows:
        value = int(r["value"])
        assert re.search(rf"\b{value}\b", prose) or words.get(value, "?") in prose, r
        assert r["unit"] and r["unitEn"], r
    assert [int(r["sectionNumber"]) for r in rows] == sorted(int(r["sectionNumber"]) for r in rows)


def test_activiteiten_van_stad(ask, base):
    gent = ask("activiteiten-van-stad")  # default: Gent
    direct = {r["activity"].rsplit("/", 1)[1]: r["roles"] for r in gent if not r["via"]}
    assert set(direct) == {"werkgroep-obmi", "studienamiddag-bestuursakkoord-meerjarenplan",
                           "studiereis-smart-cities-world-expo-barcelona-2018",
                           "city-of-things-databroker", "studienamiddag-crowdfunding"}
    assert direct["city-of-things-databroker"] == "trekker"
    assert "co-organisator" in direct["studienamiddag-crowdfunding"]
    via = {r["activity"].rsplit("/", 1)[1]: r["via"] for r in gent if r["via"]}
    assert via["smart-flanders"] == the(base, "organisatie", "centrumsteden")
    assert not set(via) & set(direct)
    assert [bool(r["via"]) for r in gent] == sorted(bool(r["via"]) for r in gent)  # direct first
    turnhout = ask("activiteiten-van-stad", city="organisatie:turnhout")
    direct = {r["activity"].rsplit("/", 1)[1]: r["roles"] for r in turnhout if not r["via"]}
    assert direct == {"city-of-things-anpr-cameras": "trekker",
                      "studiereis-smart-cities-world-expo-barcelona-2018": "deelnemer"}
    leuven = {r["activity"].rsplit("/", 1)[1]: r["roles"] for r in ask("activiteiten-van-stad", city="organisatie:leuven")}
    assert leuven["studievoormiddagen-interne-organisatie-herbestemming"] == "gastheer"  # "Leuven was de gaststad"


def test_activiteiten_per_sectie(ask, base, seed_text):
    rows = ask("activiteiten-per-sectie")
    numbers = [int(r["sectionNumber"]) for r in rows]
    assert sorted(set(numbers)) == list(range(1, 25)) and numbers == sorted(numbers)
    assert all(r["activity"] for r in rows), "every section yields at least one activity"
    per_section = {n: numbers.count(n) for n in set(numbers)}
    assert per_section[2] == 3 and per_section[9] == 4 and per_section[22] == 5
    # the section titles are printed in the report, in this order
    text, position = squash(seed_text), 0
    for number in range(1, 25):
        title = next(r["sectionTitle"] for r in rows if int(r["sectionNumber"]) == number)
        found = text.find(squash(title), position)
        assert found >= 0, f"section {number} title not found in order: {title}"
        position = found
    gdpr = next(r for r in rows if r["activity"] == the(base, "activiteit", "workshop-gdpr"))
    assert (gdpr["sectionNumber"], gdpr["classLabel"]) == ("4", "workshop")


def test_activiteiten_per_klasse(ask, base):
    rows = ask("activiteiten-per-klasse")
    assert len({r["activity"] for r in rows}) == len(rows), "one specific kind per activity"
    kinds = {r["activity"].rsplit("/", 1)[1]: (r["classLabel"], r["classLabelEn"]) for r in rows}
    assert kinds["workshop-gdpr"] == ("workshop", "workshop")
    assert kinds["studiedag-toekomstgericht-herbestemmen"] == ("studiedag", "study day")
    assert kinds["congres-slim-gedeeld"] == ("congres", "congress")
    assert kinds["seminarie-innovatie-stedelijke-organisatie"] == ("seminarie", "seminar")
    assert kinds["oproep-vlaio-city-of-things"] == ("projectoproep", "call for projects")
    # parameter: only one kind
    study_days = ask("activiteiten-per-klasse", **{"class": "kg:StudyDay"})
    assert {r["activity"].rsplit("/", 1)[1] for r in study_days} == {
        "studiedag-toekomstgericht-herbestemmen", "studievoormiddagen-interne-organisatie-herbestemming",
        "studienamiddag-bestuursakkoord-meerjarenplan"}
    assert {r["classLabelEn"] for r in study_days} == {"study day"}
    trips = ask("activiteiten-per-klasse", **{"class": "kg:StudyTrip"})  # "studiereis", "excursiedagen"
    assert {r["activity"].rsplit("/", 1)[1] for r in trips} == {
        "studiereis-smart-cities-world-expo-barcelona-2018", "excursies-slim-gedeeld"}


def test_studiedagen_en_workshops(ask, base):
    rows = {r["activity"].rsplit("/", 1)[1]: r for r in ask("studiedagen-en-workshops")}
    gdpr = rows["workshop-gdpr"]
    assert gdpr["firstDate"] == "2018-02-20"
    assert set(gdpr["organisers"].split(" | ")) == {"Kenniscentrum Vlaamse Steden", "Agentschap Binnenlands Bestuur"}
    assert rows["studiedag-toekomstgericht-herbestemmen"]["firstDate"] == "2018-10-23"
    assert rows["studievoormiddagen-interne-organisatie-herbestemming"]["firstDate"] == "2018-12-11"
    crowdfunding = rows["studienamiddag-crowdfunding"]  # "Op 6 november ... in samenwerking met de stad Gent"
    assert crowdfunding["firstDate"] == "2018-11-06"
    assert set(crowdfunding["organisers"].split(" | ")) == {"Kenniscentrum Vlaamse Steden", "Stad Gent"}
    assert rows["workshops-datawarehouse"]["classLabelEn"] == "workshop series"
    assert rows["studiedag-toekomstgericht-herbestemmen"]["classLabelEn"] == "study day"
    dates = [r["firstDate"] for r in rows.values() if r["firstDate"]]
    assert dates == sorted(dates)


def test_deelactiviteiten(ask, base):
    rows = ask("deelactiviteiten")
    parts: dict[str, set[str]] = {}
    for r in rows:
        parts.setdefault(r["parent"].rsplit("/", 1)[1], set()).add(r["part"].rsplit("/", 1)[1])
        assert int(r["depth"]) >= 1
    # "De 3 projecten zijn : databroker ..., ANPR-camera's ... en ... open (IoT) data awareness"
    assert parts["oproep-vlaio-city-of-things"] == {
        "city-of-things-databroker", "city-of-things-anpr-cameras", "city-of-things-open-iot-data-awareness"}
    # "via deelname aan de stuurgroep en de werkgroepen 'open data charter' en 'datapiloten'"
    assert parts["smart-flanders"] == {"smart-flanders-stuurgroep", "smart-flanders-werkgroep-open-data-charter",
                                       "smart-flanders-werkgroep-datapiloten"}
    assert "werkgroep-orba" in parts["project-orba"]
    assert "lokale-transitie-renoveren-2050" in parts["be-reel"]


def test_personen_en_rollen(ask, base, prose):
    rows = ask("personen-en-rollen")
    assert {r["name"] for r in rows} == {"Liesbeth Homans"}
    assert all(r["name"] in prose for r in rows)
    homans = rows[0]
    assert homans["jobTitle"] == "Vlaams minister voor Binnenlands Bestuur" and homans["jobTitle"] in prose
    assert homans["memberOfLabel"] == "Vlaamse Regering"
    roles = {(r["thing"].rsplit("/", 1)[1], r["roleLabel"], r["roleLabelEn"]) for r in rows}
    # "Vlaams minister voor Binnenlands Bestuur Liesbeth Homans lanceerde op 1 januari 2017 Smart Flanders"
    assert ("smart-flanders", "initiatiefnemer", "initiator") in roles
    assert any(thing == "lancering-smart-flanders-2017-01-01" for thing, _, _ in roles)


def test_centrumsteden(ask, base, prose):
    rows = ask("centrumsteden")
    assert len(rows) == 13 and "13 centrumsteden" in prose
    nis = {r["city"].rsplit("/", 1)[1]: r["nisCode"] for r in rows}
    assert nis == THIRTEEN_NIS
    for r in rows:
        assert r["municipality"] == f"https://data.vlaanderen.be/id/gemeente/{r['nisCode']}"
        assert r["label"].startswith("Stad ") and r["labelEn"].startswith("City of ")
    activities = {r["city"].rsplit("/", 1)[1]: int(r["activities"]) for r in rows}
    assert all(n >= 1 for n in activities.values()), "all 13 went to Barcelona"
    assert activities["turnhout"] == 2  # Barcelona + ANPR cameras


def test_activiteiten_zonder_datum(ask, base):
    rows = ask("activiteiten-zonder-datum")
    undated = {r["activity"].rsplit("/", 1)[1] for r in rows}
    for slug in ("schillenboek", "stadsgenoten", "communicatie-2018", "werking-2018", "city-of-things-anpr-cameras"):
        assert slug in undated
    for slug in ("workshop-gdpr", "excursies-slim-gedeeld", "seminarie-innovatie-stedelijke-organisatie",
                 "smart-flanders", "congres-slim-gedeeld"):
        assert slug not in undated
    # exactly the activities that do not appear on any timeline
    dated = {r["activity"] for year in ("2017", "2018") for r in ask("tijdlijn", year=year)}
    activities = {r["activity"] for r in ask("activiteiten-per-klasse")}
    assert {r["activity"] for r in rows} == activities - dated
    # Werkgroep OBMi is dated now: "Sinds 15 oktober staan alle stad-in-cijfers websites online".
    assert "werkgroep-obmi" not in undated


def test_rollen_van_organisaties(ask, base):
    rows = ask("rollen-van-organisaties")
    roles = {(r["organisation"].rsplit("/", 1)[1], r["roleLabel"], r["activity"].rsplit("/", 1)[1]) for r in rows}
    assert ("kenniscentrum-vlaamse-steden", "organisator", "workshop-gdpr") in roles
    assert ("agentschap-binnenlands-bestuur", "organisator", "workshop-gdpr") in roles
    assert ("leuven", "gastheer", "studievoormiddagen-interne-organisatie-herbestemming") in roles
    assert ("cronos", "spreker", "haalbaarheidsstudie-orba") in roles  # "presenteerde Cronos de resultaten"
    assert ("de-verenigde-verenigingen", "organisator", "congres-slim-gedeeld") in roles
    english = {r["roleLabel"]: r["roleLabelEn"] for r in rows}
    assert english["trekker"] == "lead" and english["organisator"] == "organiser" and english["gastheer"] == "host"
    assert not any("/persoon/" in r["organisation"] for r in rows)
    # parameter: only leads, the same as the trekkers query
    leads = ask("rollen-van-organisaties", role="rol:trekker")
    assert {r["roleLabel"] for r in leads} == {"trekker"}
    assert {(r["activity"], r["organisation"]) for r in leads} == {(r["activity"], r["lead"]) for r in ask("trekkers")}
    # "De Vlaamse overheid voorziet met City of Things 4 miljoen euro"
    funders = ask("rollen-van-organisaties", role="rol:financier")
    assert [(r["organisation"], r["activity"]) for r in funders] == [
        (the(base, "organisatie", "vlaamse-overheid"), the(base, "activiteit", "oproep-vlaio-city-of-things"))]


def test_zoek_label(ask, base):
    default = ask("zoek-label")  # "herbestemming"
    found = {r["resource"] for r in default}
    assert the(base, "organisatie", "projectbureau-herbestemming-kerken") in found
    assert the(base, "activiteit", "studievoormiddagen-interne-organisatie-herbestemming") in found
    assert all("herbestemming" in r["matchedNames"].lower() for r in default)
    assert len(found) == len(default), "one row per resource"
    # case- and accent-insensitive: "Europarlementariërs" found with plain upper-case letters
    plain = {r["resource"] for r in ask("zoek-label", text="EUROPARLEMENTARIERS")}
    accented = {r["resource"] for r in ask("zoek-label", text="europarlementariërs")}
    assert the(base, "organisatie", "vlaamse-europarlementariers") in plain
    assert plain == accented and len(plain) == 5  # organisation, activity, 2 meetings, document
    # alternative names count; regular-expression characters are literal
    assert the(base, "organisatie", "vlaio") in {r["resource"] for r in ask("zoek-label", text="VLAIO")}
    bracket = ask("zoek-label", text="O(mgeving)")
    assert the(base, "sectie", "jaarverslag-2018-01") in {r["resource"] for r in bracket}
    assert ask("zoek-label", text="geen-zulke-naam") == []
    # curly and straight apostrophes are the same
    curly = {r["resource"] for r in ask("zoek-label", text="‘open data charter’")}
    assert curly == {r["resource"] for r in ask("zoek-label", text="'open data charter'")} != set()


def test_werkte_kenniscentrum_samen_met(ask):
    # "Het Kenniscentrum Vlaamse Steden en Agentschap Binnenlands Bestuur organiseerden ..."
    assert ask("werkte-kenniscentrum-samen-met") is True
    assert ask("werkte-kenniscentrum-samen-met", org="organisatie:csi-flanders") is True
    assert ask("werkte-kenniscentrum-samen-met", org="organisatie:gent") is True
    # the EU is only where the GDPR took effect; the Projectbureau works on its own in the report
    assert ask("werkte-kenniscentrum-samen-met", org="organisatie:europese-unie") is False
    assert ask("werkte-kenniscentrum-samen-met", org="organisatie:projectbureau-herbestemming-kerken") is False
    assert ask("werkte-kenniscentrum-samen-met", org="organisatie:kenniscentrum-vlaamse-steden") is False


def test_samenwerkingsnetwerk(ask, base):
    triples = ask("samenwerkingsnetwerk")
    linked_to = "http://www.w3.org/ns/org#linkedTo"
    links = {(s, o) for s, p, o in triples if p == linked_to}
    assert links and all((o, s) in links for s, o in links), "symmetric"
    kc, abb = the(base, "organisatie", "kenniscentrum-vlaamse-steden"), the(base, "organisatie", "agentschap-binnenlands-bestuur")
    assert (kc, abb) in links
    nodes = {s for s, _ in links}
    labelled = {s for s, p, _ in triples if p == "http://www.w3.org/2000/01/rdf-schema#label"}
    assert nodes <= labelled
    assert not any("/persoon/" in s for s in nodes)
    # the same network as the pairs of 'samenwerkingen'
    pairs = {frozenset((r["orgA"], r["orgB"])) for r in ask("samenwerkingen")}
    assert {frozenset(link) for link in links} == pairs


def test_kerncijfers(ask, seed_text):
    figures = {r["what"]: int(r["count"]) for r in ask("kerncijfers")}
    assert figures["centrumsteden"] == 13
    assert figures["verslagsecties"] == 24
    assert figures["evenementen in 2018"] == 19  # with the OBMi milestone
    assert figures["gelinkte documenten"] == len(set(re.findall(r"https?://\S+", seed_text))) == 28
    assert figures["personen"] == 1  # Liesbeth Homans, the only person the report names
    assert figures["activiteiten"] == len(ask("activiteiten-per-klasse"))
    assert figures["organisaties"] == len(ask("organisaties-per-aantal-activiteiten"))
    assert [r["what"] for r in ask("kerncijfers")][0] == "activiteiten"


def test_organisaties_per_soort(ask, base):
    rows = {r["type"].rsplit("#", 1)[1]: r for r in ask("organisaties-per-soort")}
    assert int(rows["CentralCity"]["organisations"]) == 13
    assert int(rows["LocalGovernment"]["organisations"]) == 14  # the 13 cities and the VGC
    assert set(rows["Company"]["names"].split(" | ")) == {"BUUR", "Cronos", "Miss Miyagi"}
    assert set(rows["ResearchOrganisation"]["names"].split(" | ")) == {"CSI Flanders", "imec", "UGent"}
    assert rows["NonProfit"]["typeLabelEn"] == "non-profit organisation"


def test_looptijden(ask, base):
    rows = {r["activity"].rsplit("/", 1)[1]: r for r in ask("looptijden")}
    # "lanceerde op 1 januari 2017 Smart Flanders ... loopt tot eind 2019"
    assert (rows["smart-flanders"]["startYear"], rows["smart-flanders"]["endYear"], rows["smart-flanders"]["years"]) == ("2017", "2019", "3")
    # "de eerste samenwerkingsovereenkomst 2007 – 2011"
    assert rows["programma-gebiedsgerichte-werking-2007-2011"]["years"] == "5"
    assert rows["werkgroep-obmi"]["startYear"] == "2015" and rows["werkgroep-obmi"]["endYear"] is None
    # parameter: only what ran in that year
    in_2020 = {r["activity"].rsplit("/", 1)[1] for r in ask("looptijden", year="2020")}
    assert "smart-flanders" not in in_2020
    assert "opleiding-gebiedsgericht-werken-thematische-tweedaagses" in in_2020  # "in 2020 'It takes a village ...'"
    in_2010 = {r["activity"].rsplit("/", 1)[1] for r in ask("looptijden", year="2010")}
    assert in_2010 == {"programma-gebiedsgerichte-werking-2007-2011", "interstedelijke-reflectiegroep-europa"}


def test_every_query_has_a_test_here():
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    missing = {p.stem for p in QUERY_FILES} - tested
    assert not missing, f"queries without a test: {sorted(missing)}"
