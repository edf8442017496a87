"""The reference for kgraph's per-request cost: a bare Flask app with one trivial route.

benchmarks/hotpath.py serves it on the same WSGI server with the same worker settings as
`kgraph serve` and compares /healthz against its "hello" (issue 16 point 1: within 1.3x).
"""

from __future__ import annotations

from flask import Flask, jsonify

app = Flask("bare")


@app.get("/")
def hello():
    """A JSON body about the size of kgraph's /healthz, built the same way."""
    return jsonify(status="ok", version="0123456789ab", update_enabled=False)
