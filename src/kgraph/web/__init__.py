"""kgraph's HTTP layer: the only package importing Flask. Start with create_app(settings)."""

from kgraph.web.app import close_app, create_app

__all__ = ["close_app", "create_app"]
