"""The app's one WSGI layer (kgraph.web.front, issue 16 point 1) and its per-response step: the weak
ETag it adds on the WSGI header list is the one werkzeug's set_etag made before, conditional
requests still get make_conditional's answers, and every request gets one access line with the
right fields, also the answers the render-once cache sends without Flask; serve's AccessLines
writes whole lines, none lost or mixed.

Apps on the session's 2018 build (real store, real query workers), through Flask's test client
(which calls the whole WSGI stack); AccessLines on real files and pipes.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kgraph.serve import AccessLines, SecondFormatter
from kgraph.web import close_app, create_app, write_access_lines
from kgraph.web.caching import weak_etag
from tests.linkeddata_support import HTML_ACCEPT

DOC = "/doc/organisatie/gent"


@pytest.fixture
def logged(built_release, project_settings):
    """A fresh app (its render-once cache empty) whose access lines are collected in a list."""
    app = create_app(project_settings, built_release.path, query_workers=1)
    lines: list[str] = []
    write_access_lines(app, lines.append)
    access = logging.getLogger("kgraph.access")
    level = access.level
    access.setLevel(logging.INFO)
    yield app, app.test_client(), lines
    access.setLevel(level)
    close_app(app)


def _fields(line: str) -> tuple[str, str, str, str, str]:
    """(method, path, status, bytes, rows) of an access line "GET /x 200 116 bytes 0.3 ms rows=-"."""
    method, path, status, length, word, _ms, unit, rows = line.split(" ")
    assert word == "bytes" and unit == "ms" and rows.startswith("rows=")
    return method, path, status, length, rows[len("rows="):]


def test_the_weak_etag_is_the_body_hash_of_the_data_version(logged):
    app, client, _ = logged
    served = app.extensions["kgraph"].served_for({})
    other = "/doc/organisatie/antwerpen"
    head = client.head(other, headers={"Accept": HTML_ACCEPT})  # first: made for a HEAD, its ETag from the body it drops
    made = client.get(other, headers={"Accept": HTML_ACCEPT})
    assert made.headers.getlist("ETag") == [f'W/"{weak_etag(served.data_version, made.data)}"']
    assert head.headers["ETag"] == made.headers["ETag"] and head.data == b""  # HEAD: the same, no body
    page = client.get(DOC, headers={"Accept": HTML_ACCEPT})
    assert page.headers["ETag"] == f'W/"{weak_etag(served.data_version, page.data)}"'
    kept = client.get(DOC, headers={"Accept": HTML_ACCEPT})
    assert kept.headers["X-Cache"] == "HIT" and kept.headers.getlist("ETag") == [page.headers["ETag"]]
    # A view's own ETag stands (SPARQL's: the version and the request, strong): one ETag, not the weak one.
    query = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                       headers={"Accept": "application/sparql-results+json"})
    assert len(query.headers.getlist("ETag")) == 1 and not query.headers["ETag"].startswith("W/")


def test_conditional_requests_get_304_and_412_from_make_conditional(logged):
    _, client, _ = logged
    etag = client.get(DOC, headers={"Accept": HTML_ACCEPT}).headers["ETag"]
    # A conditional request is not answered from the render-once cache: Flask and make_conditional.
    not_modified = client.get(DOC, headers={"Accept": HTML_ACCEPT, "If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["ETag"] == etag and "Content-Type" not in not_modified.headers
    assert "nosniff" in not_modified.headers["X-Content-Type-Options"]  # the settings' headers too
    failed = client.get(DOC, headers={"Accept": HTML_ACCEPT, "If-Match": '"another"'})
    assert failed.status_code == 412
    assert client.get(DOC, headers={"Accept": HTML_ACCEPT, "If-None-Match": '"another"'}).status_code == 200


@pytest.mark.parametrize("probe", ["/healthz", "/readyz"])
def test_the_probes_are_never_stored_nor_validated(logged, probe):
    """A cache in front (deploy/nginx.conf) must never answer a probe for the server: no-store, no
    ETag, and a conditional request gets the whole answer again."""
    _, client, _ = logged
    for method in (client.get, client.head):
        answer = method(probe)
        assert answer.status_code == 200, probe
        assert answer.headers.getlist("Cache-Control") == ["no-store"] and "ETag" not in answer.headers
    again = client.get(probe, headers={"If-None-Match": "*"})
    assert again.status_code == 200 and again.json["status"] in {"ok", "ready"}


def test_one_access_line_per_request_with_its_fields(logged):
    _, client, lines = logged
    page = client.get(DOC, headers={"Accept": HTML_ACCEPT})  # rendered (a miss)
    client.get(DOC, headers={"Accept": HTML_ACCEPT})  # kept (a hit, without Flask)
    client.get(DOC, headers={"Accept": HTML_ACCEPT, "If-None-Match": page.headers["ETag"]})  # kept: 304
    client.head(DOC, headers={"Accept": HTML_ACCEPT})  # kept: HEAD
    client.delete("/healthz")  # Flask's own 405
    query = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"},
                       headers={"Accept": "application/sparql-results+json"})
    length = str(len(page.data))
    assert [_fields(line) for line in lines] == [
        ("GET", DOC, "200", length, "-"),
        ("GET", DOC, "200", length, "-"),
        ("GET", DOC, "304", "-", "-"),
        ("HEAD", DOC, "200", length, "-"),
        ("DELETE", "/healthz", "405", lines[4].split(" ")[3], "-"),
        ("GET", "/sparql", "200", query.headers.get("Content-Length", "-"), query.headers["X-Result-Rows"]),
    ]
    assert query.headers["X-Result-Rows"] == "3"


def test_no_access_line_when_the_logger_is_off(logged):
    _, client, lines = logged
    logging.getLogger("kgraph.access").setLevel(logging.WARNING)
    client.get("/healthz")
    assert lines == []


def _access_lines(stream) -> AccessLines:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SecondFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return AccessLines(handler)


def test_access_lines_go_out_whole_from_many_threads_to_a_pipe_and_a_file(tmp_path):
    read, write = os.pipe()
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: os.read(read, 65536), b"")))
    reader.start()
    path = tmp_path / "access.log"
    with os.fdopen(write, "w") as pipe, open(path, "w") as file:
        writers = [_access_lines(pipe), _access_lines(file)]
        assert all(w.fd is not None for w in writers)  # written with os.write, not the text layer

        def work(n: int) -> None:
            for i in range(400):
                for w in writers:
                    w(f"GET /doc/x/{n}-{i} 200 {'9' * (n * 40)} bytes 0.1 ms rows=-")

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # Nothing buffered: the lines are in the file before it is flushed or closed.
        on_disk = path.read_text()
    reader.join()
    for text in (b"".join(chunks).decode(), on_disk):
        lines = text.splitlines()
        assert len(lines) == 8 * 400
        assert all(" INFO kgraph.access: GET /doc/x/" in line and line.endswith(" bytes 0.1 ms rows=-")
                   for line in lines)
        assert {line.split(" ")[5] for line in lines} == {f"/doc/x/{n}-{i}" for n in range(8) for i in range(400)}


def test_an_access_line_that_cannot_be_written_raises_what_os_write_raises():
    read, write = os.pipe()
    os.close(read)  # nobody reads: the write fails (EPIPE; Python ignores SIGPIPE)
    with os.fdopen(write, "w") as pipe:
        lines = _access_lines(pipe)
        assert lines._write is not None  # libc's write, keeping the GIL, is what runs first
        with pytest.raises(BrokenPipeError):
            lines("GET /healthz 200 116 bytes 0.3 ms rows=-")


FULL_PIPE = """
import fcntl, logging, os, threading, time
from kgraph.serve import AccessLines, SecondFormatter
read, write = os.pipe()
fcntl.fcntl(write, fcntl.F_SETFL, os.O_NONBLOCK)
try:
    while True:
        os.write(write, b"x" * 4096)  # fill the pipe to the brim
