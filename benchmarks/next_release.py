"""The generator's "next release" mode: next year's version of a generated data folder.

    python -m benchmarks.generate --next-release 2 --from benchmarks/work/data-1M --out DIR

copies the data folder and, in the report sections, changes a share of the resources (the
Dutch label of an activity, event or document gets a revision note), adds a share (copies of
activities and events under new references) and removes a share (events and documents, which
nothing else refers to, so the result still conforms to the shapes). Deterministic: the same
folder, release number, shares and seed give the same bytes.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

REMOVABLE = ("evenement:", "document:")
COPYABLE = ("activiteit:", "evenement:")


@dataclass
class Counts:
    """What a next release did, in resources (Turtle subject blocks of the report sections)."""

    resources: int = 0
    changed: int = 0
    added: int = 0
    removed: int = 0
    files: list[str] = field(default_factory=list)


def _blocks(text: str) -> tuple[str, list[str]]:
    """A section file's header (comments, prefixes) and its subject blocks, in order."""
    parts = text.split("\n\n")
    header = [p for p in parts if not p.strip() or p.lstrip().startswith(("#", "@prefix"))]
    blocks = [p for p in parts if p.strip() and not p.lstrip().startswith(("#", "@prefix"))]
    return "\n\n".join(header), blocks


def _changed(block: str, release: int) -> str:
    at = block.find('"@nl')
    return block if at < 0 else block[:at] + f' (herzien in release {release})' + block[at:]


def _copy(block: str, release: int, number: int) -> str:
    subject, rest = block.split(" ", 1)
    label = rest.replace('"@nl', f' (nieuw in release {release})"@nl', 1)
    return f"{subject}-r{release}-{number} {label}"


def next_release(source: Path, out: Path, release: int, *, changed: float = 0.03, added: float = 0.01,
                 removed: float = 0.01, seed: int = 42) -> Counts:
    """Write release `release` of the data in source to out (which must not exist)."""
    shutil.copytree(source, out)
    rnd = random.Random(f"{seed}-{release}")
    counts = Counts()
    sections = sorted(p for p in out.glob("[0-9]*/*.ttl"))
    blocks_total = sum(len(_blocks(p.read_text(encoding="utf-8"))[1]) for p in sections)
    removable = sum(b.startswith(REMOVABLE) for p in sections for b in _blocks(p.read_text(encoding="utf-8"))[1])
    copyable = sum(b.startswith(COPYABLE) for p in sections for b in _blocks(p.read_text(encoding="utf-8"))[1])
    remove_p = removed * blocks_total / max(removable, 1)
    add_p = added * blocks_total / max(copyable, 1)
    for path in sections:
        header, blocks = _blocks(path.read_text(encoding="utf-8"))
        kept: list[str] = []
        for block in blocks:
            counts.resources += 1
            roll = rnd.random()
            if block.startswith(REMOVABLE) and roll < remove_p:
                counts.removed += 1
                continue
            if rnd.random() < changed:
                block = _changed(block, release)
                counts.changed += 1
            kept.append(block)
            if block.startswith(COPYABLE) and rnd.random() < add_p:
                counts.added += 1
                kept.append(_copy(block, release, counts.added))
        path.write_text(header + "\n\n" + "\n\n".join(kept) + "\n", encoding="utf-8")
    return counts
