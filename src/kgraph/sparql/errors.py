"""The errors a SPARQL request can end with, each carrying the HTTP status it means.

Nothing here knows HTTP beyond a number: the web layer's one error handler answers every
QueryError with `exc.status`, `exc.title` and `str(exc)` (the whole human-readable message),
plus `exc.headers()`, as Datasette's handle_exception does with its exceptions' own status.
"""

from __future__ import annotations


class QueryError(Exception):
    """Base of the errors a query or update can end with (all are the client's or the clock's)."""

    status = 400
    title = "Bad request"

    def headers(self) -> dict[str, str]:
        """Extra response headers this error asks for (e.g. Retry-After)."""
        return {}


class QuerySyntaxError(QueryError):
    """The parser refused the text; message, line and column come from the parser."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column

    @property
    def title(self) -> str:  # type: ignore[override]
        """'Syntax error', with the position when the parser gave one."""
        return "Syntax error" + (f" at line {self.line}, column {self.column}" if self.line is not None else "")


class QueryTooComplex(QueryError):
    """The text nests deeper (or chains longer) than the engine's parser survives; refused unread."""

    title = "Query too deeply nested"


class UpdateNotAccepted(QueryError):
    """A SPARQL Update was sent where only queries are run (the query parameter, `kgraph query`)."""

    title = "Updates are not accepted here"


class ForbiddenOperation(QueryError, ValueError):
    """The text asks for a federated SERVICE or a LOAD whose target is not allowlisted."""

    title = "Refused"


class DatasetConflict(QueryError, ValueError):
    """Protocol dataset parameters given together with USING/WITH in the update, or unusable."""

    title = "Dataset error"


class InvalidParameter(QueryError, ValueError):
    """A named query's parameter that is unknown or not of its declared type (the message names it)."""

    title = "Invalid parameter"


class UnknownQuery(QueryError, LookupError):
    """No named query of that name."""

    status = 404
    title = "No such query"


class QueryEvaluationError(QueryError):
    """The engine refused to evaluate a well-formed text (e.g. an unsupported function)."""

    title = "The query could not be evaluated"


class QueryTimeout(QueryError):
    """The query did not finish before the deadline and was stopped (or no worker became free)."""

    status = 503
    title = "Query stopped"
    retry_after = 5

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class ServerBusy(QueryTimeout):
    """Every query worker is taken (or the long-query budget is spent): refused at once, retry soon."""

    title = "Server busy"
    retry_after = 2


class ResultTooLarge(QueryError):
    """A SELECT result has more rows than the configured maximum."""

    title = "Result too large"


class NotAcceptable(QueryError):
    """The client accepts no format this kind of result can be written in."""

    status = 406
    title = "Not acceptable"

    def __init__(self, kind: str):
        from kgraph.sparql.negotiation import offered_types  # plain tables; imported late: no cycle

        listing = ", ".join(offered_types(kind))
        super().__init__(f"a {kind} result is available as {listing}" if listing else f"no format for a {kind} result")
        self.kind = kind


class EngineError(QueryError):
    """The store or a worker failed (not the client's fault)."""

    status = 500
    title = "The query engine failed"


# --------------------------------------------------------------------------- Graph Store Protocol
# (kgraph.graphstore: the SPARQL 1.1 Graph Store HTTP Protocol at /store)

class GraphNotFound(QueryError):
    """A GET, HEAD or DELETE named a graph the store does not hold (GSP 5.2, 5.4: 404)."""

    status = 404
    title = "Graph not found"


class GraphIdentificationError(QueryError):
    """The request names no graph, two graphs, or a graph IRI that is not an absolute IRI."""

    title = "Graph identification error"


class UnsupportedPayload(QueryError):
    """A PUT or POST body in a media type that is no RDF graph serialisation kgraph reads."""

    status = 415
    title = "Unsupported media type"


class PayloadSyntaxError(QueryError):
    """The RDF body of a PUT or POST does not parse; the message names the part, line and column."""

    title = "Syntax error in the request body"
