"""Liveness: answers without touching the store, so a busy query pool never fails it."""

from __future__ import annotations

from flask import jsonify

from kgraph.web.state import get_state


def healthz():
    """200 with the served data version."""
    state = get_state()
    return jsonify(status="ok", version=state.store.version, update_enabled=state.update_enabled)
