"""kgraph's HTTP layer: the only package importing Flask. Start with create_app(settings)."""

from kgraph.web.access_log import write_access_lines
from kgraph.web.app import close_app, create_app

__all__ = ["close_app", "create_app", "write_access_lines"]
