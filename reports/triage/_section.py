"""The report's triage section: failure classes, their traces and per-version rates."""

from __future__ import annotations

from collections.abc import Sequence

import jinja2
from markupsafe import Markup

from ledger import Ledger, RunStatus
from reports.triage._report import triage

_TEMPLATE = """
<section id="triage">
<h2>Triage: failure classes</h2>
<p class="note">Behavioural and code reds get no automatic fix: read the traces, ship a
structural fix, and watch the class's rate per swarm code version (Wilson 95%).
Trace paths are relative to the gym dir ({{ gym_dir }}); <code>archive!file</code> is a file
inside a stored tree. {{ t.episodes }} finished episode(s) in {{ t.runs|length }} run(s).</p>
<table class="triage">
<tr><th>Class</th><th>Episodes</th><th>Evidence</th>
{%- for v in versions %}
<th>rate @ {{ v[:12] }}{% if '+dirty' in v %}+dirty{% endif %}</th>
{%- endfor %}</tr>
{% for c in t.classes %}
<tr><td title="{{ c.sources }}">{{ c.title }}</td>
{% if c.detectable %}<td class="num">{{ c.count }}</td><td class="num">{{ c.occurrences }}</td>
{% for r in c.rates %}
<td>{{ pct(r.rate) }}% [{{ pct(r.low) }}, {{ pct(r.high) }}]
({{ r.with_class }}/{{ r.episodes }})</td>
{%- endfor %}
{% else %}<td colspan="{{ 2 + versions|length }}" class="note">{{ c.sources }}</td>{% endif %}
</tr>
{% endfor %}
</table>
{% for c in t.found() %}
<details><summary>{{ c.title }}: {{ c.count }} episode(s)</summary>
<ul>{% for h in c.hits %}
<li><code>{{ h.episode_id }}</code> turn {{ h.turn }}: {{ h.detail }}
<ul>{% for r in h.traces %}
<li>{{ r.kind }}: <code>{{ r.where() }}</code>{% if not r.opens %} (does not open){% endif %}</li>
{%- endfor %}</ul></li>
{%- endfor %}
{%- if c.occurrences > c.hits|length %}
<li class="note">and {{ c.occurrences - c.hits|length }} more piece(s) of evidence
in {{ c.count }} episode(s) (not listed)</li>
{%- endif %}</ul>
</details>
{% endfor %}
</section>
"""


def triage_section(ledger: Ledger, run_ids: Sequence[str] | None = None) -> Markup:
    """The section's HTML (autoescaped: finding messages are untrusted) for these runs.

    None = every finished run of the ledger.
    """
    ids = (
        list(run_ids)
        if run_ids is not None
        else [r.id for r in ledger.runs() if r.status == RunStatus.FINISHED]
    )
    result = triage(ledger, ids)
    versions = sorted(set(result.versions.values()))
    env = jinja2.Environment(autoescape=True)
    html = env.from_string(_TEMPLATE).render(
        t=result, versions=versions, gym_dir=ledger.gym_dir, pct=lambda x: f"{x * 100:.0f}"
    )
    return Markup(html)  # noqa: S704 - rendered above with autoescape on
