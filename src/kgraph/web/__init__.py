"""kgraph's HTTP layer: the only package importing Flask. Start with create_app(settings)."""

from kgraph.web.app import create_app

__all__ = ["create_app"]
