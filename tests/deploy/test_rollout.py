"""A new release rolled out replica by replica never gives a client a mix of releases inside one
answer (issue 16 point 4 (c)), and the cache never serves an old body under the new ETag.

Two ways of rolling out: each replica follows its own build folder's `current` (as on machines of
their own), and the rollout points replica 1's `current` at release B, waits until it serves B,
then does the same for replica 2; or each replica serves a named release folder and is restarted
on B, one after the other. Meanwhile eight client threads ask for five representations (a page as Turtle, N-Triples and
HTML; a query as JSON and XML) through nginx, half of them conditionally with the last ETag they
saw. Before the rollout, a server on each release answers every representation directly (with
the proxy's Host, so the URLs in the bodies agree): (ETag, body) per release. Every answer through
nginx must then be exactly one release's (ETag, body) pair, or a 304 for the ETag the client sent;
both releases must have been seen; once the entries have expired, everything is release B."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Callable

import pytest
import requests

from tests.deploy.conftest import EXPIRY_SLACK, REPLICA_SETTINGS, VARIANTS, releases_in, replicas_behind_nginx
from tests.deploy.proxy import nginx_proxy
from tests.live import free_port, live_server

pytestmark = pytest.mark.live  # real servers under their WSGI server, and nginx, on loopback

MAX_AGE = 1  # seconds: cache entries turn over several times during the rollout
CLIENTS = 8
FAIL_TIMEOUT = 2.0  # seconds nginx leaves a failed replica out (deploy/nginx-conf.sh)


def point_current(build_dir: Path, release: Path) -> None:
    """Switch a build folder's `current` to a release atomically, as `kgraph build` does."""
    temporary = build_dir / ".current.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(release)
    os.replace(temporary, build_dir / "current")


def etag_key(etag: str) -> str:
    return etag.removeprefix("W/")  # nginx weakens a strong ETag when it gzips the body


def fetch(base: str, path: str, accept: str, host: str, session: requests.Session | None = None,
          **headers: str) -> requests.Response:
    # No gzip: the bodies are compared byte for byte with the expected ones.
    headers = {"Accept": accept, "Host": host, "Accept-Encoding": "identity", **headers}
    return (session or requests).get(base + path, headers=headers, timeout=30)


def expected_answers(release: Path, host: str) -> dict[tuple[str, str], tuple[str, bytes]]:
    """(ETag, body) of every variant, asked directly of a server on `release`."""
    with live_server(release, REPLICA_SETTINGS.replace(cache_max_age=MAX_AGE)) as base:
        answers = {}
        for path, accept in VARIANTS:
            answer = fetch(base, path, accept, host)
            assert answer.status_code == 200, answer.text[:300]
            answers[(path, accept)] = (etag_key(answer.headers["ETag"]), answer.content)
        return answers


def serves(base: str, letter: str, host: str) -> bool:
    path, accept = VARIANTS[0]
    return releases_in(fetch(base, path, accept, host).text) == {letter}


def wait_until_serves(base: str, letter: str, host: str) -> None:
    deadline = time.monotonic() + 20
    while not serves(base, letter, host):
        assert time.monotonic() < deadline, f"{base} did not switch to release {letter} within 20 s"
        time.sleep(0.05)


def clients(proxy_url: str, host: str, client: int, stop: threading.Event) -> list[tuple]:
    """Ask for the variants in turn until `stop`: (variant, status, ETag, body, ETag sent)."""
    session = requests.Session()
    last: dict[tuple[str, str], str] = {}
    seen = []
    n = client
    while not stop.is_set():
        variant = VARIANTS[n % len(VARIANTS)]
        conditional = n % 2 == 1 and variant in last
        extra = {"If-None-Match": last[variant]} if conditional else {}
        answer = fetch(proxy_url, *variant, host, session, **extra)
        etag = answer.headers.get("ETag", "")
        if answer.status_code == 200:
            last[variant] = etag
        seen.append((variant, answer.status_code, etag_key(etag), answer.content, extra.get("If-None-Match")))
        n += 1
    return seen


