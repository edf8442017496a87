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
    Route("health", "/healthz", "healthz", health.healthz, ("GET",)),
    Route("ui", "/assets/<package>/<path:filename>", "asset", ui_views.asset, ("GET",)),
]


def register_routes(app: Flask, routes: list[Route] | None = None) -> None:
    """Build one blueprint per name used in the table and register them on the app."""
    blueprints: dict[str, Blueprint] = {}
    for route in ROUTES if routes is None else routes:
        blueprint = blueprints.setdefault(route.blueprint, Blueprint(route.blueprint, __name__))
        blueprint.add_url_rule(route.rule, route.endpoint, route.view, methods=list(route.methods))
    for blueprint in blueprints.values():
        app.register_blueprint(blueprint)
