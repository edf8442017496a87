"""Per-app resources (issue 11.2): attached by create_app, released by close_app, no atexit hook
per app and no module-level state shared between two apps."""

from __future__ import annotations

import atexit

from kgraph.config import Settings
from kgraph.web import close_app, create_app
from kgraph.web.ld_views import EXTENSION as LINKED_DATA


def test_create_app_registers_no_atexit_hook_and_close_app_removes_the_cache(sample_release, tmp_path):
    # weakref.finalize (the fallback clean-up tied to each app) registers one hook per process, on
    # its first use; beyond that, making apps must not add any.
    apps = [create_app(Settings(), sample_release, query_workers=1)]
    before = atexit._ncallbacks()
    apps += [create_app(Settings(), sample_release, query_workers=1) for _ in range(3)]
    assert atexit._ncallbacks() == before
    # Each app has its own Linked Data state holder (and lock), made in init_linked_data.
    assert apps[0].extensions[LINKED_DATA] is not apps[1].extensions[LINKED_DATA]
    app = apps[0]
    response = app.test_client().get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
    assert response.status_code == 200 and response.headers["X-Cache"] == "MISS"
    folder = app.extensions["kgraph"].cache.folder
    assert any(folder.iterdir())
    for each in apps:
        close_app(each)
    assert not folder.exists()
