"""The reference LDES client (npm ldes-client 0.3, rdf-connect) run as partners run it, and
what it printed, read back as RDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "node_modules" / "ldes-client" / "dist" / "bin" / "cli.js"
IS_VERSION_OF = "http://purl.org/dc/terms/isVersionOf"


def run_client(url: str, *options: str, timeout: float = 300) -> list[ox.Triple]:
    """Run ldes-client on url with options; the statements of every member it emitted."""
    node = shutil.which("node")
    assert node, "Node.js is needed for ldes-client (make install runs npm ci)"
    assert CLI.is_file(), f"{CLI} is missing: run `make install` (npm ci installs ldes-client)"
    done = subprocess.run([node, str(CLI), url, *options], capture_output=True, timeout=timeout, cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    # The client writes each member as N-Triples-like lines (N3.js Writer); Turtle reads them.
    return [q.triple for q in ox.parse(done.stdout, format=ox.RdfFormat.TRIG)]


def version_iris(triples: list[ox.Triple]) -> set[str]:
    """The members (version IRIs) among statements the client emitted without materialising."""
    return {t.subject.value for t in triples if t.predicate.value == IS_VERSION_OF}
