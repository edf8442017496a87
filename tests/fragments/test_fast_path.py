"""The fragments' answer without Flask (kgraph.web.front step 2, Fragments.answer) is the view's
answer: for patterns of every kind sampled from the real 2018 graph, every RDF media type (and
the aliases clients send), with and without a public base, the same status, the same headers
(but Date) and the same bytes, asked first and asked again (X-Cache: HIT); and it leaves to Flask
what only the view does: HTML, conditional requests (304), bad parameters (400 naming them),
other methods.

Apps on the session's 2018 build (real store), called through Flask's test client (the whole
WSGI stack), the fast path switched off by Front.parts for the view's answers.
"""

from __future__ import annotations

import random
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from kgraph.fragments.terms import term_to_string
from kgraph.web import close_app, create_app
from kgraph.web.fragment_views import ALIASES, FRAGMENTS, OFFERED

ACCEPTS = [*OFFERED, *ALIASES, "text/turtle;q=0.9, application/trig", "*/*"]


@pytest.fixture(params=["", "https://data.example.org/kg/"], ids=["request-root", "public-base"])
def apps(request, built_release, project_settings):
    """Two fresh apps on the same release: one answering with the fast path, one without it;
    each with a counter of the requests its Flask app saw."""
    # Pages from the disk store on both sides (an in-memory copy may give a page's triples in
    # another order; tests/fragments/test_memory.py compares its pages).
    settings = project_settings.replace(public_base=request.param, fragment_memory_quads=0)
    made = []
    for fast in (True, False):
        app = create_app(settings, built_release.path, query_workers=1)
        front = app.extensions["kgraph.access"]
        front.parts["fragments"] = fast
        seen = [0]
        flask_app = front.wsgi_app

        def counted(environ, start_response, flask_app=flask_app, seen=seen):
            seen[0] += 1
            return flask_app(environ, start_response)

        front.wsgi_app = counted
        made.append((app, app.test_client(), seen))
    yield made
    for app, _, _ in made:
        close_app(app)


def query_strings(store: ox.Store, count: int = 40) -> list[str]:
    rnd = random.Random(11)
    quads = list(store.quads_for_pattern(None, None, None, None))
    found = []
    for q in rnd.sample(quads, count) + [next(q for q in quads if isinstance(q.subject, ox.BlankNode))]:
        for name, term in (("subject", q.subject), ("predicate", q.predicate), ("object", q.object)):
            found.append(f"{name}={quote(term_to_string(term), safe='')}&graph=urn%3Aldf%3AdefaultGraph")
        found.append(f"predicate={quote(q.predicate.value, safe='')}&page=2")  # GRAPH ?g, a second page
    return found


def answer(client, query: str, accept: str):
    response = client.get(f"/fragments?{query}", headers={"Accept": accept})
    return response.status_code, sorted((k, v) for k, v in response.headers.items() if k != "Date"), response.data


def test_the_fast_answer_is_the_views_answer(apps, store):
    (fast_app, fast, fast_seen), (_, view, view_seen) = apps
    queries = query_strings(store)
    misses = 0
    for accept in ACCEPTS:
        for query in queries[:: 1 if accept == "application/trig" else 7]:
            for again in (False, True):
                got, expected = answer(fast, query, accept), answer(view, query, accept)
                assert got == expected, (query, accept, again)
                hit = ("X-Cache", "HIT") in got[1]
                assert got[0] == 200 and (hit or not again)
                misses += not hit
    assert misses > len(queries)  # pages made on both sides, not only kept ones compared
    # Every one answered without Flask on one side; by the view (or its kept answers) on the other.
    assert fast_seen[0] == 0 and view_seen[0] >= len(queries)
    # The data is there: the subject fragments hold their subject's triples.
    assert b"hydra:totalItems" in answer(fast, queries[0], "application/trig")[2]


def test_what_only_the_view_does_is_left_to_it(apps, store):
    (_, fast, fast_seen), (_, view, _) = apps
    query = query_strings(store, 1)[0]
    ok = fast.get(f"/fragments?{query}", headers={"Accept": "application/trig"})
    before = fast_seen[0]
    html = fast.get(f"/fragments?{query}", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.mimetype == "text/html"
    conditional = fast.get(f"/fragments?{query}", headers={"Accept": "application/trig", "If-None-Match": ok.headers["ETag"]})
    assert conditional.status_code == 304 and conditional.headers["ETag"] == ok.headers["ETag"]
    bad = fast.get("/fragments?subject=not-an-iri", headers={"Accept": "application/trig"})
    assert bad.status_code == 400 and "parameter 'subject'" in bad.get_data(as_text=True)
    assert fast.get("/fragments?page=0", headers={"Accept": "application/trig"}).status_code == 400
    assert fast.get(f"/fragments?{query}", headers={"Accept": "image/png"}).status_code == 406
    assert fast.head(f"/fragments?{query}", headers={"Accept": "application/trig"}).status_code == 200
    assert fast_seen[0] == before + 6  # each of them by Flask
    assert bad.get_data() == view.get("/fragments?subject=not-an-iri", headers={"Accept": "application/trig"}).get_data()
