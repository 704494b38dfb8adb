"""When each AniList-linked show airs next, kept in ``airing.json`` and refreshed from AniList.

An entry is fetched again once it is ``REFRESH_AFTER`` old, never sooner, so a check or a
start-up asks AniList only about the few shows whose entries are due. A failure (offline,
rate limit) is logged and ends the round: what was known is kept, and retried next round.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from core.storage import DocumentKeeper, VersionedDocument

if TYPE_CHECKING:
    from providers.anilist import AniListClient

log = logging.getLogger(__name__)

AIRING_FILE = "airing.json"
REFRESH_AFTER = timedelta(hours=6)


class Airing(BaseModel):
    """What AniList said of one show's airing, and when it said it.

    Attributes:
        status: AniList's word ("RELEASING", "FINISHED", ...), or None.
        episodes: the season's episode count, when known.
        next_episode: the next episode to air, at ``next_at`` (UTC); None when none is announced.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    status: str | None = None
    episodes: int | None = None
    next_episode: int | None = None
    next_at: datetime | None = None
    fetched_at: datetime

    def upcoming(self, now: datetime) -> tuple[int, datetime] | None:
        """The next episode and its time, unless that time has passed (then it aired: see ``aired``)."""
        if self.next_episode is None or self.next_at is None or self.next_at <= now:
            return None
        return self.next_episode, self.next_at

    def aired(self, now: datetime) -> int | None:
        """How many episodes have aired by ``now`` (None: unknown)."""
        if self.next_episode is not None:
            passed = self.next_at is not None and self.next_at <= now  # an entry older than that episode
            return self.next_episode if passed else self.next_episode - 1
        return self.episodes if self.status == "FINISHED" else None


class AiringFile(VersionedDocument):
    schema_version: int = VersionedDocument.SCHEMA_VERSION
    shows: dict[int, Airing] = {}


class AiringBook(DocumentKeeper[AiringFile]):
    """Every linked show's airing, by AniList id (shows sharing an entry share it)."""

    FILE_NAME = AIRING_FILE
    DOCUMENT = AiringFile

    def known(self) -> dict[int, Airing]:
        return dict(self._store.read().shows)

    def due(self, anilist_ids: Iterable[int | None]) -> list[int]:
        """Those of these AniList ids (None: a show not linked) whose entry is missing or ``REFRESH_AFTER`` old."""
        known, now = self.known(), self._clock()
        ids = {anilist_id for anilist_id in anilist_ids if anilist_id is not None}
        return sorted(i for i in ids if i not in known or known[i].fetched_at + REFRESH_AFTER <= now)

    def refresh(self, anilist_ids: Iterable[int | None], client: AniListClient) -> dict[int, Airing]:
        """Fetch the due entries of these shows (blocks on AniList); those fetched, saved.

        Stops at the first failure, keeping what was known of the rest."""
        from providers.anilist import AniListError

        fetched: dict[int, Airing] = {}
        for anilist_id in self.due(anilist_ids):
            try:
                meta = client.get(anilist_id)
            except AniListError as error:
                log.warning("could not refresh the airing times from AniList: %s", error)
                break
            fetched[anilist_id] = Airing(status=meta.status, episodes=meta.episodes,
                                         next_episode=meta.next_airing_episode, next_at=meta.next_airing_at,
                                         fetched_at=self._clock())
        if fetched:
            with self._store.edit() as document:
                document.shows.update(fetched)
        return fetched
