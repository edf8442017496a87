"""The index is built once per served release and kept with it (kgraph.web.state), not per request."""

from __future__ import annotations

from kgraph.web import create_app

KEY = "reconciliation"


def test_index_is_built_once_per_release_and_dropped_with_it(built_release, project_settings):
    app = create_app(project_settings, built_release.path, query_workers=1)
    try:
        client = app.test_client()
        state = app.extensions["kgraph"]
        served = state.served
        assert KEY not in served._derived  # nothing built before the service is asked
        assert client.get("/reconcile", query_string={"queries": '{"q0": {"query": "imec"}}'}).status_code == 200
        first = served._derived[KEY]
        assert client.post("/reconcile", data={"queries": '{"q0": {"query": "VVSG"}}'}).status_code == 200
        assert client.get("/reconcile/suggest/entity?prefix=gen").status_code == 200
        assert served._derived[KEY] is first  # the same index for every later request
        served.close()
        assert KEY not in served._derived
    finally:
        state.close()
