"""GET /link-to-us: how partners link their data to ours (issue 14, point 5), in nl and en.

The URI patterns and their stability promise, the reconciliation endpoint with the OpenRefine
recipe, the linkset dumps, and a SPARQLWrapper example that finds our IRI for a name. The
example is rendered from templates/ld/find_iri.py.txt with this server's endpoint in it (a test
runs the code exactly as the page shows it, against the live server).
"""

from __future__ import annotations

import json

from flask import Response, render_template

from kgraph.namespaces import CATEGORIES
from kgraph.web.ld_views import page_language, render
from kgraph.web.state import get_state
from kgraph.web.urls import public_root

EXAMPLE_TEMPLATE = "ld/find_iri.py.txt"


def find_iri_example(endpoint: str) -> str:
    """The SPARQLWrapper example for an endpoint URL, as the page shows it."""
    return render_template(EXAMPLE_TEMPLATE, endpoint_literal=json.dumps(endpoint)).rstrip() + "\n"


def link_to_us() -> Response:
    """The page for partners who link to us."""
    lang = page_language()
    root = public_root()
    base = get_state().settings.base
    return render(
        "ld/link_to_us.html",
        lang=lang,
        base=base,
        uri_categories=CATEGORIES,
        reconcile_url=f"{root}reconcile",
        sparql_url=f"{root}sparql",
        example=find_iri_example(f"{root}sparql"),
    )
