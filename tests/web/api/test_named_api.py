"""The named queries as a REST API (issue 15 point 4), against the real server (the default server, loopback):
listing, typed parameters bound as RDF terms (injection attempts), JSON rows and CSV by Accept or
suffix, paging with Link rel="next", ETag / 304, and the OpenAPI 3.1 document (validated by
openapi-spec-validator, exercised by schemathesis)."""

from __future__ import annotations

import csv
import io

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from kgraph.querying import bindings_for, run
from kgraph.named_queries import load_catalogue

BASE = "https://data.kenniscentrumvlaamsesteden.be/"


def test_listing_names_every_query_with_typed_parameters(live_2018, project_settings):
    listed = requests.get(live_2018 + "/api/queries").json()["queries"]
    catalogue = load_catalogue(project_settings.queries_dir)
    assert [q["name"] for q in listed] == list(catalogue)
    city = next(q for q in listed if q["name"] == "activiteiten-van-stad")
    assert city["parameters"] == [{"name": "city", "type": "iri", "default": "organisatie:gent",
                                   "label": "De stad / The city"}]


def test_json_rows_are_the_cli_answer(live_2018, store, project_settings):
    query = load_catalogue(project_settings.queries_dir)["activiteiten-van-stad"]
    expected = list(run(store, query.text(BASE), BASE, bindings_for(query, {"city": "organisatie:antwerpen"}, BASE)))
    body = requests.get(live_2018 + "/api/queries/activiteiten-van-stad",
                        params={"city": "organisatie:antwerpen", "limit": 1000}).json()
    assert body["variables"] == ["activity", "activityLabel", "via", "viaLabel", "roles", "city"]
    assert [r["activity"] for r in body["rows"]] == [s["activity"].value for s in expected]
    assert {r["city"] for r in body["rows"]} == {BASE + "id/organisatie/antwerpen"}  # bound, not the default
    assert body["next"] is None


def test_csv_by_suffix_and_by_accept(live_2018):
    by_suffix = requests.get(live_2018 + "/api/queries/organisaties-per-soort.csv")
    by_accept = requests.get(live_2018 + "/api/queries/organisaties-per-soort", headers={"Accept": "text/csv"})
    as_json = requests.get(live_2018 + "/api/queries/organisaties-per-soort", headers={"Accept": "application/json"})
    assert by_suffix.headers["Content-Type"].startswith("text/csv")
    assert by_suffix.text == by_accept.text
    assert "Accept" in by_accept.headers["Vary"]
    rows = list(csv.DictReader(io.StringIO(by_suffix.text)))
    assert len(rows) == len(as_json.json()["rows"]) > 0
    assert requests.get(live_2018 + "/api/queries/organisaties-per-soort", headers={"Accept": "image/png"}).status_code == 406


def test_pages_follow_link_next_to_the_whole_answer(live_2018):
    whole = requests.get(live_2018 + "/api/queries/partners-van-organisatie",
                         params={"org": "organisatie:kenniscentrum-vlaamse-steden", "limit": 1000}).json()["rows"]
    assert len(whole) > 7
    url, pages = live_2018 + "/api/queries/partners-van-organisatie?org=organisatie:kenniscentrum-vlaamse-steden&limit=3", []
    while url:
        response = requests.get(url)
        pages.append(response.json()["rows"])
        url = response.links.get("next", {}).get("url")
        assert (url is None) == (response.json()["next"] is None)
    assert all(len(p) == 3 for p in pages[:-1]) and 1 <= len(pages[-1]) <= 3
    assert [r for p in pages for r in p] == whole


def test_etag_answers_304(live_2018):
    url = live_2018 + "/api/queries/activiteiten-van-stad.json?city=organisatie:gent"
    first = requests.get(url)
    assert first.headers["ETag"] and "max-age" in first.headers["Cache-Control"]
    again = requests.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    other = requests.get(url.replace("gent", "leuven"), headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200


@pytest.mark.parametrize("value", [
    "organisatie:gent> } UNION { ?activity ?p ?o",
    "<https://x.org/a> . } DELETE WHERE { ?s ?p ?o",
    "organisatie:gent\n} #",
    "javascript:alert(1)\"",
])
def test_iri_injection_attempts_are_refused_by_type(live_2018, value):
    response = requests.get(live_2018 + "/api/queries/activiteiten-van-stad", params={"city": value})
    assert response.status_code == 400, response.text
    assert "city" in response.text and "Traceback" not in response.text


def test_string_parameter_is_a_literal_whatever_it_holds(live_2018):
    # A SPARQL-looking string is searched for as text: it matches nothing and changes nothing.
    attack = 'x") || true || CONTAINS("'
    body = requests.get(live_2018 + "/api/queries/zoek-label", params={"text": attack}).json()
    assert body["rows"] == []
    normal = requests.get(live_2018 + "/api/queries/zoek-label", params={"text": "Gent"}).json()
    assert normal["rows"]


def test_bad_input_is_a_clear_400_or_404(live_2018):
    wrong_type = requests.get(live_2018 + "/api/queries/evenementen-per-maand", params={"year": "twee"})
    assert wrong_type.status_code == 400 and "'year' (integer)" in wrong_type.text
    unknown = requests.get(live_2018 + "/api/queries/evenementen-per-maand", params={"jaar": "2018"})
    assert unknown.status_code == 400 and "jaar" in unknown.text
    assert requests.get(live_2018 + "/api/queries/evenementen-per-maand", params={"limit": "-1"}).status_code == 400
    assert requests.get(live_2018 + "/api/queries/no-such-query").status_code == 404


def test_openapi_document_is_valid_and_covers_every_query(live_2018, project_settings):
    document = requests.get(live_2018 + "/api/openapi.json").json()
    validate(document)  # openapi-spec-validator: raises on an invalid OpenAPI 3.1 document
    assert document["openapi"].startswith("3.1")
    for name, query in load_catalogue(project_settings.queries_dir).items():
        operation = document["paths"][f"/api/queries/{name}"]["get"]
        declared = {p["name"]: p["schema"]["type"] for p in operation["parameters"]}
        for parameter in query.parameters:
            assert declared[parameter.name] == {"iri": "string", "string": "string", "date": "string",
                                                "integer": "integer", "decimal": "number"}[parameter.type]


def test_api_page_serves_swagger_ui_from_the_install(live_2018):
    page = requests.get(live_2018 + "/api/").text
    assert "/assets/swagger-ui/swagger-ui-bundle.js" in page and "cdn" not in page.lower()


def test_schemathesis_every_operation_conforms(live_2018):
    """Every operation of the document, by schemathesis's generated requests: no server error, every
    response matching its documented status, media type and schema (call_and_validate's checks).
    The operations are run one by one with hypothesis directly (schemathesis's pytest plugin does
    not load under this pytest version)."""
    schema = schemathesis.openapi.from_url(live_2018 + "/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=5, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate()

        check()
