"""ASK results as CSV and TSV tables, written as Apache Jena writes them.

SPARQL 1.1 Query Results CSV and TSV define no boolean form and pyoxigraph's serialisers refuse
one, but clients ask for it (SPARQLWrapper's setReturnFormat(CSV) on an ASK). Apache Jena
answers with a one-column, one-row table (CSVOutput / TSVOutput, `format(OutputStream, boolean)`):
CSV `_askResult` CRLF `true` CRLF; TSV `?_askResult` LF `true` LF (the TSV header keeps the `?`
of a variable, as its SELECT headers do); the value in lower case.
"""

from __future__ import annotations

# pyoxigraph QueryResultsFormat name -> (header line, line end)
_TABLES = {"CSV": ("_askResult", "\r\n"), "TSV": ("?_askResult", "\n")}


def is_table_format(name: str) -> bool:
    """Whether a results format name (CSV, TSV, JSON, XML) is one written here for ASK."""
    return name in _TABLES


def ask_table(name: str, value: bool) -> bytes:
    """The bytes of an ASK result in the CSV or TSV table form."""
    header, end = _TABLES[name]
    return f"{header}{end}{'true' if value else 'false'}{end}".encode()
