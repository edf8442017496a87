"""The `kgraph` command line: exit codes, messages that say where, every output format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from kgraph.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def run(built_release, tmp_path):
    """Invoke kgraph with a config whose build_dir is the session's build."""
    config = tmp_path / "kgraph.toml"
    text = (ROOT / "kgraph.toml").read_text()
    text = text.replace('build_dir = "build"', f'build_dir = "{built_release.path.parent.parent}"')
    for name in ("ontology", "data", "shapes", "queries"):
        text = text.replace(f'{name}_dir = "{name}"', f'{name}_dir = "{ROOT / name}"')
    config.write_text(text)

    def invoke(*args: str):
        return CliRunner().invoke(main, ["--config", str(config), *args], catch_exceptions=False)

    return invoke


def test_validate_project_data_conforms(run):
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "0 violation(s)" in result.output


def test_validate_reports_violation_with_focus_path_message_and_file(run, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix schema: <http://schema.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<id/evenement/fout> a schema:Event ; rdfs:label "Fout"@nl ; schema:startDate "morgen" .\n'
    )
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert "Violation: https://data.kenniscentrumvlaamsesteden.be/id/evenement/fout" in result.output
    assert f"in:      {bad}" in result.output
    assert "path:    schema:startDate" in result.output
    assert "message:" in result.output


def test_validate_warnings_do_not_fail(run, tmp_path):
    warn = tmp_path / "warn.ttl"
    warn.write_text(
        "@prefix schema: <http://schema.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix plaats: <id/plaats/> .\n"
        'plaats:nergens a schema:Place ; rdfs:label "Nergens"@nl .\n'
    )
    result = run("validate", str(warn))
    assert result.exit_code == 0, result.output
    assert "Warning:" in result.output


def test_validate_syntax_error_names_file_line_col(run, tmp_path):
    bad = tmp_path / "syntax.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "x" \nex:c ex:d ex:e .\n')
    result = run("validate", str(bad))
    assert result.exit_code == 2
    assert f"error: {bad}:3:1:" in result.output


def test_validate_missing_file_is_exit_2(run, tmp_path):
    result = run("validate", str(tmp_path / "nope.ttl"))
    assert result.exit_code == 2 and "no such file" in result.output


def test_query_table(run):
    result = run("query", "PREFIX kg: <ns/kgraph#> SELECT (COUNT(*) AS ?n) WHERE { ?c a kg:CentralCity }")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].strip() == "n" and lines[2].strip() == "13" and lines[-1] == "(1 rows)"


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_query_result_formats(run, fmt):
    q = "PREFIX kg: <ns/kgraph#> SELECT ?nis WHERE { ?c a kg:CentralCity ; kg:nisCode ?nis } ORDER BY ?nis"
    result = run("query", q, "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        values = [b["nis"]["value"] for b in json.loads(result.output)["results"]["bindings"]]
    else:
        rows = list(csv.reader(io.StringIO(result.output), delimiter="," if fmt == "csv" else "\t"))
        values = [r[0].strip('"').split("^^")[0].strip('"') for r in rows[1:]]
    assert values[0] == "11002" and len(values) == 13


def test_query_construct_as_turtle(run):
    q = "PREFIX kg: <ns/kgraph#> CONSTRUCT { ?c kg:nisCode ?n } WHERE { ?c kg:nisCode ?n }"
    result = run("query", q, "--format", "turtle")
    assert result.exit_code == 0
    graph = rdflib.Graph().parse(data=result.output, format="turtle")
    assert len(graph) == 13


def test_query_from_file(run, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("ASK { ?s ?p ?o }")
    result = run("query", "--file", str(f))
    assert result.exit_code == 0 and result.output.strip() == "true"


def test_query_syntax_error_is_exit_2_with_position(run):
    result = run("query", "SELECT * WHERE { ?s ?p }")
    assert result.exit_code == 2
    assert "syntax error" in result.output and "line 1, column" in result.output
    assert "Traceback" not in result.output


def test_query_refuses_an_update_in_one_line(run):
    result = run("query", "DELETE WHERE { ?s ?p ?o }")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: updates are not accepted here"), result.output
    assert "DELETE" in lines[0] and "Traceback" not in result.output


@pytest.mark.parametrize("fmt, expected", [("csv", "_askResult\r\ntrue\r\n"), ("tsv", "?_askResult\ntrue\n")])
def test_query_ask_as_csv_and_tsv(run, fmt, expected):
    result = run("query", "ASK { ?s ?p ?o }", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == expected.encode()


def test_query_needs_exactly_one_source(run):
    assert run("query").exit_code == 2


def test_stats_counts_triples_classes_and_properties(run, built_release):
    result = run("stats")
    assert result.exit_code == 0
    assert f"triples   {built_release.manifest['triples']}" in result.output
    assert "kg:CentralCity" in result.output and "prov:wasAssociatedWith" in result.output


def test_bad_config_is_a_clear_error(tmp_path):
    config = tmp_path / "kgraph.toml"
    config.write_text('base = "not an iri/"\n')
    result = CliRunner().invoke(main, ["--config", str(config), "stats"])
    assert result.exit_code == 2 and "base" in result.output


def test_build_prints_a_line_per_stage(tmp_path, project_settings):
    config = tmp_path / "kgraph.toml"
    lines = [f'{k}_dir = "{ROOT / k}"' for k in ("ontology", "data", "shapes", "queries")]
    config.write_text("\n".join(lines + [f'build_dir = "{tmp_path / "b"}"']) + "\n")
    result = CliRunner().invoke(main, ["--config", str(config), "build"])
    assert result.exit_code == 0, result.output
    for stage in ("parse", "materialise", "validate", "store", "dumps"):
        assert any(line.startswith(stage) for line in result.output.splitlines())
    assert "built " in result.output


def test_query_refuses_service_like_the_endpoint(run):
    result = run("query", "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert result.exit_code == 2 and "SERVICE" in result.output and "not allowed" in result.output


def test_named_query_with_parameter(run):
    result = run("query", "--named", "centrumsteden", "--format", "csv")
    assert result.exit_code == 0 and result.output.count("data.vlaanderen.be/id/gemeente/") == 13
    bad = run("query", "--named", "evenementen-in-periode", "--param", "from=gisteren")
    assert bad.exit_code == 2 and "'from'" in bad.output
    unknown = run("query", "--named", "bestaat-niet")
    assert unknown.exit_code == 2 and "no named query" in unknown.output


def test_queries_lists_the_named_queries(run):
    result = run("queries")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) >= 20 and any(line.startswith("trekkers ") for line in lines)
