"""The one error a reconciliation request can end with: bad input, named by where it is."""

from __future__ import annotations


class ReconcileInputError(ValueError):
    """A parameter the client sent cannot be read; str(exc) names the parameter and the place in it.

    Like kgraph.sparql's errors it carries `status`, `title` and `headers()`, so the web layer
    answers it from these attributes alone.
    """

    status = 400
    title = "Bad reconciliation request"

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter

    def headers(self) -> dict[str, str]:
        """No extra headers: bad input is never worth retrying as it is."""
        return {}
