"""The drill-down shows the evidence behind each grade, escaped, linked, and findable."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gym.cli import app
from ledger import Ledger
from reports import build_report

sys.path.insert(0, str(Path(__file__).parent))
from evidence_ledger import INJECTED, two_config_ledger  # noqa: E402


@pytest.fixture
def gym(tmp_path):
    (tmp_path / "work").mkdir()
    runs, episode = two_config_ledger(tmp_path / ".gym", tmp_path / "work")
    return tmp_path / ".gym", episode


def _build(gym_dir: Path, out: Path, **options) -> str:
    with Ledger.open(gym_dir) as ledger:
        build_report(ledger, out, **options)
    return out.read_text(encoding="utf-8")


def _episode(html: str, episode: str) -> str:
    start = html.index(f'id="ep-{episode}"')
    return html[start : html.index('</details>\n<details class="episode"', start)]


def test_episode_shows_highlighted_code_diff_transcript_and_tokens(gym, tmp_path):
    gym_dir, episode = gym
    html = _build(gym_dir, tmp_path / "out" / "report.html")
    block = _episode(html, episode)
    assert block.count('class="evidence code-view"') == 2
    assert '<span class="k">def</span>' in block  # pygments highlighted app/core.py
    assert (
        'class="evidence diff-view"' in block
        and '<span class="add">+    return a + b</span>' in block
    )
    assert "Swarm transcript · 3 messages, 4 events" in block
    assert "I will fix add." in block and "tool_call tool=write_file" in block
    assert "Tokens: 1234 prompt + 567 completion" in block and "cost not reported" in block


def test_a_finding_links_to_an_existing_line_anchor(gym, tmp_path):
    gym_dir, episode = gym
    html = _build(gym_dir, tmp_path / "report.html")
    hrefs = re.findall(r'<a class="to-code" href="#([^"]+)">app/core.py:3</a>', html)
    assert hrefs and hrefs[0].endswith("-3")
    assert html.count(f'id="{hrefs[0]}"') == 1


def test_model_and_tree_text_never_reaches_the_page_as_markup(gym, tmp_path):
    gym_dir, _ = gym
    html = _build(gym_dir, tmp_path / "report.html")
    assert INJECTED not in html
    assert "window.__pwned" in html  # it is there, as text
    assert html.count("<script>window.__pwned") == 0 and "<img src=x" not in html


def test_unbundled_page_says_where_it_expects_the_artifacts(gym, tmp_path):
    gym_dir, _ = gym
    html = _build(gym_dir, tmp_path / "elsewhere" / "report.html")
    assert 'data-mode="linked"' in html
    assert "the links expect the artifact store at <code>../.gym/artifacts/</code>" in html
    assert "gym report --bundle" in html
    assert 'href="../.gym/artifacts/' in html


def test_bundled_page_embeds_artifacts_and_states_their_size(gym, tmp_path):
    gym_dir, _ = gym
    html = _build(gym_dir, tmp_path / "report.html", bundle=True)
    assert 'data-mode="bundled"' in html
    assert re.search(
        r"Artifacts are bundled into this page \(\d+\.\d MB of artifacts embedded\)", html
    )
    assert 'href="data:application/x-tar;base64,' in html and 'download="t2-tree-' in html
    assert 'href="data:text/plain;charset=utf-8;base64,' in html
    assert ".gym/artifacts/" not in re.sub(
        r"<code>[^<]*</code>", "", html.split('id="episodes"')[1]
    )


def test_filters_offer_every_task_persona_archetype_verdict_and_dimension(gym, tmp_path):
    gym_dir, episode = gym
    html = _build(gym_dir, tmp_path / "report.html")
    for key in ("task", "persona", "archetype", "verdict", "dimension"):
        assert f'<select data-filter="{key}">' in html
    assert "<option>task-3</option>" in html and "<option>vague</option>" in html
    tag = re.search(rf'<details class="episode" id="ep-{episode}"[^>]*>', html).group(0)
    assert 'data-task="task-1"' in tag and 'data-verdict="pass"' in tag
    assert 'data-dimension="swarm"' in tag  # the one dimension graded fail in turn 2


def test_gym_report_bundle_flag_writes_a_standalone_page(gym, tmp_path):
    gym_dir, _ = gym
    out = tmp_path / "alone.html"
    result = CliRunner().invoke(
        app, ["report", "--gym-dir", str(gym_dir), "--out", str(out), "--bundle"]
    )
    assert result.exit_code == 0, result.output
    assert 'data-mode="bundled"' in out.read_text(encoding="utf-8")
