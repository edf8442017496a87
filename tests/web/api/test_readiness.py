"""Readiness (issue 10.7): /healthz is liveness, /readyz answers 200 only when the store answers a
real query; a corrupt or missing store is reported by `kgraph serve` in one line, non-zero exit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest
import requests

from kgraph.config import Settings
from kgraph.web import create_app
from tests.live import free_port, settings_environment


def corrupt_copy(release, tmp_path, how: str):
    """A copy of a good release with its RocksDB files damaged: tables overwritten, or CURRENT gone."""
    copy = tmp_path / f"release-{how}"
    shutil.copytree(release, copy)
    store = copy / "store"
    if how == "tables":
        for table in store.glob("*.sst"):
            table.write_bytes(b"\x00garbage" * 4096)
    else:
        (store / "CURRENT").unlink()
    return copy


def test_ready_when_the_store_answers(sample_release, live_server_factory):
    base_url = live_server_factory(sample_release)
    ready = requests.get(base_url + "/readyz", timeout=30)
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "version": "sample-1"}


@pytest.mark.parametrize("how", ["tables", "current-file"])
def test_a_corrupt_store_is_not_ready_and_the_reason_has_no_path(sample_release, tmp_path, how):
    broken = corrupt_copy(sample_release, tmp_path, how)
    app = create_app(Settings(query_timeout=10), broken)
    try:
        client = app.test_client()
        assert client.get("/healthz").status_code == 200  # liveness only: the process runs
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.headers["Retry-After"]
        body = ready.get_data(as_text=True)
        assert ready.json["status"] == "unavailable" and "store" in ready.json["reason"]
        assert str(tmp_path) not in body and "/store" not in body and "Traceback" not in body
    finally:
        app.extensions["kgraph"].close()


@pytest.mark.parametrize("how", ["tables", "current-file"])
def test_serve_reports_a_corrupt_store_in_one_line(sample_release, tmp_path, how):
    broken = corrupt_copy(sample_release, tmp_path, how)
    env = {**os.environ, **settings_environment(Settings())}
    done = subprocess.run(
        [sys.executable, "-m", "kgraph.cli", "serve", "--store", str(broken), "--port", str(free_port())],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and "the store cannot be used" in lines[0]
    assert "Traceback" not in done.stderr + done.stdout


def test_serve_reports_a_missing_store_in_one_line(tmp_path):
    env = {**os.environ, **settings_environment(Settings(build_dir=tmp_path / "nothing"))}
    done = subprocess.run([sys.executable, "-m", "kgraph.cli", "serve", "--port", str(free_port())],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1 and "no build yet" in done.stderr


def test_the_server_stops_cleanly_after_its_start_up_check(sample_release):
    """The start-up store check must not leave RocksDB state in the process gunicorn forks from:
    workers that inherit it abort when they exit ("terminate called ... std::system_error")."""
    port = free_port()
    env = {**os.environ, **settings_environment(Settings())}
    process = subprocess.Popen(
        [sys.executable, "-m", "kgraph.serve", "--store", str(sample_release), "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        for _ in range(300):
            try:
                if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None, process.stdout.read()
            time.sleep(0.1)
        assert requests.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, timeout=30).ok
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    for crash in ("terminate called", "was sent SIGABRT", "was sent SIGSEGV", "Traceback"):
        assert crash not in output, output
