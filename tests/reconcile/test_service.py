"""The reconciliation service through the real server (the default server on loopback, the 2018 build):
every kind of response validated against the published Reconciliation API 0.2 JSON Schemas,
JSONP, CORS, and bad input answered 400 naming the parameter."""

from __future__ import annotations

import json

import pytest
import requests

from kgraph.reconcile.types import TYPES

ORG = "http://www.w3.org/ns/org#Organization"


@pytest.fixture(scope="module")
def manifest(live_2018, schemas) -> dict:
    response = requests.get(f"{live_2018}/reconcile", timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    document = response.json()
    schemas.check("manifest.json", document)
    return document


def iri(settings, ref: str) -> str:
    return f"{settings.base}id/{ref}"


def _reconcile(live: str, batch: dict, method: str = "POST") -> dict:
    if method == "POST":
        response = requests.post(f"{live}/reconcile", data={"queries": json.dumps(batch)}, timeout=30)
    else:
        response = requests.get(f"{live}/reconcile", params={"queries": json.dumps(batch)}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_manifest_names_version_spaces_and_services_on_this_host(manifest, live_2018, project_settings):
    assert "0.2" in manifest["versions"]
    assert manifest["identifierSpace"] == f"{project_settings.base}id/"
    assert manifest["defaultTypes"] == [{"id": ORG, "name": "organisatie"}]
    for service in ("entity", "type", "property"):
        assert manifest["suggest"][service]["service_url"] == f"{live_2018}/reconcile"
    assert manifest["preview"]["url"].startswith(f"{live_2018}/reconcile/preview?id=")
    assert manifest["extend"]["propose_properties"]["service_url"] == f"{live_2018}/reconcile"


def test_manifest_as_jsonp_and_callback_names_checked(live_2018, schemas):
    response = requests.get(f"{live_2018}/reconcile", params={"callback": "jQuery3600_17.cb$"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/javascript")
    body = response.text
    assert body.startswith("/**/jQuery3600_17.cb$(") and body.endswith(");")
    schemas.check("manifest.json", json.loads(body[len("/**/jQuery3600_17.cb$("):-2]))
    for bad in ("alert(1)//", "a b", "<script>", "x" * 300, "1abc", "a..b", "", "cb\n"):
        refused = requests.get(f"{live_2018}/reconcile", params={"callback": bad}, timeout=30)
        assert refused.status_code == 400, bad
        assert refused.headers["Content-Type"].startswith("text/plain") and "callback" in refused.text
        assert "<script>" not in refused.text and "alert(1)" not in refused.text


def test_jsonp_never_carries_markup_that_could_end_a_script(live_2018, project_settings):
    gent = iri(project_settings, "organisatie/gent")
    response = requests.get(f"{live_2018}/reconcile/flyout", params={"id": gent, "callback": "cb"}, timeout=30)
    assert response.status_code == 200
    assert "<" not in response.text and ">" not in response.text  # the flyout's HTML travels \u003c-escaped
    assert "Stad Gent" in json.loads(response.text[len("/**/cb("):-2])["html"]


def test_batch_by_post_form_and_by_get_validates_and_matches(live_2018, project_settings, schemas):
    batch = {
        "q0": {"query": "Stad Gent", "type": ORG},
        "q1": {"query": "Antwerpen"},  # the city and the place: no match without a type
        "q2": {"query": "imec vzw", "type": [ORG], "limit": 1, "type_strict": "any"},
        "q3": {"properties": [{"pid": "nisCode", "v": 71016}], "type": ORG},
        "q4": {"query": "Stad Lokeren", "type": ORG},
        "q5": {"query": "Gent", "type": ORG, "properties": [{"pid": "city", "v": {"id": "https://data.vlaanderen.be/id/gemeente/44021", "name": "Gent"}}]},
    }
    schemas.check("reconciliation-query-batch.json", batch)
    posted = _reconcile(live_2018, batch, "POST")
    assert posted == _reconcile(live_2018, batch, "GET")
    schemas.check("reconciliation-result-batch.json", posted)
    [gent, *others] = posted["q0"]["result"]
    assert gent["id"] == iri(project_settings, "organisatie/gent") and gent["match"] and gent["score"] == 100
    assert gent["name"] == "Stad Gent" and {"id": ORG, "name": "organisatie"} in gent["type"]
    assert not any(c["match"] for c in others)
    untyped = posted["q1"]["result"]
    assert {c["id"] for c in untyped[:2]} == {iri(project_settings, "organisatie/antwerpen"), iri(project_settings, "plaats/antwerpen")}
    assert not any(c["match"] for c in untyped)
    assert [c["id"] for c in posted["q2"]["result"]] == [iri(project_settings, "organisatie/imec")]
    assert posted["q3"]["result"][0]["id"] == iri(project_settings, "organisatie/genk") and posted["q3"]["result"][0]["match"]
    assert not any(c["match"] for c in posted["q4"]["result"])
    assert posted["q5"]["result"][0]["match"] and {"id": "city", "value": True} in posted["q5"]["result"][0]["features"]
    assert all(0 <= c["score"] <= 100 for answer in posted.values() for c in answer["result"])


def test_suggest_services_for_types_entities_and_properties(live_2018, project_settings, schemas):
    types = requests.get(f"{live_2018}/reconcile/suggest/type", params={"prefix": ""}, timeout=30).json()
    schemas.check("suggest-types-response.json", types)
    assert {t["id"] for t in types["result"]} == {t.id for t in TYPES}
    assert [t["id"] for t in requests.get(f"{live_2018}/reconcile/suggest/type", params={"prefix": "pla"}, timeout=30).json()["result"]] \
        == ["http://schema.org/Place"]
    entities = requests.get(f"{live_2018}/reconcile/suggest/entity", params={"prefix": "sint", "type": ORG}, timeout=30).json()
    schemas.check("suggest-entities-response.json", entities)
    assert entities["result"][0]["id"] == iri(project_settings, "organisatie/sint-niklaas")
    first = requests.get(f"{live_2018}/reconcile/suggest/entity", params={"prefix": "stad"}, timeout=30).json()["result"]
    second = requests.get(f"{live_2018}/reconcile/suggest/entity", params={"prefix": "stad", "cursor": 10}, timeout=30).json()["result"]
    assert len(first) == 10 and second and not {e["id"] for e in first} & {e["id"] for e in second}
    properties = requests.get(f"{live_2018}/reconcile/suggest/property", params={"prefix": "nis"}, timeout=30).json()
    schemas.check("suggest-properties-response.json", properties)
    assert properties["result"][0]["id"] == "nisCode"


def test_preview_flyout_and_view_from_the_manifest_templates(manifest, live_2018, project_settings):
    gent = iri(project_settings, "organisatie/gent")
    preview = requests.get(manifest["preview"]["url"].replace("{{id}}", gent), timeout=30)
    assert preview.status_code == 200 and preview.headers["Content-Type"].startswith("text/html")
    assert "Stad Gent" in preview.text and "44021" in preview.text and f'href="{live_2018}/doc/organisatie/gent"' in preview.text
    flyout_path = manifest["suggest"]["entity"]["flyout_service_path"].replace("${id}", gent)
    flyout = requests.get(manifest["suggest"]["entity"]["service_url"] + flyout_path, timeout=30).json()
    assert flyout["id"] == gent and "Stad Gent" in flyout["html"]
    view = requests.get(manifest["view"]["url"].replace("{{id}}", gent), allow_redirects=False, timeout=30)
    assert view.status_code == 303 and view.headers["Location"] == f"{live_2018}/doc/organisatie/gent"
    for path in ("preview", "flyout", "view"):
        missing = requests.get(f"{live_2018}/reconcile/{path}", params={"id": "<b>nobody</b>"}, timeout=30)
        assert missing.status_code == 404 and "<b>" not in missing.text


def _sparql(live: str, query: str) -> list[dict]:
    response = requests.post(f"{live}/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def test_data_extension_proposes_and_fetches_what_the_graph_says(live_2018, project_settings, schemas):
    proposal = requests.get(f"{live_2018}/reconcile/propose_properties", params={"type": ORG, "limit": 10}, timeout=30).json()
    schemas.check("data-extension-property-proposal.json", proposal)
    assert {p["id"] for p in proposal["properties"]} == {"nisCode", "kind", "city", "activityCount", "partner"}
    gent, imec = iri(project_settings, "organisatie/gent"), iri(project_settings, "organisatie/imec")
    query = {"ids": [gent, imec, iri(project_settings, "organisatie/niet-bestaand")],
             "properties": [{"id": p["id"]} for p in proposal["properties"]]}
    schemas.check("data-extension-query.json", query)
    answer = requests.post(f"{live_2018}/reconcile", data={"extend": json.dumps(query)}, timeout=30).json()
    schemas.check("data-extension-response.json", answer)
    assert [m["id"] for m in answer["meta"]] == [p["id"] for p in proposal["properties"]]
    row = answer["rows"][gent]
    assert row["nisCode"] == [{"str": "44021"}]
    assert row["kind"] == [{"id": f"{project_settings.base}ns/kgraph#CentralCity", "name": "centrumstad"}]
    assert row["city"] == [{"id": "https://data.vlaanderen.be/id/gemeente/44021", "name": "Gent"}]
    assert answer["rows"][imec]["nisCode"] == [] and answer["rows"][imec]["city"] == []
    assert all(v == [] for v in answer["rows"][query["ids"][2]].values())
    # Activities and partners: what the endpoint itself says.
    for org in (gent, imec):
        assoc = "(<http://www.w3.org/ns/prov#wasAssociatedWith>|<http://www.w3.org/ns/prov#qualifiedAssociation>/<http://www.w3.org/ns/prov#agent>)"
        activities = _sparql(live_2018, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <http://www.w3.org/ns/prov#Activity> ; {assoc} <{org}> }}")
        assert answer["rows"][org]["activityCount"] == [{"int": int(activities[0]["n"]["value"])}]
        partners = _sparql(live_2018, f"""SELECT DISTINCT ?p WHERE {{ ?a a <http://www.w3.org/ns/prov#Activity> ; {assoc} <{org}>, ?p .
            ?p a <{ORG}> FILTER(?p != <{org}>) }}""")
        assert {v["id"] for v in answer["rows"][org]["partner"]} == {b["p"]["value"] for b in partners}
        assert answer["rows"][org]["partner"]


def test_cors_covers_the_service_and_its_preflight(live_2018):
    origin = {"Origin": "http://127.0.0.1:3333"}
    response = requests.get(f"{live_2018}/reconcile", headers=origin, timeout=30)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(f"{live_2018}/reconcile", timeout=30, headers={
        **origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Content-Type"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    posted = requests.post(f"{live_2018}/reconcile", headers=origin, data={"queries": '{"q0": {"query": "VVSG"}}'}, timeout=30)
    assert posted.status_code == 200 and posted.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path, params, names", [
    ("", {"queries": "{"}, "queries: not JSON"),
    ("", {"queries": "[]"}, "queries: must be a JSON object"),
    ("", {"queries": "[" * 100000 + "]" * 100000}, "queries"),
    ("", {"queries": '{"q0": {"query": 5}}'}, "queries: q0.query"),
    ("", {"queries": '{"q0": {"query": "x", "limit": 1e999}}'}, "queries: q0.limit"),
    ("", {"queries": '{"q0": {"query": "x", "type": "http://example.org/Car"}}'}, "queries: q0.type"),
    ("", {"queries": '{"q0": {"query": "x", "properties": [{"pid": "colour", "v": "red"}]}}'}, "queries: q0.properties[0].pid"),
    ("", {"queries": '{"q0": {"query": "x", "properties": [{"pid": "city", "v": [null]}]}}'}, "queries: q0.properties[0].v"),
    ("", {"queries": '{"q0": {"quer": "x"}}'}, "queries: q0.quer"),
    ("", {"queries": '{"q0": {"query": " "}}'}, "queries: q0"),
    ("", {"extend": '{"ids": "x", "properties": []}'}, "extend"),
    ("", {"extend": '{"ids": [1], "properties": []}'}, "extend.ids[0]"),
    ("", {"extend": '{"ids": [], "properties": [{"id": "colour"}]}'}, "extend.properties[0].id"),
    ("/suggest/entity", {"prefix": "a", "cursor": "-1"}, "cursor"),
    ("/suggest/entity", {"prefix": "a", "type": "Car"}, "type"),
    ("/propose_properties", {"type": "Car"}, "type"),
    ("/propose_properties", {"limit": "ten"}, "limit"),
])
def test_bad_input_is_a_400_naming_the_parameter(live_2018, path, params, names):
    response = requests.post(f"{live_2018}/reconcile{path}", data=params, timeout=30) if not path else \
        requests.get(f"{live_2018}/reconcile{path}", params=params, timeout=30)
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert response.headers["Content-Type"].startswith("text/plain")
    assert names in response.text and "Traceback" not in response.text
