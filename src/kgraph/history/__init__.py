"""The history of the published graph: every release as members of a Linked Data Event Stream.

A build compares each publishable resource's concise bounded description (cbd) with the one
the log last recorded (diff), and appends the new versions and deletions to an append-only
log next to the releases (log). Each release then carries an index of the whole log up to
itself (index), which the web layer reads to serve /ldes, version IRIs and change pages.
"""

from kgraph.history.log import HistoryError, HistoryLog

__all__ = ["HistoryError", "HistoryLog"]
