"""The preview (OpenRefine's flyout iframe) and the suggest flyout: a small HTML card per
resource, every value from the graph HTML-escaped."""

from __future__ import annotations

from html import escape

from kgraph.reconcile.index import Entity, ReconciliationIndex
from kgraph.reconcile.types import TYPES_BY_ID

WORDS = {
    "nl": {"type": "Type", "nis": "NIS-code", "kind": "Soort", "activities": "Activiteiten", "unknown": "Onbekend in deze dataset"},
    "en": {"type": "Type", "nis": "NIS code", "kind": "Kind", "activities": "Activities", "unknown": "Not in this dataset"},
}


def card(entity: Entity, page_url: str, lang: str = "en") -> str:
    """The HTML fragment describing one resource (label linked to its page, type, facts)."""
    words = WORDS["nl" if lang == "nl" else "en"]
    parts = [f'<div class="kgraph-preview" lang="{escape(lang)}">',
             f'<p><a href="{escape(page_url)}" target="_blank" rel="noopener"><strong>{escape(entity.label(lang))}</strong></a></p>']
    types = ", ".join(TYPES_BY_ID[t].name(lang) for t in sorted(entity.types))
    facts = [(words["type"], types)]
    if entity.kinds:
        facts.append((words["kind"], entity.kinds[0].label(lang)))
    if entity.nis_codes:
        facts.append((words["nis"], ", ".join(sorted(entity.nis_codes))))
    if entity.activity_count:
        facts.append((words["activities"], str(entity.activity_count)))
    parts.append("<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts) + "</dl>")
    description = entity.description(lang)
    if description:
        parts.append(f"<p>{escape(description[:400])}</p>")
    parts.append(f"<p><code>{escape(entity.iri)}</code></p></div>")
    return "".join(parts)


def preview_html(index: ReconciliationIndex, iri: str, page_url: str, lang: str = "en") -> str | None:
    """A whole small HTML document for the preview iframe, or None when the id is not in the graph."""
    entity = index.get(iri)
    if entity is None:
        return None
    title = escape(entity.label(lang))
    return (f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8"><title>{title}</title>'
            '<style>body{font:14px/1.4 system-ui,sans-serif;margin:.5em}dl{display:grid;grid-template-columns:auto 1fr;gap:0 .8em}'
            'dt{font-weight:bold}dd{margin:0}code{font-size:12px;word-break:break-all}</style></head>'
            f"<body>{card(entity, page_url, lang)}</body></html>")


def flyout(index: ReconciliationIndex, iri: str, page_url: str, lang: str = "en") -> dict | None:
    """The suggest flyout: {"id": ..., "html": card}, or None when the id is not in the graph."""
    entity = index.get(iri)
    return None if entity is None else {"id": iri, "html": card(entity, page_url, lang)}
