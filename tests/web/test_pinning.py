"""Release pinning without a lock (kgraph.web.state): every request pins the release it is served
from; a release switched away from closes once, when its last request ends, and never while a
request holds it."""

from __future__ import annotations

import threading

from kgraph.web.state import EndpointState, ServedRelease


def _closes(served: ServedRelease) -> list[int]:
    """A list that grows by one each time the release is closed (its own close still runs)."""
    calls: list[int] = []
    close = served.close

    def counted() -> None:
        calls.append(1)
        close()

    served.close = counted  # type: ignore[method-assign]
    return calls


def test_a_retired_release_closes_once_when_its_last_request_ends(project_settings, built_release):
    served = ServedRelease.open(project_settings, built_release.path, 1)
    closed = _closes(served)
    served.acquire()
    served.acquire()
    served.retire()
    assert closed == []  # two requests still on it
    served.release()
    assert closed == []
    served.release()
    assert closed == [1]
    served.retire()  # retired again, unused: still closed once
    assert closed == [1]


def test_requests_pinned_during_switches_never_hold_a_closed_release(project_settings, built_release):
    settings = project_settings.replace(build_dir=built_release.path.parent.parent)
    state = EndpointState(settings, ServedRelease.open(settings, None, 1), follow_current=False, query_workers=1)
    releases, problems, pinned = [state.served_for({})], [], [0]
    closes = [_closes(releases[0])]
    stop = threading.Event()

    def requests() -> None:
        while not stop.is_set():
            served = state.pin()
            pinned[0] += 1
            for _ in range(3):  # a request's lifetime, in which a switch may come
                if served._closed:
                    problems.append("a pinned release was closed")
            state.unpin(served)

    threads = [threading.Thread(target=requests) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(4):
            state._switch_to(releases[0].target)  # the same build opened again: a switch all the same
            releases.append(state.served_for({}))
            closes.append(_closes(releases[-1]))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    try:
        assert problems == [] and pinned[0] > 100
        assert len({id(r) for r in releases}) == 5
        # Each release switched away from was closed exactly once; the current one is open.
        assert [len(c) for c in closes] == [1, 1, 1, 1, 0]
    finally:
        state.close()
