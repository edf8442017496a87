"""Property-based fuzzing of every route of kgraph.web.routes.ROUTES (issue 10 point 13): odd path
segments (%00, .., <script>, unicode, long), methods, query strings, Accept, Host, conditional and
range headers. The same properties as the protocol's: tests/fuzz/checks.py."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from hypothesis import given, settings

from kgraph.web.routes import ROUTES
from tests.fuzz.checks import check_answer, nosniff
from tests.fuzz.conftest import PROFILE
from tests.fuzz.strategies import SCRIPT, SCRIPT_OPEN, FuzzRequest, route_requests

HOSTILE = ("%00", "..", quote(SCRIPT, safe=""), quote(SCRIPT_OPEN, safe=""), "%C3%A9%F0%9F%98%80", "z" * 2000)


def hostile_paths(rule: str) -> list[str]:
    """The rule with every variable set to each hostile segment in turn (a rule without variables: itself)."""
    if "<" not in rule:
        return [rule, rule + "%00", rule + "/.."]
    return [re.sub(r"<[^>]+>", segment, rule) for segment in HOSTILE]


@pytest.mark.parametrize("route", ROUTES, ids=[r.endpoint for r in ROUTES])
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "OPTIONS", "PUT"])
def test_every_route_survives_hostile_segments(app_send, leak_paths, route, method):
    for path in hostile_paths(route.rule):
        request = FuzzRequest(method, path, (("Host", SCRIPT), ("Accept", "text/html, */*;q=0.1")))
        check_answer(request, app_send(request), leak_paths)


@settings(PROFILE, max_examples=300)
@given(request=route_requests())
def test_routes_through_the_app(app_send, leak_paths, request):
    check_answer(request, app_send(request), leak_paths)


@settings(PROFILE, max_examples=60)
@given(request=route_requests())
def test_routes_through_the_live_server(live_send, leak_paths, request):
    check_answer(request, live_send(request), leak_paths)


@settings(PROFILE, max_examples=30)
@given(request=route_requests())
def test_route_answers_say_nosniff(live_send, request):
    nosniff(request, live_send(request))
