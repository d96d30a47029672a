"""The evidence behind each grade: produced code, diffs, transcripts and artifact placement.

Public surface::

    episode_evidence(ledger, episode_id, artifact_rows) -> {turn: TurnEvidence}
    placement(gym_dir, out_dir, bundle=, served=) -> ArtifactPlacement
    relative_href, data_href, code_css, anchor_prefix

Everything read here came from a model or a produced tree: it leaves this package as plain
strings (escaped by the templates) or as pygments' escaped HTML.
"""

from reports.evidence._code import CodeFile, code_css, code_file
from reports.evidence._collect import TurnEvidence, anchor_prefix, episode_evidence
from reports.evidence._diff import DIFF_MAX_LINES, DiffLine, TurnDiff, tree_diff
from reports.evidence._links import (
    BUNDLE_MAX_BYTES,
    ArtifactPlacement,
    data_href,
    placement,
    relative_href,
)
from reports.evidence._transcript import ENTRY_MAX, Transcript, TranscriptEntry, transcript
from reports.evidence._tree import FILE_MAX_BYTES, TREE_MAX_FILES, TreeFile, read_tree

__all__ = [
    "BUNDLE_MAX_BYTES",
    "DIFF_MAX_LINES",
    "ENTRY_MAX",
    "FILE_MAX_BYTES",
    "TREE_MAX_FILES",
    "ArtifactPlacement",
    "CodeFile",
    "DiffLine",
    "Transcript",
    "TranscriptEntry",
    "TreeFile",
    "TurnDiff",
    "TurnEvidence",
    "anchor_prefix",
    "code_css",
    "code_file",
    "data_href",
    "episode_evidence",
    "placement",
    "read_tree",
    "relative_href",
    "transcript",
    "tree_diff",
]
