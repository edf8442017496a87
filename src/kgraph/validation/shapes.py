"""Loading the SHACL shapes: base-relative Turtle files with a base token in their strings.

The shapes files under ``shapes/`` never name the dataset's base IRI. IRIs are written relative
(``@prefix kg: <ns/kgraph#>``) and resolved against the configured base when parsing, exactly
like the ontology and the data. String literals cannot be resolved that way, so the SPARQL
queries (``sh:select``), prefix declarations (``sh:namespace``) and regular expressions
(``sh:pattern``) that need the base carry a token instead, replaced before parsing:

``{base}``
    the base IRI as it is, for SPARQL and namespaces: ``"… STRSTARTS(STR(?o), \\"{base}id/\\") …"``.
``{base_re}``
    the base IRI escaped for a regular expression, for ``sh:pattern``:
    ``sh:pattern "^{base_re}id/organisatie/…$"``.

Both tokens stand inside Turtle string literals, so the replacement is escaped for Turtle too
(a regex backslash becomes ``\\\\`` in the text, which Turtle reads back as one backslash).
"""

from __future__ import annotations

import re
from pathlib import Path

import rdflib
from rdflib.plugins.parsers.notation3 import BadSyntax

BASE_TOKEN = "{base}"
BASE_RE_TOKEN = "{base_re}"

# Characters that cannot be in an IRI (RFC 3987) and would break a Turtle string or a SPARQL query.
_FORBIDDEN_IN_BASE = re.compile(r'[\s"<>\\{}|^`]')


class ShapesError(ValueError):
    """A shapes file cannot be read or parsed; the message names the file (and line)."""


def _turtle_string_escape(text: str) -> str:
    """text escaped to stand inside a Turtle "…" or \"\"\"…\"\"\" string literal."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def load_shapes_text(text: str, base: str) -> str:
    """The shapes Turtle text with the base tokens replaced, ready to parse with base as base IRI.

    ``{base_re}`` becomes ``re.escape(base)`` and ``{base}`` becomes base, each escaped for a
    Turtle string literal. The function is pure: it only rewrites text. It raises ValueError
    when base is not an absolute http(s) IRI or holds characters no IRI may contain.

    For base ``https://ex.org/`` the pattern text ``"^{base_re}id/"`` becomes the Turtle text
    ``"^https://ex\\\\.org/id/"``, which Turtle reads as the regex ``^https://ex\\.org/id/``.
    """
    if not base.startswith(("http://", "https://")):
        raise ValueError(f"base must be an absolute http(s) IRI: {base!r}")
    if _FORBIDDEN_IN_BASE.search(base):
        raise ValueError(f"base contains a character no IRI may contain: {base!r}")
    # {base_re} first: it contains the text "{base" but not the token "{base}".
    text = text.replace(BASE_RE_TOKEN, _turtle_string_escape(re.escape(base)))
    return text.replace(BASE_TOKEN, _turtle_string_escape(base))


def _parse_error(path: Path, exc: Exception) -> ShapesError:
    if isinstance(exc, BadSyntax):
        line = getattr(exc, "lines", None)
        why = getattr(exc, "_why", None) or str(exc)
        where = f"{path}:{line + 1}" if isinstance(line, int) else str(path)
        return ShapesError(f"{where}: invalid Turtle in shapes file ({why})")
    return ShapesError(f"{path}: cannot parse shapes file ({type(exc).__name__}: {exc})")


def load_shapes_graph(shapes_dir: Path, base: str) -> rdflib.Graph:
    """Every ``*.ttl`` of shapes_dir (sorted, recursively), tokens replaced, parsed into one graph.

    Relative IRIs resolve against base. Raises ShapesError naming ``file:line`` when a file is
    not valid Turtle, and naming the folder when it holds no shapes file at all (an empty shapes
    graph would silently accept anything).
    """
    shapes_dir = Path(shapes_dir)
    files = sorted(shapes_dir.rglob("*.ttl")) if shapes_dir.is_dir() else []
    if not files:
        raise ShapesError(f"{shapes_dir}: no shapes files (*.ttl) found")
    load_shapes_text("", base)  # reject an unusable base before naming any file
    graph = rdflib.Graph()
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ShapesError(f"{path}: cannot read shapes file ({exc})") from None
        try:
            graph.parse(data=load_shapes_text(text, base), format="turtle", publicID=base)
        except Exception as exc:  # rdflib raises assorted exception types for broken input
            raise _parse_error(path, exc) from exc
    return graph


# A {?var} or {$var} placeholder of a message, as re.escape writes it.
_PLACEHOLDER = re.compile(r"\\\{\\[?$][A-Za-z_][A-Za-z0-9_]*\\\}")


def localised_message(
    shapes: rdflib.Graph,
    sources: "list[rdflib.term.Node] | tuple[rdflib.term.Node, ...]",
    messages: "list[rdflib.term.Node] | tuple[rdflib.term.Node, ...]",
    language: str,
) -> str | None:
    """The result message in language, also for SHACL-SPARQL results.

    pyshacl (0.40) drops the language tags of the messages of SPARQL-based results when it fills
    in their ``{?var}`` placeholders, so such a result carries its Dutch and English messages as
    plain literals. This picks, among messages, the one written in language: a tagged one if there
    is one, else the plain one that matches a template in language of one of sources (the
    result's sh:sourceShape and sh:sourceConstraint), placeholders matching anything.
    """
    for message in messages:
        if isinstance(message, rdflib.Literal) and message.language == language:
            return str(message)
    plain = [str(m) for m in messages if isinstance(m, rdflib.Literal) and not m.language]
    for source in sources:
        if source is None:
            continue
        for template in shapes.objects(source, rdflib.URIRef("http://www.w3.org/ns/shacl#message")):
            if not (isinstance(template, rdflib.Literal) and template.language == language):
                continue
            pattern = re.compile(_PLACEHOLDER.sub(".*?", re.escape(str(template))), re.S)
            for candidate in plain:
                if pattern.fullmatch(candidate):
                    return candidate
    return None
