"""The words of the Linked Data pages in Dutch and English (the data's own text is not here)."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # key: (nl, en)
    "skip": ("Naar de inhoud", "Skip to content"),
    "site": ("Kenniscentrum Vlaamse Steden — linked open data", "Kenniscentrum Vlaamse Steden — linked open data"),
    "home": ("Start", "Home"),
    "search": ("Zoeken", "Search"),
    "search_label": ("Zoek op naam", "Search by name"),
    "search_placeholder": ("bv. Sint-Niklaas", "e.g. Sint-Niklaas"),
    "search_results": ("Zoekresultaten", "Search results"),
    "search_none": ("Niets gevonden voor", "Nothing found for"),
    "search_count": ("resultaten voor", "results for"),
    "search_empty": ("Typ een naam om te zoeken.", "Type a name to search for."),
    "matched": ("gevonden via", "matched"),
    "sparql": ("SPARQL-endpoint", "SPARQL endpoint"),
    "explore": ("Netwerkverkenner", "Network explorer"),
    "activities_direct": ("Rechtstreeks: de activiteiten waaraan deze organisatie zelf verbonden is.",
                          "Directly: the activities this organisation itself is associated with."),
    "through_networks": ("Via een netwerk", "Through a network"),
    "through_networks_note": ("Activiteiten van een netwerk waarvan deze organisatie lid is (org:memberOf), zonder dat ze er zelf aan verbonden is.",
                              "Activities of a network this organisation is a member of (org:memberOf), without being associated with them itself."),
    "network": ("Netwerk", "Network"),
    "api": ("API (vragen)", "API (queries)"),
    "catalog": ("Catalogus (DCAT-AP)", "Catalogue (DCAT-AP)"),
    "dumps": ("Downloads", "Downloads"),
    "vocabulary": ("Vocabularium", "Vocabulary"),
    "link_to_us": ("Naar ons linken", "Link to us"),
    "counts": ("Wat de dataset bevat", "What the dataset holds"),
    "triples": ("triples", "triples"),
    "timeline": ("Tijdlijn", "Timeline"),
    "timeline_year": ("Tijdlijn van de evenementen", "Timeline of the events"),
    "modified": ("Laatst bijgewerkt", "Last modified"),
    "derived": ("Afgeleid van", "Derived from"),
    "about_data": ("Over deze gegevens", "About this data"),
    "licence": ("Open data onder de licentie", "Open data under the licence"),
    "generated": ("Dit document is gegenereerd op", "This document was generated on"),
    "uri": ("URI", "URI"),
    "type": ("Type", "Type"),
    "description": ("Beschrijving", "Description"),
    "properties": ("Kenmerken", "Properties"),
    "activities": ("Activiteiten", "Activities"),
    "role": ("Rol", "Role"),
    "roles": ("Rollen", "Roles"),
    "activity": ("Activiteit", "Activity"),
    "incoming": ("Wordt vermeld door", "Referred to by"),
    "documents": ("Documenten", "Documents"),
    "document_about": ("over", "about"),
    "open_document": ("Open het document", "Open the document"),
    "events": ("Evenementen", "Events"),
    "at": ("in", "at"),
    "until": ("tot", "until"),
    "data": ("Deze gegevens", "This data"),
    "formats": ("Download deze beschrijving als", "Download this description as"),
    "query_link": ("De SPARQL-query die deze beschrijving maakt", "The SPARQL query that produces this description"),
    "relations": ("Samenwerkingen in beeld", "Relationship view"),
    "relations_of": ("Samenwerkingen van", "Relationships of"),
    "relations_intro": (
        (
            "De activiteiten waaraan deze organisatie deelnam, en de organisaties waarmee ze daar samenwerkte. "
            "Sleep om te verschuiven, scroll om te zoomen, dubbelklik op een knoop om zijn pagina te openen."
        ),
        (
            "The activities this organisation took part in, and the organisations it worked with there. "
            "Drag to move, scroll to zoom, double-click a node to open its page."
        ),
    ),
    "relations_table": ("Dezelfde gegevens als tabel", "The same data as a table"),
    "relations_json": ("Dezelfde gegevens als JSON", "The same data as JSON"),
    "graph_alt": (
        "Netwerktekening: de organisatie in het midden en haar partners (tot 25, wie de meeste activiteiten deelt eerst; "
        "het getal: gedeelde activiteiten). De tabel toont elke activiteit.",
        "Network drawing: the organisation in the centre and its partners (up to 25, those sharing most activities "
        "first; the number: shared activities). The table lists every activity.",
    ),
    "organisation": ("Organisatie", "Organisation"),
    "partners": ("Samen met", "Together with"),
    "name": ("Naam", "Name"),
    "kind": ("Soort", "Kind"),
    "links": ("Verbanden", "Links"),
    "date": ("Datum", "Date"),
    "sort_by": ("Sorteer op", "Sort by"),
    "sort_label": ("naam", "name"),
    "sort_count": ("aantal verbanden", "number of links"),
    "sort_date": ("datum", "date"),
    "in_category": ("in deze lijst", "in this list"),
    "not_found": ("Niet gevonden", "Not found"),
    "not_found_text": (
        "Deze dataset beschrijft geen bron met dit adres. Zoek op naam, of kies een lijst hieronder.",
        "This dataset describes no resource at this address. Search by name, or pick a list below.",
    ),
    "suggestions": ("Bedoelde je", "Did you mean"),
    "lists": ("Lijsten", "Lists"),
    "language": ("Taal", "Language"),
    "other_language": ("English", "Nederlands"),
    "js_missing": (
        "De tekenbibliotheek (vis-network) is niet geïnstalleerd op deze server (npm ci); de tabel toont dezelfde gegevens.",
        "The drawing library (vis-network) is not installed on this server (npm ci); the table shows the same data.",
    ),
    "js_needed": (
        "De tekening heeft JavaScript nodig; de tabel hieronder toont dezelfde gegevens.",
        "The drawing needs JavaScript; the table below shows the same data.",
    ),
    # Issue 17: one layout, lists, citing, notes, paging, the query UI.
    "site_nav": ("Hoofdmenu", "Main menu"),
    "all_lists": ("Alle lijsten", "All lists"),
    "breadcrumbs": ("Kruimelpad", "Breadcrumbs"),
    "search_count_one": ("resultaat voor", "result for"),
    "timeline_note": (
        "De tijdlijn toont elk gedateerd evenement en elke mijlpaal van het jaarverslag 2018. Ze begint in januari 2017: "
        "het verslag vermeldt dat Smart Flanders op 1 januari 2017 gelanceerd werd.",
        "The timeline shows every dated event and milestone of the 2018 annual report. It starts in January 2017: "
        "the report mentions that Smart Flanders was launched on 1 January 2017.",
    ),
    "report_pdf": ("Het oorspronkelijke jaarverslag", "The original annual report"),
    "only_dutch": ("Alleen in het Nederlands beschikbaar.", "Only available in Dutch."),
    "only_dutch_page": (
        "Sommige teksten op deze pagina bestaan alleen in het Nederlands.",
        "Some texts on this page exist only in Dutch (the language of the report); they are shown in Dutch.",
    ),
    "participants": ("Deelnemers en rollen", "Participants and roles"),
    "participant": ("Deelnemer", "Participant"),
    "note": ("Toelichting", "Note"),
    "cite": ("Zo citeer je deze gegevens", "How to cite this data"),
    "cite_dataset": ("Dataset", "Dataset"),
    "cite_version": ("Versie", "Version"),
    "cite_date": ("Datum", "Date"),
    "cite_source": ("Bron in het jaarverslag", "Source in the annual report"),
    "cite_accessed": ("geraadpleegd op", "accessed on"),
    "lists_title": ("Lijsten van de dataset", "Lists of the dataset"),
    "lists_intro": (
        "Elke bron van de dataset hoort bij een van deze lijsten.",
        "Every resource of the dataset belongs to one of these lists.",
    ),
    "things_title": ("Dingen die de dataset beschrijft", "Things the dataset describes"),
    "things_intro": (
        "Elk ding heeft een URI onder /id/; die verwijst naar zijn beschrijving onder /doc/.",
        "Every thing has a URI under /id/, which redirects to its description under /doc/.",
    ),
    "graphs_title": ("Samenwerkingen per organisatie", "Relationships per organisation"),
    "graphs_intro": (
        "Kies een organisatie om haar activiteiten en partners als netwerk te zien.",
        "Pick an organisation to see its activities and partners as a network.",
    ),
    "filter_kind": ("Filter op soort", "Filter by kind"),
    "all_kinds": ("alle", "all"),
    "period": ("Periode", "Period"),
    "number": ("Nr.", "No."),
    "page_of": ("Pagina {page} van {pages}", "Page {page} of {pages}"),
    "previous": ("Vorige", "Previous"),
    "next": ("Volgende", "Next"),
    "pages": ("Pagina's", "Pages"),
    "sort_number": ("nummer (volgorde van het verslag)", "number (the report's order)"),
    "query_ui_title": ("SPARQL-endpoint", "SPARQL endpoint"),
    "query_ui_intro": (
        "SPARQL 1.1-vragen (GET of POST, SPARQL 1.1-protocol; alleen lezen) aan",
        "SPARQL 1.1 queries (GET or POST, SPARQL 1.1 Protocol; read-only) to",
    ),
    "examples": ("Voorbeeldvragen", "Example queries"),
    "run_query": ("Vraag uitvoeren", "Run query"),
    "result_format": ("Resultaatformaat", "Result format"),
    "rows_shown": ("Rijen per pagina", "Rows per page"),
    "tab_name": ("Naam van het tabblad", "Name of the tab"),
    "shared_query": ("Vraag van de pagina", "Query of the page"),
    "group_activities": ("Activiteiten", "Activities"),
    "group_events": ("Evenementen en tijd", "Events and time"),
    "group_organisations": ("Organisaties en samenwerking", "Organisations and collaboration"),
    "group_figures": ("Cijfers, documenten en zoeken", "Figures, documents and search"),
    "default_query_comment": (
        "# Elke activiteit met het aantal organisaties dat eraan deelnam, de meeste eerst.",
        "# Every activity with the number of organisations that took part, most first.",
    ),
    "vocabulary_title": ("Het kgraph-vocabularium", "The kgraph vocabulary"),
    "vocabulary_rdf": ("Ook als RDF", "Also as RDF"),
}


def translator(lang: str):
    """t(key) -> the text in the page's language."""
    index = 1 if lang == "en" else 0

    def t(key: str) -> str:
        return TEXT[key][index]

    return t
