"""The watchlist table, its filter and search: one row per show, fed only by CoreService signals."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from core.airing import Airing
from core.downloads.jobs import DownloadJob
from core.episodes import EpisodeRecord, EpisodeState
from core.errors import TsuzukiError
from core.models import WatchlistItem, WatchlistSettings, WatchlistStatus, utc_now
from core.show_problems import show_problems
from core.watchlist import due_at
from gui.appearance import placeholder_colour
from gui.models.formatting import short_source, shown_time, time_key
from gui.models.progress import EpisodeProgress
from gui.models.rows import PROGRESS_ROLE, SORT_ROLE, KeyedTableModel

if TYPE_CHECKING:
    from core.service import CoreService

log = logging.getLogger(__name__)
Role = Qt.ItemDataRole
COUNTS_REPAINT_MS = 100  # episode counts repaint at most this often
AIRING_REPAINT_MS = 60_000  # the next airings count down by the minute
WEEK_SECONDS = 7 * 24 * 3600


class WatchlistColumn(IntEnum):
    POSTER = 0
    TITLE = 1
    STATUS = 2
    SOURCE = 3
    LANGUAGE = 4
    QUALITY = 5
    PROGRESS = 6
    NEXT_CHECK = 7
    LAST_CHECK = 8
    PROBLEM = 9
    NEXT_AIRING = 10  # last, so saved header layouts keep their meaning


@dataclass(frozen=True)
class _Shows:
    """What the first load reads in the background: every show and download, and their problems."""

    items: list[WatchlistItem]
    jobs: dict[str, DownloadJob]
    problems: dict[str, list[str]]
    search_keys: dict[str, tuple[WatchlistItem, str]]


class WatchlistModel(KeyedTableModel[WatchlistItem, WatchlistColumn]):
    """Every show on the watchlist. ``set_poster`` hands it a show's poster once loaded.

    Its rows are read in a worker thread, so the model starts empty: the shows come first (one
    file), then their episode counts (a file per show: seconds for 10,000 shows).

    Signals:
        loaded(): the rows and their episode counts are in.
        failed(str): they could not be read, in plain words.
    """

    loaded = Signal()
    failed = Signal(str)

    def __init__(self, service: CoreService, parent: QObject | None = None) -> None:
        super().__init__(WatchlistColumn, lambda item: item.id, parent)
        self._service = service
        self._settings = service.settings()
        self._replay: list[partial[object]] | None = None  # changes seen while loading
        self._search_keys: dict[str, tuple[WatchlistItem, str]] = {}  # casefolded titles, by id
        self._keys: list[str] = []  # those of each row
        self._keys_for = -1  # the generation of the rows they are for
        self._problems: dict[str, list[str]] = {}
        self._jobs: dict[str, DownloadJob] = {}  # every download, so problems are found without reading a file
        self._episodes: dict[str, dict[int, EpisodeState]] = {}
        self._posters: dict[str, QPixmap] = {}
        self._counted: set[str] = set()  # shows whose episode counts changed since the last repaint
        # a check announces hundreds of episodes: repaint them at once
        self._repaint_counts = QTimer(self, singleShot=True, interval=COUNTS_REPAINT_MS)
        self._repaint_counts.timeout.connect(self._repaint_counted)
        self._airing: dict[int, Airing] = service.airing()
        self._airing_clock = QTimer(self, interval=AIRING_REPAINT_MS)  # runs once some airing is known
        self._airing_clock.timeout.connect(self._repaint_airing)
        service.item_added.connect(self._on_item)
        service.item_changed.connect(self._on_item)
        service.items_changed.connect(self._on_items)
        service.item_removed.connect(self._on_removed)
        service.episode_changed.connect(self._on_episode)
        service.download_changed.connect(self._on_download)
        service.download_removed.connect(self._on_download_removed)
        service.settings_changed.connect(self._on_settings)
        service.airing_changed.connect(self._on_airing)
        self.load()

    def load(self) -> None:
        """Read every show, its problems and its episode counts afresh, in the background.

        Changes announced meanwhile show at once, and are applied again over what was read."""
        self._replay = []
        self._service.background(self._read_shows, self._shows_read, self._load_failed, name="watchlist-load")

    def is_loaded(self) -> bool:
        return self._replay is None

    def _read_shows(self) -> _Shows:
        """In the worker thread: the shows and downloads, their problems and search keys."""
        items = self._service.list_items()
        jobs = {job.id: job for job in self._service.downloads()}
        return _Shows(items, jobs, show_problems(items, jobs.values()), {
            item.id: (item, search_key(item)) for item in items})

    def _read_counts(self, item_ids: list[str]) -> dict[str, dict[int, EpisodeState]]:
        """In the worker thread: each show's episode states (one file at a time: only states are kept)."""
        timeline = self._service.episode_timelines
        return {item_id: {record.episode: record.state for record in timeline([item_id])[item_id]}
                for item_id in item_ids}

    def _shows_read(self, shows: _Shows) -> None:
        self._jobs, self._problems = shows.jobs, shows.problems
        self._search_keys.update(shows.search_keys)
        self._episodes = {item.id: {} for item in shows.items}
        self.reset(shows.items)
        replay, self._replay = self._replay or [], None  # replaying records nothing
        for change in replay:
            change()
        self._replay = [change for change in replay if change.func == self._on_episode]  # for the counts
        item_ids = [item.id for item in shows.items]
        if self._service.background(lambda: self._read_counts(item_ids), self._counts_read, self._load_failed,
                                    name="watchlist-counts") is None:  # shutting down
            self._replay = None

    def _counts_read(self, counts: dict[str, dict[int, EpisodeState]]) -> None:
        replay, self._replay = self._replay or [], None
        for item_id, states in counts.items():
            if item_id in self._episodes:  # not removed meanwhile
                self._episodes[item_id] = states
        for change in replay:
            if change.func == self._on_episode:  # an episode moved while its file was read
                change()
        self.repaint_column(WatchlistColumn.PROGRESS)
        self.loaded.emit()

    def _load_failed(self, error: BaseException) -> None:
        self._replay = None
        log.error("reading the watchlist failed", exc_info=error)
        reason = str(error) if isinstance(error, TsuzukiError) else repr(error)
        self.failed.emit(self.tr("The watchlist could not be read: %1").replace("%1", reason))

    def _remember(self, handler: Callable[..., object], *args: Any) -> None:
        """Keep a change seen while loading, to apply it again over what the load read."""
        if self._replay is not None:
            self._replay.append(partial(handler, *args))

    def matches(self, row: int, text: str) -> bool:
        """Whether the show in ``row`` has ``text`` (casefolded, one line) in its title or an alias."""
        return text in self._search_key(self._rows[row])

    def search_keys(self) -> list[str]:
        """Each row's title and aliases, casefolded, one per line (worked out again after a change)."""
        if self._keys_for != self.generation:
            self._keys = [self._search_key(item) for item in self._rows]
            self._keys_for = self.generation
        return self._keys

    def _search_key(self, item: WatchlistItem) -> str:
        known = self._search_keys.get(item.id)
        if known is None or known[0] is not item:  # new, or changed since
            known = self._search_keys[item.id] = (item, search_key(item))
        return known[1]

    def status_at(self, row: int) -> WatchlistStatus:
        return self._rows[row].status

    def set_poster(self, item_id: str, poster: QPixmap) -> None:
        if self.row_object(item_id) is None:  # removed while its poster loaded
            return
        self._posters[item_id] = poster
        self.repaint(item_id, WatchlistColumn.POSTER)

    def status_words(self) -> dict[WatchlistStatus, str]:
        return {WatchlistStatus.ACTIVE: self.tr("Active"), WatchlistStatus.PAUSED: self.tr("Paused"),
                WatchlistStatus.COMPLETED: self.tr("Completed"), WatchlistStatus.ARCHIVED: self.tr("Archived")}

    def titles(self) -> dict[WatchlistColumn, str]:
        column = WatchlistColumn
        return {column.POSTER: "", column.TITLE: self.tr("Title"), column.STATUS: self.tr("Status"),
                column.SOURCE: self.tr("Source"), column.LANGUAGE: self.tr("Language"),
                column.QUALITY: self.tr("Quality"), column.PROGRESS: self.tr("Episodes"),
                column.NEXT_CHECK: self.tr("Next check"), column.LAST_CHECK: self.tr("Last check"),
                column.PROBLEM: self.tr("Problem"), column.NEXT_AIRING: self.tr("Next airing")}

    def progress(self, item: WatchlistItem) -> EpisodeProgress:
        states = self._episodes.get(item.id, {})
        downloaded = sum(state is EpisodeState.DONE for state in states.values())
        airing = self._airing_of(item)
        aired = None if airing is None else airing.aired(utc_now())
        return EpisodeProgress(downloaded, len(states), item.episode_count, aired)

    def _airing_of(self, item: WatchlistItem) -> Airing | None:
        return None if item.anilist_id is None else self._airing.get(item.anilist_id)

    def _upcoming(self, item: WatchlistItem) -> tuple[int, datetime] | None:
        airing = self._airing_of(item)
        return None if airing is None else airing.upcoming(utc_now())

    def cell(self, item: WatchlistItem, column: WatchlistColumn, role: int) -> object:
        if role == Role.DisplayRole:
            return self._text(item, column)
        if role == SORT_ROLE:
            return self._sort_key(item, column)
        if role == Role.ToolTipRole:
            return self._tooltip(item, column)
        if role == Role.DecorationRole:
            return self._decoration(item, column)
        if role == PROGRESS_ROLE and column is WatchlistColumn.PROGRESS:
            return self.progress(item)
        return None

    def _text(self, item: WatchlistItem, column: WatchlistColumn) -> str | None:
        match column:
            case WatchlistColumn.TITLE:
                return item.anime_title
            case WatchlistColumn.STATUS:
                return self.status_words()[item.status]
            case WatchlistColumn.SOURCE:
                return f"{item.provider_id} · {short_source(item.anime_url)}"
            case WatchlistColumn.LANGUAGE:
                return item.lang
            case WatchlistColumn.QUALITY:
                return item.quality_preference.value
            case WatchlistColumn.PROGRESS:
                return self.progress(item).text()
            case WatchlistColumn.NEXT_CHECK:
                when = due_at(item, self._settings)
                if when is None:
                    return self.tr("not checked")
                return self.tr("due now") if item.last_checked_at is None else shown_time(when)
            case WatchlistColumn.LAST_CHECK:
                return self.tr("never") if item.last_checked_at is None else shown_time(item.last_checked_at)
            case WatchlistColumn.NEXT_AIRING:
                upcoming = self._upcoming(item)
                if upcoming is None:
                    return None
                return self.tr("Ep %1 · %2").replace("%1", str(upcoming[0])).replace("%2", self._airs(upcoming[1]))
        return None

    def _airs(self, when: datetime) -> str:
        """Within a week, the day and time ("Fri 14:30"), else the date and time."""
        if (when - utc_now()).total_seconds() >= WEEK_SECONDS:
            return shown_time(when)
        moment, locale = QDateTime.fromMSecsSinceEpoch(round(when.timestamp() * 1000)), QLocale()
        return f"{locale.toString(moment, 'ddd')} {locale.toString(moment.time(), QLocale.FormatType.ShortFormat)}"

    def _countdown(self, when: datetime) -> str:
        """How long until ``when``: "2 d 3 h", "5 h 20 min", "12 min"."""
        minutes = max(0, int((when - utc_now()).total_seconds()) // 60)
        hours, days = minutes // 60, minutes // (24 * 60)
        if days:
            return self.tr("%1 d %2 h").replace("%1", str(days)).replace("%2", str(hours % 24))
        if hours:
            return self.tr("%1 h %2 min").replace("%1", str(hours)).replace("%2", str(minutes % 60))
        return self.tr("%1 min").replace("%1", str(minutes))

    def _sort_key(self, item: WatchlistItem, column: WatchlistColumn) -> object:
        match column:
            case WatchlistColumn.STATUS:
                return list(WatchlistStatus).index(item.status)
            case WatchlistColumn.PROGRESS:
                progress = self.progress(item)
                return progress.downloaded * 100_000 + progress.found
            case WatchlistColumn.NEXT_CHECK:
                when = due_at(item, self._settings)
                return float("inf") if when is None else time_key(when)
            case WatchlistColumn.LAST_CHECK:
                return time_key(item.last_checked_at)
            case WatchlistColumn.PROBLEM:
                return len(self._problems.get(item.id, []))
            case WatchlistColumn.NEXT_AIRING:
                upcoming = self._upcoming(item)
                return float("inf") if upcoming is None else time_key(upcoming[1])
        return (self._text(item, column) or item.anime_title).casefold()

    def _tooltip(self, item: WatchlistItem, column: WatchlistColumn) -> str | None:
        if column is WatchlistColumn.PROBLEM:
            return "\n".join(self._problems.get(item.id, [])) or None
        if column is WatchlistColumn.SOURCE:
            return item.anime_url
        if column is WatchlistColumn.PROGRESS:
            progress = self.progress(item)
            total = self.tr("unknown") if progress.total is None else str(progress.total)
            if progress.aired is not None:
                return self.tr("%1 downloaded, %2 found, %3 of %4 aired").replace(
                    "%1", str(progress.downloaded)).replace("%2", str(progress.found)).replace(
                    "%3", str(progress.aired)).replace("%4", total)
            return self.tr("%1 downloaded, %2 found, of %3").replace("%1", str(progress.downloaded)).replace(
                "%2", str(progress.found)).replace("%3", total)
        if column is WatchlistColumn.NEXT_AIRING and (upcoming := self._upcoming(item)) is not None:
            return self.tr("Episode %1 airs in %2 (%3)").replace("%1", str(upcoming[0])).replace(
                "%2", self._countdown(upcoming[1])).replace("%3", shown_time(upcoming[1]))
        return None

    def _decoration(self, item: WatchlistItem, column: WatchlistColumn) -> QIcon | QPixmap | QColor | None:
        if column is WatchlistColumn.PROBLEM and item.id in self._problems:
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if column is WatchlistColumn.POSTER:  # a colour of its own until the poster arrives
            poster = self._posters.get(item.id)
            return placeholder_colour(item.id, QApplication.palette()) if poster is None else poster
        return None

    def _on_item(self, item: WatchlistItem) -> None:
        self._on_items([item])

    def _on_items(self, items: list[WatchlistItem]) -> None:
        self._remember(self._on_items, items)
        for item in items:
            self._episodes.setdefault(item.id, {})
            self._find_problems(item)
        self.put_many(items)

    def _on_removed(self, item_id: str) -> None:
        self._remember(self._on_removed, item_id)
        self._search_keys.pop(item_id, None)
        self._problems.pop(item_id, None)
        self._jobs = {job_id: job for job_id, job in self._jobs.items() if job.item_id != item_id}
        self._episodes.pop(item_id, None)
        self._posters.pop(item_id, None)
        self.drop(item_id)

    def _on_episode(self, item_id: str, record: EpisodeRecord) -> None:
        self._remember(self._on_episode, item_id, record)
        states = self._episodes.get(item_id)
        if states is not None:
            states[record.episode] = record.state
            self._counted.add(item_id)
            if not self._repaint_counts.isActive():
                self._repaint_counts.start()

    def _repaint_counted(self) -> None:
        for item_id in self._counted:
            self.repaint(item_id, WatchlistColumn.PROGRESS)
        self._counted.clear()

    def _on_download(self, job: DownloadJob) -> None:
        self._remember(self._on_download, job)
        self._jobs[job.id] = job
        self._refresh_problems(job.item_id)

    def _on_download_removed(self, job_id: str) -> None:
        self._remember(self._on_download_removed, job_id)
        job = self._jobs.pop(job_id, None)
        if job is not None:
            self._refresh_problems(job.item_id)

    def _refresh_problems(self, item_id: str) -> None:
        item = self.row_object(item_id)
        if item is not None and self._find_problems(item):
            self.repaint(item_id, WatchlistColumn.PROBLEM)

    def _find_problems(self, item: WatchlistItem) -> bool:
        """Work out the show's problems again (as ``CoreService.problems`` does); True if they changed."""
        found = show_problems([item], (job for job in self._jobs.values() if job.item_id == item.id)).get(item.id)
        if found == self._problems.get(item.id):
            return False
        self._problems.pop(item.id, None)
        if found:
            self._problems[item.id] = found
        return True

    def _on_airing(self, changed: dict[int, Airing]) -> None:
        self._airing.update(changed)
        for item in self._rows:
            if item.anilist_id in changed:
                self.repaint(item.id, WatchlistColumn.PROGRESS, WatchlistColumn.NEXT_AIRING)
        if not self._airing_clock.isActive():
            self._airing_clock.start()

    def _repaint_airing(self) -> None:
        """A minute passed: the countdowns moved, and an episode may have aired."""
        self.repaint_column(WatchlistColumn.NEXT_AIRING)
        self.repaint_column(WatchlistColumn.PROGRESS)

    def _on_settings(self, settings: WatchlistSettings) -> None:
        self._settings = settings
        self.repaint_column(WatchlistColumn.NEXT_CHECK)


def search_key(item: WatchlistItem) -> str:
    """A show's title and aliases, casefolded, one per line: what a search looks in."""
    return "\n".join((item.anime_title, *item.title_aliases)).casefold()


class WatchlistFilter(QSortFilterProxyModel):
    """The watchlist as the window shows it: searched by title or alias, and of one status (or all).

    Sorting is passed on to the watchlist model, which keeps its rows in order: this proxy
    only filters (in source order, so a row let back in costs no comparison)."""

    def __init__(self, model: WatchlistModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._text = ""
        self._status: WatchlistStatus | None = None
        self._accepted: list[bool] = []  # whether each row of the model passes, worked out at once
        self._decided_for = -1  # the model's generation that _accepted is for
        self.setSourceModel(model)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._model.sort(column, order)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = " ".join(text.strip().casefold().splitlines())  # a line never spans two titles
        self._decide()
        self.endFilterChange()

    def set_status(self, status: WatchlistStatus | None) -> None:
        self.beginFilterChange()
        self._status = status
        self._decide()
        self.endFilterChange()

    def counts(self) -> Counter[WatchlistStatus]:
        """Shows per status among those the search matches (for the status filter's labels)."""
        text = self._text
        return Counter(item.status for item, key in zip(self._model.objects(), self._model.search_keys()) if text in key)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        """Called from C++ for every row on every keystroke: a look-up in what ``_decide`` worked out
        for all rows at once, while the rows stay as they were then (10,000 rows in a few ms)."""
        if self._decided_for == self._model.generation:
            return self._accepted[source_row]
        return self._accepts(source_row)

    def _decide(self) -> None:
        model, text, status = self._model, self._text, self._status
        keys = model.search_keys()
        if status is None:
            self._accepted = [text in key for key in keys]
        else:
            self._accepted = [text in key and model.status_at(row) is status for row, key in enumerate(keys)]
        self._decided_for = model.generation

    def _accepts(self, row: int) -> bool:
        model = self._model
        return ((self._status is None or model.status_at(row) is self._status)
                and (not self._text or model.matches(row, self._text)))
