"""File and folder names for downloads that are valid, and harmless, on every OS.

Release names come from the network: they may hold path separators, "..",
control or bidi-override characters, Windows-reserved characters and device
names, or be longer than a file system allows. ``safe_file_name`` turns any
of them into one plain file name; ``show_folder`` and ``episode_file_name``
build the paths a download is saved to from it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from core.downloads.errors import DownloadError
from providers.base import VIDEO_EXTENSIONS

DEFAULT_VIDEO_EXTENSION = ".mkv"
MAX_NAME_BYTES = 200  # leaves room under the usual 255-byte limit for ".part.json" and temp-file affixes
_MAX_EXTENSION_BYTES = 16  # a longer "extension" is just part of the name
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})  # controls, bidi overrides, separators
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')  # separators and the characters Windows refuses
_DOTS = re.compile(r"\.{2,}")
_RESERVED = re.compile(r"(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])", re.IGNORECASE)


def safe_file_name(name: str, fallback: str = "download") -> str:
    """``name`` made into one plain file name valid on Windows, macOS and Linux.

    Control, invisible-formatting (bidi override) and unassigned characters
    are dropped; Unicode is normalised (NFC); ``< > : " / \\ | ? *`` become "_";
    runs of dots become one; leading dots (hidden files) and leading or
    trailing dots and spaces go; a Windows device name ("CON", "com1.mkv")
    gets a leading "_"; the result is cut to ``MAX_NAME_BYTES`` of UTF-8,
    keeping its extension. An empty result gives ``fallback``, which the
    caller keeps safe.
    """
    text = "".join(char for char in name if unicodedata.category(char) not in _UNPRINTABLE)
    text = unicodedata.normalize("NFC", text)  # after the filter: a dropped joiner may let characters compose
    text = _DOTS.sub(".", _FORBIDDEN.sub("_", text)).strip(" .")
    text = _truncate(text, MAX_NAME_BYTES - 1).rstrip(" .")  # one byte kept for the "_" below
    if _RESERVED.fullmatch(text.split(".", 1)[0].rstrip(" ")):
        text = "_" + text
    return text or fallback


def _truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` bytes of UTF-8 between characters, its extension kept when it has one."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    stem, dot, extension = text.rpartition(".")
    suffix = dot + extension
    if not stem or len(suffix.encode()) > _MAX_EXTENSION_BYTES:
        stem, suffix = text, ""
    room = limit - len(suffix.encode())
    return stem.encode()[:room].decode(errors="ignore").rstrip(" .") + suffix


def show_folder(download_dir: Path, anime_title: str) -> Path:
    """The folder a show's episodes are saved in: ``download_dir/<safe title>``.

    Raises ``DownloadError`` if that folder already exists as a link leading
    outside ``download_dir``: nothing is ever written outside it.
    """
    folder = download_dir / safe_file_name(anime_title, fallback="Untitled")
    base = download_dir.resolve()
    resolved = folder.resolve()
    if resolved == base or not resolved.is_relative_to(base):
        raise DownloadError(
            f"the folder {folder} leads outside the download folder {download_dir} (it is a link?); "
            "remove the link or choose another download folder"
        )
    return folder


def episode_file_name(release_name: str, url: str) -> str:
    """The file name an episode is saved as, always with a video extension.

    The release name when it already ends in a video extension; else the
    release name plus the URL's extension when that is a video extension;
    else the release name plus ".mkv", the container anime releases almost
    always use (players look at the content, not the extension). A release
    name with nothing usable left is replaced by the URL's file name, then by
    "episode".
    """
    url_name = PurePosixPath(unquote(urlsplit(url).path)).name
    name = safe_file_name(release_name, fallback=safe_file_name(PurePosixPath(url_name).stem, fallback="episode"))
    if _extension(name) in VIDEO_EXTENSIONS:
        return name
    url_extension = _extension(url_name)
    extension = url_extension if url_extension in VIDEO_EXTENSIONS else DEFAULT_VIDEO_EXTENSION
    return safe_file_name(name + extension)


def _extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower()
