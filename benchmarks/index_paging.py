"""How long one page of a category index takes at a given size (issue 17: indexes sorted and
paged by the store), per category and sort, and the first and last page of the largest one.

    .venv/bin/python -m benchmarks.index_paging [--size 100k] [--repeat 3]

Builds benchmarks/work/build-<size> the way benchmarks.run does (or reuses it), then opens the
release's store in this process and times kgraph.linkeddata.indexes.paged_index: the page model
the /doc/{category}/ view renders, without HTTP. Prints one line per case (best of --repeat).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks import generate
from benchmarks.run import WORK, build_release
from kgraph.config import load_settings
from kgraph.linkeddata import Context, StoreSource, Vocabulary
from kgraph.linkeddata.collections import CATEGORY_TITLES
from kgraph.linkeddata.indexes import paged_index

CASES = [("organisatie", "label"), ("activiteit", "label"), ("activiteit", "date"), ("evenement", "date"),
         ("document", "label"), ("sectie", "number"), ("organisatie", "count")]


def timed(repeat: int, run) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    current = WORK / f"build-{args.size}" / "current"
    if not current.exists():
        build_release(args.size, generate.parse_size(args.size), 42)
    settings = load_settings(Path(__file__).resolve().parent.parent / "kgraph.toml", env={})
    source = StoreSource.open(current / "store")
    ctx = Context(source, settings.base, Vocabulary.load(source))
    print(f"index pages at {args.size} (best of {args.repeat}, seconds)")
    print("  (cold: kinds and totals counted too; warm: with them kept per data version, as the server does)")
    facts: dict = {}
    for category, sort in CASES:
        cold, page = timed(args.repeat, lambda: paged_index(ctx, category, "en", CATEGORY_TITLES[category], sort))
        paged_index(ctx, category, "en", CATEGORY_TITLES[category], sort, facts=facts)
        warm, _ = timed(args.repeat, lambda: paged_index(ctx, category, "en", CATEGORY_TITLES[category], sort, facts=facts))
        print(f"  {category:12} sort={sort:7} page 1 of {page.pages:5}  {page.total:7} members  cold {cold:6.3f}  warm {warm:6.3f}")
    first = paged_index(ctx, "activiteit", "en", CATEGORY_TITLES["activiteit"], "label")
    seconds, _ = timed(args.repeat, lambda: paged_index(ctx, "activiteit", "en", CATEGORY_TITLES["activiteit"],
                                                        "label", None, first.pages, facts=facts))
    print(f"  activiteit   sort=label   last page ({first.pages}), warm {seconds:6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
