"""Issue 14 point 2: `kgraph link` against real partner endpoints on loopback (Oxigraph server,
Virtuoso 7) and against partners that are slow, fail or answer nonsense (tests/linking/partners.py).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kgraph.linking.client import USER_AGENT, PartnerClient, Politeness
from kgraph.linking.discover import discover
from kgraph.linking.matching import OWL_SAME_AS, SKOS_CLOSE, SKOS_EXACT
from tests.linking.partners import FaultyPartner, faulty_partner

P = "http://partner.test/id/"
# (our reference, partner item, predicate) the fixture's organisations must give, and why
EXPECTED_ORGANISATIONS = {
    ("antwerpen", "org-0999000107", OWL_SAME_AS),  # the partner's owl:sameAs names ours
    ("gent", "bestuur-gent", OWL_SAME_AS),  # NIS code 44021 on both sides
    ("hasselt", "bestuur-hasselt", OWL_SAME_AS),  # NIS code 71022
    ("vlaio", "org-0999000101", SKOS_EXACT),  # "Agentschap Innoveren & / en Ondernemen"
    ("imec", "org-0999000102", SKOS_EXACT),  # "imec" / "imec vzw"
    ("vvsg", "org-0999000103", SKOS_EXACT),  # "VVSG" / "VVSG vzw"
    ("growfunding", "org-0999000104", SKOS_EXACT),  # "Growfunding vzw" / "GrowFunding VZW"
    ("miss-miyagi", "org-0999000105", SKOS_CLOSE),  # "Miss Miyagi" / "Miss Myagi BV"
}
# small pages, so that the 9 organisations (and their rows) take several
POLITE = Politeness(page_size=5, timeout=10, retries=1, backoff=0.05, min_interval=0.0)


def _triples(found, base):
    return {(c.ours.removeprefix(f"{base}id/organisatie/"), c.partner.removeprefix(P), c.predicate) for c in found}


def _check_organisations(discovery, base):
    assert not discovery.fetched.partial, discovery.fetched.reason
    assert discovery.partner_items == 9
    assert discovery.fetched.pages >= 3
    assert _triples(discovery.found, base) == EXPECTED_ORGANISATIONS
    scores = {c.partner.removeprefix(P): c.score for c in discovery.found}
    assert scores["bestuur-gent"] == 1.0 and scores["org-0999000101"] == 0.9
    assert 0.5 < scores["org-0999000105"] < 0.9
    assert all(c.evidence for c in discovery.found)


@pytest.mark.parametrize("server", ["oxigraph_partner", "virtuoso_partner"])
def test_organisations_are_found_in_a_real_partner_endpoint(server, request, store, project_settings):
    endpoint = request.getfixturevalue(server)
    _check_organisations(discover(endpoint, "organisatie", store, project_settings.base, politeness=POLITE),
                         project_settings.base)


def test_places_are_found_by_label_and_kind(oxigraph_partner, store, project_settings):
    found = discover(oxigraph_partner, "plaats", store, project_settings.base, politeness=POLITE).found
    pairs = {(c.ours.removeprefix(f"{project_settings.base}id/plaats/"), c.partner.removeprefix(P), c.predicate)
             for c in found}
    assert ("antwerpen", "gemeente-11002", SKOS_EXACT) in pairs
    assert ("leuven", "gemeente-24062", SKOS_EXACT) in pairs
    assert not [p for p in pairs if p[0] == "den-bell"]


def test_the_cli_writes_a_review_file_and_accept_publishes_only_accepted_rows(run_kgraph, oxigraph_partner, tmp_path,
                                                                              project_settings):
    review = tmp_path / "review.csv"
    result = run_kgraph("link", "--endpoint", oxigraph_partner, "--kind", "organisatie", "--out", str(review),
                        "--page-size", "4", "--interval", "0")
    assert result.exit_code == 0, result.output
    assert "9 partner items" in result.output
    lines = review.read_text().splitlines()
    assert "# status: complete" in lines
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    assert len(rows) == len(EXPECTED_ORGANISATIONS)
    assert all(row["score"] and row["evidence"] and row["decision"] == "" for row in rows)
    # nothing is accepted yet: accept refuses to publish
    refused = run_kgraph("link", "accept", str(review), "--partner", "partner-test")
    assert refused.exit_code == 2 and "nothing to publish" in refused.output
    for row in rows:
        if row["predicate"] != "skos:closeMatch":
            row["decision"] = "accept"
    _write(review, lines, rows)
    accepted = run_kgraph("link", "accept", str(review), "--partner", "partner-test", "--title", "Partner (test)")
    assert accepted.exit_code == 0, accepted.output
    target = Path(run_kgraph.data_dir) / "links" / "partner-test.ttl"
    text = target.read_text()
    assert "<id/organisatie/gent> owl:sameAs <http://partner.test/id/bestuur-gent> ." in text
    assert "<id/organisatie/vlaio> skos:exactMatch <http://partner.test/id/org-0999000101> ." in text
    assert "miss-miyagi" not in text  # not accepted, not published
    assert project_settings.base not in text  # our IRIs relative, as in every content file
    assert 'void:uriSpace "http://partner.test/id/"' in text


def test_accept_refuses_a_second_same_as_and_names_the_line(run_kgraph, tmp_path, project_settings):
    base = project_settings.base
    review = tmp_path / "review.csv"
    review.write_text("# endpoint: http://127.0.0.1:1/sparql\n"
                      "our_iri,partner_iri,predicate,decision\n"
                      f"{base}id/organisatie/gent,http://partner.test/id/a,owl:sameAs,accept\n"
                      f"{base}id/organisatie/gent,http://partner.test/id/b,owl:sameAs,yes\n")
    result = run_kgraph("link", "accept", str(review), "--partner", "partner-test")
    assert result.exit_code == 2
    assert f"{review}:4: a second owl:sameAs for {base}id/organisatie/gent" in result.output
    review.write_text("our_iri,partner_iri,predicate,decision\n"
                      f"{base}id/organisatie/gent,{base}id/organisatie/leuven,skos:closeMatch,accept\n")
    result = run_kgraph("link", "accept", str(review), "--partner", "partner-test")
    assert f"{review}:2: partner_iri {base}id/organisatie/leuven is one of our own IRIs" in result.output
    review.write_text("our_iri,partner_iri,predicate,decision\n"
                      f"{base}id/organisatie/gent,not an iri,rdfs:seeAlso,accept\n")
    result = run_kgraph("link", "accept", str(review), "--partner", "partner-test")
    assert f"{review}:2: predicate 'rdfs:seeAlso' is none of" in result.output


def _write(path: Path, lines: list[str], rows: list[dict]) -> None:
    header = [line for line in lines if line.startswith("#")]
    with open(path, "w", newline="") as out:
        out.write("\n".join(header) + "\n")
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- partners that fail ----------------------------------------------------------------------

@pytest.mark.parametrize("mode, says", [
    ("error", "HTTP 500"),
    ("bad-request", "refused the query"),
    ("malformed", "not JSON"),
    ("slow", "timeout"),
])
def test_a_failing_partner_gives_a_partial_result_that_says_why(mode, says, oxigraph_partner, store, project_settings):
    polite = Politeness(page_size=5, timeout=0.5, retries=2, backoff=0.05, min_interval=0.0)
    with faulty_partner(FaultyPartner(oxigraph_partner, mode, good_pages_until=5, delay=2.0)) as partner:
        discovery = discover(partner.url, "organisatie", store, project_settings.base, politeness=polite)
    fetched = discovery.fetched
    assert fetched.partial and fetched.pages == 1 and len(fetched.rows) == 5
    assert fetched.reason.startswith(f"page 2 (OFFSET 5) of {partner.url}: ")
    assert says in fetched.reason
    attempts = [s for s in partner.seen if s.offset == 5]
    # 5xx and timeouts are retried (1 + 2 retries); a 400 or a malformed answer is not
    assert len(attempts) == (3 if mode in ("error", "slow") else 1)
    assert all(s.user_agent == USER_AGENT and "kgraph" in s.user_agent for s in partner.seen)
    assert "partial: page 2" in discovery.header["status"]


def test_the_cli_says_partial_and_exits_3(run_kgraph, oxigraph_partner, tmp_path):
    review = tmp_path / "review.csv"
    with faulty_partner(FaultyPartner(oxigraph_partner, "error", good_pages_until=4)) as partner:
        result = run_kgraph("link", "--endpoint", partner.url, "--kind", "organisatie", "--out", str(review),
                            "--page-size", "4", "--retries", "0", "--interval", "0")
    assert result.exit_code == 3
    assert "partial result: page 2 (OFFSET 4)" in result.output and "HTTP 500" in result.output
    assert "# status: partial: page 2 (OFFSET 4)" in review.read_text()


def test_requests_keep_the_rate_limit(oxigraph_partner):
    with faulty_partner(FaultyPartner(oxigraph_partner, "error", good_pages_until=10 ** 6)) as partner:
        client = PartnerClient(partner.url, Politeness(page_size=2, min_interval=0.3, timeout=10))
        fetched = client.fetch_all("PREFIX org: <http://www.w3.org/ns/org#>\n"
                                   "SELECT ?item ?label ?identifier ?sameAs ?type WHERE { ?item a org:Organization }")
    assert not fetched.partial and fetched.pages >= 4
    assert len(partner.seen) == len(client.sent) == client.requests == fetched.pages
    # the client never sent two requests closer than min_interval (its own monotonic clock: the
    # server's arrival times carry the scheduler's jitter on a loaded machine)
    gaps = [b - a for a, b in zip(client.sent, client.sent[1:])]
    assert min(gaps) >= 0.3 - 1e-6


def test_an_unreachable_partner_is_a_partial_result(store, project_settings):
    from tests.live import free_port

    url = f"http://127.0.0.1:{free_port()}/sparql"
    discovery = discover(url, "persoon", store, project_settings.base,
                         politeness=Politeness(retries=1, backoff=0.01, timeout=2))
    assert discovery.fetched.partial and discovery.found == []
    assert "cannot reach the endpoint" in discovery.fetched.reason and "after 2 attempts" in discovery.fetched.reason


def test_a_bad_query_file_is_refused_with_its_place(run_kgraph, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?item ?label WHERE {\n  ?item ?p ?label\n}\nLIMIT 10\n")
    result = run_kgraph("link", "--endpoint", "http://127.0.0.1:1/sparql", "--kind", "plaats", "--query", str(query))
    assert result.exit_code == 2 and f"{query}:4: remove LIMIT" in result.output
    query.write_text("SELECT ?item WHERE {\n  ?item ?p \n")
    result = run_kgraph("link", "--endpoint", "http://127.0.0.1:1/sparql", "--kind", "plaats", "--query", str(query))
    assert result.exit_code == 2 and str(query) in result.output and "line" in result.output.lower()
    query.write_text("SELECT ?item WHERE { SERVICE <http://evil.test/> { ?item ?p ?o } }\n")
    result = run_kgraph("link", "--endpoint", "http://127.0.0.1:1/sparql", "--kind", "plaats", "--query", str(query))
    assert result.exit_code == 2 and "SERVICE" in result.output


@pytest.mark.parametrize("server", ["oxigraph_partner", "virtuoso_partner"])
def test_a_long_query_goes_as_a_form_post_and_gives_the_same_rows(server, request):
    # above LONG_QUERY characters the client POSTs the form (Virtuoso hangs on a POST of
    # application/sparql-query, so that is never used)
    from kgraph.linking.client import LONG_QUERY
    from kgraph.linking.kinds import KINDS

    endpoint = request.getfixturevalue(server)
    short = KINDS["organisatie"].partner_query
    long = short + "\n# " + "padding " * (LONG_QUERY // 8) + "\n"
    assert len(short) < LONG_QUERY < len(long)
    by_get = PartnerClient(endpoint, POLITE).fetch_all(short)
    by_post = PartnerClient(endpoint, POLITE).fetch_all(long)
    assert not by_get.partial and not by_post.partial
    assert by_post.rows == by_get.rows and len(by_get.rows) > 9
