"""Torrent files (.torrent metainfo): telling one from a video, fetching one safely, and its info hash.

A feed's torrent link does not always end in ``.torrent`` (``…/view/N/torrent``,
``?page=download&tid=N``): the answer's ``Content-Type``
(``application/x-bittorrent``) or its first bytes (a bencoded dictionary)
say it. The info hash is computed from the raw bytes of the ``info``
dictionary, as the clients do, so it is known as soon as the file is.
"""

from __future__ import annotations

import hashlib
import re

from core.downloads.errors import DownloadError
from core.logs import redact
from providers import http
from providers.base import SourceError

TORRENT_TYPE = "application/x-bittorrent"
MAX_TORRENT_BYTES = 10 * 1024 * 1024  # real .torrent files are a few KiB to a few MiB
_ACCEPT = f"{TORRENT_TYPE}, */*;q=0.1"
_BENCODED_DICT_START = re.compile(rb"d[1-9][0-9]{0,3}:")
_STRING_LENGTH = re.compile(rb"(0|[1-9][0-9]*):")
_INTEGER = re.compile(rb"i(0|-?[1-9][0-9]*)e")


class TorrentInstead(DownloadError):
    """Where a video was expected, the server sent a .torrent file: it goes to the torrent client."""


def looks_like_torrent(start: bytes) -> bool:
    """Whether the first bytes of a file are those of a bencoded dictionary (as every .torrent is)."""
    return _BENCODED_DICT_START.match(start) is not None


def info_hash(content: bytes) -> str:
    """The info hash of a .torrent: sha1 of its ``info`` (v1, hybrid), or truncated sha256 (v2 only).

    Raises ``ValueError`` when ``content`` is not a torrent file.
    """
    if not content.startswith(b"d"):
        raise ValueError("not a bencoded dictionary")
    position, info = 1, None
    while content[position : position + 1] != b"e":
        if not content[position : position + 1].isdigit():
            raise ValueError("a dictionary key is not a string")
        key_end = _skip(content, position)
        value_end = _skip(content, key_end)
        if content[position:key_end] == b"4:info":
            info = content[key_end:value_end]
        position = value_end
    if info is None or not info.startswith(b"d"):
        raise ValueError("no info dictionary")
    if b"6:pieces" in info or b"12:meta versioni2e" not in info:
        return hashlib.sha1(info).hexdigest()
    return hashlib.sha256(info).hexdigest()[:40]  # how qBittorrent names a v2-only torrent


def _skip(data: bytes, position: int) -> int:
    """Where the bencoded value starting at ``position`` ends; raises ``ValueError`` if it is malformed."""
    depth = 0
    while True:
        kind = data[position : position + 1]
        if kind in (b"l", b"d"):
            depth, position = depth + 1, position + 1
            continue
        if kind == b"e" and depth:
            depth, position = depth - 1, position + 1
        elif integer := _INTEGER.match(data, position):
            position = integer.end()
        elif length := _STRING_LENGTH.match(data, position):
            position = length.end() + int(length[1])
            if position > len(data):
                raise ValueError("a string runs past the end")
        else:
            raise ValueError(f"unexpected byte at {position}")
        if depth == 0:
            return position


def fetch_torrent(url: str) -> bytes:
    """The .torrent file at ``url`` (http or https), read with the app's capped fetch.

    Raises ``DownloadError`` in plain words when it cannot be fetched or is not a torrent file.
    """
    try:
        with http.new_session() as session:
            page = http.fetch(session, url, max_bytes=MAX_TORRENT_BYTES, accept=_ACCEPT)
        info_hash(page.content)
    except SourceError as error:
        raise DownloadError(f"could not fetch the .torrent file: {error}") from error
    except ValueError:
        raise DownloadError(f"{redact(url)} did not send a .torrent file (a login or error page?)") from None
    return page.content
