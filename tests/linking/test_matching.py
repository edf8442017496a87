"""The matching rules of `kgraph link` on records written here (the live tests use real endpoints)."""

from __future__ import annotations

from kgraph.linking.local import Record
from kgraph.linking.matching import OWL_SAME_AS, SKOS_CLOSE, SKOS_EXACT, candidates, identifier_key, normalise

PUBLIC = "http://data.europa.eu/m8g/PublicOrganisation"


def test_labels_are_compared_without_case_accents_punctuation_and_legal_forms():
    assert normalise("Stad Gent") == normalise("GENT") == normalise("Gemeentebestuur  Gent.") == "gent"
    assert normalise("Vlaamse Europarlementariërs") == "vlaamse europarlementariers"
    assert normalise("Agentschap Innoveren & Ondernemen") == normalise("Innoveren en Ondernemen")
    assert normalise("Growfunding vzw") == normalise("GROWFUNDING VZW") == "growfunding"
    assert normalise("De Verenigde Verenigingen") == "verenigde verenigingen"
    assert normalise("Stad") == "stad"  # a name that is only a noise word keeps it


def test_identifiers_are_compared_as_digits():
    assert identifier_key("0999.000.101") == identifier_key("BE 0999 000 101") == "0999000101"
    assert identifier_key("44021") != identifier_key("44022")


def test_a_shared_enterprise_number_wins_over_labels():
    ours = [Record("https://kg.test/id/organisatie/a", ["Alfa"], {"0999.000.201"}),
            Record("https://kg.test/id/organisatie/b", ["Beta Consult"])]
    theirs = [Record("http://p.test/1", ["Beta Consult NV"], {"BE 0999 000 201"})]
    (found,) = candidates(ours, theirs)
    assert (found.ours, found.predicate, found.score) == ("https://kg.test/id/organisatie/a", OWL_SAME_AS, 1.0)
    assert "0999 000 201" in found.evidence


def test_kind_disagreement_costs_and_unrelated_names_give_nothing():
    ours = [Record("https://kg.test/id/organisatie/gent", ["Stad Gent"], types={PUBLIC}),
            Record("https://kg.test/id/organisatie/x", ["Bakkerij Peeters"])]
    theirs = [Record("http://p.test/gent-vzw", ["Gent vzw"], types={"http://www.w3.org/ns/org#Organization"}),
              Record("http://p.test/gent", ["Gent"], types={PUBLIC}),
              Record("http://p.test/other", ["Slagerij Janssens"], types={"http://www.w3.org/ns/org#Organization"})]
    found = {c.partner: c for c in candidates(ours, theirs)}
    assert set(found) == {"http://p.test/gent-vzw", "http://p.test/gent"}
    assert found["http://p.test/gent"].score == 0.9 and found["http://p.test/gent"].predicate == SKOS_EXACT
    assert found["http://p.test/gent-vzw"].score == 0.7 and "kinds differ" in found["http://p.test/gent-vzw"].evidence


def test_similar_labels_are_close_matches_below_exact_ones():
    ours = [Record("https://kg.test/id/organisatie/m", ["Miss Miyagi"])]
    (found,) = candidates(ours, [Record("http://p.test/m", ["Miss Myagi"])])
    assert found.predicate == SKOS_CLOSE and 0.5 < found.score < 0.9
