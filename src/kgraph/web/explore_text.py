"""The words of the network explorer and the API page in Dutch and English."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Wie werkte met wie samen?", "Who worked with whom?"),
    "intro": (
        "Organisaties zijn knopen; twee organisaties zijn verbonden als ze aan dezelfde activiteit deelnamen "
        "(dikte: het aantal gedeelde activiteiten). Kies een organisatie voor haar activiteiten, partners en maten.",
        "Organisations are nodes; two organisations are joined when they took part in the same activity "
        "(thickness: the number of shared activities). Pick an organisation for its activities, partners and measures.",
    ),
    "filters": ("Filters", "Filters"),
    "year": ("Jaar", "Year"),
    "kind": ("Soort activiteit", "Kind of activity"),
    "theme": ("Thema", "Theme"),
    "role": ("Rol", "Role"),
    "orgkind": ("Soort organisatie", "Kind of organisation"),
    "all": ("alle", "all"),
    "find": ("Zoek een organisatie", "Find an organisation"),
    "view_network": ("Netwerk", "Network"),
    "view_bipartite": ("Organisaties en activiteiten", "Organisations and activities"),
    "view_timeline": ("Tijdlijn", "Timeline"),
    "panel": ("Geselecteerde organisatie", "Selected organisation"),
    "panel_empty": ("Klik op een organisatie.", "Click an organisation."),
    "left_out": ("Weggelaten", "Left out"),
    "data": ("De gegevens (JSON)", "The data (JSON)"),
    "exports": ("Exports: GraphML, GEXF, CSV", "Exports: GraphML, GEXF, CSV"),
    "apply": ("Toepassen", "Apply"),
    "activities": ("Activiteiten (rechtstreeks)", "Activities (directly)"),
    "through": ("Via een netwerk waarvan ze lid is", "Through a network it is a member of"),
    "partners": ("Partners, naar gedeelde activiteiten", "Partners, by shared activities"),
    "measures": ("Maten", "Measures"),
    "degree": ("graad", "degree"),
    "weighted_degree": ("gewogen graad", "weighted degree"),
    "betweenness": ("betweenness", "betweenness"),
    "community": ("gemeenschap", "community"),
    "organisations_left_out": ("organisaties samengevoegd in hun gemeenschap", "organisations collapsed into their community"),
    "nothing_left_out": ("Alle organisaties getekend.", "Every organisation drawn."),
    "edges_not_drawn": ("zwakste verbindingen niet getekend.", "weakest links not drawn."),
    "shared_activities": ("gedeelde activiteiten", "shared activities"),
    "no_month": ("zonder maand", "without a month"),
    "month": ("Maand", "Month"),
    "page": ("Pagina van de organisatie", "Page of the organisation"),
    "not_found": ("Niet gevonden", "Not found"),
    "api_title": ("De vragen als API", "The queries as an API"),
    "api_intro": (
        "Elke benoemde vraag (queries/*.rq) is een adres: parameters volgens hun type, antwoord als JSON "
        "(rijen als objecten) of CSV, per pagina (limit, offset, Link rel=next). Het OpenAPI-document:",
        "Every named query (queries/*.rq) is an address: parameters by their type, the answer as JSON "
        "(rows as objects) or CSV, by page (limit, offset, Link rel=next). The OpenAPI document:",
    ),
}


def explore_words(lang: str) -> dict[str, str]:
    """Every text in the page's language (for the page's script)."""
    index = 1 if lang == "en" else 0
    return {key: pair[index] for key, pair in TEXT.items()}


def explore_text(lang: str):
    """x(key) -> the text in the page's language."""
    index = 1 if lang == "en" else 0
    return lambda key: TEXT[key][index]
