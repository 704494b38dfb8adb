"""Every user action, once: the application layer the command line, the window and the tray stand on.

``Actions`` works on the data folder's files and knows no threads and no Qt;
each change it saves is announced to its ``ChangeListener``. The command
line calls it directly when no Tsuzuki is running; ``CoreService`` owns one
and adds worker threads and signals on top (the check, transfers, the
scheduler). Calls that block on the network are marked so in their docstring:
the window runs them through the ``TaskRunner``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, ValidationError

from core.changes import ChangeListener
from core.datafolder import DataFolder
from core.errors import InputError, describe_validation_error
from core.models import (
    WatchlistItem,
    WatchlistItemCreate,
    WatchlistItemUpdate,
    WatchlistSettings,
    WatchlistStatistics,
    WatchlistStatus,
)
from core.settings import SettingsStore
from core.storage import Recovery
from core.watchlist import WatchlistManager

if TYPE_CHECKING:  # loaded by the actions that use them, so a command loads only what it needs
    from core.downloads.jobs import DownloadJob, JobBook
    from core.downloads.queue import DownloadQueue
    from core.downloads.torrent_clients import TorrentClientConfig, TorrentClientSettings
    from core.episodes import EpisodeBook, EpisodeRecord
    from core.matching import Decision
    from core.notifications import Notifier
    from core.posters import PosterCache
    from core.relations import EpisodeRelations
    from core.removal import StopRunning
    from core.secrets import SecretStore
    from providers.anilist import AnimeMetadata

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Saved:
    """A show as saved by an add or an update.

    Attributes:
        item: the show now.
        before: the show before an update (None for an add).
        warnings: what the user should know, in plain words (a folder that is not there now).
    """

    item: WatchlistItem
    before: WatchlistItem | None = None
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Explanation:
    """What a check of a show would take from its source now, and why (a dry run)."""

    item: WatchlistItem
    decisions: list[Decision]


def validated(model: type[M], fields: Mapping[str, object]) -> M:
    """``model`` built from ``fields``; a validation failure is bad input (``InputError``)."""
    try:
        return model.model_validate(dict(fields))
    except ValidationError as error:
        raise InputError(describe_validation_error(error)) from error


class Actions:
    """What a user can do with a data folder, on its files; every change is announced to ``listener``."""

    def __init__(
        self,
        folder: DataFolder,
        listener: ChangeListener | None = None,
        on_recovery: Callable[[Recovery], None] | None = None,
    ) -> None:
        self.folder = folder
        self._listener = listener or ChangeListener()
        self._on_recovery = on_recovery
        self.watchlist = WatchlistManager(folder, on_recovery=on_recovery)
        self.settings_store = SettingsStore(folder, on_recovery=on_recovery)

    # The other stores are made on first use: a command that only reads the watchlist loads less.

    @cached_property
    def episodes(self) -> EpisodeBook:
        from core.episodes import EpisodeBook

        return EpisodeBook(self.folder, on_recovery=self._on_recovery, on_change=self._listener.episode_changed)

    @cached_property
    def jobs(self) -> JobBook:
        from core.downloads.jobs import JobBook

        return JobBook(self.folder, on_recovery=self._on_recovery)

    @cached_property
    def queue(self) -> DownloadQueue:
        from core.downloads.queue import DownloadQueue

        return DownloadQueue(self.jobs, self.episodes, self.watchlist, self.settings, self._listener)

    @cached_property
    def secrets(self) -> SecretStore:
        from core.secrets import SecretStore

        return SecretStore(self.folder)

    def keyring_problem(self) -> str | None:
        """Why passwords and tokens cannot be kept now (no keyring, or it refuses); None when they can."""
        from core.secrets import SecretsUnavailable

        try:
            self.secrets.require()
        except SecretsUnavailable as error:
            return str(error)
        return None

    # Shows ---------------------------------------------------------------------------------

    def list_items(self, status: WatchlistStatus | None = None) -> list[WatchlistItem]:
        return self.watchlist.list_items(status)

    def get_item(self, ref: str) -> WatchlistItem:
        """The show whose id starts with ``ref`` (``InputError`` if none or several)."""
        return self.watchlist.get(ref)

    def problems(self, items: list[WatchlistItem]) -> dict[str, list[str]]:
        """Item id -> what is wrong with it now (its source failed, its last download failed)."""
        from core.show_problems import show_problems

        return show_problems(items, self.jobs.jobs())

    def statistics(self) -> WatchlistStatistics:
        return self.watchlist.statistics()

    def add_item(self, fields: Mapping[str, object]) -> Saved:
        """Add a show from its fields (``WatchlistItemCreate``'s names). With an ``anilist_id``,
        AniList fills in the rest (blocks on the network); given values win."""
        from core.metadata import with_anilist

        given = validated(WatchlistItemCreate, fields)  # bad input fails before the network
        item = self.watchlist.create(
            validated(WatchlistItemCreate, with_anilist(None, given.model_dump(exclude_unset=True)))
        )
        self._listener.show_added(item)
        return Saved(item, warnings=_source_warnings(item))

    def update_item(self, ref: str, fields: Mapping[str, object]) -> Saved:
        """Change a show's fields (``WatchlistItemUpdate``'s names); a new ``anilist_id`` fills in
        its details from AniList (blocks on the network)."""
        from core.metadata import with_anilist

        before = self.watchlist.get(ref)
        changes = validated(WatchlistItemUpdate, fields)
        changes = validated(WatchlistItemUpdate, with_anilist(before, changes.changes()))
        item = self.watchlist.update(before.id, changes)
        self._listener.show_changed(item)
        warnings = _source_warnings(item) if "anime_url" in changes.changes() else ()
        return Saved(item, before, warnings)

    def remove_item(self, ref: str, stop_running: StopRunning | None = None) -> WatchlistItem:
        """Remove a show with its queued downloads, their partial files, and its episode states
        (``remove_show``); finished files stay. ``stop_running`` stops its transfers running here."""
        from core.removal import remove_show

        item = remove_show(ref, self.watchlist, self.episodes, self.jobs, self.settings().download_dir,
                           *([stop_running] if stop_running else []))
        self._listener.show_removed(item.id)
        return item

    def pause_item(self, ref: str) -> WatchlistItem:
        item = self.watchlist.pause(ref)
        self._listener.show_changed(item)
        return item

    def resume_item(self, ref: str) -> WatchlistItem:
        item = self.watchlist.resume(ref)
        self._listener.show_changed(item)
        return item

    def episode_timeline(self, ref: str) -> list[EpisodeRecord]:
        """Every episode recorded for a show, in order, with its state and why."""
        item_id = self.watchlist.get(ref).id
        return self.episode_timelines([item_id])[item_id]

    def field_problems(self, fields: Mapping[str, object]) -> dict[str, str]:
        """What is wrong with a show's fields, by field name, in plain words (empty: nothing);
        offline and quick, for marks beside the fields of a form as they are typed."""
        from core.sources import check_source

        try:
            WatchlistItemCreate.model_validate(dict(fields))
        except ValidationError as error:
            return {str(problem["loc"][0]) if problem["loc"] else "": line.split(": ", 1)[-1]
                    for problem, line in zip(error.errors(include_url=False),
                                             describe_validation_error(error).splitlines(), strict=True)}
        try:
            check_source(str(fields["provider_id"]), str(fields["anime_url"]))
        except InputError as error:
            field_name, _, message = str(error).partition(": ")
            return {field_name: message}
        return {}

    def preview(self, fields: Mapping[str, object]) -> Explanation:
        """What the first check of a show with these fields would take, and why, before it is saved
        (blocks on the network; ``InputError`` for fields that are not valid)."""
        from core.matching import decide
        from core.models import new_item_id, utc_now
        from core.sources import check_source, list_source

        given = validated(WatchlistItemCreate, fields)
        now = utc_now()
        item = WatchlistItem.model_validate({
            **given.model_dump(), "anime_url": check_source(given.provider_id, given.anime_url),
            "id": new_item_id(), "created_at": now, "updated_at": now})
        return Explanation(item, decide(item, list_source(item).releases, set(), self.relations(),
                                        self.settings().subtitle_language))

    def episode_timelines(self, item_ids: list[str]) -> dict[str, list[EpisodeRecord]]:
        """The timelines of these shows (by full id) in one go, as ``episode_timeline`` gives each."""
        return {item_id: [record for _, record in sorted(self.episodes.episodes(item_id).items())]
                for item_id in item_ids}

    def explain(self, ref: str) -> Explanation:
        """List the show's source and decide each release as a check would (blocks on the network)."""
        from core.episodes import settled
        from core.matching import decide
        from core.sources import list_source

        item = self.watchlist.get(ref)
        known = settled(self.episodes.episodes(item.id))
        return Explanation(item, decide(item, list_source(item).releases, known, self.relations(),
                                        self.settings().subtitle_language))

    def relations(self) -> EpisodeRelations:
        """The anime-relations table: the shipped one, or the data folder's copy when it is not older."""
        from core.relations import relations_for

        return relations_for(self.folder.path)

    @cached_property
    def _posters(self) -> PosterCache:
        from core.posters import PosterCache

        return PosterCache(self.folder)

    def poster(self, url: str) -> bytes:
        """A show's poster image, from the cache or fetched once (blocks on the network)."""
        return self._posters.get(url)

    def provider_ids(self) -> list[str]:
        """Every source kind a show may use ("directory", "feed", ...), sorted."""
        from providers.registry import provider_ids

        return provider_ids()

    def search_anilist(self, title: str) -> list[AnimeMetadata]:
        """AniList entries matching ``title`` (blocks on the network)."""
        from core.metadata import anilist

        return anilist().search(title)

    # Settings ------------------------------------------------------------------------------

    def settings(self) -> WatchlistSettings:
        return self.settings_store.get()

    def setting(self, key: str) -> tuple[str, object]:
        """One setting's name and its value as JSON would write it (``InputError`` if unknown)."""
        key = self.settings_store.check_key(key)
        return key, self.settings().model_dump(mode="json")[key]

    def update_settings(self, changes: Mapping[str, object]) -> WatchlistSettings:
        """Change settings; values may be typed text ("12", "true")."""
        settings = self.settings_store.set_values(**changes)
        self._listener.settings_changed(settings)
        return settings

    # Downloads, when no instance runs them -------------------------------------------------

    def downloads(self) -> list[DownloadJob]:
        return self.queue.jobs()

    def cancel_download(self, ref: str) -> DownloadJob:
        """Cancel a queued download (or one a quit interrupted); the episode is skipped."""
        from core.downloads.jobs import JobState

        job = self.queue.find(ref)
        if job.state in (JobState.QUEUED, JobState.RUNNING):
            return self.queue.cancel_queued(job) or job
        return job

    def retry_download(self, ref: str) -> DownloadJob:
        """Queue a failed or cancelled download again; it runs when Tsuzuki next runs."""
        return self.queue.retry(ref)

    def remove_download(self, ref: str) -> DownloadJob:
        """Forget a download (an unfinished one is cancelled and its partial files deleted)."""
        job = self.queue.find(ref)
        self.queue.forget(job, self.settings().download_dir)
        return job

    def download_episode(self, ref: str, episode: int) -> DownloadJob:
        """Queue a found episode from the release its record keeps."""
        return self.queue.download_episode(ref, episode)

    # Torrent client ------------------------------------------------------------------------

    @cached_property
    def _torrent_config(self) -> TorrentClientConfig:
        from core.downloads.torrent_clients import TorrentClientConfig  # its libraries load only when used

        return TorrentClientConfig(self.folder)

    def torrent_client(self) -> TorrentClientSettings | None:
        return self._torrent_config.get()

    def set_torrent_client(self, fields: Mapping[str, object], password: Callable[[str], str]) -> TorrentClientSettings:
        """Use this torrent client; ``password(client name)`` is asked only when there is a user name,
        after the keyring is known to be reachable, and the password goes to the keyring."""
        from core.downloads.torrent_clients import PASSWORD_SECRET, TorrentClientSettings

        settings = validated(TorrentClientSettings, fields)
        if settings.username:
            self.secrets.require()  # before asking for a password it could not keep
            self.secrets.set(PASSWORD_SECRET, password(settings.client_name))
        self._torrent_config.set(settings)
        return settings

    def clear_torrent_client(self) -> str | None:
        """Forget the torrent client and its password; returns a warning when the password could not
        be removed from the keyring."""
        from core.downloads.torrent_clients import PASSWORD_SECRET
        from core.secrets import NoKeyring

        previous = self._torrent_config.get()
        self._torrent_config.set(None)
        try:
            self.secrets.delete(PASSWORD_SECRET)
        except NoKeyring:
            if previous is not None and previous.username:
                return ("the client is forgotten, but no keyring is reachable now to remove its password from; "
                        "it stays in the keyring it was saved to")
        return None

    def test_torrent_client(self) -> str:
        """Ask the torrent client for its version (blocks on the network)."""
        from core.downloads.torrent_clients import open_client

        settings = self._torrent_config.get()
        if settings is None:
            raise InputError("no torrent client is set up: use 'tsuzuki torrent-client set' first")
        return open_client(settings, self.secrets).test_connection()

    # Notification channels -----------------------------------------------------------------

    @cached_property
    def notifier(self) -> Notifier:
        """The notification channels (add, remove, test, deliver): Apprise loads on first use."""
        from core.notifications import Notifier

        return Notifier(self.folder, self.secrets, on_recovery=self._on_recovery)


def _source_warnings(item: WatchlistItem) -> tuple[str, ...]:
    from core.sources import missing_folder_warning

    warning = missing_folder_warning(item)
    return (warning,) if warning else ()
