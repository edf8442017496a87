"""One access-log line per request: method, path, status, response bytes, duration, result rows.

    GET /healthz 200 116 bytes 0.3 ms rows=-

Written by kgraph.web.front, the app's one WSGI layer, rather than by two Flask hooks: it also logs
the answers the render-once cache sends without running Flask, and costs less per request than
hooks do. The line goes to the `kgraph.access` logger (INFO), or, once `write_access_lines` gave
the layer a writer (kgraph.serve does, for its own stderr handler), straight to that writer: the
same line, without the logging module's per-record work (a record, its formatting, the handler
chain: ~10 us of a /healthz answer's ~85 us in-process, benchmarks/hotpath_profile.py).
"""

from __future__ import annotations

import logging
from typing import Callable

from flask import Flask

access_log = logging.getLogger("kgraph.access")
EXTENSION = "kgraph.access"  # app.extensions: the app's kgraph.web.front.Front layer
LINE = "%s %s %s %s bytes %.1f ms rows=%s"


def write_access_lines(app: Flask, write: Callable[[str], None]) -> None:
    """Send the app's access lines (the message, without time stamp or level) to `write`
    instead of through logging; the `kgraph.access` logger's level still says whether to log."""
    app.extensions[EXTENSION].write = write
