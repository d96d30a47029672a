"""The report in a real headless Chromium: no console errors, every figure drawn, no injection.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON
messages separated by NUL on fds 3 and 4), so no port and no websocket library is needed.
Skips with a message when Debian's chromium is not installed.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from ledger import SyntheticConfig, SyntheticPlan, fill_synthetic
from reports import build_report

pytestmark = pytest.mark.browser

INJECTED = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
# What the page looks like once loaded: figures drawn as SVG, the injected script inert.
STATE_JS = """JSON.stringify({
    figures: document.querySelectorAll('div.fig').length,
    drawn: Array.from(document.querySelectorAll('div.fig')).filter(
        d => d.getAttribute('data-rendered') === '1' && d.querySelector('svg.main-svg')
    ).length,
    pwned: typeof window.__pwned,
    injectedShown: document.body.textContent.includes(INJECTED),
})"""
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
]


def _chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.skip(
        "Debian's chromium is not installed (apt-get install -y chromium); "
        "the report browser test needs it"
    )


class DevTools:
    """A minimal Chrome DevTools protocol client over the debugging pipe."""

    def __init__(self, exe: str, profile: Path):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire_fds() -> None:  # in the child: fd 3 reads commands, fd 4 writes replies
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [exe, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=wire_fds,
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._next_id, self.events, self._replies = 0, [], {}
        self._inbox: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._from_chrome, 1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                self._inbox.put(json.loads(raw))

    def call(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 30.0,
    ) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while self._next_id not in self._replies:
            self._pump(deadline)
        reply = self._replies.pop(self._next_id)
        assert "error" not in reply, reply
        return reply.get("result", {})

    def _pump(self, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("chromium did not answer")
        try:
            message = self._inbox.get(timeout=remaining)
        except queue.Empty:
            raise TimeoutError("chromium did not answer") from None
        if "id" in message:
            self._replies[message["id"]] = message
        else:
            self.events.append(message)

    def evaluate(self, session: str, expression: str):
        result = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session
        )
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except (TimeoutError, OSError, AssertionError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)


def _errors(events: list[dict]) -> list[str]:
    """Console errors, uncaught exceptions and browser log errors (CSP, failed loads)."""
    found = []
    for e in events:
        params = e.get("params", {})
        if e["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            args = params["args"]
            found.append(" ".join(str(a.get("value", a.get("description"))) for a in args))
        elif e["method"] == "Runtime.exceptionThrown":
            found.append(params["exceptionDetails"].get("text", "exception"))
        elif e["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append(params["entry"]["text"])
    return found


@pytest.fixture
def report_file(tmp_path):
    from ledger import Ledger

    with Ledger.open(tmp_path / ".gym") as ledger:
        fill_synthetic(
            ledger,
            SyntheticPlan(
                configs=[
                    SyntheticConfig("qwen-7b", 0.5),
                    SyntheticConfig("qwen-32b", 0.9),
                    SyntheticConfig("sim-model", 0.7, simulated=True),
                ],
                runs_per_config=2,
                tasks=3,
                seeds=2,
                turns=2,
                events=True,
                injected=INJECTED,
            ),
        )
        summary = build_report(ledger, tmp_path / ".gym" / "report.html")
    assert summary.figures >= 9
    return summary


def test_report_renders_in_headless_chromium(report_file, tmp_path):
    browser = DevTools(_chromium(), tmp_path / "profile")
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Runtime", "Log", "Page"):
            browser.call(f"{domain}.enable", session=session)
        browser.call("Page.navigate", {"url": report_file.path.resolve().as_uri()}, session)
        rendered = None
        deadline = time.monotonic() + 60
        while rendered is None and time.monotonic() < deadline:
            time.sleep(0.2)
            rendered = browser.evaluate(
                session, "document.body && document.body.getAttribute('data-figures-rendered')"
            )
        state = browser.evaluate(session, STATE_JS.replace("INJECTED", json.dumps(INJECTED)))
        time.sleep(0.5)  # let late console messages arrive
        browser.call("Runtime.evaluate", {"expression": "1"}, session)
    finally:
        browser.close()
    state = json.loads(state)
    assert rendered == str(report_file.figures)
    assert state["figures"] == state["drawn"] == report_file.figures
    assert state["pwned"] == "undefined"
    assert state["injectedShown"] is True
    assert _errors(browser.events) == []
