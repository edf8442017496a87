"""deploy/run-replicas.sh, the documented way to start replicas behind nginx on one machine: it
serves the current release through nginx on LISTEN, from N `kgraph serve` replicas, and SIGTERM
stops every process it started."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from tests.deploy.conftest import REPLICA_SETTINGS, releases_in
from tests.deploy.test_rollout import point_current
from tests.live import free_port, free_ports, settings_environment

pytestmark = pytest.mark.live  # real servers under their WSGI server, and nginx, on loopback

ROOT = Path(__file__).resolve().parents[2]


def test_the_script_serves_through_nginx_and_stops_everything(releases, tmp_path: Path):
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    point_current(build_dir, releases["A"])
    first = free_ports(2)  # the script numbers its replicas' ports from FIRST_PORT
    listen = next(port for port in iter(free_port, None) if port not in (first, first + 1))
    run_dir = Path(tempfile.mkdtemp(prefix="kgraph-run-"))  # nginx's workers (nobody, as root) reach it
    run_dir.chmod(0o755)
    env = {**os.environ, **settings_environment(REPLICA_SETTINGS.replace(build_dir=build_dir)),
           "LISTEN": f"127.0.0.1:{listen}", "FIRST_PORT": str(first), "WORKERS": "1", "RUN_DIR": str(run_dir),
           "KGRAPH": str(Path(sys.executable).parent / "kgraph")}  # this install's `kgraph` command
    log = tempfile.TemporaryFile()
    script = subprocess.Popen([str(ROOT / "deploy" / "run-replicas.sh"), "2"], env=env, cwd=tmp_path,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # Up when nginx and both replicas answer (nginx answers as soon as one replica does).
        urls = [f"http://127.0.0.1:{listen}/doc/organisatie/r1"]
        urls += [f"http://127.0.0.1:{port}/healthz" for port in (first, first + 1)]
        deadline, answers = time.monotonic() + 60, {}
        while time.monotonic() < deadline and len(answers) < len(urls):
            assert script.poll() is None, _output(log)
            for url in (url for url in urls if url not in answers):
                try:
                    answer = requests.get(url, timeout=2, headers={"Accept": "text/turtle"})
                    if answer.status_code == 200:
                        answers[url] = answer
                except requests.RequestException:
                    pass
            time.sleep(0.2)
        assert len(answers) == len(urls), f"answering: {sorted(answers)}\n{_output(log)}"
        page = answers[urls[0]]
        assert releases_in(page.text) == {"A"} and "X-Cache-Status" in page.headers
        script.send_signal(signal.SIGTERM)
        assert script.wait(30) == 143, _output(log)  # 128 + SIGTERM, after stopping what it started
        for port in (listen, first, first + 1):
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                raise AssertionError(f"something still answers on port {port} after the script stopped")
            except requests.ConnectionError:
                pass
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
        log.close()
        shutil.rmtree(run_dir, ignore_errors=True)


def _output(log) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-3000:]
