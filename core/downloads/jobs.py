"""The download queue and history, kept in ``downloads.json`` so they survive a crash or restart."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from core.ids import index_by_prefix
from core.models import ItemId, OptionalTimestamp, Timestamp
from core.storage import DocumentKeeper, VersionedDocument
from providers.link_kinds import LinkKind

DOWNLOADS_FILE = "downloads.json"
HISTORY_LIMIT = 500


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = frozenset({JobState.DONE, JobState.FAILED, JobState.CANCELLED})


class DownloadJob(BaseModel):
    """One episode to download (or hand to the torrent client).

    Attributes:
        auto: queued by a check (counts against ``max_concurrent_auto_downloads``).
        done_bytes/total_bytes: progress as last saved (live progress goes by signal).
        path: the finished file, or the torrent client that took it.
        info_hash: set when a torrent client took it: the job runs until the client has it all.
        error: why it failed, in plain words.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str
    item_id: ItemId
    anime_title: str
    episode: int
    release_name: str
    link: str
    kind: LinkKind
    quality: str = "auto"
    auto: bool = True
    state: JobState = JobState.QUEUED
    done_bytes: int = 0
    total_bytes: int | None = None
    path: str | None = None
    info_hash: str | None = None
    error: str | None = None
    attempts: int = 0
    created_at: Timestamp
    finished_at: OptionalTimestamp = None


class DownloadsFile(VersionedDocument):
    """The layout of ``downloads.json``: pending jobs first, then history (newest last)."""

    schema_version: int = VersionedDocument.SCHEMA_VERSION
    jobs: list[DownloadJob] = []


def new_job_id() -> str:
    return uuid.uuid4().hex


class JobBook(DocumentKeeper[DownloadsFile]):
    """Reads and changes download jobs; every change is a transaction on ``downloads.json``."""

    FILE_NAME = DOWNLOADS_FILE
    DOCUMENT = DownloadsFile

    def jobs(self) -> list[DownloadJob]:
        return list(self._store.read().jobs)

    def get(self, job_id: str) -> DownloadJob | None:
        return next((job for job in self.jobs() if job.id == job_id), None)

    def find(self, ref: str) -> DownloadJob:
        """The one job whose id starts with ``ref``; ``InputError`` otherwise."""
        jobs = self.jobs()
        return jobs[index_by_prefix([job.id for job in jobs], ref, "download", "download",
                                    lambda index: f"{jobs[index].anime_title} {jobs[index].episode}")]

    def add(self, **fields: object) -> DownloadJob:
        job = DownloadJob.model_validate({"id": new_job_id(), "created_at": self._clock(), **fields})
        with self._store.edit() as document:
            document.jobs.append(job)
        return job

    def update(self, job_id: str, **changes: object) -> DownloadJob | None:
        """Apply ``changes`` to a job; a job reaching a final state gets its ``finished_at``."""
        with self._store.edit() as document:
            for index, job in enumerate(document.jobs):
                if job.id == job_id:
                    if changes.get("state") in FINISHED:
                        changes = {"finished_at": self._clock(), **changes}
                    document.jobs[index] = updated = job.model_copy(update=changes)
                    _trim_history(document)
                    return updated
        return None

    def remove(self, job_ids: Iterable[str]) -> None:
        doomed = set(job_ids)
        with self._store.edit() as document:
            document.jobs = [job for job in document.jobs if job.id not in doomed]

    def drop_pending(self, which: Callable[[DownloadJob], bool]) -> list[DownloadJob]:
        """Forget the queued or running jobs ``which`` selects (a removed show's); returns them."""
        with self._store.edit() as document:
            dropped = [job for job in document.jobs if job.state not in FINISHED and which(job)]
            doomed = {job.id for job in dropped}
            document.jobs = [job for job in document.jobs if job.id not in doomed]
        return dropped

    def requeue_interrupted(self) -> list[DownloadJob]:
        """Transfers left running by a crash or a quit go back to the queue (their .part files resume);
        torrents a client has taken stay running. Returns the queue."""
        with self._store.edit() as document:
            document.jobs = [
                job.model_copy(update={"state": JobState.QUEUED}) if job.state is JobState.RUNNING
                and job.info_hash is None else job
                for job in document.jobs
            ]
            return [job for job in document.jobs if job.state is JobState.QUEUED]


def _trim_history(document: DownloadsFile) -> None:
    finished = [job for job in document.jobs if job.state in FINISHED]
    if len(finished) > HISTORY_LIMIT:
        dropped = {job.id for job in finished[: len(finished) - HISTORY_LIMIT]}
        document.jobs = [job for job in document.jobs if job.id not in dropped]
