"""The build, as a package of its stages: inputs -> parse (into the spool) -> load ->
materialise -> validate -> store -> dumps -> publish (kgraph.release). See pipeline.py."""

from kgraph.build.inputs import SourceError
from kgraph.build.pipeline import BuildRun, build
from kgraph.build.stage import BuildError, Stage

__all__ = ["BuildError", "BuildRun", "SourceError", "Stage", "build"]
