"""The effective configuration of `gym run`: one pydantic model, three layers.

Precedence (highest wins): command-line flags > ``gym.toml`` in the working
directory > built-in defaults. :func:`load_config` returns the model together
with where each value came from, which `gym config show` prints.

``gym.toml`` uses the option names as top-level keys::

    episodes = 20
    parallel = 2
    brain = "anthropic:claude-sonnet-4-5"
    fleet = ["http://mac1.local:1234/v1?model=qwen3-coder-30b", "http://mac2.local:1234/v1"]
    knobs = ["worker.turn_cap=30"]          # or a table: [knobs] worker.turn_cap = 30

Instead of the ``fleet`` list, one table per node; ``key_env`` names the variable that holds
that node's own API key (see ``brain._keys`` for where a key may be sent)::

    [[fleet]]
    url = "http://mac3.local:1234/v1"
    model = "qwen3-coder-30b"
    key_env = "MAC3_KEY"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from gym.errors import GymConfigError
from gym.generator import PERSONAS
from verifier import Archetype

#: The default fleet: two competent simulated nodes and one sloppy one that, on a task's
#: first attempt, narrates instead of calling tools, stubs bodies or claims done with nothing
#: written (at seeded rates), so the swarm's defences are exercised and the results are
#: realistic — neither all green nor all red. time_scale shrinks the simulator's modelled
#: latency so 20 episodes take minutes, not hours.
DEFAULT_FLEET = (
    "sim:competent?seed=1&time_scale=0.005&name=sim-a,"
    "sim:competent?seed=2&time_scale=0.005&name=sim-b,"
    "sim:narrator:0.5+stubber:0.5+fake-done:0.3?seed=3&time_scale=0.005&name=sim-sloppy"
)
DEFAULT_BRAIN = "sim:competent?seed=0&time_scale=0.005"

#: How often each archetype is drawn when none is forced.
DEFAULT_ARCHETYPE_WEIGHTS = {
    Archetype.HEAVY_SPEC.value: 0.4,
    Archetype.MINIMAL_SPEC.value: 0.35,
    Archetype.CONTINUE_EXISTING.value: 0.25,
}

CONFIG_FILE = "gym.toml"


class GymConfig(BaseModel):
    """Everything `gym run` needs; every field can be set in gym.toml or on the command line."""

    model_config = ConfigDict(extra="forbid")

    episodes: int = Field(
        default=20, ge=1, le=10_000, description="Episodes to sample; a suite fixes its own."
    )
    parallel: int = Field(default=2, ge=1, le=64, description="Episodes run at the same time.")
    archetype: str | None = Field(
        default=None, description="Force one archetype; None = draw by archetype_weights."
    )
    persona: str | None = Field(
        default=None, description="Force one persona; None = rotate through all of them."
    )
    suite: str | None = Field(
        default=None,
        description="A built-in suite's name or a suite TOML file's path; None = sample episodes.",
    )
    tasks: list[str] = Field(
        default_factory=list,
        description="Only these catalog task ids (sampled episodes and suite entries alike); "
        "empty = the whole catalog.",
    )
    from_kept: bool = Field(
        default=False,
        description="continue-existing episodes may start from green apps kept by earlier runs; "
        "off = they start from the task's own seed or an earlier stage's reference, so two runs "
        "with one seed play the same episodes.",
    )
    brain: str = Field(
        default=DEFAULT_BRAIN,
        description="Harness brain URL: plays the user, judges, invents tasks.",
    )
    fleet: str = Field(default=DEFAULT_FLEET, description="Comma list of fleet node URLs.")
    knobs: list[str] = Field(default_factory=list, description="Swarm knobs, k=v each.")
    seed: int = Field(default=0, description="Seed of archetype/persona/task sampling.")
    max_turns: int = Field(default=6, ge=1, le=6, description="Turns per episode at most.")
    turn_timeout_s: float = Field(
        default=900.0,
        gt=0,
        description="Swarm wall time per turn in s (its --timeout-s; killed after a grace).",
    )
    swarm_cmd: str | None = Field(
        default=None,
        description="External swarm command (takes a spec, writes a report like `swarm run`); "
        "None = python -m swarm.",
    )
    gym_dir: Path = Field(default=Path(".gym"), description="Ledger, runs and artifacts.")
    catalog_dir: Path | None = Field(default=None, description="Task catalog (built-in if unset).")
    invent: bool | None = Field(
        default=None,
        description="The brain invents each episode's task (self-tested before use); "
        "None = only a real brain does, the simulated one samples the catalog.",
    )
    judge: bool = Field(
        default=True,
        description="Grade the three AI-judge dimensions (by the brain); off = deterministic only.",
    )
    archetype_weights: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_ARCHETYPE_WEIGHTS),
        description="Relative draw weight per archetype; need not sum to 1.",
    )
    executor: Literal["local", "ray"] = Field(
        default="local",
        description="Where episodes run: local (this machine's event loop) or ray (one Ray task "
        "each; needs the `ray` extra).",
    )
    ray_address: str | None = Field(
        default=None,
        description="Ray cluster to join: 'auto', HOST:PORT or ray://HOST:PORT; None = start a "
        "private local Ray instance for the run.",
    )
    ray_num_cpus: float = Field(
        default=1.0,
        gt=0,
        le=64,
        description="CPUs each episode's Ray task declares (its swarm and sandbox run there).",
    )

    @field_validator("archetype")
    @classmethod
    def _known_archetype(cls, value: str | None) -> str | None:
        known = [a.value for a in Archetype]
        if value is not None and value not in known:
            raise ValueError(f"unknown archetype {value!r}; known: {', '.join(known)}")
        return value

    @field_validator("persona")
    @classmethod
    def _known_persona(cls, value: str | None) -> str | None:
        if value is not None and value not in PERSONAS:
            raise ValueError(f"unknown persona {value!r}; known: {', '.join(PERSONAS)}")
        return value

    @field_validator("knobs")
    @classmethod
    def _knob_form(cls, value: list[str]) -> list[str]:
        bad = [k for k in value if "=" not in k or not k.split("=", 1)[0].strip()]
        if bad:
            raise ValueError(f"knob {bad[0]!r} is not of the form name=value")
        return value

    @field_validator("archetype_weights")
    @classmethod
    def _weights(cls, value: dict[str, float]) -> dict[str, float]:
        known = {a.value for a in Archetype}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown archetype {unknown[0]!r} in archetype_weights")
        if any(w < 0 for w in value.values()) or sum(value.values()) <= 0:
            raise ValueError("archetype_weights must be non-negative and not all zero")
        return value

    @model_validator(mode="after")
    def _tasks_are_catalog_tasks(self) -> GymConfig:
        if self.tasks and self.invent:
            raise ValueError("--task picks catalog tasks; it cannot be combined with --invent")
        return self

    @property
    def simulated(self) -> bool:
        """True when the brain or any fleet node is the offline simulator."""
        urls = [self.brain, *self.fleet.split(",")]
        return any(u.strip().startswith("sim:") for u in urls if u.strip())


@dataclass(frozen=True)
class LoadedConfig:
    """The effective config and, per field, where its value came from."""

    config: GymConfig
    sources: dict[str, str]


def _normalize_fleet(value: Any) -> Any:
    """Accept a fleet as a comma string, a list of URLs, or a list of node tables."""
    if isinstance(value, str) or not isinstance(value, list):
        return value
    return ",".join(_node_url(item) for item in value)


def _node_url(item: Any) -> str:
    if isinstance(item, str):
        return item
    if not isinstance(item, dict) or "url" not in item:
        raise GymConfigError(f"{CONFIG_FILE}: fleet entry {_shown(item)} needs a url")
    url = item["url"]
    if not isinstance(url, str) or not url.strip():
        raise GymConfigError(
            f"{CONFIG_FILE}: fleet entry url must be a URL string, not {_shown(url)}"
        )
    fields = {k: v for k, v in item.items() if k != "url"}
    for key, value in fields.items():
        if not isinstance(value, str | int | float | bool):  # tables and arrays have no URL form
            raise GymConfigError(
                f"{CONFIG_FILE}: fleet entry {url!r}: {key} must be a string or number, "
                f"not {_shown(value)}"
            )
    extra = urlencode({k: _toml_scalar(v) for k, v in fields.items()})
    sep = "&" if "?" in url else "?"
    return url + (sep + extra if extra else "")


def _shown(value: Any) -> str:
    """A TOML value in an error line: short, and one line whatever it holds."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _normalize_knobs(value: Any) -> Any:
    if isinstance(value, dict):
        return [f"{k}={_toml_scalar(v)}" for k, v in value.items()]
    return value


