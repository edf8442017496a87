"""The event stream served by the real server (the default server on loopback) over three builds, read by
the reference client (ldes-client) and by plain HTTP: replication equals the graph (compared
with SPARQL), a resumed client gets exactly the new versions, removed resources answer 410."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph, Literal, URIRef, BNode
from rdflib.compare import isomorphic

from kgraph.config import Settings
from kgraph.history import terms
from tests.history import project
from tests.history.client import run_client, version_iris
from tests.live import live_server

TRIG = "application/trig"


@dataclass
class Scenario:
    """Three releases served by one server that follows `current`, and what clients saw."""

    url: str
    settings: Settings
    stamps: list[str] = field(default_factory=list)
    first_run: set[str] = field(default_factory=set)  # version IRIs a saving client got after build 1
    resumed: set[str] = field(default_factory=set)  # ... and, resumed, after build 2
    state: Path | None = None

    def iri(self, path: str) -> str:
        return self.settings.base + path

    def doc(self, path: str) -> str:
        return f"{self.url}/{path.replace('id/', 'doc/', 1)}"


def wait_for_release(url: str, stamp: str) -> None:
    """Until the server serves the release with this stamp (it follows `current` by itself)."""
    deadline = time.monotonic() + 30
    wanted = terms.xsd_datetime(stamp)
    while time.monotonic() < deadline:
        body = requests.get(f"{url}/ldes", headers={"Accept": "application/n-quads"}, timeout=10).text
        if f'"{wanted}"' in body and "modified" in body.split(wanted)[0].rsplit("\n", 1)[-1]:
            return
        time.sleep(0.25)
    raise AssertionError(f"the server did not switch to the release of {stamp}")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, project_settings) -> Scenario:
    folder = tmp_path_factory.mktemp("history-live")
    settings = project.copy_project(folder, project_settings)
    first = project.build_at(settings, project.FIRST)
    with live_server(None, settings.replace(source_date_epoch=None)) as url:
        run = Scenario(url, settings, [first.manifest["history"]["stamp"]], state=folder / "client-state")
        run.first_run = version_iris(run_client(f"{url}/ldes", "--save", str(run.state)))
        project.change_and_add(folder)
        run.stamps.append(project.build_at(settings, project.SECOND).manifest["history"]["stamp"])
        wait_for_release(url, run.stamps[-1])
        run.resumed = version_iris(run_client(f"{url}/ldes", "--save", str(run.state)))
        project.remove_document(folder)
        run.stamps.append(project.build_at(settings, project.THIRD).manifest["history"]["stamp"])
        wait_for_release(url, run.stamps[-1])
        yield run


# --------------------------------------------------------------------------- the reference client


def test_a_saving_client_gets_every_member_of_the_first_release(scenario):
    assert len(scenario.first_run) == 200  # with the OBMi milestone (issue 17) and the linkset partner (issue 14)
    assert all(v.endswith(f"/{terms.VERSION_SEGMENT}/{scenario.stamps[0]}") for v in scenario.first_run)


def test_a_resumed_client_gets_exactly_the_changed_and_the_added_version(scenario):
    second = scenario.stamps[1]
    assert scenario.resumed == {terms.version_iri(scenario.iri(project.CHANGED), second),
                                terms.version_iri(scenario.iri(project.ADDED), second)}


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    return Literal(term.value, lang=term.language, datatype=None if term.language else URIRef(term.datatype.value))


def _descriptions(triples, base: str) -> dict[str, Graph]:
    """Each resource's concise bounded description (its statements and its blank nodes')."""
    by_subject = defaultdict(list)
    for t in triples:
        by_subject[t.subject].append(t)
    found = {}
    for subject in by_subject:
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(f"{base}id/"):
            graph, pending, seen = Graph(), [subject], set()
            while pending:
                node = pending.pop()
                for t in by_subject.get(node, ()):
                    graph.add((_rdflib(t.subject), _rdflib(t.predicate), _rdflib(t.object)))
                    if isinstance(t.object, ox.BlankNode) and t.object not in seen:
                        seen.add(t.object)
                        pending.append(t.object)
            found[subject.value] = graph
    return found


def test_replicating_the_whole_stream_gives_the_current_graph_compared_with_sparql(scenario):
    members = run_client(f"{scenario.url}/ldes", "--materialize", "--last-version-only")
    base = scenario.settings.base
    # the version's own timestamp lands on the resource when materialised; deletions are tombstones
    deleted = {t.subject.value for t in members
               if t.predicate.value == terms.RDF_TYPE and t.object.value == terms.AS_DELETE}
    replicated = _descriptions([t for t in members if t.predicate.value != terms.GENERATED_AT
                                and t.subject.value not in deleted], base)
    construct = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                 f"FILTER(?g != <{base}graph/metadata>) }}")
    answer = requests.get(f"{scenario.url}/sparql", params={"query": construct},
                          headers={"Accept": "application/n-triples"}, timeout=60)
    assert answer.status_code == 200
    current = _descriptions([t for t in ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES)], base)
    assert deleted == {scenario.iri(project.REMOVED)}
    assert set(replicated) == set(current) and len(current) == 200
    differing = [iri for iri in current if not isomorphic(current[iri], replicated[iri])]
    assert differing == []
    # the correction of the second release is what the client holds now
    assert "Brussel" in " ".join(str(o) for o in replicated[scenario.iri(project.CHANGED)].objects())


# --------------------------------------------------------------------------- the stream over HTTP


def _quads(response) -> list[ox.Quad]:
    kind = response.headers["Content-Type"].split(";")[0]
    fmt = {"application/trig": ox.RdfFormat.TRIG, "application/n-quads": ox.RdfFormat.N_QUADS,
           "text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD}[kind]
    return list(ox.parse(response.content, format=fmt))


@pytest.mark.parametrize("media_type", ["application/trig", "application/n-quads", "text/turtle", "application/ld+json"])
def test_the_stream_is_negotiated_and_says_its_paths_licence_and_view(scenario, media_type):
    answer = requests.get(f"{scenario.url}/ldes", headers={"Accept": media_type}, timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(media_type)
    said = {(q.subject.value, q.predicate.value, q.object.value) for q in _quads(answer)}
    stream = f"{scenario.url}/ldes"
    assert (stream, terms.RDF_TYPE, f"{terms.LDES}EventStream") in said
    assert (stream, f"{terms.LDES}timestampPath", terms.GENERATED_AT) in said
    assert (stream, f"{terms.LDES}versionOfPath", terms.IS_VERSION_OF) in said
    assert (stream, f"{terms.TREE}view", f"{stream}/view") in said
    assert any(p == f"{terms.DCTERMS}license" for s, p, o in said if s == stream)
    assert (stream, f"{terms.DCTERMS}modified", terms.xsd_datetime(scenario.stamps[-1])) in said
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in answer.headers and "immutable" not in answer.headers["Cache-Control"]


def test_the_view_bounds_each_release_by_time_and_states_its_retention(scenario):
    quads = _quads(requests.get(f"{scenario.url}/ldes/view", headers={"Accept": TRIG}, timeout=10))
    bounds = defaultdict(dict)
    relations = defaultdict(dict)
    for q in quads:
        if isinstance(q.subject, ox.BlankNode):
            relations[q.subject.value][q.predicate.value] = q.object.value
    for r in relations.values():
        if f"{terms.TREE}node" in r:
            assert r[f"{terms.TREE}path"] == terms.GENERATED_AT
            bounds[r[f"{terms.TREE}node"]][r[terms.RDF_TYPE].rsplit("#", 1)[1]] = r[f"{terms.TREE}value"]
    stamps, time_of = scenario.stamps, terms.xsd_datetime
    assert bounds == {
        f"{scenario.url}/ldes/{stamps[0]}/0": {"GreaterThanOrEqualToRelation": time_of(stamps[0]), "LessThanRelation": time_of(stamps[1])},
        f"{scenario.url}/ldes/{stamps[1]}/0": {"GreaterThanOrEqualToRelation": time_of(stamps[1]), "LessThanRelation": time_of(stamps[2])},
        f"{scenario.url}/ldes/{stamps[2]}/0": {"GreaterThanOrEqualToRelation": time_of(stamps[2])},
    }
    assert any(q.predicate.value == f"{terms.LDES}retentionPolicy" for q in quads)


def test_full_pages_are_immutable_and_the_newest_is_short_lived_with_an_etag(scenario):
    from kgraph.history.stream import PAGE_MEMBERS

    old = requests.get(f"{scenario.url}/ldes/{scenario.stamps[0]}/1", headers={"Accept": TRIG}, timeout=10)
    assert old.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    members = [q for q in _quads(old) if q.predicate.value == f"{terms.TREE}member"]
    assert 0 < len(members) <= PAGE_MEMBERS
    newest = requests.get(f"{scenario.url}/ldes/{scenario.stamps[2]}/0", headers={"Accept": TRIG}, timeout=10)
    assert newest.headers["Cache-Control"] == f"public, max-age={scenario.settings.cache_max_age}, must-revalidate"
    again = requests.get(newest.url, headers={"Accept": TRIG, "If-None-Match": newest.headers["ETag"]}, timeout=10)
    assert again.status_code == 304
    said = {(q.predicate.value, q.object.value) for q in _quads(newest)}
    assert (terms.GENERATED_AT, terms.xsd_datetime(scenario.stamps[2])) in said
    assert any(p == f"{terms.DCTERMS}license" for p, _ in said)
    missing = requests.get(f"{scenario.url}/ldes/{scenario.stamps[2]}/7", headers={"Accept": TRIG}, timeout=10)
    assert missing.status_code == 404


# --------------------------------------------------------------------------- history for people


def test_a_removed_resource_is_gone_with_a_link_to_its_last_version(scenario):
    answer = requests.get(scenario.doc(project.REMOVED), headers={"Accept": "text/turtle"}, timeout=10)
    assert answer.status_code == 410
    last = scenario.doc(project.REMOVED) + f"/versie/{scenario.stamps[0]}"
    assert f"<{last}>" in answer.headers["Link"] and last in answer.text
    old = requests.get(last, headers={"Accept": "text/turtle"}, timeout=10)
    assert old.status_code == 200 and "https://www.be-reel.be/" in old.text
    never = requests.get(scenario.doc("id/document/nooit-bestaan"), timeout=10)
    assert never.status_code == 404


def test_a_version_iri_is_dereferenceable_and_serves_the_old_description(scenario):
    version = terms.version_iri(scenario.iri(project.CHANGED), scenario.stamps[0])
    path = version[len(scenario.settings.base):]
    seen = requests.get(f"{scenario.url}/{path}", allow_redirects=False, timeout=10)
    assert seen.status_code == 303 and seen.headers["Location"].endswith(path.replace("id/", "doc/", 1))
    old = requests.get(seen.headers["Location"], headers={"Accept": "application/n-quads"}, timeout=10)
    triples = {(q.subject.value, q.predicate.value, q.object.value) for q in _quads(old)}
    assert (version, terms.IS_VERSION_OF, scenario.iri(project.CHANGED)) in triples
    descriptions = [o for s, p, o in triples if p == f"{terms.DCTERMS}description"]
    assert len(descriptions) == 1 and "Vlaanderen en Wallonië" in descriptions[0]  # before the correction


def test_a_resource_page_lists_its_versions_and_what_changed(scenario):
    for lang, added, removed, counts in (("en", "Statements added", "Statements removed", "1 statements added, 1 removed"),
                                         ("nl", "Uitspraken toegevoegd", "Uitspraken verwijderd",
                                          "1 uitspraken toegevoegd, 1 verwijderd")):
        page = requests.get(scenario.doc(project.CHANGED), headers={"Accept": "text/html", "Accept-Language": lang},
                            timeout=10).text
        section = page[page.index('id="versions"'):]
        assert terms.xsd_datetime(scenario.stamps[0]) in section and terms.xsd_datetime(scenario.stamps[1]) in section
        assert " ".join(counts.split()) in " ".join(section.split())
        assert "Brussel en Wallonië" in section.split(added, 2)[2].split(removed)[0]


def test_what_changed_in_a_release_for_people_and_as_a_change_log(scenario):
    stamp = scenario.stamps[1]
    page = requests.get(f"{scenario.url}/ldes/release/{stamp}", headers={"Accept": "text/html", "Accept-Language": "en"},
                        timeout=10)
    assert page.status_code == 200
    assert "1 created, 1 changed, 0 removed" in page.text
    dutch = requests.get(f"{scenario.url}/ldes/release/{stamp}", headers={"Accept": "text/html", "Accept-Language": "nl"},
                         timeout=10)
    assert "1 nieuw, 1 gewijzigd, 0 verwijderd" in dutch.text
    assert scenario.iri(project.CHANGED) in page.text and scenario.iri(project.ADDED) in page.text
    log = requests.get(f"{scenario.url}/ldes/release/{stamp}.nq", timeout=10)
    assert log.headers["Content-Type"].startswith("application/n-quads")
    versions = {q.subject.value for q in _quads(log) if q.predicate.value == terms.IS_VERSION_OF}
    assert versions == scenario.resumed


def test_the_versions_are_queryable_in_sparql_a_named_graph_each(scenario):
    query = f"""SELECT ?version ?time WHERE {{ GRAPH ?version {{ ?version <{terms.IS_VERSION_OF}> <{scenario.iri(project.CHANGED)}> ;
                <{terms.GENERATED_AT}> ?time }} }} ORDER BY ?time"""
    answer = requests.get(f"{scenario.url}/ldes/sparql", params={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200, answer.text
    rows = [(b["version"]["value"], b["time"]["value"]) for b in answer.json()["results"]["bindings"]]
    assert rows == [(terms.version_iri(scenario.iri(project.CHANGED), s), terms.xsd_datetime(s)) for s in scenario.stamps[:2]]
    refused = requests.get(f"{scenario.url}/ldes/sparql", params={"query": "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"}, timeout=10)
    assert refused.status_code == 400
    update = requests.post(f"{scenario.url}/ldes/sparql", data={"update": "INSERT DATA { <a:b> <a:c> <a:d> }"}, timeout=10)
    assert update.status_code == 403
    # the published graph's default dataset is not touched by the history
    count = requests.get(f"{scenario.url}/sparql", params={"query": f"ASK {{ ?v <{terms.IS_VERSION_OF}> ?r }}"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert count.json()["boolean"] is False


def test_the_catalogue_lists_the_stream_service_and_every_change_log(scenario):
    answer = requests.get(f"{scenario.url}/catalog", headers={"Accept": "application/n-triples"}, timeout=30)
    triples = {(t.subject.value, t.predicate.value, t.object.value)
               for t in ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES)}
    base, dcat = scenario.settings.base, "http://www.w3.org/ns/dcat#"
    service = f"{base}ldes#service"
    assert (service, terms.RDF_TYPE, f"{dcat}DataService") in triples
    assert (service, f"{terms.DCTERMS}conformsTo", terms.LDES_SPECIFICATION) in triples
    assert (service, f"{dcat}endpointURL", f"{base}ldes") in triples
    logs = {o for s, p, o in triples if s.startswith(f"{base}catalog#changes-") and p == f"{dcat}downloadURL"}
    assert logs == {f"{base}ldes/release/{stamp}.nq" for stamp in scenario.stamps}
