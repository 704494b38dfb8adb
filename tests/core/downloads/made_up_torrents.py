"""Tiny made-up .torrent files for tests: no tracker (or a loopback one), so no client ever reaches out.

    torrent = made_up_torrent("Frieren - 12.mkv")
    torrent.content     # the bencoded file
    torrent.info_hash   # sha1 of its info dictionary, computed here, independently of Tsuzuki
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

PIECE_LENGTH = 16 * 1024


def bencode(value: object) -> bytes:
    """``value`` (int, str, bytes, list, dict with str keys) in bencoding, keys sorted."""
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list):
        return b"l" + b"".join(map(bencode, value)) + b"e"
    if isinstance(value, dict):
        return b"d" + b"".join(bencode(key) + bencode(value[key]) for key in sorted(value)) + b"e"
    raise TypeError(f"cannot bencode {type(value).__name__}")


@dataclass(frozen=True)
class MadeUpTorrent:
    name: str
    content: bytes
    info_hash: str


def made_up_torrent(name: str, size: int = 3 * PIECE_LENGTH, tracker: str | None = None) -> MadeUpTorrent:
    """A one-file torrent of ``size`` random bytes nobody has; ``tracker`` should be a loopback URL or None."""
    pieces = b"".join(hashlib.sha1(os.urandom(PIECE_LENGTH)).digest() for _ in range(-(-size // PIECE_LENGTH)))
    info = {"length": size, "name": name, "piece length": PIECE_LENGTH, "pieces": pieces, "private": 1}
    metainfo: dict[str, object] = {"created by": "Tsuzuki tests", "creation date": 1_700_000_000, "info": info}
    if tracker:
        metainfo["announce"] = tracker
    return MadeUpTorrent(name, bencode(metainfo), hashlib.sha1(bencode(info)).hexdigest())
