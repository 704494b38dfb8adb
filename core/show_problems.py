"""What is wrong with a show right now: its source failed at the last check, or its last download failed."""

from __future__ import annotations

from collections.abc import Iterable

from core.downloads.jobs import DownloadJob, JobState
from core.models import WatchlistItem


def show_problems(items: Iterable[WatchlistItem], jobs: Iterable[DownloadJob]) -> dict[str, list[str]]:
    """Item id -> its problems in plain words; shows without a problem are left out.

    Only the latest finished download of a show counts: a failure since made good
    by a later successful download is no longer a problem.
    """
    latest: dict[str, DownloadJob] = {}
    for job in jobs:
        if job.state in (JobState.DONE, JobState.FAILED) and job.finished_at is not None:
            known = latest.get(job.item_id)
            if known is None or known.finished_at is None or job.finished_at >= known.finished_at:
                latest[job.item_id] = job
    problems: dict[str, list[str]] = {}
    for item in items:
        found = [f"source failed: {item.last_error}"] if item.last_error else []
        last = latest.get(item.id)
        if last is not None and last.state is JobState.FAILED:
            found.append(f"episode {last.episode} failed to download: {last.error or 'no reason was recorded'}")
        if found:
            problems[item.id] = found
    return problems
