"""The query UI: YASGUI served by the app itself (no CDN), pointed at /sparql, with the named queries
of queries/*.rq offered as examples.

The browser files come from npm (`npm ci`, run by `make install`) into settings.assets_dir
(node_modules by default); they are not committed. /assets/<package>/<file> serves a fixed list of
package folders, never anything else: a request outside those folders is a 404. When the files are
missing the page says how to install them and still offers a plain query form.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import abort, send_file, url_for
from werkzeug.security import safe_join

from kgraph.named_queries import CatalogueError, load_catalogue
from kgraph.web.errors import echo
from kgraph.web.state import get_state

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AssetPackage:
    """An npm package whose built browser files the app serves: the folder inside assets_dir and
    the package.json giving the version (put into URLs, so a new version is never served from cache)."""

    folder: str
    package_json: str


# Only these folders are reachable under /assets/. vis-network is listed for the Linked Data pages.
PACKAGES: dict[str, AssetPackage] = {
    "yasgui": AssetPackage("@zazuko/yasgui/build", "@zazuko/yasgui/package.json"),
    "vis-network": AssetPackage("vis-network/standalone/umd", "vis-network/package.json"),
    "swagger-ui": AssetPackage("swagger-ui-dist", "swagger-ui-dist/package.json"),  # the API page (/api/)
}

# Explicit types: Python's mimetypes table differs between versions and machines (.js especially).
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
}

# URLs carry ?v=<package version>, so a day is safe: a new install changes the URL anyway.
ASSET_MAX_AGE = 86400


def _assets_root() -> Path:
    return Path(get_state().settings.assets_dir)


def package_version(name: str, root: Path | None = None) -> str | None:
    """The installed version of a served package, or None if it is not installed."""
    package = PACKAGES.get(name)
    if package is None:
        return None
    try:
        return str(json.loads(((root or _assets_root()) / package.package_json).read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


def asset_url(name: str, filename: str) -> str | None:
    """The URL of a served asset (with its version), or None if the file is not installed."""
    root = _assets_root()
    package = PACKAGES[name]
    if not (root / package.folder / filename).is_file():
        return None
    version = package_version(name, root)
    return url_for("ui.asset", package=name, filename=filename, **({"v": version} if version else {}))


def asset(package: str, filename: str):
    """GET /assets/<package>/<path:filename>: a file of a listed npm package, cacheable."""
    entry = PACKAGES.get(package)
    if entry is None:
        abort(404, f"no asset package {echo(package)}; served: {', '.join(PACKAGES)}")
    folder = _assets_root() / entry.folder
    # safe_join refuses '..', absolute paths and backslash tricks: nothing outside the folder.
    joined = safe_join(str(folder), filename)
    suffix = Path(filename).suffix.lower()
    if joined is None or suffix not in CONTENT_TYPES:
        abort(404)
    path = Path(joined)
    if not path.is_file():
        if not folder.is_dir():
            abort(404, f"the {package} files are not installed on this server (run `npm ci` or `make install`)")
        abort(404)
    response = send_file(path, mimetype=CONTENT_TYPES[suffix], max_age=ASSET_MAX_AGE, conditional=True, etag=True)
    response.cache_control.public = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def examples(settings: Any, lang: str = "nl") -> tuple[list[dict[str, Any]], str | None]:
    """The named queries as plain data for the page (their labels in `lang`), and an error message
    if they cannot be read."""
    try:
        catalogue = load_catalogue(Path(settings.queries_dir))
    except (CatalogueError, OSError) as exc:
        log.warning("query catalogue unreadable: %s", exc)
        # The page names the file inside the queries folder, never where that folder is.
        folder = str(Path(settings.queries_dir).resolve())
        return [], str(exc).replace(folder + "/", "queries/").replace(folder, "queries/")
    return [
        {
            "name": query.name,
            "title": {"nl": query.title.get("nl", query.name), "en": query.title.get("en", query.name)},
            "description": {"nl": query.description.get("nl", ""), "en": query.description.get("en", "")},
            "query": query.text(settings.base, lang),
            # Input fields for its `# param:` lines (static/sparql/params.js), run through /api/queries/{name}.
            "parameters": [{"name": p.name, "type": p.type, "default": p.default, "label": p.label} for p in query.parameters],
            "api": url_for("api.named_query", name=query.name),
        }
        for query in catalogue.values()
    ], None


# Example groups, by the words a named query's name starts with (first match wins).
EXAMPLE_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("events", ("evenementen", "tijdlijn", "looptijden", "activiteiten-zonder-datum")),
    ("organisations", ("organisaties", "partners", "samenwerking", "centrumsteden", "trekkers", "rollen",
                       "werkte", "personen", "activiteiten-van-stad")),
    ("activities", ("activiteiten", "deelactiviteiten", "studiedagen", "budgetten")),
    ("figures", ()),
]

# The prefixes the default query declares and YASR shortens result IRIs with.
UI_PREFIXES = ("kg", "rdfs", "prov", "org", "schema", "dcterms", "skos", "foaf", "xsd")

DEFAULT_QUERY = """{prologue}
{comment}
SELECT ?activity ?label (COUNT(DISTINCT ?organisation) AS ?organisations) WHERE {{
  ?activity a kg:Activity .
  OPTIONAL {{ ?activity rdfs:label ?chosen FILTER(LANG(?chosen) = "{lang}") }}
  OPTIONAL {{ ?activity rdfs:label ?dutch FILTER(LANG(?dutch) = "nl") }}
  BIND(COALESCE(?chosen, ?dutch) AS ?label)
  OPTIONAL {{ ?activity prov:wasAssociatedWith ?organisation }}
}}
GROUP BY ?activity ?label
ORDER BY DESC(?organisations) ?label
LIMIT 25
"""


def group_examples(queries: list[dict[str, Any]], t: Any) -> list[dict[str, Any]]:
    """The named queries in a few groups (so that on a phone the editor stays in view)."""
    groups: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in EXAMPLE_GROUPS}
    for query in queries:
        key = next((k for k, starts in EXAMPLE_GROUPS if any(query["name"].startswith(w) for w in starts)), "figures")
        groups[key].append(query)
    return [{"key": key, "title": t("group_" + key), "examples": found} for key, found in groups.items() if found]


def render_ui(endpoint: str) -> str:
    """The query page for a browser, in the site's layout; `endpoint` is the absolute endpoint URL."""
    from kgraph.namespaces import all_prefixes
    from kgraph.web.language import page_language
    from kgraph.web.ld_text import translator
    from kgraph.web.ld_views import render  # the site layout (imported here: ld_views imports this module)

    settings = get_state().settings
    lang = page_language()
    t = translator(lang)
    queries, catalogue_error = examples(settings, lang)
    yasgui = {"js": asset_url("yasgui", "yasgui.min.js"), "css": asset_url("yasgui", "yasgui.min.css")}
    known = all_prefixes(settings.base)
    prefixes = {name: known[name] for name in UI_PREFIXES if name in known}
    prologue = "\n".join(f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items())
    config = {
        # The path, resolved by the browser against the page's own URL: right behind a proxy too.
        "endpoint": url_for("sparql.query"),
        "examples": queries,
        "defaultQuery": DEFAULT_QUERY.format(prologue=prologue, comment=t("default_query_comment"), lang=lang),
        "prefixes": {**prefixes, **{c: known[c] for c in known if known[c].startswith(settings.base + "id/")}},
        "base": settings.base,
        "root": url_for("ld.home"),
        "sharedTabName": t("shared_query"),
        "labels": {"endpoint": t("sparql"), "editor": "SPARQL", "tabName": t("tab_name"), "rows": t("rows_shown")},
    }
    response = render(
        "sparql_ui.html",
        lang=lang,
        endpoint=endpoint,
        yasgui=yasgui if all(yasgui.values()) else None,
        assets_dir=Path(settings.assets_dir).name,  # the folder's name: a page never shows a machine path
        examples=queries,
        example_groups=group_examples(queries, t),
        catalogue_error=catalogue_error,
        config=config,
    )
    return response.get_data(as_text=True)
