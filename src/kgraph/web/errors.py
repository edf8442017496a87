"""Error handlers: every failure becomes a plain-text response with the right status.

Bad input never reaches a 500: query errors map to 4xx, a timeout or a busy pool to 503, and only
a failing store or worker (EngineError) is a 500.
"""

from __future__ import annotations

import logging

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from kgraph.sparql import (
    DatasetConflict,
    EngineError,
    ForbiddenOperation,
    NotAcceptable,
    QueryEvaluationError,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
)
from kgraph.sparql import negotiation

log = logging.getLogger("kgraph.web")


def text_response(status: int, message: str, **headers: str) -> Response:
    """A short plain-text answer (what SPARQL clients show their users)."""
    response = Response(message.rstrip() + "\n", status=status, content_type="text/plain; charset=utf-8")
    response.headers.update(headers)
    return response


def _http_error(exc: HTTPException) -> Response:
    response = exc.get_response()
    body = f"{exc.code} {exc.name}: {exc.description}" if exc.description else f"{exc.code} {exc.name}"
    response.set_data(body.rstrip() + "\n")
    response.content_type = "text/plain; charset=utf-8"
    return response


def _syntax(exc: QuerySyntaxError) -> Response:
    where = f" at line {exc.line}, column {exc.column}" if exc.line is not None else ""
    return text_response(400, f"Syntax error{where}: {exc.message}")


def _forbidden_operation(exc: ForbiddenOperation) -> Response:
    return text_response(400, f"Refused: {exc}")


def _evaluation(exc: QueryEvaluationError) -> Response:
    return text_response(400, f"The query could not be evaluated: {exc}")


def _dataset(exc: DatasetConflict) -> Response:
    return text_response(400, f"Dataset error: {exc}")


def _timeout(exc: QueryTimeout) -> Response:
    return text_response(503, f"Query stopped: {exc}", **{"Retry-After": "5"})


def _too_large(exc: ResultTooLarge) -> Response:
    return text_response(400, f"Result too large: {exc}")


def _not_acceptable(exc: NotAcceptable) -> Response:
    offered = negotiation.OFFERS.get(exc.kind, ())
    listing = ", ".join(dict.fromkeys(negotiation.canonical(t, exc.kind) for t in offered))
    return text_response(406, f"Not acceptable: a {exc.kind} result is available as {listing}")


def _engine(exc: EngineError) -> Response:
    log.error("engine failure: %s", exc)
    return text_response(500, f"The query engine failed: {exc}")


def init_errors(app: Flask) -> None:
    """Register the handlers on an app."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(QuerySyntaxError, _syntax)
    app.register_error_handler(ForbiddenOperation, _forbidden_operation)
    app.register_error_handler(QueryEvaluationError, _evaluation)
    app.register_error_handler(DatasetConflict, _dataset)
    app.register_error_handler(QueryTimeout, _timeout)
    app.register_error_handler(ResultTooLarge, _too_large)
    app.register_error_handler(NotAcceptable, _not_acceptable)
    app.register_error_handler(EngineError, _engine)
