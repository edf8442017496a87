"""The one error handler (issue 11.2) and what server errors show (issue 10.7).

Every QueryError subclass is answered from its own status, title and headers; a failing engine
(the store folder removed under a running app) gets a 500 whose body says what failed in words,
with no path of the machine and no traceback, while the log keeps the detail.
"""

from __future__ import annotations

import inspect
import logging
import re
import shutil

import pytest
from flask import Flask

from kgraph.config import Settings
from kgraph.sparql import errors
from kgraph.web import close_app, create_app
from kgraph.web.errors import init_errors
from tests.conftest import SAMPLE_GRAPHS
from tests.live import make_release

QUERY_ERRORS = [cls for _, cls in inspect.getmembers(errors, inspect.isclass)
                if issubclass(cls, errors.QueryError) and cls is not errors.QueryError]


def make(cls: type) -> errors.QueryError:
    if cls is errors.NotAcceptable:
        return cls("boolean")
    if cls is errors.QuerySyntaxError:
        return cls("expected a triple pattern", 2, 7)
    return cls(f"the {cls.__name__} message")


@pytest.mark.parametrize("cls", QUERY_ERRORS, ids=lambda c: c.__name__)
def test_each_query_error_is_answered_from_its_own_attributes(cls):
    app = Flask("errors-test")
    init_errors(app)
    exc = make(cls)

    @app.route("/")
    def fail():
        raise exc

    response = app.test_client().get("/")
    assert response.status_code == exc.status
    for name, value in exc.headers().items():
        assert response.headers[name] == value
    body = response.get_data(as_text=True)
    assert body.startswith(exc.title)
    if exc.status != 500:
        assert str(exc) in body  # the whole message; 500s keep theirs in the log


def test_werkzeug_errors_keep_their_code_and_headers():
    app = Flask("errors-test")
    init_errors(app)
    app.add_url_rule("/only-get", "only_get", lambda: "ok", methods=["GET"])
    response = app.test_client().post("/only-get")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    assert response.get_data(as_text=True).startswith("405 Method Not Allowed")


MACHINE_PATH = re.compile(r"(?<![\w.:/])/(?:tmp|home|work|usr|var|root|proc|dev)\b|\.py\b")


@pytest.fixture
def doomed_app(tmp_path):
    """An app whose store folder is removed after start, before its first query."""
    release = make_release(tmp_path / "release", SAMPLE_GRAPHS, version="doomed")
    app = create_app(Settings(), release, query_workers=1)
    shutil.rmtree(release / "store")
    yield app, release
    close_app(app)


def test_an_engine_failure_is_a_500_in_words_without_paths_or_traceback(doomed_app, caplog):
    app, release = doomed_app
    client = app.test_client()
    with caplog.at_level(logging.ERROR, logger="kgraph.web"):
        answers = [
            client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"}),
            client.get("/doc/organisatie/gent", headers={"Accept": "text/turtle"}),
            client.get("/catalog", headers={"Accept": "text/turtle"}),
        ]
    for response in answers:
        body = response.get_data(as_text=True)
        assert response.status_code == 500, body
        assert str(release) not in body and not MACHINE_PATH.search(body), body
        assert "Traceback" not in body and "File \"" not in body, body
        assert re.search(r"^(The query engine failed|Internal server error): the server could not answer this request; .* reference [0-9a-f]{12}$", body), body
        assert response.headers["Cache-Control"] == "no-store"
    # The detail is in the log, under the reference the body gives.
    for response in answers:
        reference = response.get_data(as_text=True).rsplit(" ", 1)[1].strip()
        assert any(reference in record.getMessage() for record in caplog.records), reference
