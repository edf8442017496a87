"""Liveness (/healthz) and readiness (/readyz).

/healthz answers without touching the store, so a busy query pool never fails it. /readyz asks
the store a real query: 200 only when it answers, else 503 with the reason (never a path).

Both say `Cache-Control: no-store` and carry no validators: a probe must reach the server it
asks. A cache in front (deploy/nginx.conf keeps what kgraph marks public, and serves it stale
when every replica is down) would otherwise answer "ok" for a server that is gone.
"""

from __future__ import annotations

from flask import current_app, jsonify

from kgraph.web.context import request_environ
from kgraph.web.render_once import dynamic
from kgraph.web.state import get_state, served_release

READY_TIMEOUT = 5.0  # seconds a readiness query may take
NO_STORE = (("Cache-Control", "no-store"),)


def healthz():
    """200 with the served data version, never stored by a cache."""
    environ = request_environ()  # once, without the request proxy (kgraph.web.context)
    dynamic(environ)  # liveness: answered by the app each time, never from the render-once cache
    served = served_release(environ)
    body = served.health
    if body is None:  # jsonify's bytes, made once per release (jsonify took 7 us a request; bytes 2)
        made = {"status": "ok", "version": served.store.version, "update_enabled": served.update_enabled}
        body = served.health = current_app.json.response(made).get_data()
    return current_app.response_class(body, mimetype="application/json", headers=NO_STORE)


def readyz():
    """200 when the served store answers a real query, else 503 with the reason."""
    state = get_state()
    reason = state.readiness(READY_TIMEOUT)
    if reason is not None:
        response = jsonify(status="unavailable", reason=reason)
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        response.headers["Cache-Control"] = "no-store"
        return response
    response = jsonify(status="ready", version=state.store.version)
    response.headers["Cache-Control"] = "no-store"
    return response
