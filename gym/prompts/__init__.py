"""Brain prompts as jinja templates (``*.j2``), rendered by :func:`gym._prompting.render`."""
