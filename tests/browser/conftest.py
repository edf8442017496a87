"""Headless Chromium for the browser tests, driven by Playwright for Python.

The browser is Debian's `chromium` package (installed by .ci/run), never a Playwright download:
`playwright install` fetches browser builds from the internet, which this project must not need.

    def test_page(page, live_2018, screenshot):
        page.goto(live_2018 + "/sparql")
        ...
        screenshot(page, "sparql-ui")      # -> test-artifacts/screenshots/sparql-ui.png

Fixtures: `browser_context` (session: one Chromium with a throw-away profile), `page` (a fresh tab
per test, closed after it) and `screenshot` (saves a PNG under test-artifacts/screenshots/).
Browser tests are marked `browser`; without Chromium or Playwright they are skipped locally but
fail in CI (CI=true), where .ci/run has installed both.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("KGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# No GPU, no sandbox (root in CI), and no calls home: the tests must run with no network but loopback.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI installs it: see .ci/run and pyproject.toml's test extra)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A headless Chromium (Debian's) with a temporary profile, shared by the session's browser tests."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).is_file():
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        # launch_persistent_context is Playwright's way to give Chromium its --user-data-dir.
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            locale="en-GB",
        )
        context.set_default_timeout(20_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context) -> Iterator[object]:
    """A new tab; closed after the test. Console errors are collected in page.console_errors."""
    tab = browser_context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.console_errors = errors  # type: ignore[attr-defined]
    try:
        yield tab
    finally:
        tab.close()


@pytest.fixture
def screenshot() -> Callable[[object, str], Path]:
    """`screenshot(page, name)` saves a full-page PNG to test-artifacts/screenshots/<name>.png
    (`full_page=False`: what the window shows, for long pages where the top is what matters)."""

    def save(tab: object, name: str, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        tab.screenshot(path=str(path), full_page=full_page)  # type: ignore[attr-defined]
        return path

    return save
