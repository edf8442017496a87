"""Real SPARQL engines for the backend tests, started empty on loopback ports and stopped after:
Oxigraph server (PyPI `oxigraph`) and Virtuoso 7 (Debian `virtuoso-t`), as benchmarks/systems.py
starts them for benchmarks/backend.py."""

from __future__ import annotations

from benchmarks.systems import Engine, Unavailable
from benchmarks.systems import empty_oxigraph_server as oxigraph_server
from benchmarks.systems import empty_virtuoso as virtuoso

__all__ = ["Engine", "Unavailable", "oxigraph_server", "virtuoso"]
