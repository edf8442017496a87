"""Property-based fuzzing of the SPARQL 1.1 Protocol at /sparql (issue 10 point 13).

Whatever the text, method, content type, parameters and Accept header: no status >= 500 but the
documented 503 with Retry-After, no traceback, no filesystem path, no echoed <script>. The issue's
known crashers are fixed examples, run first on every run.
"""

from __future__ import annotations

from hypothesis import example, given, settings

from tests.fuzz.checks import check_answer, nosniff
from tests.fuzz.conftest import PROFILE
from tests.fuzz.strategies import KNOWN_CRASHERS, FuzzRequest, protocol_requests
from urllib.parse import urlencode


def get(text: str) -> FuzzRequest:
    return FuzzRequest("GET", "/sparql?" + urlencode({"query": text}))


def post(text: str) -> FuzzRequest:
    return FuzzRequest("POST", "/sparql", (("Content-Type", "application/sparql-query"),), text.encode())


def with_known_crashers(test):
    """@example for each crasher of the issue, sent by POST (5,000 braces do not fit a request line)."""
    for text in KNOWN_CRASHERS:
        test = example(request=post(text))(test)
    return example(request=get(KNOWN_CRASHERS[0]))(test)


@settings(PROFILE, max_examples=250)
@given(request=protocol_requests())
@with_known_crashers
def test_protocol_through_the_app(app_send, leak_paths, request):
    check_answer(request, app_send(request), leak_paths)


@settings(PROFILE, max_examples=60)
@given(request=protocol_requests())
@with_known_crashers
def test_protocol_through_the_live_server(live_send, leak_paths, request):
    check_answer(request, live_send(request), leak_paths)


@settings(PROFILE, max_examples=30)
@given(request=protocol_requests())
@example(request=post(KNOWN_CRASHERS[1]))
def test_protocol_answers_say_nosniff(live_send, request):
    nosniff(request, live_send(request))
