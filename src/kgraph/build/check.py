"""`kgraph validate`: the build's first stages (parse, load, materialise, validate) without
writing a release, and the findings of the files asked for.

Part of the content is validated in the context of the rest (the ontology, data/shared, the
other data files): a data file refers to organisations and people stated elsewhere, and
alone would have dangling links. A file outside the content folders is validated together
with the whole content. Only the findings placed in the files asked for are reported; the
others are counted.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kgraph.build import inputs
from kgraph.build.parse import Warn
from kgraph.build.pipeline import BuildRun, start
from kgraph.config import Settings
from kgraph.validation import Report


def chosen_files(paths: list[Path]) -> list[Path]:
    """The Turtle files that paths name (a folder: every .ttl under it), resolved."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise inputs.SourceError(path, None, None, "no such file or folder")
        found = sorted(path.rglob(f"*{inputs.TURTLE_SUFFIX}")) if path.is_dir() else [path]
        if path.is_dir() and not found:
            raise inputs.SourceError(path, None, None, "folder holds no .ttl file")
        files += [f.resolve() for f in found]
    return list(dict.fromkeys(files))


def select_sources(settings: Settings, files: list[Path]) -> list[inputs.Source]:
    """The whole content, plus the files that are not part of it (each in a graph of its own)."""
    content = inputs.discover(settings.ontology_dir, settings.data_dir, settings.base)
    known = {s.path.resolve() for s in content}
    outside = [inputs.Source(f, "data", inputs.graph_iri(settings.base, "checked", Path(f"{i}-{f.name}")))
               for i, f in enumerate(files) if f not in known]
    return content + outside


def check_files(settings: Settings, paths: list[Path], language: str = "en", warn: Warn | None = None) -> Report:
    """Validate the content with the files paths name (none: the whole content), as the build
    does; the report holds the findings in those files. SourceError (file:line:col) on
    unreadable input, ShapesError on unreadable shapes."""
    files = chosen_files(paths)
    found = select_sources(settings, files)
    extra = [s.path for s in found if s.graph.startswith(f"{settings.base}graph/checked/")]
    version = inputs.input_version(settings, inputs.input_files(settings) + extra)
    with tempfile.TemporaryDirectory(prefix="kgraph-validate-") as scratch:
        run: BuildRun = start(settings, Path(scratch), found, version, warn=warn)
        try:
            run.parse()
            run.load(write_release_store=False)
            run.materialise()
            report = run.validate(language)
            report.findings  # placed now: the store they are placed by goes with the scratch folder
        finally:
            run.abandon()
    if not paths:
        return report
    wanted = set(files)
    return report.only(lambda finding: any(Path(file).resolve() in wanted for file in finding.files()))
