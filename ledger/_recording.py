"""A ledger stand-in that records writes, for episodes that run on another machine.

An episode on a Ray worker cannot write the driver's ledger (one writer, one filesystem).
It writes a :class:`RecordingLedger` instead: the same write methods, provisional episode
ids, and every artifact packed into bytes by the store's own packer (links stay links,
nothing is followed). The :class:`Recording` travels back to the driver, which applies it
with :meth:`ledger.Ledger.replay` in one transaction under an idempotency key.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ledger import _artifacts
from ledger._errors import ArtifactError, NotFoundError
from ledger._records import ArtifactRef, EpisodeRecord, EpisodeStatus, TurnRecord
from verifier import Grade, Verdict

#: Bytes of artifacts one recording may carry (trees and event logs of every turn): an
#: episode is shipped whole through the object store, so a runaway tree is refused, not sent.
DEFAULT_ARTIFACT_CAP = 256 * 1024 * 1024


@dataclass(frozen=True)
class StartedEpisode:
    """``start_episode``: the provisional id the episode's other writes refer to."""

    provisional_id: str
    record: EpisodeRecord


@dataclass(frozen=True)
class RecordedTurn:
    """``record_turn`` (its ``episode_id`` is provisional)."""

    record: TurnRecord


@dataclass(frozen=True)
class RecordedGrade:
    """``record_grade``."""

    provisional_id: str
    turn: int
    grade: Grade
    grader: str


@dataclass(frozen=True)
class RecordedArtifact:
    """``store_artifact``: the stored file's name and bytes (a directory is its .tar.gz)."""

    provisional_id: str
    kind: str
    turn: int | None
    name: str
    data: bytes
    sha256: str


@dataclass(frozen=True)
class FinishedEpisode:
    """``finish_episode``."""

    provisional_id: str
    status: EpisodeStatus
    final_verdict: Verdict | None


Write = StartedEpisode | RecordedTurn | RecordedGrade | RecordedArtifact | FinishedEpisode


@dataclass
class Recording:
    """Every write of one episode, in the order it was made."""

    run_id: str
    writes: list[Write] = field(default_factory=list)

    @property
    def artifact_bytes(self) -> int:
        """Bytes of artifacts carried."""
        return sum(len(w.data) for w in self.writes if isinstance(w, RecordedArtifact))


class RecordingLedger:
    """The write half of :class:`ledger.Ledger`, recorded instead of written.

    ``scratch`` is a local folder where artifacts are packed before they are read back.
    """

    def __init__(self, run_id: str, scratch: Path, *, cap: int = DEFAULT_ARTIFACT_CAP):
        self.recording = Recording(run_id)
        self._scratch = Path(scratch)
        self._cap = cap
        self._episodes: set[str] = set()

    def start_episode(self, record: EpisodeRecord) -> str:
        """Record a new episode; returns a provisional id (``p1``, ``p2``...)."""
        provisional = f"p{len(self._episodes) + 1}"
        self._episodes.add(provisional)
        self.recording.writes.append(StartedEpisode(provisional, record))
        return provisional

    def record_turn(self, record: TurnRecord) -> int:
        """Record a turn; returns its position in the recording (no ledger row id yet)."""
        self._known(record.episode_id)
        self.recording.writes.append(RecordedTurn(record))
        return len(self.recording.writes)

    def record_grade(
        self, episode_id: str, turn: int, grade: Grade, *, grader: str = "verifier"
    ) -> int:
        """Record a grade of one turn."""
        self._known(episode_id)
        self.recording.writes.append(RecordedGrade(episode_id, turn, grade, grader))
        return len(self.recording.writes)

    def store_artifact(
        self, episode_id: str, src: Path, kind: str, *, turn: int | None = None
    ) -> ArtifactRef:
        """Pack ``src`` as the store would and keep its bytes; ArtifactError past the cap."""
        self._known(episode_id)
        with tempfile.TemporaryDirectory(dir=self._scratch) as tmp:
            packed = _artifacts.copy_in(Path(tmp), episode_id, Path(src), kind, turn)
            size = packed.stat().st_size
            if self.recording.artifact_bytes + size > self._cap:
                raise ArtifactError(
                    f"artifact {kind} of {size} bytes exceeds the recording's cap of "
                    f"{self._cap} bytes"
                )
            data, digest = packed.read_bytes(), _artifacts.sha256_of(packed)
        self.recording.writes.append(
            RecordedArtifact(episode_id, kind, turn, packed.name, data, digest)
        )
        return ArtifactRef(
            episode_id=episode_id, kind=kind, turn=turn, path=packed.name, sha256=digest, size=size
        )

    def finish_episode(
        self,
        episode_id: str,
        status: EpisodeStatus | str,
        final_verdict: Verdict | str | None = None,
    ) -> None:
        """Record the episode's closing status and verdict."""
        self._known(episode_id)
        verdict = Verdict(final_verdict) if final_verdict is not None else None
        self.recording.writes.append(FinishedEpisode(episode_id, EpisodeStatus(status), verdict))

    def _known(self, episode_id: str) -> None:
        if episode_id not in self._episodes:
            raise NotFoundError(f"no episode {episode_id!r} in this recording")
