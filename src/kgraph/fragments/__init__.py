"""Triple/Quad Pattern Fragments (https://linkeddatafragments.org/specification/triple-pattern-fragments/)
without HTTP: the pattern from URL parameters, a page of matching quads from the store, and the
Hydra controls and metadata describing that page. kgraph.web.fragment_views serves them.

    pattern = parse_pattern({"predicate": "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"})
    page = StoreMatcher(store).page(pattern, number=1, size=100)
    quads = page_document(page, FragmentContext(root="http://127.0.0.1:8000/", ...))
"""

from kgraph.fragments.controls import FragmentContext, fragment_url, page_document, search_template
from kgraph.fragments.matching import COUNT_CAP, FragmentPage, Matcher, QueryMatcher, StoreMatcher
from kgraph.fragments.pattern import DEFAULT_GRAPH, PARAMETERS, Pattern, parse_pattern
from kgraph.fragments.terms import FragmentTermError, parse_term, term_to_string

__all__ = [
    "COUNT_CAP",
    "DEFAULT_GRAPH",
    "FragmentContext",
    "FragmentPage",
    "FragmentTermError",
    "Matcher",
    "PARAMETERS",
    "Pattern",
    "QueryMatcher",
    "StoreMatcher",
    "fragment_url",
    "page_document",
    "parse_pattern",
    "parse_term",
    "search_template",
    "term_to_string",
]
