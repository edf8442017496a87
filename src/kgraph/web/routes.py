"""Every URL rule of the web app, in one table.

Each row names the blueprint it belongs to, the rule, the endpoint name, the view function and the
methods. create_app builds the blueprints from this table, so adding a page is adding a row (and
its view function). OPTIONS is answered automatically for every rule (CORS preflight included).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import Blueprint, Flask

from kgraph.web import health, sparql_views, ui_views
from kgraph.web import graphstore_views
from kgraph.web import meta_views
from kgraph.web import ld_views
from kgraph.web import partner_views, reconcile_views
from kgraph.web import fragment_views
from kgraph.web import ldes_views
from kgraph.web import explore_views, api_views


@dataclass(frozen=True)
class Route:
    """One URL rule: blueprint name, rule, endpoint name, view, methods."""

    blueprint: str
    rule: str
    endpoint: str
    view: Callable
    methods: tuple[str, ...] = ("GET",)


ROUTES: list[Route] = [
    Route("sparql", "/sparql", "query", sparql_views.sparql, ("GET", "POST")),
    # SPARQL 1.1 Graph Store HTTP Protocol (issue 12.3): indirect (?default, ?graph=) and direct identification.
    Route("store", "/store", "indirect", graphstore_views.indirect, ("GET", "PUT", "POST", "DELETE")),
    Route("store", "/store/<path:graph_path>", "direct", graphstore_views.direct, ("GET", "PUT", "POST", "DELETE")),
    Route("health", "/healthz", "healthz", health.healthz, ("GET",)),
    Route("health", "/readyz", "readyz", health.readyz, ("GET",)),
    # Dataset metadata and downloads (issue 4B): DCAT-AP catalogue, VoID, dumps, vocabulary, shapes.
    Route("meta", "/catalog", "catalog", meta_views.catalog),
    Route("meta", "/catalog.<ext>", "catalog_ext", meta_views.catalog),
    Route("meta", "/.well-known/void", "void", meta_views.void_description),
    Route("meta", "/dumps/", "dumps", meta_views.dumps_index),
    Route("meta", "/dumps/<path:filename>", "dump_file", meta_views.dump_file),
    Route("meta", "/ns/kgraph", "vocabulary", meta_views.vocabulary),
    Route("meta", "/ns/kgraph.<ext>", "vocabulary_ext", meta_views.vocabulary),
    Route("meta", "/ns/kgraph/shapes", "shapes", meta_views.shapes),
    Route("meta", "/ns/kgraph/shapes.<ext>", "shapes_ext", meta_views.shapes),
    Route("ui", "/assets/<package>/<path:filename>", "asset", ui_views.asset, ("GET",)),
    # Linked Data pages (issue 4A): dereferencing (303), /doc/ by Accept or extension, indexes, search, graph.
    Route("ld", "/", "home", ld_views.home),
    Route("ld", "/search", "search", ld_views.search),
    Route("ld", "/doc/", "lists", ld_views.doc_lists),
    Route("ld", "/id/", "id_lists", ld_views.id_lists),
    Route("ld", "/graph/", "graph_lists", ld_views.graph_lists),
    Route("ld", "/id/<category>/", "thing_index", ld_views.index_redirect),
    Route("ld", "/id/<category>/<ref>", "thing", ld_views.resource_redirect),
    Route("ld", "/doc/<category>/", "index", ld_views.index),
    Route("ld", "/doc/<category>/<ref>", "document", ld_views.document),
    Route("ld", "/graph/organisatie/<ref>", "relations", ld_views.relations),
    # Reconciliation Service API 0.2 for OpenRefine and the page for partners who link to us (issue 14).
    Route("reconcile", "/reconcile", "reconcile", reconcile_views.reconcile, ("GET", "POST")),
    Route("reconcile", "/reconcile/suggest/entity", "suggest_entity", reconcile_views.suggest_entity),
    Route("reconcile", "/reconcile/suggest/type", "suggest_type", reconcile_views.suggest_type),
    Route("reconcile", "/reconcile/suggest/property", "suggest_property", reconcile_views.suggest_property),
    Route("reconcile", "/reconcile/propose_properties", "propose_properties", reconcile_views.propose),
    Route("reconcile", "/reconcile/preview", "preview", reconcile_views.preview),
    Route("reconcile", "/reconcile/flyout", "flyout", reconcile_views.flyout_view),
    Route("reconcile", "/reconcile/view", "view", reconcile_views.view),
    Route("ld", "/link-to-us", "link_to_us", partner_views.link_to_us),
    # Triple (Quad) Pattern Fragments with Hydra controls (issue 12).
    Route("fragments", "/fragments", "fragments", fragment_views.fragments),
    # History (issue 13): the Linked Data Event Stream, version IRIs, what changed per release.
    Route("ldes", "/ldes", "stream", ldes_views.event_stream),
    Route("ldes", "/ldes/view", "view", ldes_views.view),
    Route("ldes", "/ldes/sparql", "sparql", ldes_views.sparql, ("GET", "POST")),
    Route("ldes", "/ldes/<stamp>/<int:number>", "page", ldes_views.page),
    Route("ldes", "/ldes/release/<stamp>", "release", ldes_views.release_changes),
    Route("ldes", "/id/<category>/<ref>/versie/<stamp>", "version_thing", ldes_views.version_redirect),
    Route("ldes", "/doc/<category>/<ref>/versie/<stamp>", "version", ldes_views.version_document),
    # Analysts (issue 15): the network explorer and the named queries as a REST API.
    Route("explore", "/explore", "explore", explore_views.explore),
    Route("explore", "/explore/data.json", "explore_data", explore_views.explore_data),
    Route("explore", "/explore/organisatie/<ref>", "explore_organisation", explore_views.organisation_panel),
    Route("explore", "/explore/ego/<ref>", "explore_ego", explore_views.ego),
    Route("api", "/api/", "api_page", api_views.api_page),
    Route("api", "/api/openapi.json", "openapi", api_views.openapi_document),
    Route("api", "/api/queries", "queries", api_views.list_queries),
    Route("api", "/api/queries/<name>", "named_query", api_views.run_named_query),
]


def register_routes(app: Flask, routes: list[Route] | None = None) -> None:
    """Build one blueprint per name used in the table and register them on the app."""
    blueprints: dict[str, Blueprint] = {}
    for route in ROUTES if routes is None else routes:
        blueprint = blueprints.setdefault(route.blueprint, Blueprint(route.blueprint, __name__))
        blueprint.add_url_rule(route.rule, route.endpoint, route.view, methods=list(route.methods))
    for blueprint in blueprints.values():
        app.register_blueprint(blueprint)
