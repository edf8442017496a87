"""The OpenAPI 3.1 document of the named-query API, generated from the .rq headers.

One path per named query (/api/queries/{name}), its `# param:` lines as typed query parameters
(iri -> string, format iri; integer; decimal -> number; date -> string, format date; string),
plus limit and offset; answers: JSON (rows as objects) or CSV, and plain-text errors.
"""

from __future__ import annotations

from kgraph import __version__
from kgraph.api.parameters import DEFAULT_LIMIT, MAX_LIMIT
from kgraph.named_queries import NamedQuery, Parameter

_SCHEMAS = {
    "iri": {"type": "string", "format": "iri-reference"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "string": {"type": "string"},
}

ERROR = {"description": "", "content": {"text/plain": {"schema": {"type": "string"}}}}


def _error(description: str) -> dict:
    return {**ERROR, "description": description}


def _parameter(parameter: Parameter) -> dict:
    schema = dict(_SCHEMAS[parameter.type])
    if parameter.default is not None:
        schema["examples"] = [parameter.default]
    return {"name": parameter.name, "in": "query", "required": False, "schema": schema,
            "description": f"{parameter.label or parameter.name} ({parameter.type}"
                           + (f"; default {parameter.default})" if parameter.default else ")")}


PAGING = [
    {"name": "limit", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
     "description": "rows per page"},
    {"name": "offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0, "maximum": 10**9, "default": 0},
     "description": "rows to skip"},
    {"name": "lang", "in": "query", "required": False, "schema": {"type": "string", "enum": ["nl", "en"], "default": "nl"},
     "description": "language of the labels in the answer (texts that exist only in Dutch stay Dutch)"},
]

ROWS = {
    "type": "object",
    "required": ["query", "variables", "rows", "limit", "offset", "next"],
    "properties": {
        "query": {"type": "string"},
        "variables": {"type": "array", "items": {"type": "string"}},
        "rows": {"type": "array", "items": {"type": "object",
                                            "additionalProperties": {"type": ["string", "number", "boolean", "null"]}}},
        "limit": {"type": "integer"},
        "offset": {"type": "integer"},
        "next": {"type": ["string", "null"]},
    },
}

LISTING = {
    "type": "object",
    "required": ["queries"],
    "properties": {"queries": {"type": "array", "items": {
        "type": "object", "required": ["name", "title", "description", "parameters", "url"],
        "properties": {
            "name": {"type": "string"}, "url": {"type": "string"},
            "title": {"type": "object", "additionalProperties": {"type": "string"}},
            "description": {"type": "object", "additionalProperties": {"type": "string"}},
            "parameters": {"type": "array", "items": {"type": "object"}},
        }}}},
}


def _operation(query: NamedQuery) -> dict:
    return {
        "operationId": f"query_{query.name.replace('-', '_')}",
        "summary": query.title.get("en", query.name),
        "description": f"{query.description.get('en', '')}\n\n{query.title.get('nl', '')}: {query.description.get('nl', '')}",
        "parameters": [_parameter(p) for p in query.parameters] + PAGING,
        "responses": {
            "200": {"description": "a page of the answer (Link: rel=\"next\" when there is more)",
                    "headers": {"ETag": {"schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": ROWS}, "text/csv": {"schema": {"type": "string"}}}},
            "304": {"description": "not modified (If-None-Match)"},
            "400": _error("a parameter of the wrong type, or unknown"),
            "406": _error("neither JSON nor CSV is acceptable"),
            "503": _error("server busy or the query ran too long (Retry-After)"),
        },
    }


def document(catalogue: dict[str, NamedQuery], server_url: str) -> dict:
    """The OpenAPI 3.1 document for the catalogue, served under server_url."""
    paths: dict[str, dict] = {
        "/api/queries": {"get": {
            "operationId": "list_queries", "summary": "The named queries and their parameters",
            "responses": {"200": {"description": "the named queries", "content": {"application/json": {"schema": LISTING}}}},
        }},
    }
    for query in catalogue.values():
        paths[f"/api/queries/{query.name}"] = {"get": _operation(query)}
    return {
        "openapi": "3.1.0",
        "info": {"title": "kgraph named queries", "version": __version__,
                 "description": "The competency queries of the Kenniscentrum Vlaamse Steden's knowledge graph as a "
                                "REST API: typed parameters bound as RDF terms, rows as JSON objects or CSV "
                                "(Accept, or a .json / .csv suffix), paged with limit/offset and Link rel=\"next\".",
                 "license": {"name": "CC0 1.0 (the data)", "identifier": "CC0-1.0"}},
        "servers": [{"url": server_url.rstrip("/") or "/"}],
        "paths": paths,
    }
