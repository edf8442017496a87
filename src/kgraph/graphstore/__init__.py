"""The SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/),
without HTTP: which graph a request is about (`target`), reading an RDF payload (`payload`), and
the four operations on the served store (`operations`: get, put, post, delete).

As in Fuseki, the protocol is a thin layer over SPARQL: a GET is a CONSTRUCT of the graph, and a
PUT, POST or DELETE is one SPARQL Update request (DROP / CREATE / INSERT DATA) run by the same
executor, on the same writer process, as an update sent to /sparql. So writes reach the store,
bump the data version and reopen the query workers exactly as /sparql updates do.

The web layer (kgraph.web.graphstore_views) reads the request, checks the update token and
answers the errors these modules raise (kgraph.sparql.errors) with their own status.
"""

from kgraph.graphstore.operations import delete, exists, get, post, put
from kgraph.graphstore.payload import PAYLOAD_FORMATS, Payload, parse_payloads
from kgraph.graphstore.target import GraphTarget

__all__ = ["GraphTarget", "PAYLOAD_FORMATS", "Payload", "delete", "exists", "get", "parse_payloads", "post", "put"]
