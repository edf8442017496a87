"""The dump of each linkset (kgraph.metadata.linksets): links-<partner>.nt beside the other dumps.

Written from the sorted N-Triples dump in one pass: a line belongs to a partner's linkset when its
subject is one of ours ({base}id/...) and its object an IRI of the partner's URI space (declared
with void:uriSpace in data/links/<partner>.ttl), the same rule the VoID counts follow.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kgraph.build import dumps
from kgraph.metadata.linksets import dump_file

VOID_URI_SPACE = "http://rdfs.org/ns/void#uriSpace"


def partner_spaces(links_dir: Path, base: str) -> dict[str, str]:
    """partner (file stem) -> URI space, from the files of data/links/ (already parsed by the build)."""
    spaces: dict[str, str] = {}
    for path in sorted(links_dir.glob("*.ttl")) if links_dir.is_dir() else []:
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base):
            if quad.predicate.value == VOID_URI_SPACE and isinstance(quad.object, ox.Literal):
                spaces[path.stem] = quad.object.value
    return spaces


def _object(line: bytes) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    (quad,) = ox.parse(line, format=ox.RdfFormat.N_TRIPLES)
    return quad.object


def write(folder: Path, ntriples: Path, spaces: dict[str, str], base: str) -> list[dict]:
    """Write links-<partner>.nt (and .gz) into folder; their descriptions, as the manifest has dumps."""
    if not spaces:
        return []
    ours = f"<{base}id/".encode()
    needles = {partner: space.encode() for partner, space in spaces.items()}
    outputs = {partner: open(folder / f"links-{partner}.nt", "wb") for partner in spaces}
    try:
        with open(ntriples, "rb") as lines:
            for line in lines:
                if not line.startswith(ours):
                    continue
                for partner, needle in needles.items():
                    # a cheap byte test first; the few lines that pass are parsed to be sure the
                    # space starts the object IRI (not a literal's text)
                    if needle in line:
                        obj = _object(line)
                        if isinstance(obj, ox.NamedNode) and obj.value.startswith(spaces[partner]):
                            outputs[partner].write(line)
    finally:
        for out in outputs.values():
            out.close()
    files: list[dict] = []
    for partner in sorted(spaces):
        files += dumps.finish(folder / dump_file(partner), "application/n-triples")
    return files
