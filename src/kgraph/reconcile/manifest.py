"""The service manifest (what GET /reconcile answers without a batch): names, spaces, types,
where preview, suggest and data extension live. URLs are made from the service's root URL."""

from __future__ import annotations

from kgraph import __version__
from kgraph.reconcile.types import TYPES

SERVICE_PATH = "reconcile"
PREVIEW_SIZE = (420, 220)  # width, height of OpenRefine's preview iframe
NAME = "Kenniscentrum Vlaamse Steden (kgraph)"


def service_url(root: str) -> str:
    """The reconciliation endpoint under a root URL ending with '/'."""
    return f"{root}{SERVICE_PATH}"


def manifest(root: str, base: str, lang: str = "en") -> dict:
    """The manifest of the service at `root` for the dataset of `base` (Reconciliation API 0.2)."""
    url = service_url(root)
    width, height = PREVIEW_SIZE
    return {
        "versions": ["0.2"],
        "name": NAME,
        "identifierSpace": f"{base}id/",
        "schemaSpace": f"{base}ns/kgraph#",
        "documentation": f"{root}link-to-us",
        "serviceVersion": __version__,  # the software's version; the API's is in "versions"
        "view": {"url": f"{url}/view?id={{{{id}}}}"},
        "defaultTypes": [{"id": t.id, "name": t.name(lang)} for t in TYPES[:1]],
        "preview": {"url": f"{url}/preview?id={{{{id}}}}", "width": width, "height": height},
        "suggest": {
            "entity": {"service_url": url, "service_path": "/suggest/entity",
                       "flyout_service_path": "/flyout?id=${id}"},
            "type": {"service_url": url, "service_path": "/suggest/type"},
            "property": {"service_url": url, "service_path": "/suggest/property"},
        },
        "extend": {
            "propose_properties": {"service_url": url, "service_path": "/propose_properties"},
            "property_settings": [],
        },
    }
