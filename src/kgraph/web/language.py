"""The page language a person chose, kept across clicks: `?lang=` sets it, a cookie keeps it.

    ?lang=en or ?lang=nl   this page in that language, and a cookie so the next pages are too
    cookie kgraph_lang     the choice made earlier (any page: /, /doc/, /sparql, /catalog, ...)
    Accept-Language        without either: the browser's preference, else Dutch

Links in pages carry `?lang=` too (`with_language`) when the page's language is not the one the
browser would get by itself, so a link copied or opened without the cookie keeps the language.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit, parse_qsl

from flask import Response, request

from kgraph.linkeddata import negotiate_language

COOKIE = "kgraph_lang"
LANGUAGE_USED = "kgraph.language_used"  # environ: the answer depends on the language (its render-once key)
LANGUAGES = ("nl", "en")
ONE_YEAR = 365 * 24 * 3600


def asked_language() -> str | None:
    """The language the request's `?lang=` names, if it names one we have."""
    asked = request.args.get("lang", "")
    return asked if asked in LANGUAGES else None


def browser_language() -> str:
    """The language the browser's Accept-Language alone gives (nl unless it prefers en)."""
    request.environ[LANGUAGE_USED] = True  # the answer depends on it: part of its render-once key
    return negotiate_language(tag for tag, _ in request.accept_languages)


def page_language() -> str:
    """The page's language: `?lang=`, else the cookie, else Accept-Language, else nl."""
    request.environ[LANGUAGE_USED] = True
    asked = asked_language()
    if asked:
        return asked
    kept = request.cookies.get(COOKIE, "")
    if kept in LANGUAGES:
        return kept
    return browser_language()


def with_language(url: str, lang: str) -> str:
    """`url` with `lang=` in its query when `lang` differs from the browser's own language."""
    if lang == browser_language():
        return url  # the browser alone gets this language: the address needs no parameter
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    query.append(("lang", lang))
    return urlunsplit(parts._replace(query=urlencode(query)))


def switch_url(lang: str) -> str:
    """This page's own address in the other language, as a query-only relative reference (the
    browser keeps the path: the same page body whichever of /doc/x and /doc/x.html served it)."""
    other = "nl" if lang == "en" else "en"
    query = [(k, v) for k, v in parse_qsl(request.query_string.decode("latin-1"), keep_blank_values=True) if k != "lang"]
    query.append(("lang", other))
    return f"?{urlencode(query)}"


def remember_language(response: Response, content_type: str | None) -> None:
    """Keep a `?lang=` choice in a cookie, and say that pages depend on it (called by the app's
    per-response step, kgraph.web.headers, with the response's Content-Type: not .mimetype, no
    parsing for non-pages)."""
    if not content_type or not content_type.lower().startswith("text/html"):
        return
    response.vary.add("Cookie")
    asked = asked_language()
    if asked and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=ONE_YEAR, path="/", samesite="Lax")
        # A shared cache must not hand this Set-Cookie to someone else.
        response.headers["Cache-Control"] = "private, no-cache"
