"""The terms and IRI patterns of the history: version IRIs, release stamps, vocabularies."""

from __future__ import annotations

import datetime as dt

LDES = "https://w3id.org/ldes#"
TREE = "https://w3id.org/tree#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
AS_DELETE = "https://www.w3.org/ns/activitystreams#Delete"

IS_VERSION_OF = f"{DCTERMS}isVersionOf"
GENERATED_AT = f"{PROV}generatedAtTime"
LDES_SPECIFICATION = "https://w3id.org/ldes/specification"

VERSION_SEGMENT = "versie"  # Dutch, like the URI categories: {resource}/versie/{stamp}
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"

CREATED, UPDATED, DELETED = "created", "updated", "deleted"


def publishable_prefix(base: str) -> str:
    """Resources with a history: every IRI of the Flemish URI pattern {base}id/{category}/{ref}."""
    return f"{base}id/"


def stamp_of(moment: dt.datetime) -> str:
    """A release's stamp (part of its version IRIs): the release time, UTC, to the second."""
    return moment.astimezone(dt.timezone.utc).strftime(STAMP_FORMAT)


def time_of(stamp: str) -> dt.datetime:
    """The release time a stamp stands for."""
    return dt.datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=dt.timezone.utc)


def xsd_datetime(stamp: str) -> str:
    """The xsd:dateTime lexical form of a stamp (e.g. 2018-12-31T00:00:00Z)."""
    return time_of(stamp).strftime("%Y-%m-%dT%H:%M:%SZ")


def version_iri(resource: str, stamp: str) -> str:
    """The stable IRI of a resource's version at a release: {resource}/versie/{stamp}."""
    return f"{resource}/{VERSION_SEGMENT}/{stamp}"
