"""Configuration: file, then KGRAPH_* environment, then explicit overrides; clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.config import ConfigError, Settings, load_settings


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={})
    assert settings.base == Settings().base and settings.query_timeout == 30.0
    assert settings.data_dir == (tmp_path / "data").resolve()
    assert settings.vocab == "https://data.kenniscentrumvlaamsesteden.be/ns/kgraph#"


def test_the_default_server_is_uwsgi_with_the_worker_limit_past_the_query_limit():
    from kgraph.serve import worker_limit

    assert Settings().server == "uwsgi"
    assert worker_limit(Settings()) == 60 and worker_limit(Settings(query_timeout=2.5)) == 32
    assert worker_limit(Settings(query_timeout=1, worker_timeout=4)) == 4


def test_the_default_serving_shape_is_two_workers_a_core_each_with_its_own_query_processes():
    """What benchmarks/results/2026-12-03-100k-fragments.md measured: 4 server workers of 16
    threads, each with 4 query processes and 2 more for long queries; the project's kgraph.toml
    (what `make run` serves with) says the same as the built-in defaults."""
    project = load_settings(Path(__file__).resolve().parents[1] / "kgraph.toml", env={})
    for settings in (Settings(), project):
        assert (settings.workers, settings.threads, settings.query_workers, settings.slow_queries) == (4, 16, 4, 2)


def test_file_paths_are_relative_to_the_file(tmp_path):
    config = tmp_path / "conf" / "kgraph.toml"
    config.parent.mkdir()
    config.write_text('data_dir = "../content/data"\nquery_timeout = 5\n')
    settings = load_settings(config, env={})
    assert settings.data_dir == (tmp_path / "content" / "data").resolve()
    assert settings.query_timeout == 5.0


def test_environment_overrides_file(tmp_path):
    config = tmp_path / "kgraph.toml"
    config.write_text('base = "https://a.example/"\nport = 1\n')
    settings = load_settings(config, env={"KGRAPH_BASE": "https://b.example/", "KGRAPH_PORT": "9000",
                                          "KGRAPH_SERVICE_ALLOWLIST": "https://x.example/sparql, https://y.example/"})
    assert settings.base == "https://b.example/"
    assert settings.port == 9000
    assert settings.service_allowlist == ("https://x.example/sparql", "https://y.example/")


def test_config_env_names_the_file(tmp_path):
    config = tmp_path / "other.toml"
    config.write_text('base = "https://c.example/"\n')
    assert load_settings(env={"KGRAPH_CONFIG": str(config)}).base == "https://c.example/"


@pytest.mark.parametrize(
    "text, message",
    [
        ('colour = "red"\n', "unknown setting"),
        ('port = "eighty"\n', "'port'"),
        ('base = "https://no-slash.example"\n', "must end with '/'"),
        ('base = "ftp://x.example/"\n', "http(s)"),
        ("base = \n", "kgraph.toml"),
        ('server = "waitress"\n', "setting 'server' must be one of gunicorn, granian, uwsgi"),
        ("render_cache_bytes = -1\n", "setting 'render_cache_bytes' must be 0 (off) or more"),
        ("query_memory_quads = -1\n", "setting 'query_memory_quads' must be 0 or more: -1"),
        ('query_memory_quads = "many"\n', "'query_memory_quads'"),
        ("worker_timeout = 30\n", "or more than query_timeout (30): 30"),
        ("worker_timeout = -1\n", "setting 'worker_timeout' must be 0"),
    ],
)
def test_bad_values_are_clear_errors(tmp_path, text, message):
    config = tmp_path / "kgraph.toml"
    config.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(config, env={})


def test_replace_coerces_like_the_file():
    settings = Settings().replace(port="8080", build_dir="/tmp/x")
    assert settings.port == 8080 and settings.build_dir == Path("/tmp/x")


def test_source_date_epoch_is_a_setting_read_from_the_standard_variable(tmp_path):
    assert load_settings(env={}).source_date_epoch is None
    assert load_settings(env={"SOURCE_DATE_EPOCH": "1500000000"}).source_date_epoch == 1500000000
    both = {"SOURCE_DATE_EPOCH": "1500000000", "KGRAPH_SOURCE_DATE_EPOCH": "1600000000"}
    assert load_settings(env=both).source_date_epoch == 1600000000
    assert load_settings(env={"KGRAPH_SOURCE_DATE_EPOCH": ""}).source_date_epoch is None  # set but empty
    with pytest.raises(ConfigError, match="source_date_epoch"):
        load_settings(env={"SOURCE_DATE_EPOCH": "yesterday"})
