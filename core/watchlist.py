"""The watchlist: the shows a user follows, kept in ``watchlist.json``."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import ClassVar
from urllib.parse import urlsplit, urlunsplit

from pydantic import ValidationError

from core.errors import InputError, describe_validation_error
from core.ids import index_by_prefix
from core.models import (
    WatchlistItem,
    WatchlistItemCreate,
    WatchlistItemUpdate,
    WatchlistSettings,
    WatchlistStatistics,
    WatchlistStatus,
    new_item_id,
)
from core.storage import DocumentKeeper, VersionedDocument
from core.titles import normalise_title

log = logging.getLogger(__name__)

WATCHLIST_FILE = "watchlist.json"


class WatchlistFile(VersionedDocument):
    """The layout of ``watchlist.json``.

    Version 2 added the matching fields (aliases, groups, episode offset, AniList id);
    version 1 files read as they are, with those fields at their defaults.
    """

    SCHEMA_VERSION: ClassVar[int] = 2
    schema_version: int = SCHEMA_VERSION
    items: list[WatchlistItem] = []

    def repair(self) -> list[str]:
        """Shows sharing an id (pasted by hand): a copy of the same show is removed, another
        show gets a fresh id, so both stay on the watchlist and each can be checked or removed."""
        fixes: list[str] = []
        first: dict[str, tuple[int, WatchlistItem]] = {}
        kept: list[WatchlistItem] = []
        for number, item in enumerate(self.items, start=1):
            if item.id not in first:
                first[item.id] = (number, item)
                kept.append(item)
                continue
            original_number, original = first[item.id]
            where = f"items #{number} {item.anime_title!r} had the id of #{original_number}"
            if show_key(item) == show_key(original):
                fixes.append(f"{where} and was a copy of it: removed")
                continue
            item = item.model_copy(update={"id": new_item_id()})
            first[item.id] = (number, item)
            kept.append(item)
            fixes.append(f"{where} {original.anime_title!r}: it now has the id {item.id}")
        self.items = kept
        return fixes


def show_key(item: WatchlistItem | WatchlistItemCreate) -> tuple[str, str, str]:
    """What makes two shows the same: their source (scheme and host case-folded, no
    trailing slash), language and title. A feed carrying many shows serves each of them."""
    parts = urlsplit(item.anime_url)
    url = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))
    return url, item.lang, normalise_title(item.anime_title)


def due_at(item: WatchlistItem, settings: WatchlistSettings, hour_seconds: float = 3600) -> datetime | None:
    """When ``item``'s source is next due for a check; None when it is never checked.

    Paused and archived shows are never due; completed ones only when the
    settings include them. A show never checked is due at once (``datetime.min``).
    ``hour_seconds`` is the length of an interval hour (tests shorten it, as for the scheduler).
    """
    if item.status in (WatchlistStatus.PAUSED, WatchlistStatus.ARCHIVED):
        return None
    if item.status is WatchlistStatus.COMPLETED and not settings.include_completed_anime:
        return None
    if item.last_checked_at is None:
        return datetime.min.replace(tzinfo=UTC)
    return item.last_checked_at + timedelta(seconds=settings.check_interval_hours * hour_seconds)


def is_due(item: WatchlistItem, settings: WatchlistSettings, now: datetime, hour_seconds: float = 3600) -> bool:
    """Whether ``item``'s source should be checked at ``now`` (see ``due_at``)."""
    when = due_at(item, settings, hour_seconds)
    return when is not None and when <= now


