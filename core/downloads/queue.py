"""The download queue's rules, without threads: what each move of a job does to its episode and show.

One table (``EPISODE_STATES``) says which episode state goes with each job
state, and every move goes through ``DownloadQueue.move``, so the job and its
episode never disagree. The download manager runs transfers on top of this;
with no instance running, the command line changes the queue through it too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.changes import ChangeListener
from core.downloads.job_files import discard_partial_files
from core.downloads.jobs import DownloadJob, JobBook, JobState
from core.episodes import EpisodeBook, EpisodeState
from core.errors import InputError
from core.models import WatchlistItem, WatchlistSettings
from core.removal import drop_downloads
from core.watchlist import WatchlistManager
from providers.link_kinds import LinkKind

EPISODE_STATES = {
    JobState.QUEUED: EpisodeState.QUEUED,
    JobState.RUNNING: EpisodeState.DOWNLOADING,
    JobState.DONE: EpisodeState.DONE,
    JobState.FAILED: EpisodeState.FAILED,
    JobState.CANCELLED: EpisodeState.SKIPPED,
}
RETRYABLE = frozenset({JobState.FAILED, JobState.CANCELLED})
CANCELLED_REASON = "cancelled"


class DownloadQueue:
    """Queue, move, retry and forget download jobs, keeping episodes and shows in step."""

    def __init__(
        self,
        jobs: JobBook,
        episodes: EpisodeBook,
        watchlist: WatchlistManager,
        settings: Callable[[], WatchlistSettings],
        listener: ChangeListener,
    ) -> None:
        self._jobs = jobs
        self._episodes = episodes
        self._watchlist = watchlist
        self._settings = settings
        self._listener = listener

    def jobs(self) -> list[DownloadJob]:
        """Every job: pending ones first, then the history (newest last)."""
        return self._jobs.jobs()

    def get(self, job_id: str) -> DownloadJob | None:
        return self._jobs.get(job_id)

    def find(self, ref: str) -> DownloadJob:
        """The job whose id starts with ``ref`` (``InputError`` if none or several)."""
        return self._jobs.find(ref)

    def queued(self) -> list[DownloadJob]:
        return [job for job in self._jobs.jobs() if job.state is JobState.QUEUED]

    def enqueue(
        self, item: WatchlistItem, episode: int, release_name: str, link: str, kind: LinkKind, *, auto: bool
    ) -> DownloadJob:
        """Add a job for an episode already claimed in the episode book."""
        job = self._jobs.add(
            item_id=item.id, anime_title=item.anime_title, episode=episode, release_name=release_name,
            link=link, kind=kind, quality=item.quality_preference.value, auto=auto,
        )
        self._listener.download_changed(job)
        return job

    def download_episode(self, ref: str, episode: int) -> DownloadJob:
        """Queue a recorded episode by hand (one found but not taken, or one that failed or was
        skipped), from the release its record keeps: the source is not listed again."""
        item = self._watchlist.get(ref)
        record = self._episodes.episodes(item.id).get(episode)
        if record is None or not record.link:
            raise InputError(f"{item.anime_title!r} has no release recorded for episode {episode}: check it first")
        if not self._episodes.claim(item.id, episode, record.release_name, record.link,
                                    record.kind or LinkKind.HTTP):
            raise InputError(f"{item.anime_title!r} episode {episode} is already queued, downloading or done")
        return self.enqueue(item, episode, record.release_name, record.link, record.kind or LinkKind.HTTP,
                            auto=False)

    def move(self, job_id: str, state: JobState, *, episode: bool = True, **changes: object) -> DownloadJob | None:
        """Save a job's new state (with ``changes``: path, error, info_hash...) and, unless
        ``episode`` is False, its episode's state from ``EPISODE_STATES``. None: no such job."""
        job = self._jobs.update(job_id, state=state, **changes)
        if job is None:
            return None
        if episode:
            self._episodes.record(job.item_id, job.episode, EPISODE_STATES[state], reason=job.error,
                                  path=job.path if state is JobState.DONE else None)
        self._listener.download_changed(job)
        return job

    def complete(self, job_id: str, where: str) -> DownloadJob | None:
        """A job is done (``where``: its file or the client that has it); its show moves on."""
        job = self.move(job_id, JobState.DONE, path=where, error=None)
        if job is None:
            return None
        item = self._watchlist.note_downloaded(job.item_id, job.episode, self._settings().complete_finished_shows)
        if item is not None:
            self._listener.show_changed(item)
        return job

    def resume_interrupted(self, download_dir: Path) -> list[DownloadJob]:
        """At start: drop the jobs of shows no longer on the watchlist (a removal cut short by a
        crash), and put transfers a crash or quit interrupted back in the queue. Returns the queue."""
        shows = {item.id for item in self._watchlist.list_items()}
        for job in drop_downloads(self._jobs, download_dir, lambda job: job.item_id not in shows):
            self._episodes.forget(job.item_id)
        return self._jobs.requeue_interrupted()

    def announce(self, job: DownloadJob) -> None:
        """Tell the listener of a job's state that could not be saved (a full disk)."""
        self._listener.download_changed(job)

    def cancel_queued(self, job: DownloadJob) -> DownloadJob | None:
        """Cancel a job that is not transferring here: its episode is skipped, its partial file kept."""
        return self.move(job.id, JobState.CANCELLED, error=CANCELLED_REASON)

    def retry(self, ref: str) -> DownloadJob:
        """Queue a failed or cancelled job again (``InputError`` if it is neither, or if another
        release of its episode was queued or downloaded meanwhile). A cancelled torrent the
        client still has is followed again instead of being added to the client twice."""
        job = self.find(ref)
        if job.state not in RETRYABLE:
            raise InputError(f"{_name(job)} is {job.state.value}: only a failed or cancelled download can be retried")
        if not self._episodes.claim(job.item_id, job.episode, job.release_name, job.link, job.kind):
            raise InputError(f"{_name(job)} cannot be retried: that episode is already queued, downloading or done")
        if job.state is JobState.CANCELLED and job.info_hash:  # still in the torrent client: follow it again
            updated = self.move(job.id, JobState.RUNNING, error=None, finished_at=None)
        else:
            updated = self.move(job.id, JobState.QUEUED, episode=False, error=None, finished_at=None, info_hash=None)
        assert updated is not None  # found just above, in this same queue
        return updated

    def forget(self, job: DownloadJob, download_dir: Path) -> None:
        """Take a job out of the queue or history; an unfinished one's partial files go with it."""
        self._jobs.remove([job.id])
        if job.state is not JobState.DONE:
            discard_partial_files(job, download_dir)
        self._listener.download_removed(job.id)


def _name(job: DownloadJob) -> str:
    return f"The download of {job.anime_title!r} episode {job.episode}"
