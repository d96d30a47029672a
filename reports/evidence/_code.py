"""Syntax-highlighted code with one anchor per line, so a finding can link to file:line.

Pygments escapes every character of the source (``<``, ``>``, ``&``, quotes), so the
highlighted HTML carries a produced file as text only; anchors are built from numbers we
choose, never from a file name a model picked.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_for_filename
from pygments.util import ClassNotFound

from reports.evidence._tree import TreeFile


@dataclass
class CodeFile:
    """One produced file, ready for the page."""

    path: str
    #: The element id of the file; line N is ``{anchor}-{N}``.
    anchor: str
    size: int
    lines: int
    #: Highlighted, escaped HTML; None when the file is not shown (see ``note``).
    html: Markup | None
    note: str = ""
    #: Set when the file is unchanged since an earlier turn whose view shows it (``anchor``
    #: then points there, so a finding still links to the right line).
    shown_in_turn: int | None = None


def unchanged_file(earlier: CodeFile, turn: int) -> CodeFile:
    """A file unchanged since ``turn``: listed, linked to the view that shows it."""
    return CodeFile(earlier.path, earlier.anchor, earlier.size, earlier.lines, None, "", turn)


def code_file(tree_file: TreeFile, anchor: str) -> CodeFile:
    """Highlight ``tree_file``; lines are spans with ids ``{anchor}-1``, ``{anchor}-2``, ..."""
    if tree_file.text is None:
        return CodeFile(tree_file.path, anchor, tree_file.size, 0, None, tree_file.note)
    formatter = HtmlFormatter(linenos="inline", linespans=anchor, cssclass="code", wrapcode=True)
    html = highlight(tree_file.text, _lexer(tree_file.path), formatter)
    # Markup: pygments escaped the source; the only markup is its own spans and our ids.
    return CodeFile(
        tree_file.path,
        anchor,
        tree_file.size,
        max(1, len(tree_file.text.splitlines())),
        Markup(html),
    )


def _lexer(path: str):
    try:
        return get_lexer_for_filename(path, stripnl=False)
    except ClassNotFound:
        return TextLexer(stripnl=False)


def code_css() -> Markup:
    """The colours of the highlighted code (pygments' default style, scoped to ``.code``)."""
    return Markup(HtmlFormatter(style="default").get_style_defs(".code"))
