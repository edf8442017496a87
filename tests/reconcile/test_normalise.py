"""Names folded as people type them: case, accents, punctuation, whitespace, legal forms, prefixes."""

from __future__ import annotations

import pytest

from kgraph.reconcile.matching import edit_distance
from kgraph.reconcile.normalise import fold, key


@pytest.mark.parametrize("typed, held", [
    ("STAD  GENT ", "Stad Gent"),
    ("Vlaamse Europarlementariers", "Vlaamse Europarlementariërs"),
    ("Agentschap Innoveren en Ondernemen", "Agentschap Innoveren & Ondernemen"),
    ("Sint Niklaas", "Sint-Niklaas"),
    ("Projectbureau Herbestemming Kerken", "Projectbureau ‘Herbestemming Kerken’"),
])
def test_fold_ignores_case_accents_punctuation_whitespace_and_ampersand(typed, held):
    assert fold(typed) == fold(held)


@pytest.mark.parametrize("typed, held", [
    ("imec vzw", "imec"),
    ("V.Z.W. Growfunding", "Growfunding vzw"),
    ("Cronos NV", "Cronos"),
    ("BUUR bvba", "BUUR"),
    ("Gemeente Gent", "Stad Gent"),
    ("Gent", "Stad Gent"),
    ("Innoveren & Ondernemen", "Agentschap Innoveren & Ondernemen"),
    ("Dept. Onderwijs", "Departement Onderwijs"),
    ("Home Affairs", "Agency for Home Affairs"),
])
def test_key_drops_legal_forms_and_government_prefixes(typed, held):
    assert key(typed) == key(held)


def test_key_keeps_names_that_are_only_a_prefix_or_a_legal_form():
    assert key("Stad") == "stad"
    assert key("NV") == "nv"
    assert key("Stad Gent") != key("Stad Genk")


def test_edit_distance_counts_a_transposition_as_one_and_stops_past_its_limit():
    assert edit_distance("gent", "gnet", 2) == 1
    assert edit_distance("roeselaere", "roeselare", 2) == 1
    assert edit_distance("aalter", "aalst", 1) == 2  # past the limit: limit + 1


def test_a_short_name_may_carry_one_swap_of_neighbouring_letters_only():
    from kgraph.reconcile.matching import swapped_once

    assert swapped_once("gnet", "gent") and swapped_once("aalts", "aalst")
    assert not swapped_once("genk", "gent")  # a different letter is another name
    assert not swapped_once("gnte", "gent") and not swapped_once("gent", "gent")
