"""The named competency queries of queries/*.rq and their header comments.

A query file starts with a header of `# key: value` comment lines:

    # title: Wie trok welke activiteit?
    # title@en: Who led which activity?
    # description: Elke activiteit met de organisatie die ze trok.
    # description@en: Every activity with the organisation that led it.
    # param: org iri = organisatie:gent -- De organisatie / The organisation
    # labels: orgLabel activityLabel

Parameters are SPARQL variables of the query (`?org`) bound by substitution; their type is
one of iri, string, integer, decimal, date; the default is optional. Queries use IRIs relative
to the dataset's base (e.g. `PREFIX organisatie: <id/organisatie/>`); `text(base)` prepends
`BASE <base>` so the query is complete for any SPARQL 1.1 engine.

`# labels:` names the variables that hold labels (`?orgLabel`, each filtered with
`FILTER(LANG(?orgLabel) = "nl")`): `text(base, "en")` asks for those in English instead, so that
the query UI and the API show an English reader English labels. Every rdfs:label of the graph
exists in both languages; texts that exist only in Dutch (document titles, descriptions) are not
listed and stay Dutch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date")
_HEADER = re.compile(r"^#\s*(?P<key>[a-z]+(?:@[a-z]{2})?)\s*:\s*(?P<value>.*?)\s*$")
LANGUAGES = ("nl", "en")
_LABEL_FILTER = r'LANG\(\?{name}\)\s*=\s*"nl"'
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)"
    r"(?:\s*=\s*(?P<default>\S+))?(?:\s*--\s*(?P<label>.*))?$"
)


class CatalogueError(ValueError):
    """A query file's header is malformed; the message names file:line."""


@dataclass(frozen=True)
class Parameter:
    """A variable of a named query that callers may bind."""

    name: str
    type: str
    default: str | None
    label: str


@dataclass(frozen=True)
class NamedQuery:
    """One competency query: its name (file stem), texts in nl/en, parameters and SPARQL."""

    name: str
    path: Path
    title: dict[str, str]
    description: dict[str, str]
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    sparql: str = ""
    labels: tuple[str, ...] = field(default_factory=tuple)  # label variables that follow the language

    def text(self, base: str, lang: str = "nl") -> str:
        """The query with its base declared, ready for any SPARQL 1.1 engine; its label variables
        (`# labels:`) in `lang` (nl or en)."""
        sparql = self.sparql
        if lang != "nl":
            for name in self.labels:
                sparql = re.sub(_LABEL_FILTER.format(name=re.escape(name)), f'LANG(?{name}) = "{lang}"', sparql)
        return f"BASE <{base}>\n{sparql}"


def parse_query_file(path: Path) -> NamedQuery:
    """Read one .rq file and its header; CatalogueError if the header is malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path}: cannot read ({exc})") from None
    title: dict[str, str] = {}
    description: dict[str, str] = {}
    parameters: list[Parameter] = []
    labels: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match["key"], match["value"]
        field_name, _, language = key.partition("@")
        language = language or "nl"
        if field_name == "title":
            title[language] = value
        elif field_name == "description":
            description[language] = value
        elif field_name == "param":
            param = _PARAM.match(value)
            if not param or param["type"] not in PARAM_TYPES:
                raise CatalogueError(
                    f"{path}:{number}: parameter must read 'name type [= default] [-- label]' "
                    f"with type one of {', '.join(PARAM_TYPES)}: {value!r}"
                )
            parameters.append(Parameter(param["name"], param["type"], param["default"], param["label"] or ""))
        elif field_name == "labels":
            for name in value.split():
                name = name.lstrip("?$")
                if not re.search(_LABEL_FILTER.format(name=re.escape(name)), text):
                    raise CatalogueError(
                        f"{path}:{number}: label variable {name!r} needs a FILTER(LANG(?{name}) = \"nl\") to follow the language"
                    )
                labels.append(name)
    if "nl" not in title or "en" not in title:
        raise CatalogueError(f"{path}:1: header needs '# title:' and '# title@en:'")
    if "nl" not in description or "en" not in description:
        raise CatalogueError(f"{path}:1: header needs '# description:' and '# description@en:'")
    for parameter in parameters:
        if f"?{parameter.name}" not in text and f"${parameter.name}" not in text:
            raise CatalogueError(f"{path}:1: parameter {parameter.name!r} is not a variable of the query")
    return NamedQuery(path.stem, path, title, description, tuple(parameters), text, tuple(labels))


def load_catalogue(folder: Path) -> dict[str, NamedQuery]:
    """Every named query in folder, by name, in name order."""
    return {q.name: q for q in (parse_query_file(p) for p in sorted(Path(folder).glob("*.rq")))}
