"""`gym view`: the report page with the artifact store behind it, on 127.0.0.1 only.

Like ``inspect view``: one command, one URL. The page is built as ``GYM_DIR/view.html`` (so
its artifact links are ``artifacts/...``) and served with the stored artifacts; nothing
else is reachable. Only paths the ledger records as artifacts are served: a request for
anything else (``..``, the ledger file, a link planted in the store) is refused, and every
artifact is sent as a download or plain text under a CSP that runs nothing.
"""

from __future__ import annotations

import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Annotated
from urllib.parse import unquote, urlsplit

import typer

from gym.cli._edge import serve_until_stopped
from gym.cli._ledger_access import GymDir, RunRefs, ledger_edge, open_ledger, resolve_runs, run_refs

HOST = "127.0.0.1"
DEFAULT_PORT = 7575
PAGE_NAME = "view.html"
#: What artifacts are sent under: they are evidence to read, never pages to run.
_ARTIFACT_CSP = "default-src 'none'; sandbox"


class ViewServer(ThreadingHTTPServer):
    """The server: the page, and the artifacts the ledger lists, nothing else."""

    daemon_threads = True

    def __init__(self, port: int, page: Path, gym_dir: Path, artifacts: set[str]):
        self.page, self.gym_dir, self.artifacts = page, gym_dir.resolve(), artifacts
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        """The page's address."""
        return f"http://{HOST}:{self.server_address[1]}/"

    def resolve(self, raw_path: str) -> Path | None:
        """The file behind a request path, or None (refused)."""
        path = unquote(urlsplit(raw_path).path)
        if path in ("/", f"/{PAGE_NAME}"):
            return self.page
        rel = path.removeprefix("/")
        if rel not in self.artifacts or "\\" in rel or ".." in rel.split("/"):
            return None
        store = (self.gym_dir / "artifacts").resolve()
        target = (self.gym_dir / rel).resolve()  # resolves links: one out of the store is refused
        return target if target.is_relative_to(store) and target.is_file() else None


class _Handler(BaseHTTPRequestHandler):
    server: ViewServer

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        target = self.server.resolve(self.path)
        if target is None:
            self.send_error(HTTPStatus.NOT_FOUND, "not a page or stored artifact")
            return
        body = target.read_bytes()
        self.send_response(HTTPStatus.OK)
        for name, value in _headers(target, target == self.server.page).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet: the URL is all a person needs on the terminal


def _headers(target: Path, is_page: bool) -> dict[str, str]:
    if is_page:
        return {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or target.suffix in (".jsonl", ".json", ".md", ".log"):
        kind = "text/plain; charset=utf-8"
    return {
        "Content-Type": kind,
        "Content-Security-Policy": _ARTIFACT_CSP,
        "X-Content-Type-Options": "nosniff",
    }


def build_view(
    gym_dir: Path | None, runs: list[str] | None, max_episodes: int
) -> tuple[Path, Path, set[str]]:
    """Write ``GYM_DIR/view.html``; return (page, gym dir, stored artifact paths)."""
    from reports import ReportError, build_report

    with ledger_edge("view", ReportError), open_ledger(gym_dir) as ledger:
        page = ledger.gym_dir / PAGE_NAME
        build_report(
            ledger,
            page,
            run_ids=resolve_runs(ledger, run_refs(runs)),
            max_episodes=max_episodes,
            served=True,
        )
        stored = {row["path"] for row in ledger.query("SELECT path FROM artifacts")}
        return page, ledger.gym_dir, stored


def view(
    port: Annotated[
        int,
        typer.Option(
            "--port", min=0, max=65535, help="Port on 127.0.0.1 (0 = any free).", metavar="PORT"
        ),
    ] = DEFAULT_PORT,
    runs: RunRefs = None,
    max_episodes: Annotated[
        int, typer.Option("--max-episodes", min=0, help="Episodes in drill-down.", metavar="N")
    ] = 300,
    gym_dir: GymDir = None,
) -> None:
    """Open the report with its artifacts on a local web server (127.0.0.1 only)."""
    page, root, stored = build_view(gym_dir, runs, max_episodes)
    try:
        server = ViewServer(port, page, root, stored)
    except OSError as exc:
        typer.echo(f"gym view: cannot listen on {HOST}:{port}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    typer.echo(f"gym view: serving {page.name} and the artifact store at {server.url}")
    typer.echo("press Ctrl-C to stop", err=True)
    serve_until_stopped(lambda: _wait(thread), lambda: _stop(server))


def _wait(thread: threading.Thread) -> None:
    while thread.is_alive():
        thread.join(0.5)  # short joins: Ctrl-C is seen at once


def _stop(server: ViewServer) -> None:
    server.shutdown()
    server.server_close()


def register(app: typer.Typer) -> None:
    """Attach `view` to the gym app."""
    app.command("view")(view)
