"""``swarm timeline`` as text: phases, gates, each device's attempts, the figures."""

from __future__ import annotations

from swarm.timeline._figures import figures
from swarm.timeline._model import Timeline


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.1f}%"


def render_text(timeline: Timeline) -> str:
    """A readable timeline (seconds since the run started)."""
    fig = figures(timeline)
    lines = [
        f"run {timeline.run_id} ({timeline.label}): wall {fig.wall_s:.1f}s, "
        f"{fig.model_calls} model calls, {fig.tokens} tokens"
    ]
    lines.append("phases:")
    for p in timeline.phases:
        lines.append(f"  {p.name:<10} {p.start:9.2f} → {p.end:9.2f}  ({p.end - p.start:.2f}s)")
    for g in timeline.gates:
        lines.append(f"  gate {g.name:<7} {g.start:7.2f} → {g.end:9.2f}  {g.status}")
    for device in timeline.devices:
        mine = [a for a in timeline.attempts if a.device == device]
        lines.append(
            f"device {device}: {len(mine)} attempts, busy {_pct(fig.device_busy_share.get(device))}"
        )
        for a in mine:
            label = f"{a.task_id}#{a.attempt}"
            lines.append(
                f"  {label:<22} {a.start:9.2f} → {a.end:9.2f}  {a.status:<8} "
                f"model {a.model_s:.2f}s non-model {a.non_model_s:.2f}s "
                f"calls {a.calls} tokens {a.tokens}"
            )
    shares = ", ".join(f"{n} {_pct(s)}" for n, s in fig.phase_share.items())
    lines.append(f"phase shares: {shares}")
    lines.append(
        f"busy share during build: {_pct(fig.busy_share_build)}; "
        f"serial share: {_pct(fig.serial_share)}"
    )
    return "\n".join(lines)
