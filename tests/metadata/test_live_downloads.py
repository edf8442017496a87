"""Downloads and metadata through the real server (the default server, uWSGI, on loopback) with real clients:
requests, curl and rdflib's Graph().parse(url). Shows the .gz choice works for them: the bytes
saved are the file the catalogue's SHA-256 describes."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest
import rdflib
import requests

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


def test_requests_downloads_every_dump_byte_for_byte(live_2018, built_release):
    dumps = built_release.manifest["dumps"]
    assert dumps
    for dump in dumps:
        response = requests.get(f"{live_2018}/dumps/{dump['file']}", timeout=30)
        assert response.status_code == 200
        assert len(response.content) == dump["bytes"]
        assert hashlib.sha256(response.content).hexdigest() == dump["sha256"]


def test_requests_range_and_conditional(live_2018, built_release):
    data = (built_release.dumps_path / "kgraph.ttl").read_bytes()
    part = requests.get(f"{live_2018}/dumps/kgraph.ttl", headers={"Range": "bytes=10-29"}, timeout=30)
    assert part.status_code == 206 and part.content == data[10:30]
    etag = requests.head(f"{live_2018}/dumps/kgraph.ttl", timeout=30).headers["ETag"]
    assert requests.get(f"{live_2018}/dumps/kgraph.ttl", headers={"If-None-Match": etag}, timeout=30).status_code == 304


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_saves_the_gzip_file_as_published(live_2018, built_release, tmp_path):
    target = tmp_path / "kgraph.nt.gz"
    subprocess.run(["curl", "-sSf", "-o", str(target), f"{live_2018}/dumps/kgraph.nt.gz"], check=True, timeout=60)
    expected = next(d for d in built_release.manifest["dumps"] if d["file"] == "kgraph.nt.gz")
    assert hashlib.sha256(target.read_bytes()).hexdigest() == expected["sha256"]
    resumed = tmp_path / "part"
    resumed.write_bytes(target.read_bytes()[:1000])
    # curl -C - resumes with a Range request: the server must answer it with the rest.
    subprocess.run(["curl", "-sSf", "-C", "-", "-o", str(resumed), f"{live_2018}/dumps/kgraph.nt.gz"],
                   check=True, timeout=60)
    assert resumed.read_bytes() == target.read_bytes()


def test_rdflib_parses_the_catalogue_the_vocabulary_and_a_dump_by_url(live_2018, built_release):
    base = built_release.manifest["base"]
    catalogue = rdflib.Graph().parse(f"{live_2018}/catalog")
    assert (rdflib.URIRef(base + "catalog"), rdflib.RDF.type, DCAT.Catalog) in catalogue
    vocabulary = rdflib.Graph().parse(f"{live_2018}/ns/kgraph")
    assert (rdflib.URIRef(base + "ns/kgraph"), rdflib.RDF.type, rdflib.OWL.Ontology) in vocabulary
    dump = rdflib.Graph().parse(f"{live_2018}/dumps/kgraph.ttl")
    assert len(dump) == built_release.manifest["triples"]
    void = rdflib.Graph().parse(f"{live_2018}/.well-known/void")
    assert len(void) > 100
