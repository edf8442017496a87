"""Count the solutions of a SELECT result exactly while pyoxigraph serialises it, and stop past a limit.

pyoxigraph 0.5 serialises only its own QuerySolutions (nothing takes a Python iterator of
solutions, so a counting wrapper or an islice cannot be handed to its serialiser), and iterating
the solutions in Python to write them ourselves costs Python work per row (benchmarks/rowcount.py).
So the serialiser writes into a RowCountingWriter, which counts the row boundaries of each
buffered chunk (~8 KiB) with C-level bytes operations, telling structure from literal text:

- XML: `<result>` (literal text has `<` escaped as `&lt;`, so the marker is always structure);
- TSV: `\\n` (literals are written in Turtle syntax with `\\n`, `\\r`, `\\t` escaped);
- CSV: `\\r\\n` outside quoted fields (a field with `"`, `,`, CR or LF is quoted, its `"` doubled,
  so a CRLF is structure exactly when an even number of `"` precede it);
- JSON: `},{` and `[{` outside strings (backslash escapes are dropped first, so the quotes left
  delimit strings, and the text between them is skipped: `},{` inside a literal does not count).

State carried between chunks is a few bytes (a marker split by the chunk boundary, whether a
quoted field or string is open), so the cost stays linear whatever the literals hold.
"""

from __future__ import annotations

from typing import Any



class RowLimitExceeded(Exception):
    """Raised from write() as soon as the result has more rows than allowed."""

    def __init__(self, rows: int):
        super().__init__(rows)
        self.rows = rows


class RowCountingWriter:
    """A binary file wrapper for QuerySolutions.serialize: `rows` is the exact number of solutions.

    `fmt` is the pyoxigraph QueryResultsFormat name (JSON, XML, CSV, TSV). write() raises
    RowLimitExceeded once more than `max_rows` rows have been written (None: no limit).
    """

    def __init__(self, handle: Any, fmt: str, max_rows: int | None = None):
        self.handle, self.fmt, self.max_rows = handle, fmt, max_rows
        self._count = getattr(self, f"_count_{fmt.lower()}")
        self._boundaries = 0  # row boundaries seen so far (the header line included for CSV / TSV)
        self._tail = b""  # bytes carried into the next chunk (see each counter)
        self._open = False  # inside a CSV quoted field / a JSON string at the end of the last chunk
        self._first_row = False  # JSON: the bindings array has a first row

    @property
    def rows(self) -> int:
        """Solutions written so far."""
        if self.fmt in ("CSV", "TSV"):
            return max(self._boundaries - 1, 0)  # the first line is the header
        return self._boundaries

    def write(self, data: bytes) -> int:
        """Write a chunk through, after counting its rows."""
        self._count(bytes(data))
        if self.max_rows is not None and self.rows > self.max_rows:
            raise RowLimitExceeded(self.rows)
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()

    # -- per format
    def _count_marker(self, data: bytes, marker: bytes) -> None:
        window = self._tail + data
        self._boundaries += window.count(marker)
        self._tail = window[-(len(marker) - 1):]  # a marker split by the boundary is found next time

    def _count_xml(self, data: bytes) -> None:
        self._count_marker(data, b"<result>")

    def _count_tsv(self, data: bytes) -> None:
        self._boundaries += data.count(b"\n")

    def _count_csv(self, data: bytes) -> None:
        if b'"' not in data and not self._tail:
            if not self._open:
                self._boundaries += data.count(b"\r\n")
                self._tail = b"\r" if data.endswith(b"\r") else b""
            return
        window = self._tail + data
        self._boundaries += _outside(window, self._open).count(b"\r\n")
        self._open ^= window.count(b'"') % 2 == 1
        self._tail = b"\r" if not self._open and window.endswith(b"\r") else b""

    def _count_json(self, data: bytes) -> None:
        window = self._tail + data
        if b"\\" in window:
            # Backslashes occur only in strings; dropping `\\` pairs first, left to right, reads
            # them as the escapes they are, so what remains of `\"` is an escaped quote.
            window = window.replace(b"\\\\", b"").replace(b'\\"', b"")
        outside = _outside(window, self._open)
        self._open ^= window.count(b'"') % 2 == 1
        if self._open:  # inside a string: carry a lone backslash (an escape cut in two)
            self._tail = b"\\" if window.endswith(b"\\") else b""
        else:
            self._tail = outside[-2:]
        # `[{` opens the first row, `},{` starts each next one: nowhere else in a results document.
        # The carried bytes could hold a whole `[{`, so the first row is a flag, not a count.
        self._boundaries += outside.count(b"},{")
        if not self._first_row and b"[{" in outside:
            self._first_row = True
            self._boundaries += 1


def _outside(window: bytes, open_at_start: bool) -> bytes:
    """The text of window outside quoted fields / strings (their quotes being the only `"` left),
    each quoted part replaced by one `0` so no marker forms across it. All in C: split, slice, join."""
    return b"0".join(window.split(b'"')[1 if open_at_start else 0::2])