class WatchlistManager(DocumentKeeper[WatchlistFile]):
    """Create, read, update and delete shows; pause, resume, count, and find what is due.

    Every change is a transaction on ``watchlist.json`` (see ``JsonStore.edit``):
    it starts from the file as it is on disk, so this manager never undoes a
    change made meanwhile by another process. Items are referred to by id or
    by any unique prefix of it.
    """

    FILE_NAME = WATCHLIST_FILE
    DOCUMENT = WatchlistFile

    def list_items(self, status: WatchlistStatus | None = None) -> list[WatchlistItem]:
        """All shows in the order they were added, optionally only those with ``status``."""
        items = self._store.read().items
        return [item for item in items if status is None or item.status is status]

    def get(self, ref: str) -> WatchlistItem:
        """The show whose id is, or starts with, ``ref``."""
        return self.get_many([ref])[0]

    def get_many(self, refs: Sequence[str]) -> list[WatchlistItem]:
        """The show of each ref (see ``get``), from one read of the file."""
        items = self._store.read().items
        return [items[_find(items, ref)] for ref in refs]

    def create(self, data: WatchlistItemCreate) -> WatchlistItem:
        """Add a show; refuses a second show with the same source and language."""
        now = self._clock()
        from core.sources import check_source  # the providers load for the commands that save a source

        fields = {**data.model_dump(), "anime_url": check_source(data.provider_id, data.anime_url)}
        with self._store.edit() as document:
            item = WatchlistItem(**fields, id=new_item_id(), created_at=now, updated_at=now)
            _refuse_duplicate(document.items, item)
            document.items.append(item)
        log.info("added %r (%s) from %s", item.anime_title, item.id, item.anime_url)
        return item

    def update(self, ref: str, changes: WatchlistItemUpdate) -> WatchlistItem:
        """Apply the fields set in ``changes`` to a show."""
        return self._replace(ref, changes.changes())

    def delete(self, ref: str) -> WatchlistItem:
        """Remove a show; returns it as it was."""
        with self._store.edit() as document:
            item = document.items.pop(_find(document.items, ref))
        log.info("removed %r (%s)", item.anime_title, item.id)
        return item

    def pause(self, ref: str) -> WatchlistItem:
        """Stop checking a show until it is resumed."""
        return self._replace(ref, {"status": WatchlistStatus.PAUSED})

    def resume(self, ref: str) -> WatchlistItem:
        """Make a paused (or completed, or archived) show active again."""
        return self._replace(ref, {"status": WatchlistStatus.ACTIVE})

    def record_checks(self, outcomes: Mapping[str, str | None]) -> list[WatchlistItem]:
        """Record that shows were checked now, in one save: item id -> why it failed (None: it worked).

        Shows removed meanwhile are skipped. Returns every show as saved.
        """
        now = self._clock()
        with self._store.edit() as document:
            document.items = [
                item.model_copy(update={"last_checked_at": now, "last_error": outcomes[item.id]})
                if item.id in outcomes else item
                for item in document.items
            ]
        return list(document.items)

    def note_downloaded(self, ref: str, episode: int, complete_when_last: bool = True) -> WatchlistItem | None:
        """Raise ``last_episode_downloaded`` to ``episode``; a show whose last episode (its
        ``episode_count``) is now downloaded becomes completed when ``complete_when_last``.

        Returns the show, or None when it was removed meanwhile.
        """
        try:
            item = self.get(ref)
        except InputError:
            return None
        changes: dict[str, object] = {"last_episode_downloaded": max(item.last_episode_downloaded, episode)}
        if complete_when_last and item.episode_count is not None and episode >= item.episode_count:
            changes["status"] = WatchlistStatus.COMPLETED
        return self._replace(item.id, changes)

    def statistics(self) -> WatchlistStatistics:
        """Counts by status, by provider, and of shows that download by themselves."""
        items = self._store.read().items
        by_status = Counter(item.status for item in items)
        return WatchlistStatistics(
            total=len(items),
            active=by_status[WatchlistStatus.ACTIVE],
            paused=by_status[WatchlistStatus.PAUSED],
            completed=by_status[WatchlistStatus.COMPLETED],
            archived=by_status[WatchlistStatus.ARCHIVED],
            auto_download_enabled=sum(item.auto_download for item in items),
            by_provider=dict(sorted(Counter(item.provider_id for item in items).items())),
        )

    def due_for_check(self, settings: WatchlistSettings, hour_seconds: float = 3600) -> list[WatchlistItem]:
        """The shows whose source is due for a check now (see ``is_due``)."""
        now = self._clock()
        return [item for item in self._store.read().items if is_due(item, settings, now, hour_seconds)]

    def next_due_at(self, settings: WatchlistSettings, hour_seconds: float = 3600) -> datetime | None:
        """When the first show becomes due for a check; None when no show is ever checked."""
        return min(filter(None, (due_at(item, settings, hour_seconds) for item in self._store.read().items)),
                   default=None)

    def _replace(self, ref: str, changes: dict[str, object]) -> WatchlistItem:
        with self._store.edit() as document:
            index = _find(document.items, ref)
            current = document.items[index]
            fields = {**current.model_dump(), **changes, "updated_at": self._clock()}
            if "anime_url" in changes or "provider_id" in changes:
                from core.sources import check_source

                fields["anime_url"] = check_source(fields["provider_id"], fields["anime_url"])
            try:
                updated = WatchlistItem.model_validate(fields)
            except ValidationError as error:
                raise InputError(describe_validation_error(error)) from error
            if show_key(updated) != show_key(current):
                _refuse_duplicate(document.items[:index] + document.items[index + 1 :], updated)
            document.items[index] = updated
        log.info("changed %r (%s): %s", updated.anime_title, updated.id, ", ".join(changes))
        return updated


def _find(items: list[WatchlistItem], ref: str) -> int:
    """The index of the one item whose id starts with ``ref``; ``InputError`` otherwise."""
    return index_by_prefix([item.id for item in items], ref, "watchlist", "show on the watchlist",
                           lambda index: repr(items[index].anime_title))


def _refuse_duplicate(items: list[WatchlistItem], new: WatchlistItem) -> None:
    key = show_key(new)
    for item in items:
        if show_key(item) == key:
            raise InputError(
                f"{item.anime_title!r} (id {item.id[:8]}) already follows {new.anime_url} "
                f"in language {new.lang!r}; edit that show instead of adding it twice"
            )
