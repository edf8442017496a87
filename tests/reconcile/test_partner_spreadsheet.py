"""The messy spreadsheet (fixtures/partner_names.csv: names as partners type them, with typos,
legal forms, English names, and names the graph does not hold) reconciled through the live
server the way OpenRefine does it: POST batches of 10 in the form field `queries`.

Precision: of the cells the service marks `match: true`, the share that are the expected IRI.
Recall: of the rows that name something in the graph, the share it matched to the expected IRI.
Both must be at least 0.95; a name the graph does not hold is never a match.
"""

from __future__ import annotations

import json

import requests

from kgraph.reconcile import reconcile_one
from kgraph.reconcile.queries import PropertyValue, Query
from kgraph.reconcile.types import find_type
from tests.reconcile.support import Row, partner_rows

BATCH = 10


def _query(row: Row) -> dict:
    query: dict = {"query": row.name, "type": find_type(row.type).id, "limit": 3}
    if row.properties:
        query["properties"] = [{"pid": pid, "v": value} for pid, value in row.properties.items()]
    return query


def _reconcile_all(live_2018: str, rows: list[Row], schemas) -> dict[int, dict]:
    answers: dict[int, dict] = {}
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        batch = {f"q{row.line}": _query(row) for row in chunk}
        schemas.check("reconciliation-query-batch.json", batch)
        response = requests.post(f"{live_2018}/reconcile", data={"queries": json.dumps(batch)}, timeout=30)
        assert response.status_code == 200, response.text
        result = response.json()
        schemas.check("reconciliation-result-batch.json", result)
        assert set(result) == set(batch)
        answers.update({row.line: result[f"q{row.line}"] for row in chunk})
    return answers


def test_partner_spreadsheet_precision_and_recall(live_2018, project_settings, schemas):
    rows = partner_rows()
    assert len(rows) >= 100 and sum(1 for r in rows if not r.expected) >= 25, "the fixture lost its rows"
    answers = _reconcile_all(live_2018, rows, schemas)
    space = f"{project_settings.base}id/"
    true_pos = false_pos = false_neg = 0
    wrong: list[str] = []
    for row in rows:
        results = answers[row.line]["result"]
        assert all(0 <= c["score"] <= 100 for c in results)
        matched = [c["id"] for c in results if c["match"]]
        assert len(matched) <= 1, f"line {row.line}: more than one match"
        got = matched[0][len(space):] if matched else ""
        if got and got == row.expected:
            true_pos += 1
            continue
        if got == row.expected:  # both empty: rightly no match
            continue
        false_pos += bool(got)
        false_neg += bool(row.expected)
        shown = [(c["id"][len(space):], c["score"]) for c in results]
        wrong.append(f"line {row.line} {row.name!r} ({row.note}): expected {row.expected or 'none'}, "
                     f"matched {got or 'none'}; candidates {shown}")
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    print(f"\npartner_names.csv: {len(rows)} rows, {true_pos} right matches, {false_pos} wrong matches, "
          f"{false_neg} missed; precision {precision:.3f}, recall {recall:.3f}")
    print("\n".join(wrong))
    assert precision >= 0.95 and recall >= 0.95, "\n".join(wrong)


def test_names_the_graph_does_not_hold_are_never_a_match(index, project_settings):
    """Without a type either, and with the legal forms and prefixes that make names look alike."""
    for row in partner_rows():
        if row.expected:
            continue
        properties = tuple(PropertyValue(pid, (value,)) for pid, value in row.properties.items())
        for types in (None, frozenset({find_type(row.type).id})):
            results = reconcile_one(index, Query(row.name, types, properties=properties))
            matched = [c["id"] for c in results if c["match"]]
            # "Stad Brussel" is the place Brussel when no type says it must be an organisation.
            allowed = {f"{project_settings.base}id/plaats/brussel"} if types is None and row.name == "Stad Brussel" else set()
            assert set(matched) <= allowed, (row.line, row.name, matched)
