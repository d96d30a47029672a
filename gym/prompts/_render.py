"""Render the brain and swarm prompts kept as jinja templates in ``gym/prompts/``.

Templates render plain text, never HTML: autoescaping is off on purpose, and model
output placed in a prompt stays untrusted text that is only ever shown to a model.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("gym", "prompts"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render(template: str, **values: Any) -> str:
    """Render ``gym/prompts/<template>`` with ``values``; a missing value is an error."""
    return _environment().get_template(template).render(**values)