def under_load(proxy_url: str, host: str, rollout: Callable[[], None]) -> tuple[list[tuple], dict]:
    """The clients' answers while `rollout` runs (after 1 s of load; 1 s more after it), then each
    variant's answer once the cache entries have expired."""
    stop = threading.Event()
    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(clients, proxy_url, host, client, stop) for client in range(CLIENTS)]
        time.sleep(1.0)
        rollout()
        time.sleep(1.0)
        stop.set()
        answers = [row for future in futures for row in future.result()]
    time.sleep(MAX_AGE + EXPIRY_SLACK)
    return answers, {variant: fetch(proxy_url, *variant, host) for variant in VARIANTS}


def check(answers: list[tuple], after: dict, expected: dict) -> None:
    """Every answer exactly one release's (ETag, body), or a 304 for the ETag sent; both releases
    seen; after expiry, only release B."""
    for variant in expected["A"]:
        assert expected["A"][variant][0] != expected["B"][variant][0], f"{variant}: both releases have one ETag"
    by_letter = {"A": 0, "B": 0}
    for variant, status, etag, body, sent in answers:
        if status == 304:
            assert sent is not None and etag == etag_key(sent), f"{variant}: 304 for {etag}, sent {sent}"
            continue
        assert status == 200, f"{variant}: {status} {body[:200]!r}"
        letters = releases_in(body.decode())
        assert len(letters) == 1, f"{variant}: an answer mixing releases {letters}: {body[:300]!r}"
        letter = letters.pop()
        assert (etag, body) == expected[letter][variant], f"{variant}: release {letter}'s body under another ETag"
        by_letter[letter] += 1
    assert by_letter["A"] and by_letter["B"], f"the load did not span the rollout: {by_letter}"
    # The old entries have expired: nginx revalidated them with release A's ETag, the replicas (now
    # on B) did not answer 304, so release B is what everyone gets.
    for variant, answer in after.items():
        assert answer.status_code == 200
        assert (etag_key(answer.headers["ETag"]), answer.content) == expected["B"][variant], variant
    print(f"\n{len(answers)} answers during the rollout: {by_letter}, "
          f"{sum(1 for row in answers if row[1] == 304)} of them 304")


def test_a_rollout_replica_by_replica_never_mixes_releases(releases, tmp_path: Path):
    """Each replica follows its own build folder's `current`, switched one after the other."""
    port = free_port()
    host = f"127.0.0.1:{port}"
    expected = {letter: expected_answers(releases[letter], host) for letter in "AB"}
    build_dirs = [tmp_path / f"replica{i}" for i in (1, 2)]
    settings = []
    for folder in build_dirs:
        folder.mkdir()
        point_current(folder, releases["A"])
        settings.append(REPLICA_SETTINGS.replace(cache_max_age=MAX_AGE, build_dir=folder))
    with replicas_behind_nginx([None, None], settings, proxy_port=port) as (proxy, urls):

        def rollout() -> None:
            for folder, url in zip(build_dirs, urls):  # replica by replica
                point_current(folder, releases["B"])
                wait_until_serves(url, "B", host)
                time.sleep(1.0)

        answers, after = under_load(proxy.url, host, rollout)
    check(answers, after, expected)


def test_a_rollout_restarting_replica_by_replica_loses_nothing(releases):
    """Each replica serves a named release folder (`--store`) and is restarted on the new one, on
    its own port, one after the other: while one restarts, nginx sends everything to the other."""
    port = free_port()
    host = f"127.0.0.1:{port}"
    expected = {letter: expected_answers(releases[letter], host) for letter in "AB"}
    settings = REPLICA_SETTINGS.replace(cache_max_age=MAX_AGE)
    ports = [free_port(), free_port()]
    with ExitStack() as outer:
        replicas = [outer.enter_context(ExitStack()) for _ in ports]
        for stack, replica_port in zip(replicas, ports):
            stack.enter_context(live_server(releases["A"], settings, port=replica_port))
        proxy = outer.enter_context(nginx_proxy([f"127.0.0.1:{p}" for p in ports], port=port))

        def rollout() -> None:
            for stack, replica_port in zip(replicas, ports):
                stack.close()  # SIGTERM: the server finishes the requests in flight, then exits
                stack.enter_context(live_server(releases["B"], settings, port=replica_port))
                # nginx left the restarting replica out after its first failed request, for
                # fail_timeout (2 s, deploy/nginx-conf.sh): the next one is stopped only after that,
                # or both would be out at once (502 "no live upstreams").
                time.sleep(FAIL_TIMEOUT + 1.0)

        answers, after = under_load(proxy.url, host, rollout)
    check(answers, after, expected)
