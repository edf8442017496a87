"""Names folded the way people type them: case, accents, punctuation, whitespace, legal forms.

    fold("Agentschap Innoveren & Ondernemen")  -> "agentschap innoveren en ondernemen"
    key("Agentschap Innoveren & Ondernemen")   -> "innoveren en ondernemen"
    key("imec vzw") == key("IMEC") == "imec"
    key("Stad Gent") == key("Gemeente Gent") == key("City of Ghent".replace("Ghent", "Gent"))

`fold` keeps every word; `key` also drops what says which legal form or level of government an
organisation has ("Stad", "Gemeente", "vzw", "NV", "Agentschap", "City of" ...), since a
spreadsheet may or may not write it. Both sides of a comparison go through the same function.
"""

from __future__ import annotations

import re
import unicodedata

# "&" and "+" are read as the Dutch "en" (the graph writes "Innoveren & Ondernemen", people "en").
_AND = re.compile(r"\s*[&+]\s*")
# Dotted legal forms first ("v.z.w." -> "vzw"), so the dots do not split them into letters.
_DOTTED = re.compile(r"\b((?:[a-z]\.){2,}[a-z]?\.?)")
_PUNCTUATION = re.compile(r"[^\w\s]+|_")
_SPACES = re.compile(r"\s+")

# Legal forms (Belgian company and association forms), dropped wherever they stand.
LEGAL_FORMS = frozenset({
    "vzw", "ivzw", "aisbl", "asbl", "nv", "sa", "bv", "bvba", "sprl", "cv", "cvba", "cvso", "scrl",
    "vof", "comm", "commv", "ev", "ngo",
})
# Abbreviations people write for words of the names ("Dept. Onderwijs", "Univ. Gent").
ABBREVIATIONS = {"dept": "departement", "dep": "departement", "univ": "universiteit", "st": "sint", "ag": "agentschap"}
# Words that name the level or kind of public body before its name, dropped at the start only
# ("Stad Gent", "Gemeente Gent", "City of Ghent", "Agentschap Binnenlands Bestuur").
LEADING_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("city", "of"), ("town", "of"), ("municipality", "of"), ("the", "city", "of"),
    ("stad",), ("gemeente",), ("stadsbestuur",), ("gemeentebestuur",), ("lokaal", "bestuur"),
    ("agentschap",), ("agency", "for"), ("agency",), ("ville", "de"),
)


def fold(text: str) -> str:
    """Lower case, accents stripped, '&' as 'en', punctuation as spaces, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    stripped = _AND.sub(" en ", stripped)
    stripped = _DOTTED.sub(lambda m: m.group(1).replace(".", ""), stripped)
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", stripped)).strip()


def key(text: str) -> str:
    """fold(text) with abbreviations written out, without legal forms and leading government
    prefixes (never empty if fold is not)."""
    words = [ABBREVIATIONS.get(w, w) for w in fold(text).split()]
    kept = [w for w in words if w not in LEGAL_FORMS]
    for prefix in LEADING_PREFIXES:
        if len(kept) > len(prefix) and tuple(kept[: len(prefix)]) == prefix:
            kept = kept[len(prefix):]
            break
    return " ".join(kept) if kept else " ".join(words)


def tokens(text: str) -> frozenset[str]:
    """The words of key(text), as a set (word order ignored)."""
    return frozenset(key(text).split())


def trigrams(text: str) -> frozenset[str]:
    """The letter trigrams of a key, padded at the ends ("gent" -> " ge", "gen", "ent", "nt ")."""
    padded = f" {text} "
    return frozenset(padded[i:i + 3] for i in range(len(padded) - 2))
