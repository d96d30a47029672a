"""Append-only history of the gym (SQLite, WAL) and its artifact store.

Public surface::

    Ledger.open(gym_dir) -> Ledger      start_run / start_episode / record_turn /
                                        record_grade / finish_episode / finish_run /
                                        store_artifact / record_experiment; runs() / episodes()
    regrade_run(ledger, run_id, catalog_dir=, judge=) -> RegradeSummary
    RecordingLedger(run_id, scratch) -> .recording   Ledger.replay(recording, key=) -> Replayed
                                        (an episode run elsewhere lands once per key)
    RunRecord, EpisodeRecord, TurnRecord, ExperimentRecord, NodeRecord   (inputs)
    RunView, EpisodeView, TurnView, GradeView, GradeSetView, ArtifactRef (reads)
    LedgerError and its subclasses (see ledger/_errors.py)
    SyntheticPlan, fill_synthetic, add_synthetic_run      (seeded ledgers for tests, demos)
"""

from ledger._artifacts import read_jsonl
from ledger._errors import (
    AppendOnlyError,
    ArtifactError,
    LedgerCorruptError,
    LedgerError,
    LedgerMissingError,
    LedgerVersionError,
    NotFoundError,
)
from ledger._ledger import LEDGER_FILE, Ledger
from ledger._provenance import UNKNOWN_VERSION, checkout_version, code_version
from ledger._recording import DEFAULT_ARTIFACT_CAP, Recording, RecordingLedger
from ledger._records import (
    ArtifactRef,
    EpisodeRecord,
    EpisodeStatus,
    EpisodeView,
    ExperimentRecord,
    ExperimentView,
    GradeSetView,
    GradeView,
    NodeRecord,
    RunRecord,
    RunStatus,
    RunView,
    TurnRecord,
    TurnView,
)
from ledger._regrade import RegradeSummary, regrade_run
from ledger._replay import Replayed
from ledger._schema import MIGRATIONS, SCHEMA_VERSION
from ledger._synthetic import (
    SyntheticConfig,
    SyntheticPlan,
    add_synthetic_run,
    fill_synthetic,
    synthetic_grade,
)

__all__ = [
    "read_jsonl",
    "DEFAULT_ARTIFACT_CAP",
    "LEDGER_FILE",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "UNKNOWN_VERSION",
    "AppendOnlyError",
    "ArtifactError",
    "ArtifactRef",
    "EpisodeRecord",
    "EpisodeStatus",
    "EpisodeView",
    "ExperimentRecord",
    "ExperimentView",
    "GradeSetView",
    "GradeView",
    "Ledger",
    "LedgerCorruptError",
    "LedgerError",
    "LedgerMissingError",
    "LedgerVersionError",
    "NodeRecord",
    "NotFoundError",
    "Recording",
    "RecordingLedger",
    "RegradeSummary",
    "Replayed",
    "RunRecord",
    "RunStatus",
    "RunView",
    "SyntheticConfig",
    "SyntheticPlan",
    "TurnRecord",
    "TurnView",
    "add_synthetic_run",
    "checkout_version",
    "code_version",
    "fill_synthetic",
    "regrade_run",
    "synthetic_grade",
]