except BlockingIOError:
    pass
fcntl.fcntl(write, fcntl.F_SETFL, 0)
drained = []
def drain():
    time.sleep(0.2)  # after the line's write has begun waiting
    while not drained or not drained[-1].endswith(b"\\n"):
        drained.append(os.read(read, 1 << 20))
reader = threading.Thread(target=drain)
reader.start()
handler = logging.StreamHandler(os.fdopen(write, "w"))
handler.setFormatter(SecondFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
AccessLines(handler)("GET /healthz 200 116 bytes 0.3 ms rows=-")
reader.join()
print("written", b"".join(drained).endswith(b"rows=-\\n"))
"""


def test_an_access_line_to_a_full_pipe_waits_for_its_reader_a_thread_of_the_same_process():
    # The GIL-keeping write is made only when it cannot wait: here the pipe is full and its
    # reader needs the GIL to drain it, so holding the GIL through the write would hang.
    done = subprocess.run([sys.executable, "-c", FULL_PIPE], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "written True", done.stderr[-2000:]


def test_access_lines_to_a_stream_without_a_descriptor():
    stream = io.StringIO()
    lines = _access_lines(stream)
    assert lines.fd is None
    lines("GET /healthz 200 116 bytes 0.3 ms rows=-")
    assert stream.getvalue().endswith(" INFO kgraph.access: GET /healthz 200 116 bytes 0.3 ms rows=-\n")


def test_a_server_workers_app_is_frozen_out_of_the_collectors_view(built_release):
    """kgraph.serve._loaded, as every server's worker calls it once the app is made: what was made
    until then is frozen (gc.freeze), so full collections walk only what requests make later.
    In a process of its own: freezing is for the life of a process."""
    code = f"""
import gc, json
from kgraph.config import load_settings
from kgraph.serve import _loaded
from kgraph.web import close_app, create_app
app = _loaded(create_app(load_settings(), {str(built_release.path)!r}, query_workers=1))
print(json.dumps({{"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects())}}))
close_app(app)
"""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=root,
                          env={**os.environ, "KGRAPH_CONFIG": str(root / "kgraph.toml")})
    assert done.returncode == 0, done.stderr[-2000:]
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert counts["frozen"] > 20_000 and counts["tracked"] < 1_000, counts
