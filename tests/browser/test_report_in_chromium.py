"""The report of a two-configuration run, checked in the DOM headless chromium renders."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _open(details) -> None:
    """Open a <details> whatever its state (the page is shared: a click would toggle it)."""
    details.evaluate("d => { d.open = true; }")


def test_two_configurations_are_two_distinct_bars(loaded):
    page = loaded.page
    bars = page.locator("#pass-by-config .barlayer .point")
    assert bars.count() == 2
    labels = page.evaluate(
        """() => {
        const fig = document.getElementById('pass-by-config');
        return fig.data.flatMap(t => (t.orientation === 'h' ? t.y : t.x) || []).map(String);
    }"""
    )
    assert len(labels) == 2 and len(set(labels)) == 2, labels
    assert loaded.errors == []


def test_leaderboard_has_a_difference_from_best_column(loaded):
    headers = loaded.page.locator("table#leaderboard th").all_inner_texts()
    assert any("Δ vs best" in h for h in headers), headers


def test_comparison_shows_the_difference_with_its_interval(loaded):
    shown = loaded.page.locator("section#comparison .diff-ci")
    assert shown.count() >= 1
    assert shown.first.is_visible()
    assert re.fullmatch(r"[+−-]?\d+ pp \[[+−-]?\d+, [+−-]?\d+\]", shown.first.inner_text())


def test_an_episode_shows_its_produced_code_diff_and_transcript(loaded, report):
    page = loaded.page
    episode = page.locator(f"#ep-{report.episode}")
    episode.evaluate("d => { d.open = false; }")
    episode.locator(":scope > summary").click()  # a person's click: must open it
    assert episode.evaluate("d => d.open")
    code = episode.locator("details.code-view").last
    _open(code)
    core = code.locator(".code-file", has_text="app/core.py")
    assert core.locator("pre").is_visible()
    assert "return a + b" in core.inner_text()
    diff = episode.locator("details.diff-view").first
    _open(diff)
    assert diff.locator("pre.diff .add", has_text="return a + b").is_visible()
    story = episode.locator("details.transcript-view").last
    _open(story)
    assert story.locator(".t-entry.assistant").first.is_visible()
    assert page.evaluate("typeof window.__pwned") == "undefined"  # planted markup stayed text
    assert loaded.errors == []


def test_a_finding_opens_the_code_at_its_line(loaded, report):
    page = loaded.page
    _open(page.locator(f"#ep-{report.episode}"))
    link = page.locator(f"#ep-{report.episode} a.to-code").first
    target = link.get_attribute("href")[1:]
    link.click()
    line = page.locator(f"[id='{target}']")
    assert line.is_visible() and "return a + b" in line.inner_text()


def test_filters_hide_episodes_that_do_not_match(loaded, report):
    page = loaded.page
    episodes = page.locator("details.episode")
    total = episodes.count()
    try:
        page.select_option("select[data-filter='verdict']", "fail")
        visible = [e for e in episodes.all() if e.is_visible()]
        assert 0 < len(visible) < total
        assert all(e.get_attribute("data-verdict") == "fail" for e in visible)
        page.select_option("select[data-filter='verdict']", "")
        page.fill("#ep-search", report.episode)
        shown = [e.get_attribute("id") for e in episodes.all() if e.is_visible()]
        assert shown == [f"ep-{report.episode}"]
        assert page.locator("#ep-count").inner_text() == f"1 of {total} shown"
    finally:  # the page is shared: leave every episode shown
        page.select_option("select[data-filter='verdict']", "")
        page.fill("#ep-search", "")


def test_at_420_px_the_plots_keep_a_usable_width(open_at):
    opened = open_at(420)
    try:
        widths = opened.page.evaluate(
            "Array.from(document.querySelectorAll('div.fig'))"
            ".map(d => [d.id, Math.round(d.getBoundingClientRect().width)])"
        )
    finally:
        opened.page.close()
    assert widths and all(w >= 300 for _, w in widths), widths
    assert opened.errors == []
