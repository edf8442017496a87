"""IRIs of the URI standard and the text helpers the pages share.

Things are at `{base}id/{category}/{ref}`, their descriptions at `{base}doc/{category}/{ref}`.
The data's base is configuration (settings.base); the server answers by path, so a request path is
mapped onto the base, whatever host served it (see `to_local`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kgraph.namespaces import CATEGORIES, STANDARD_PREFIXES, shorten

REF_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Ref:
    """A resource of the dataset named by category and reference."""

    category: str
    ref: str

    def thing(self, base: str) -> str:
        """The IRI of the thing: {base}id/{category}/{ref}."""
        return f"{base}id/{self.category}/{self.ref}"

    def document(self, base: str) -> str:
        """The IRI of the document describing it: {base}doc/{category}/{ref}."""
        return f"{base}doc/{self.category}/{self.ref}"


def parse_ref(category: str, ref: str) -> Ref | None:
    """A Ref if the category is one of the URI standard's and the reference is a well-formed slug."""
    if category in CATEGORIES and REF_PATTERN.match(ref):
        return Ref(category, ref)
    return None


def ref_of(base: str, iri: str) -> Ref | None:
    """The Ref of an IRI in the dataset's {base}id/ space, else None."""
    prefix = f"{base}id/"
    if not iri.startswith(prefix):
        return None
    category, _, ref = iri[len(prefix):].partition("/")
    return parse_ref(category, ref)


def to_local(iri: str, base: str, root: str, *, documents: bool = True) -> str:
    """The address of an IRI on the serving host: {base}… -> {root}…, other IRIs unchanged.

    `root` is the root URL the request came in on (e.g. http://127.0.0.1:8000/). With `documents`,
    a thing's IRI ({base}id/…) becomes its document page ({root}doc/…), saving browsers the 303.
    """
    if not iri.startswith(base):
        return iri
    rest = iri[len(base):]
    if documents and rest.startswith("id/") and ref_of(base, iri):
        rest = "doc/" + rest[3:]
    return root + rest


def curie(iri: str, extra: dict[str, str] | None = None) -> str:
    """A prefixed name for an IRI when a known prefix covers it (the last resort for a label)."""
    return shorten(iri, {**STANDARD_PREFIXES, **(extra or {})}) or iri


def local_name(iri: str) -> str:
    """The last path or fragment segment of an IRI, for a readable fallback label."""
    tail = re.split(r"[/#]", iri.rstrip("/#"))[-1]
    return tail or iri


_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/.,:;'’\"()]+")


def normalise(text: str) -> str:
    """Text folded for matching: accents stripped (NFKD), lower case, hyphens and punctuation as spaces.

    "Sint-Niklaas", "sint niklaas" and "SINT–NIKLAAS" all become "sint niklaas".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", stripped.casefold()).strip()
