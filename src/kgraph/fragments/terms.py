"""RDF terms as the Triple Pattern Fragments URL parameters write them (Hydra's
ExplicitRepresentation, as @ldf/server and Comunica read and write them):

- an IRI as it is, `http://example.org/a` (also accepted in angle brackets, `<http://…>`);
- a literal in double quotes, with a language tag or a datatype after it: `"Gent"`, `"Gent"@nl`,
  `"2018"^^http://www.w3.org/2001/XMLSchema#gYear` (also `^^<…>`); the text between the first and
  the last quote is the value, unescaped (quotes inside it need no escaping);
- a blank node of the store by its label, `_:b0` (the store's labels are canonical per release);
- a variable `?name`, or the empty string: any term.
"""

from __future__ import annotations

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class FragmentTermError(ValueError):
    """A pattern parameter of a fragment URL that is not a term; names the parameter."""

    def __init__(self, parameter: str, value: str, reason: str):
        self.parameter, self.value, self.reason = parameter, value, reason
        super().__init__(f"parameter {parameter!r}: {reason}")


def _iri(parameter: str, value: str, text: str) -> ox.NamedNode:
    if ":" not in text:
        raise FragmentTermError(parameter, value, "an IRI must be absolute (scheme:…), a literal quoted (\"…\")")
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise FragmentTermError(parameter, value, f"not a valid IRI ({exc})") from None


def _literal(parameter: str, value: str) -> ox.Literal:
    end = value.rfind('"')
    if end == 0:
        raise FragmentTermError(parameter, value, "a literal needs a closing double quote")
    text, suffix = value[1:end], value[end + 1:]
    if not suffix:
        return ox.Literal(text)
    if suffix.startswith("@") and len(suffix) > 1:
        try:
            return ox.Literal(text, language=suffix[1:])
        except ValueError:
            raise FragmentTermError(parameter, value, f"{suffix[1:]!r} is not a language tag") from None
    if suffix.startswith("^^") and len(suffix) > 2:
        datatype = suffix[2:]
        if datatype.startswith("<") and datatype.endswith(">"):
            datatype = datatype[1:-1]
        if datatype == RDF_LANG_STRING:
            raise FragmentTermError(parameter, value, "rdf:langString needs a language tag, not a datatype")
        return ox.Literal(text, datatype=_iri(parameter, value, datatype))
    raise FragmentTermError(parameter, value, "after a literal's closing quote only @language or ^^datatype may follow")


def parse_term(parameter: str, value: str | None, *, literals: bool = True) -> Term | None:
    """The term a pattern parameter names, or None for a variable (empty, absent or `?name`).

    `literals` is False for the subject, predicate and graph, where a literal cannot stand.
    FragmentTermError (naming `parameter`) when the value is no term of that position.
    """
    if value is None or value == "" or value.startswith("?"):
        if value and len(value) > 1 and not all(c.isalnum() or c == "_" for c in value[1:]):
            raise FragmentTermError(parameter, value, "a variable is ? followed by letters, digits or _")
        return None
    if value.startswith('"'):
        if not literals:
            raise FragmentTermError(parameter, value, "a literal cannot stand here, only an IRI or a variable")
        return _literal(parameter, value)
    if value.startswith("_:"):
        try:
            return ox.BlankNode(value[2:])
        except ValueError:
            raise FragmentTermError(parameter, value, "not a valid blank node label") from None
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    return _iri(parameter, value, value)


def term_to_string(term: Term | None) -> str:
    """The URL parameter form of a term (the inverse of parse_term; "" for a variable)."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if term.language:
        return f'"{term.value}"@{term.language}'
    if term.datatype.value != XSD_STRING:
        return f'"{term.value}"^^{term.datatype.value}'
    return f'"{term.value}"'
