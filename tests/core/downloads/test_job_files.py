"""What an unfinished job leaves on disk, and deleting it: partial files go, finished files stay."""

from __future__ import annotations

from pathlib import Path

from core.downloads.job_files import discard_partial_files
from core.downloads.jobs import DownloadJob
from core.models import utc_now
from providers.base import LinkKind


def job(kind: LinkKind, title: str = "Frieren") -> DownloadJob:
    return DownloadJob(id="j", item_id="a" * 32, anime_title=title, episode=3, release_name="Frieren - 03",
                       link="https://example.org/watch?v=3", kind=kind, created_at=utc_now())


def test_yt_dlp_leftovers_go_and_the_finished_video_and_other_episodes_stay(tmp_path: Path) -> None:
    folder = tmp_path / "Frieren"
    folder.mkdir()
    leftovers = ["Frieren - 03.mp4.part", "Frieren - 03.f137.mp4.part", "Frieren - 03.mp4.ytdl",
                 "Frieren - 03.webm.part-Frag7"]
    kept = ["Frieren - 03.mp4", "Frieren - 03.5.mp4.part", "Frieren - 13.mp4.part"]
    for name in leftovers + kept:
        (folder / name).write_bytes(b"x")

    discard_partial_files(job(LinkKind.YTDLP), tmp_path)

    assert sorted(path.name for path in folder.iterdir()) == sorted(kept)


def test_nothing_outside_the_download_folder_is_touched(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "Frieren - 03.mp4.part").write_bytes(b"x")
    videos = tmp_path / "videos"
    videos.mkdir()
    (videos / "Frieren").symlink_to(outside)

    discard_partial_files(job(LinkKind.YTDLP), videos)
    discard_partial_files(job(LinkKind.TORRENT), videos)

    assert (outside / "Frieren - 03.mp4.part").exists()
