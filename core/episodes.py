"""Each show's episodes and where they stand: the unit that stops an episode downloading twice.

An episode moves ``found -> queued -> downloading -> done``, or ends ``failed``
or ``skipped`` with a reason. Once queued, downloading or done, no other
release of it is queued, whatever group or version it comes from. States are
kept per show in ``episodes/<item id>.json``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from core.datafolder import DataFolder, make_private_dir
from core.models import ItemId, Timestamp, check_item_id, utc_now
from core.storage import JsonStore, Recovery, VersionedDocument
from providers.link_kinds import LinkKind

EPISODES_FOLDER = "episodes"


class EpisodeState(StrEnum):
    FOUND = "found"
    QUEUED = "queued"
    DOWNLOADING = "downloading"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


CLAIMED = frozenset({EpisodeState.QUEUED, EpisodeState.DOWNLOADING, EpisodeState.DONE})


def settled(records: Mapping[int, EpisodeRecord]) -> set[int]:
    """Episodes a check must not take again: queued, downloading, done or skipped."""
    return {number for number, record in records.items()
            if record.state in CLAIMED or record.state is EpisodeState.SKIPPED}


class EpisodeRecord(BaseModel):
    """One episode of one show.

    Attributes:
        release_name: the release chosen for it.
        link/kind: where that release is and how it downloads, so a found episode can be
            downloaded later without listing the source again (kind None: recorded before
            kinds were kept).
        reason: why it failed or was skipped (None otherwise).
        path: where the file is, once done (or the torrent client, for a hand-off).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    episode: int
    state: EpisodeState
    release_name: str
    link: str
    kind: LinkKind | None = None
    reason: str | None = None
    path: str | None = None
    updated_at: Timestamp


class EpisodeFile(VersionedDocument):
    """The layout of ``episodes/<item id>.json``."""

    schema_version: int = VersionedDocument.SCHEMA_VERSION
    episodes: dict[int, EpisodeRecord] = {}


class EpisodeBook:
    """Reads and moves episode states; every change is a transaction on the show's file."""

    def __init__(
        self,
        folder: DataFolder,
        on_recovery: Callable[[Recovery], None] | None = None,
        clock: Callable[[], datetime] = utc_now,
        on_change: Callable[[ItemId, EpisodeRecord], None] | None = None,
    ) -> None:
        """``on_change(item_id, record)`` hears of every state saved (from the saving thread)."""
        self._folder = folder
        self._on_recovery = on_recovery
        self._clock = clock
        self._on_change = on_change

    def episodes(self, item_id: ItemId) -> dict[int, EpisodeRecord]:
        """Every episode recorded for a show, by number."""
        return dict(self._store(item_id).read().episodes)

    def claim(self, item_id: ItemId, episode: int, release_name: str, link: str, kind: LinkKind) -> bool:
        """Mark an episode queued for this release; False (nothing changed) if it is already claimed."""
        with self._edit(item_id) as document:
            current = document.episodes.get(episode)
            if current is not None and current.state in CLAIMED:
                return False
            document.episodes[episode] = record = EpisodeRecord(
                episode=episode, state=EpisodeState.QUEUED, release_name=release_name, link=link, kind=kind,
                updated_at=self._clock(),
            )
        self._announce(item_id, record)
        return True

    def record(
        self,
        item_id: ItemId,
        episode: int,
        state: EpisodeState,
        *,
        release_name: str | None = None,
        link: str | None = None,
        kind: LinkKind | None = None,
        reason: str | None = None,
        path: str | None = None,
    ) -> EpisodeRecord:
        """Move an episode to ``state``; release details default to what was recorded before."""
        with self._edit(item_id) as document:
            previous = document.episodes.get(episode)
            record = EpisodeRecord(
                episode=episode,
                state=state,
                release_name=release_name or (previous.release_name if previous else ""),
                link=link or (previous.link if previous else ""),
                kind=kind or (previous.kind if previous else None),
                reason=reason,
                path=path,
                updated_at=self._clock(),
            )
            document.episodes[episode] = record
        self._announce(item_id, record)
        return record

    def forget(self, item_id: ItemId) -> None:
        """Drop a removed show's episode file."""
        with self._folder.lock():
            self._store(item_id).path.unlink(missing_ok=True)

    def _announce(self, item_id: ItemId, record: EpisodeRecord) -> None:
        if self._on_change is not None:
            self._on_change(item_id, record)

    def _store(self, item_id: ItemId) -> JsonStore[EpisodeFile]:
        name = f"{EPISODES_FOLDER}/{check_item_id(item_id)}.json"
        return JsonStore(self._folder, name, EpisodeFile, EpisodeFile, self._on_recovery)

    def _edit(self, item_id: ItemId) -> AbstractContextManager[EpisodeFile]:
        make_private_dir(self._folder.path / EPISODES_FOLDER)
        return self._store(item_id).edit()
