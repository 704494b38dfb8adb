from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from core.downloads.filenames import MAX_NAME_BYTES, episode_file_name, safe_file_name, show_folder
from core.downloads.http_transfer import DownloadError

HOSTILE = [
    "../../etc/passwd",
    "..",
    "CON.mkv",
    "con",
    "Com1.tar.gz",
    "lpt9",
    "NUL .mkv",
    "a/b\\c",
    'what<>:"|?*.mkv',
    "x" * 400 + ".mkv",
    "é" * 150 + ".mkv",
    "\u202eevil.mkv",
    "  .hidden.  ",
    "tab\tnew\nline\x00nul.mkv",
    "",
    "...",
]
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_become_one_plain_file_name(name: str, tmp_path: Path) -> None:
    safe = safe_file_name(name)
    assert safe and len(safe.encode()) <= MAX_NAME_BYTES
    assert not set('/\\<>:"|?*') & set(safe)
    assert ".." not in safe and not safe.startswith(".") and safe == safe.rstrip(". ").lstrip(" ")
    assert all(unicodedata.category(char)[0] != "C" for char in safe)
    assert safe.split(".")[0].rstrip(" ").upper() not in RESERVED
    assert unicodedata.is_normalized("NFC", safe)
    (tmp_path / safe).write_bytes(b"ok")  # a real file system takes it, as one entry of tmp_path
    assert os.listdir(tmp_path) == [safe]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("[Group] Frieren - 01 [1080p].mkv", "[Group] Frieren - 01 [1080p].mkv"),
        ("Re:Zero - 01.mkv", "Re_Zero - 01.mkv"),
        ("../../etc/passwd", "_._etc_passwd"),
        ("CON.mkv", "_CON.mkv"),
        ("\u202eevil.mkv", "evil.mkv"),
        ("  .hidden.  ", "hidden"),
        ("", "download"),
        ("...", "download"),
        ("Cafe\u0301.mkv", "Café.mkv"),  # decomposed é composed (NFC)
        ("Cafe\u200d\u0301.mkv", "Café.mkv"),  # ... also once the joiner between them is gone
    ],
)
def test_safe_names_keep_what_they_can(name: str, expected: str) -> None:
    assert safe_file_name(name) == expected


def test_long_names_are_cut_between_characters_and_keep_their_extension() -> None:
    assert safe_file_name("x" * 400 + ".mkv") == "x" * (MAX_NAME_BYTES - 1 - 4) + ".mkv"
    cut = safe_file_name("é" * 150 + ".mkv")
    assert cut.endswith(".mkv") and set(cut[:-4]) == {"é"} and len(cut.encode()) <= MAX_NAME_BYTES


def test_the_fallback_replaces_an_empty_result() -> None:
    assert safe_file_name("///", fallback="episode") == "___"
    assert safe_file_name(" . ", fallback="episode") == "episode"


def test_show_folder_is_inside_the_download_folder(tmp_path: Path) -> None:
    assert show_folder(tmp_path, "Frieren: Beyond Journey's End") == tmp_path / "Frieren_ Beyond Journey's End"
    assert show_folder(tmp_path, "../../outside") == tmp_path / "_._outside"
    assert show_folder(tmp_path, "..") == tmp_path / "Untitled"


def test_show_folder_refuses_a_link_leading_outside(tmp_path: Path) -> None:
    downloads, elsewhere = tmp_path / "downloads", tmp_path / "elsewhere"
    downloads.mkdir()
    elsewhere.mkdir()
    (downloads / "Frieren").symlink_to(elsewhere)
    with pytest.raises(DownloadError, match="leads outside the download folder"):
        show_folder(downloads, "Frieren")


@pytest.mark.parametrize(
    ("release", "url", "expected"),
    [
        ("Frieren - 01 [1080p].mkv", "https://example.org/dl?id=1", "Frieren - 01 [1080p].mkv"),
        ("Frieren - 01 [1080p].MP4", "https://example.org/x.mkv", "Frieren - 01 [1080p].MP4"),
        ("Frieren - 01 [1080p]", "https://example.org/files/ep01.mp4?token=1", "Frieren - 01 [1080p].mp4"),
        ("Frieren - 01 [1080p]", "https://example.org/download.php?id=1", "Frieren - 01 [1080p].mkv"),
        ("Frieren S01E01.1080p", "https://example.org/dl", "Frieren S01E01.1080p.mkv"),
        ("", "https://example.org/files/Frieren%20-%2001.webm", "Frieren - 01.webm"),
        ("...", "https://example.org/", "episode.mkv"),
        ("../../CON", "file:///srv/anime/ep.mkv", "_._CON.mkv"),
    ],
)
def test_episode_file_names_always_have_a_video_extension(release: str, url: str, expected: str) -> None:
    assert episode_file_name(release, url) == expected
