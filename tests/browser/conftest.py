"""Headless Debian chromium driven by playwright, and the report of a two-configuration run.

Playwright drives the system's chromium (``executable_path``), never a browser it would
download; the tests skip with one clear reason when chromium or playwright is missing.
The report is built once per session from a ledger of two runs differing by one knob.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ledger import Ledger
from reports import build_report, compare_runs, load

sys.path.insert(0, str(Path(__file__).parents[1] / "reports"))
from evidence_ledger import two_config_ledger  # noqa: E402

#: Offline, quiet, no sandbox (CI runs as root in a container), no GPU.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """Debian's chromium (or ``$CHROMIUM``); skip the test with the reason when absent."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")


class Report:
    """The built report and what the tests look for in it."""

    def __init__(self, path: Path, episode: str):
        self.path, self.episode = path, episode
        self.url = path.resolve().as_uri()


@pytest.fixture(scope="session")
def report(tmp_path_factory) -> Report:
    root = tmp_path_factory.mktemp("browser-report")
    (root / "work").mkdir()
    (base, tuned), episode = two_config_ledger(root / ".gym", root / "work")
    with Ledger.open(root / ".gym") as ledger:
        comparison = compare_runs(load(ledger), base, tuned)
        summary = build_report(ledger, root / "report.html", comparison=comparison)
    return Report(summary.path, episode)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Module-scoped on purpose: playwright's sync API holds an asyncio loop on this thread
    while it runs, and pytest-asyncio tests elsewhere in the session need the thread free."""
    exe = chromium_path()
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')"
    )
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=exe, args=FLAGS)
        yield launched
        launched.close()


class Page:
    """A loaded report page with every console error and uncaught exception it raised."""

    def __init__(self, page, errors: list[str]):
        self.page, self.errors = page, errors


def open_report(browser, report: Report, width: int = 1280) -> Page:
    """Load the report at ``width`` px and wait until every figure is drawn."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "assert") else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.goto(report.url)
    page.wait_for_selector("body[data-figures-rendered]", timeout=30_000)
    return Page(page, errors)


@pytest.fixture
def open_at(browser, report):
    """``open_at(width)`` -> a loaded :class:`Page` at that viewport width (caller closes)."""
    return lambda width: open_report(browser, report, width)


@pytest.fixture(scope="module")
def loaded(browser, report) -> Iterator[Page]:
    """One page for the read-mostly tests: loading plotly is the slow part on a busy CI box."""
    opened = open_report(browser, report)
    yield opened
    opened.page.close()
