"""The metadata routes over HTTP (Flask's test client, the session build, real query workers):
/catalog, /.well-known/void, /dumps/, /ns/kgraph and its shapes."""

from __future__ import annotations

import gzip
import hashlib

import pytest
import rdflib

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
RDF_FORMATS = {  # media type -> rdflib parser
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
EXTENSIONS = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
              "rdf": "application/rdf+xml"}
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
OWL = rdflib.Namespace("http://www.w3.org/2002/07/owl#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def parse(response) -> rdflib.Graph:
    media_type = response.mimetype
    return rdflib.Graph().parse(data=response.data, format=RDF_FORMATS[media_type])


# --------------------------------------------------------------------------- catalogue


@pytest.mark.parametrize("media_type", list(RDF_FORMATS))
def test_catalog_by_accept(client, media_type, built_release):
    response = client.get("/catalog", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    ext = {v: k for k, v in EXTENSIONS.items()}[media_type]
    assert response.headers["Content-Location"] == f"/catalog.{ext}"
    graph = parse(response)
    catalog = rdflib.URIRef(built_release.manifest["base"] + "catalog")
    assert (catalog, rdflib.RDF.type, DCAT.Catalog) in graph
    manifest = built_release.manifest
    changes = len(manifest["history"]["releases"])  # one change log per release (issue 13)
    # the graph's dumps, each linkset's, the network exports (issue 15)
    dumps = manifest["dumps"] + manifest["linkset_dumps"] + manifest["network"]
    assert len(list(graph.subjects(rdflib.RDF.type, DCAT.Distribution))) == len(dumps) + changes


@pytest.mark.parametrize("ext", list(EXTENSIONS))
def test_catalog_by_extension(client, ext):
    response = client.get(f"/catalog.{ext}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == EXTENSIONS[ext]
    assert len(parse(response)) > 100


def test_catalog_html_for_browsers(client, built_release):
    response = client.get("/catalog", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "werking als kennisgraaf" in page
    for dump in built_release.manifest["dumps"]:
        assert f'href="/dumps/{dump["file"]}"' in page
        assert dump["sha256"] in page
    assert 'href="/catalog.ttl"' in page and 'rel="license"' in page
    assert client.get("/catalog.html").mimetype == "text/html"


def test_catalog_unknown_extension_and_unacceptable(client):
    assert client.get("/catalog.exe").status_code == 404
    assert client.get("/catalog", headers={"Accept": "image/png"}).status_code == 406


# --------------------------------------------------------------------------- VoID


def test_void_turtle_by_default_with_the_store_counts(client, built_release):
    for accept in (None, "*/*", BROWSER):
        response = client.get("/.well-known/void", headers={"Accept": accept} if accept else {})
        assert response.status_code == 200
        assert response.mimetype == "text/turtle"
    graph = parse(response)
    dataset = rdflib.URIRef(built_release.manifest["base"] + "id/dataset/kgraph")
    assert int(graph.value(dataset, VOID.triples)) == built_release.manifest["triples"]
    assert graph.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef(built_release.manifest["base"] + "sparql")


@pytest.mark.parametrize("media_type", list(RDF_FORMATS))
def test_void_by_accept(client, media_type):
    response = client.get("/.well-known/void", headers={"Accept": media_type})
    assert response.mimetype == media_type
    assert any(True for _ in parse(response).subjects(rdflib.RDF.type, VOID.Dataset))


# --------------------------------------------------------------------------- dumps


def test_dumps_listing(client, built_release):
    response = client.get("/dumps/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    files = sorted(p for p in built_release.dumps_path.iterdir() if p.is_file())
    assert files
    for path in files:
        assert f'href="/dumps/{path.name}"' in page
        assert hashlib.sha256(path.read_bytes()).hexdigest() in page


def test_every_dump_with_its_content_type_etag_and_last_modified(client, built_release):
    expected = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
                ".nq": "application/n-quads", ".trig": "application/trig", ".gz": "application/gzip",
                # the network exports (issue 15)
                ".csv": "text/csv", ".graphml": "application/graphml+xml", ".gexf": "application/gexf+xml"}
    files = sorted(p for p in built_release.dumps_path.iterdir() if p.is_file())
    assert files
    for path in files:
        response = client.get(f"/dumps/{path.name}")
        assert response.status_code == 200, path.name
        assert response.mimetype == expected[path.suffix], path.name
        assert response.headers["Content-Type"].count("charset") <= 1, response.headers["Content-Type"]
        assert "Content-Encoding" not in response.headers  # .gz bytes are the file's bytes
        assert response.data == path.read_bytes()
        assert response.headers["ETag"] == f'"{hashlib.sha256(path.read_bytes()).hexdigest()}"'
        assert response.last_modified is not None
        assert response.headers["Accept-Ranges"] == "bytes"
        if path.suffix == ".gz":
            assert gzip.decompress(response.data) == (path.parent / path.stem).read_bytes()


def test_the_served_turtle_dump_parses_to_the_n_triples_dump(client, built_release):
    """The Turtle served reads back (with rdflib) as exactly the N-Triples dump, statement for statement."""
    from rdflib.compare import isomorphic

    served = rdflib.Graph().parse(data=client.get("/dumps/kgraph.ttl").data, format="turtle")
    expected = rdflib.Graph().parse(built_release.dumps_path / "kgraph.nt", format="nt")
    assert len(served) == len(expected) and isomorphic(served, expected)


def test_range_request_returns_206_with_the_bytes(client, built_release):
    data = (built_release.dumps_path / "kgraph.nt").read_bytes()
    response = client.get("/dumps/kgraph.nt", headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert response.data == data[100:200]
    assert response.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
    tail = client.get("/dumps/kgraph.nt", headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.data == data[-10:]
    etag = client.get("/dumps/kgraph.nt").headers["ETag"]
    stale = client.get("/dumps/kgraph.nt", headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert stale.status_code == 200 and stale.data == data  # If-Range mismatch: the whole file
    fresh = client.get("/dumps/kgraph.nt", headers={"Range": "bytes=0-9", "If-Range": etag})
    assert fresh.status_code == 206 and fresh.data == data[:10]
    assert client.get("/dumps/kgraph.nt", headers={"Range": f"bytes={len(data) + 5}-"}).status_code == 416


def test_conditional_requests_answer_304(client):
    first = client.get("/dumps/kgraph.ttl.gz")
    again = client.get("/dumps/kgraph.ttl.gz", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    since = client.get("/dumps/kgraph.ttl.gz", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


@pytest.mark.parametrize("name", [
    "../manifest.json", "..%2Fmanifest.json", "%2e%2e/manifest.json", "../store/CURRENT",
    "/etc/passwd", "..", "kgraph.ttl/", "sub/kgraph.ttl", "KGRAPH.TTL", "nonexistent.ttl",
])
def test_path_traversal_and_unknown_files_are_404(client, name):
    # Werkzeug first redirects "//" to "/" (308); wherever it leads, the answer is a 404.
    response = client.get(f"/dumps/{name}", follow_redirects=True)
    assert response.status_code == 404
    assert b"root:" not in response.data and b"version" not in response.data


# --------------------------------------------------------------------------- vocabulary and shapes


def test_vocabulary_html_is_generated_by_pylode(client):
    response = client.get("/ns/kgraph", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "pyLODE" in page  # the generator's own credit line
    # One language per page (pyLODE is given the ontology in the page's language).
    assert "centrumstad" in page and "central city" not in page
    assert response.headers["Content-Location"] == "/ns/kgraph.html"
    assert client.get("/ns/kgraph.html").data == response.data  # made once per release, cached
    english = client.get("/ns/kgraph?lang=en", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "central city" in english and "centrumstad" not in english


@pytest.mark.parametrize("media_type", list(RDF_FORMATS))
def test_vocabulary_rdf_by_accept(client, media_type, built_release):
    response = client.get("/ns/kgraph", headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type
    graph = parse(response)
    ontology = rdflib.URIRef(built_release.manifest["base"] + "ns/kgraph")
    assert (ontology, rdflib.RDF.type, OWL.Ontology) in graph
    central_city = rdflib.URIRef(built_release.manifest["base"] + "ns/kgraph#CentralCity")
    assert rdflib.Literal("centrumstad", lang="nl") in set(graph.objects(central_city, rdflib.RDFS.label))


@pytest.mark.parametrize("ext", list(EXTENSIONS))
def test_vocabulary_rdf_by_extension(client, ext):
    response = client.get(f"/ns/kgraph.{ext}")
    assert response.mimetype == EXTENSIONS[ext]
    assert len(parse(response)) > 100


def test_vocabulary_default_is_turtle(client):
    assert client.get("/ns/kgraph", headers={"Accept": "*/*"}).mimetype == "text/turtle"


@pytest.mark.parametrize("ext", [None, *EXTENSIONS])
def test_shapes_are_published_with_the_base_substituted(client, ext, built_release):
    response = client.get("/ns/kgraph/shapes" + (f".{ext}" if ext else ""))
    assert response.status_code == 200
    graph = parse(response)
    shapes = set(graph.subjects(rdflib.RDF.type, SH.NodeShape))
    assert len(shapes) > 5
    text = response.get_data(as_text=True)
    assert "{base}" not in text and "{base_re}" not in text
    assert built_release.manifest["base"] in text
