"""`gym view`: the report page and the stored artifacts on 127.0.0.1, nothing else."""

from __future__ import annotations

import http.client
import re
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gym.cli import app
from gym.cli._view import HOST, ViewServer, build_view

sys.path.insert(0, str(Path(__file__).parent))
from evidence_ledger import two_config_ledger  # noqa: E402


@pytest.fixture
def server(tmp_path):
    (tmp_path / "work").mkdir()
    two_config_ledger(tmp_path / ".gym", tmp_path / "work")
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    page, root, stored = build_view(tmp_path / ".gym", None, 300)
    served = ViewServer(0, page, root, stored)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served
    served.shutdown()
    served.server_close()


def _get(server: ViewServer, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(HOST, server.server_address[1], timeout=10)
    conn.request("GET", path)
    reply = conn.getresponse()
    body = reply.read()
    conn.close()
    return reply.status, {k.lower(): v for k, v in reply.getheaders()}, body


def test_binds_loopback_only_and_serves_the_page_with_working_artifact_links(server):
    assert server.server_address[0] == "127.0.0.1" and server.url.startswith("http://127.0.0.1:")
    status, headers, body = _get(server, "/")
    page = body.decode("utf-8")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "Artifacts are served by <code>gym view</code>" in page
    hrefs = sorted(set(re.findall(r'href="(artifacts/[^"]+)"', page)))
    assert hrefs, "the page links no artifact"
    status, headers, body = _get(server, "/" + hrefs[0])
    assert status == 200 and body
    assert headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/ledger.sqlite",
        "/../outside.txt",
        "/artifacts/../ledger.sqlite",
        "/artifacts/%2e%2e/ledger.sqlite",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/artifacts/",
        "/view.html/../ledger.sqlite",
    ],
)
def test_anything_but_the_page_and_stored_artifacts_is_refused(server, path):
    status, _, body = _get(server, path)
    assert status == 404 and b"SQLite" not in body and b"secret" not in body


def test_a_link_planted_in_the_store_is_not_followed(server, tmp_path):
    stored = sorted(server.artifacts)[0]
    target = server.gym_dir / stored
    target.unlink()
    target.symlink_to(tmp_path / "outside.txt")
    status, _, body = _get(server, "/" + stored)
    assert status == 404 and b"secret" not in body


def test_gym_view_without_a_ledger_is_one_line_and_exit_2(tmp_path):
    result = CliRunner().invoke(app, ["view", "--gym-dir", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert result.output.startswith("gym view:") and "Traceback" not in result.output


def test_a_busy_port_is_one_line_and_exit_2(server):
    busy = str(server.server_address[1])
    result = CliRunner().invoke(app, ["view", "--gym-dir", str(server.gym_dir), "--port", busy])
    assert result.exit_code == 2
    assert result.output.startswith(f"gym view: cannot listen on 127.0.0.1:{busy}")
