"""rdflib's SPARQLStore: a Graph whose store is the live endpoint, queried like a local graph."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from tests.clients import expected as E

pytestmark = pytest.mark.live

KG = rdflib.Namespace(E.KG)


@pytest.fixture(params=["xml", "json"])
def remote(live_2018, request) -> rdflib.Graph:
    """A read-only rdflib Graph backed by the endpoint (results asked as SPARQL XML or JSON)."""
    store = SPARQLStore(f"{live_2018}/sparql", returnFormat=request.param, method="POST")
    graph = rdflib.Graph(store=store)
    yield graph
    graph.close()


def test_select(remote):
    rows = sorted((str(r.city), str(r.nis), str(r.label)) for r in remote.query(E.SELECT_CITIES))
    assert rows == E.CITY_ROWS


def test_select_with_init_bindings(remote):
    """rdflib injects initBindings as a VALUES block: the endpoint must take it as plain SPARQL."""
    query = E.PREFIXES + "SELECT ?nis WHERE { ?city kg:nisCode ?nis }"
    rows = list(remote.query(query, initBindings={"city": rdflib.URIRef(E.TURNHOUT)}))
    assert [str(r.nis) for r in rows] == ["13040"]


def test_ask(remote):
    assert remote.query(E.ASK_TURNHOUT_LEADS_ANPR).askAnswer is True
    assert remote.query(E.ASK_GENT_LEADS_ANPR).askAnswer is False


def test_construct(remote):
    result = remote.query(E.CONSTRUCT_ANPR_LEAD)
    if remote.store.returnFormat == "json":
        # returnFormat="json" makes rdflib accept only SPARQL JSON results, which no graph can be
        # written in: the protocol's answer is 406, which rdflib hands back as (code, message, None).
        assert result[0] == 406
        return
    assert set(result.graph) == {(rdflib.URIRef(E.ANPR), KG.ledBy, rdflib.URIRef(E.TURNHOUT))}


def test_graph_api_triples_and_value(remote):
    """Graph methods become SPARQL queries under the hood."""
    turnhout = rdflib.URIRef(E.TURNHOUT)
    assert remote.value(turnhout, KG.nisCode) == rdflib.Literal("13040")
    labels = set(remote.objects(turnhout, rdflib.RDFS.label))
    assert rdflib.Literal("Stad Turnhout", lang="nl") in labels
    cities = set(remote.subjects(rdflib.RDF.type, KG.CentralCity))
    assert {str(c) for c in cities} == {city for city, _, _ in E.CITY_ROWS}


def test_writes_are_refused_locally(remote):
    """SPARQLStore (not SPARQLUpdateStore) is read-only on the client side; nothing reaches the server."""
    with pytest.raises(TypeError):
        remote.add((rdflib.URIRef(E.TURNHOUT), KG.nisCode, rdflib.Literal("00000")))