def _toml_scalar(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def read_toml(path: Path) -> dict[str, Any]:
    """Read gym.toml into raw option values; GymConfigError names the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GymConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise GymConfigError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(GymConfig.model_fields))
    if unknown:
        raise GymConfigError(
            f"{path}: unknown option {unknown[0]!r}; known: {', '.join(GymConfig.model_fields)}"
        )
    if "fleet" in data:
        data["fleet"] = _normalize_fleet(data["fleet"])
    if "knobs" in data:
        data["knobs"] = _normalize_knobs(data["knobs"])
    return data


def _validation_line(exc: ValidationError, origin: str) -> str:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or "(top level)"
    msg = str(first["msg"]).removeprefix("Value error, ")
    return f"{origin}: option {field}: {msg}"


def load_config(
    cli: dict[str, Any] | None = None, *, cwd: Path | None = None, toml_path: Path | None = None
) -> LoadedConfig:
    """Merge defaults, ``gym.toml`` (``toml_path`` or ``cwd/gym.toml`` if present) and CLI flags.

    ``cli`` holds only the flags the user gave (None values are ignored).
    Raises GymConfigError with one line naming the file or flag and the field.
    """
    if toml_path is not None and not toml_path.is_file():
        raise GymConfigError(f"{toml_path}: no such config file")
    path = toml_path or (cwd or Path.cwd()) / CONFIG_FILE
    from_file = read_toml(path) if path.is_file() else {}
    from_cli = {k: v for k, v in (cli or {}).items() if v is not None and v != []}
    merged = {**from_file, **from_cli}
    try:
        config = GymConfig.model_validate(merged)
    except ValidationError as exc:
        first_field = str((exc.errors()[0].get("loc") or ("",))[0])  # () from a model validator
        origin = "command line" if first_field in from_cli else str(path)
        raise GymConfigError(_validation_line(exc, origin)) from None
    knob_origin = "command line" if "knobs" in from_cli else str(path)
    _check_knobs(config, knob_origin)
    sources = {
        name: "cli" if name in from_cli else str(path) if name in from_file else "default"
        for name in GymConfig.model_fields
    }
    return LoadedConfig(config=config, sources=sources)


def _check_knobs(config: GymConfig, origin: str) -> None:
    """Refuse a knob the built-in swarm does not know, before any episode runs.

    Only for the built-in swarm: an external ``swarm_cmd`` has knobs of its own, and its
    first turn's exit 2 stops the run instead.
    """
    if config.swarm_cmd is not None or not config.knobs:
        return
    from swarm import KnobError, all_knobs  # the swarm's registry is the one authority

    known = all_knobs()
    for item in config.knobs:
        name, _, value = item.partition("=")
        knob = known.get(name.strip())
        try:
            if knob is None:
                raise KnobError(f"unknown knob {name.strip()!r} (see `swarm knobs` for the list)")
            knob.coerce(value)
        except KnobError as exc:
            raise GymConfigError(f"{origin}: option knobs: {exc}") from None
