"""llama-cpp-python's OpenAI-compatible server in a child process, on the loopback only."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import httpx

from gym.models._errors import ModelsError
from gym.models._known import INSTALL_HINT, KNOWN_MODELS, model_path

#: Seconds the server gets to load the weights and answer ``/v1/models``.
START_TIMEOUT_S = 120.0
_POLL_S = 0.25


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _command(name: str, host: str, port: int, n_ctx: int, threads: int, verbose: bool) -> list[str]:
    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path(name)),
        "--model_alias", name,
        "--host", host,
        "--port", str(port),
        "--n_ctx", str(n_ctx),
        "--n_threads", str(threads),
        "--verbose", str(verbose),
    ]  # fmt: skip


class LlamaServer:
    """One known model served at ``url`` (``http://127.0.0.1:PORT/v1``) until ``stop``.

    Use as a context manager; ModelsError (one line) when the extra is missing, the
    model is unknown, or the server does not answer within ``START_TIMEOUT_S``.
    """

    def __init__(
        self,
        name: str,
        *,
        port: int = 0,
        n_ctx: int | None = None,
        threads: int | None = None,
        verbose: bool = False,
    ) -> None:
        if name not in KNOWN_MODELS:
            raise ModelsError(f"unknown model {name!r}; known: {', '.join(KNOWN_MODELS)}")
        self.name = name
        self.host = "127.0.0.1"
        self.port = port or _free_port(self.host)
        self.n_ctx = n_ctx or KNOWN_MODELS[name].n_ctx
        self.threads = threads or max(1, min(4, os.cpu_count() or 1))
        self.verbose = verbose
        """Verbose servers log llama.cpp's own timings (read them with :meth:`log_text`)."""
        self._proc: subprocess.Popen[bytes] | None = None
        self._log = Path(tempfile.mkstemp(prefix=f"llama-{name}-", suffix=".log")[1])

    @property
    def url(self) -> str:
        """The node URL for ``--fleet`` or ``--brain``."""
        return f"http://{self.host}:{self.port}/v1"

    def start(self) -> LlamaServer:
        """Start the child and wait until it lists its model."""
        if importlib.util.find_spec("llama_cpp") is None:
            raise ModelsError(f"llama-cpp-python is not installed; {INSTALL_HINT}")
        command = _command(self.name, self.host, self.port, self.n_ctx, self.threads, self.verbose)
        with self._log.open("wb") as log:
            self._proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                raise ModelsError(f"the {self.name} server exited: {self._last_log_line()}")
            if self._answers():
                return
            time.sleep(_POLL_S)
        self.stop()
        raise ModelsError(f"the {self.name} server did not answer within {START_TIMEOUT_S:g}s")

    def _answers(self) -> bool:
        try:
            return httpx.get(f"{self.url}/models", timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    def log_text(self) -> str:
        """What the server has printed so far (its timings, with ``verbose``)."""
        return self._log.read_text(errors="replace") if self._log.exists() else ""

    def _last_log_line(self) -> str:
        lines = self.log_text().strip().splitlines()
        return lines[-1][:300] if lines else "no output"

    def wait(self) -> int:
        """Block until the child exits; its exit status."""
        assert self._proc is not None
        return self._proc.wait()

    def stop(self) -> None:
        """Stop the child (SIGTERM, then SIGKILL after 10 s) and remove its log."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._log.unlink(missing_ok=True)

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
