"""Shared by tests/web/html and tests/linkeddata: the app on the 2018 build, a small HTML reader, and the
store's own answers the pages are checked against (real parts only: no mocks)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from kgraph.config import Settings
from kgraph.linkeddata import ref_of
from kgraph.web import create_app

HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="session")
def ld_app(built_release, project_settings: Settings) -> Iterator[object]:
    """The web app on the session's build of the 2018 data (Flask's test client talks to it)."""
    app = create_app(project_settings, built_release.path, query_workers=1)
    yield app
    app.extensions["kgraph"].executor.close()


@pytest.fixture
def client(ld_app):
    return ld_app.test_client()


@pytest.fixture(scope="session")
def samples(store, project_settings: Settings) -> dict[str, str]:
    """One described resource per URI category that has any (category -> IRI), from the store."""
    found: dict[str, str] = {}
    query = f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{project_settings.base}id/")) }} ORDER BY ?s'
    for row in store.query(query, use_default_graph_as_union=True):
        ref = ref_of(project_settings.base, row["s"].value)
        if ref and ref.category not in found:
            found[ref.category] = row["s"].value
    assert found, "the store describes no resource of the dataset"
    return found


def category_members(store, base: str, category: str) -> set[str]:
    """IRIs of the resources of a category, straight from the store."""
    query = f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{base}id/{category}/")) }}'
    return {row["s"].value for row in store.query(query, use_default_graph_as_union=True)}


@dataclass
class Page:
    """What a test needs from an HTML page: its text, links, headings, form fields, attributes."""

    lang: str | None = None
    text: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    headings: list[tuple[str, str]] = field(default_factory=list)  # (h1..h6, text)
    inputs: list[dict[str, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # for= -> text
    ids: set[str] = field(default_factory=set)
    metas: list[dict[str, str]] = field(default_factory=list)
    images: list[dict[str, str]] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    dts: list[str] = field(default_factory=list)
    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    @property
    def body(self) -> str:
        return " ".join(" ".join(self.text).split())

    def h1(self) -> list[str]:
        return [text for tag, text in self.headings if tag == "h1"]

    def hrefs(self) -> list[str]:
        return [href for href, _ in self.links]

    def link_texts(self) -> list[str]:
        return [text for _, text in self.links]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._open: list[tuple[str, dict[str, str], list[str]]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.page.elements.append((tag, attributes))
        if "id" in attributes:
            self.page.ids.add(attributes["id"])
        if tag == "html":
            self.page.lang = attributes.get("lang")
        elif tag == "input":
            self.page.inputs.append(attributes)
        elif tag == "meta":
            self.page.metas.append(attributes)
        elif tag == "img":
            self.page.images.append(attributes)
        elif tag == "script":
            self._skip += 1
            if "src" in attributes:
                self.page.scripts.append(attributes["src"])
        if tag in ("a", "h1", "h2", "h3", "h4", "h5", "h6", "label", "dt"):
            self._open.append((tag, attributes, []))

    def handle_endtag(self, tag):
        if tag == "script":
            self._skip -= 1
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                _, attributes, parts = self._open.pop(index)
                text = " ".join("".join(parts).split())
                if tag == "a":
                    self.page.links.append((attributes.get("href", ""), text))
                elif tag == "label":
                    self.page.labels[attributes.get("for", "")] = text
                elif tag == "dt":
                    self.page.dts.append(text)
                else:
                    self.page.headings.append((tag, text))
                break

    def handle_data(self, data):
        if self._skip:
            return
        self.page.text.append(data)
        for _, _, parts in self._open:
            parts.append(data)


def read_html(body: bytes | str) -> Page:
    """Parse an HTML page (stdlib parser: what a browser sees as text, links and fields)."""
    reader = _Reader()
    reader.feed(body.decode("utf-8") if isinstance(body, bytes) else body)
    reader.close()
    return reader.page
