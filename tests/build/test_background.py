"""Background processes of the build: one answer for every thread that waits for it, and a
cancel that a waiting thread hears of."""

from __future__ import annotations

import threading
import time

import pytest

from kgraph.build.background import Background, BackgroundError


def _sum(a: int, b: int) -> int:
    return a + b


def _fails() -> None:
    raise ValueError("bad input at line 3")


def _sleeps(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def _answers(background: Background, threads: int) -> list:
    answers: list = []

    def wait() -> None:
        try:
            answers.append(background.result())
        except BaseException as exc:  # noqa: BLE001 - what each thread got is the test
            answers.append(exc)

    waiting = [threading.Thread(target=wait) for _ in range(threads)]
    for thread in waiting:
        thread.start()
    return answers, waiting


def test_every_thread_gets_the_one_answer():
    background = Background(_sum, 2, 3)
    answers, waiting = _answers(background, 3)
    for thread in waiting:
        thread.join()
    assert answers == [5, 5, 5] and background.result() == 5 and background.seconds > 0


def test_every_thread_gets_the_one_error():
    background = Background(_fails)
    answers, waiting = _answers(background, 2)
    for thread in waiting:
        thread.join()
    assert [type(a) for a in answers] == [ValueError, ValueError]
    with pytest.raises(ValueError, match="line 3"):
        background.result()


def test_a_thread_waiting_when_the_process_is_cancelled_hears_it_died():
    background = Background(_sleeps, 60)
    answers, waiting = _answers(background, 1)
    time.sleep(0.5)  # the thread is waiting in result()
    background.cancel()
    waiting[0].join(timeout=10)
    assert not waiting[0].is_alive()
    assert len(answers) == 1 and isinstance(answers[0], BackgroundError) and "died" in str(answers[0])
