"""List every distinct failure the fuzz strategies find, instead of stopping at the first.

    .venv/bin/python -m tests.fuzz.survey [--examples 400] [--live]

Builds the project's data into a temporary folder, sends `--examples` protocol and route requests
(plus the issue's known crashers) through Flask's test client (and the live server with --live),
and prints one line per distinct failure: the property, the status, the body's first line, how
often, and the smallest request that showed it. The pytest suite asserts; this tool reports.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

from hypothesis import HealthCheck, Phase, given, settings

from tests.fuzz import checks
from tests.fuzz.strategies import KNOWN_CRASHERS, FuzzRequest, protocol_requests, route_requests

PROPERTIES = {
    "status >= 500": checks.no_server_error,
    "traceback": checks.no_traceback,
    "unescaped <script>": checks.no_unescaped_script,
    "no nosniff": checks.nosniff,
}


class LastError(logging.Handler):
    """Keeps the last exception the app logged (in-process only): what a 500 came from."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.cause = ""

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.cause = f"{type(record.exc_info[1]).__name__}: {str(record.exc_info[1])[:70]}"
        else:
            self.cause = record.getMessage()[:90]


def survey(send, paths, examples: int) -> dict[tuple[str, int, str], list[FuzzRequest]]:
    found: dict[tuple[str, int, str], list[FuzzRequest]] = defaultdict(list)
    last_error = LastError()
    logging.getLogger("kgraph.web").addHandler(last_error)

    def probe(request: FuzzRequest) -> None:
        last_error.cause = ""
        try:
            answer = send(request)
        except Exception as exc:  # noqa: BLE001  (a sender that cannot send it is a finding too)
            found[(f"sender raised {type(exc).__name__}: {str(exc)[:80]}", 0, "")].append(request)
            return
        first_line = answer.excerpt(120).splitlines()[0] if answer.body else ""
        for name, check in {**PROPERTIES, "filesystem path": lambda r, a: checks.no_machine_path(r, a, paths)}.items():
            try:
                check(request, answer)
            except AssertionError:
                key = name if name == "no nosniff" else f"{name}: {first_line[:100]}"
                found[(key, answer.status, last_error.cause if answer.status >= 500 else "")].append(request)

    for text in KNOWN_CRASHERS:
        probe(FuzzRequest("POST", "/sparql", (("Content-Type", "application/sparql-query"),), text.encode()))
    probe(FuzzRequest("GET", "/sparql?" + urlencode({"query": KNOWN_CRASHERS[0]})))
    for strategy in (protocol_requests(), route_requests()):
        @settings(max_examples=examples, phases=[Phase.generate], database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(request=strategy)
        def run(request):
            probe(request)
        run()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=400)
    parser.add_argument("--live", action="store_true", help="also through the real server on loopback")
    args = parser.parse_args()
    from kgraph.build import build
    from kgraph.config import load_settings
    from kgraph.web import create_app
    from tests.fuzz.conftest import QUERY_TIMEOUT
    from tests.fuzz.senders import connection_sender, client_sender
    from tests.live import live_server

    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory() as tmp:
        settings_ = load_settings(root / "kgraph.toml", env={}).replace(build_dir=Path(tmp), query_timeout=QUERY_TIMEOUT)
        release = build(settings_, Path(tmp))
        paths = checks.machine_paths(release.path)
        app = create_app(settings_, release.path, query_workers=1)
        targets = [("test client", client_sender(app))]
        stack = None
        if args.live:
            stack = live_server(release.path, settings_, workers=2)
            targets.append(("live", connection_sender(stack.__enter__().removeprefix("http://"), timeout=30)))
        try:
            for label, send in targets:
                print(f"== {label}")
                for (key, status, cause), requests in sorted(survey(send, paths, args.examples).items(), key=lambda kv: -len(kv[1])):
                    smallest = min(requests, key=lambda r: len(r.target) + len(r.body))
                    print(f"{len(requests):5d} x {status} {key}" + (f"\n        logged: {cause}" if cause else "")
                          + f"\n        e.g. {smallest.describe(160)}")
        finally:
            if stack is not None:
                stack.__exit__(None, None, None)
            app.extensions["kgraph"].executor.close()


if __name__ == "__main__":
    main()
