"""/explore: the whole collaboration network for analysts (issue 15), a thin adapter over
kgraph.network.

    /explore                         the page (filters, search, drawing, side panel, bipartite, timeline)
    /explore/data.json?view=network|bipartite|timeline&year=&kind=&theme=&role=&orgkind=&top=
    /explore/organisatie/{ref}.json  the side panel of one organisation (same filters)

The network's facts are read once per release (and data version) through the Linked Data pages'
source and kept on the app (no module-level state); views are computed per request from them.
ETag and Cache-Control come from kgraph.web.caching like every other answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from flask import Flask, Response, current_app, jsonify, request

from kgraph.network import aggregate, views
from kgraph.network.exports import read_node_measures
from kgraph.network.extract import NetworkData, extract
from kgraph.network.facts_file import FILE as FACTS_FILE, read_facts
from kgraph.network.filters import FilterError, Filters
from kgraph.web.errors import text_response
from kgraph.web.explore_text import explore_text, explore_words
from kgraph.web.ld_views import page_language, render
from kgraph.web.state import get_state
from kgraph.web.ui_views import asset_url

EXTENSION = "kgraph.network"
MAX_TOP = 400  # the browser never draws more organisations than this


VIEWS_KEPT = 64  # computed views kept per release (at 1M a filtered view takes seconds to compute)


@dataclass
class _Loaded:
    version: str
    data: NetworkData
    published: dict | None  # the build's measures (dumps/network-nodes.csv), if the release has them
    views: OrderedDict = field(default_factory=OrderedDict)


class NetworkHolder:
    """The app's NetworkData for the served release, read on first use and again when it changes,
    with the last VIEWS_KEPT views computed from it."""

    def __init__(self) -> None:
        self.current: _Loaded | None = None
        self._lock = threading.Lock()

    def loaded(self) -> _Loaded:
        state = get_state()
        version = f"{state.store.store_path}\n{state.data_version}"
        with self._lock:
            if self.current is None or self.current.version != version:
                release = Path(state.store.store_path).parent
                nodes = release / "dumps" / "network-nodes.csv"
                published = read_node_measures(nodes) if nodes.is_file() and not state.update_enabled else None
                # The build's facts while the data is the build's; once updates may change it, the store's.
                facts = None if state.update_enabled else read_facts(release / FACTS_FILE)
                if facts is None:
                    facts = extract(state.linked_data_source(), state.settings.base)
                self.current = _Loaded(version, facts, published)
            return self.current

    def get(self) -> NetworkData:
        return self.loaded().data

    def view(self, key: tuple, compute: Callable[[NetworkData, dict | None], dict]) -> dict:
        """The view for key, computed once per release (the least recently used are dropped)."""
        loaded = self.loaded()
        with self._lock:
            if key in loaded.views:
                loaded.views.move_to_end(key)
                return loaded.views[key]
        body = compute(loaded.data, loaded.published)
        with self._lock:
            loaded.views[key] = body
            while len(loaded.views) > VIEWS_KEPT:
                loaded.views.popitem(last=False)
        return body


def init_network(app: Flask) -> None:
    """Attach the network holder to the app."""
    app.extensions[EXTENSION] = NetworkHolder()


def _holder() -> NetworkHolder:
    return current_app.extensions[EXTENSION]


def network_data() -> NetworkData:
    """The current app's network facts."""
    return _holder().get()


def _filters() -> Filters:
    return Filters.parse(request.args)


def _top() -> int:
    raw = request.args.get("top", "")
    if not raw:
        return aggregate.DEFAULT_TOP
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_TOP:
        raise FilterError(f"parameter 'top': expected a whole number from 1 to {MAX_TOP}, got {raw[:40]!r}")
    return int(raw)


def explore() -> Response:
    """GET /explore: the explorer page (the data comes from /explore/data.json)."""
    lang = page_language()
    return render("explore/explore.html", lang=lang, options=views.options(network_data(), lang), x=explore_text(lang), words=explore_words(lang),
                  vis_network=asset_url("vis-network", "vis-network.min.js"))


def explore_data() -> Response:
    """GET /explore/data.json: the network, bipartite or timeline view of the filtered network."""
    lang = page_language()
    kind = request.args.get("view", "network")
    try:
        filters = _filters()
        top = _top()
        if kind == "network":
            compute = lambda data, published: views.network_view(data, filters, lang, top, published)  # noqa: E731
        elif kind == "bipartite":
            compute = lambda data, published: views.bipartite_view(data, filters, lang)  # noqa: E731
        elif kind == "timeline":
            compute = lambda data, published: views.timeline_view(data, filters, lang)  # noqa: E731
        else:
            return text_response(400, "parameter 'view': expected network, bipartite or timeline")
        body = _holder().view((kind, filters, lang, top), compute)
    except FilterError as exc:
        return text_response(400, str(exc))
    response = jsonify(body)
    response.vary.add("Accept-Language")
    return response


def organisation_panel(ref: str) -> Response:
    """GET /explore/organisatie/{ref}.json: one organisation's activities, partners and measures."""
    lang = page_language()
    ref = ref.removesuffix(".json")
    iri = f"{get_state().settings.base}id/organisatie/{ref}"
    try:
        filters = _filters()
        panel = _holder().view(("panel", iri, filters, lang),
                               lambda data, published: views.organisation_panel(data, iri, filters, lang, published))
    except FilterError as exc:
        return text_response(400, str(exc))
    if panel is None:
        return text_response(404, "there is no organisation with this reference; see /doc/organisatie/")
    response = jsonify(panel)
    response.vary.add("Accept-Language")
    return response


def ego(ref: str) -> Response:
    """GET /explore/ego/{ref}.json: an organisation and its top partners in the filtered network
    (the per-organisation relationship view draws this)."""
    from kgraph.web.ld_views import _href

    lang = page_language()
    iri = f"{get_state().settings.base}id/organisatie/{ref.removesuffix('.json')}"
    try:
        body = views.ego_view(network_data(), iri, _filters(), lang, _href, top=_top_partners())
    except FilterError as exc:
        return text_response(400, str(exc))
    if body is None:
        return text_response(404, "there is no organisation with this reference; see /doc/organisatie/")
    response = jsonify(body)
    response.vary.add("Accept-Language")
    return response


def _top_partners() -> int:
    raw = request.args.get("top", "")
    if not raw:
        return 25
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_TOP:
        raise FilterError(f"parameter 'top': expected a whole number from 1 to {MAX_TOP}, got {raw[:40]!r}")
    return int(raw)


def relation_view_context(lang: str) -> dict:
    """What the per-organisation relationship page needs for its filters (the same as /explore's)."""
    try:
        filters = Filters.parse(request.args)
    except FilterError:  # the page still shows; its drawing's JSON answers 400 with the reason
        filters = Filters()
    return {"options": views.options(network_data(), lang), "x": explore_text(lang), "chosen": filters.as_params()}
