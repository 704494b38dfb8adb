"""The partial file a download writes to, and putting it in place once complete.

``Part`` is ``NAME.part`` beside the destination plus its sidecar
``NAME.part.json``, which remembers what the bytes are part of (a hash of the
URL, the source's validator, the full size) so a later attempt can resume
them or knows to start over. Write failures become ``DownloadError``s that
say what to do (a full disk keeps the part for later). ``place`` renames the
finished part to the destination, or to "NAME (2).ext" when a different file
is already there.
"""

from __future__ import annotations

import errno
import filecmp
import hashlib
import json
import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from core.downloads.errors import DownloadError
from core.errors import StorageError
from core.storage import atomic_write

WRITE_BACK_STEP = 32 * 1024 * 1024  # bytes written between two hints to write the part out
_DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


class Part:
    """The partial file ``NAME.part`` and its sidecar ``NAME.part.json``.

    The sidecar says what the part is part of: a hash of the URL (so no secret
    reaches the disk), the validator to resume against and the full size. A
    part without one, or with another URL's, starts over. The part is cut to
    ``size`` before a sidecar is written, so the two always agree on disk.

    Attributes:
        path: the partial file.
        size: how many of its bytes count.
        validator: resume only while the source still has this ETag / Last-Modified.
        total: the whole file's size, when known.
    """

    def __init__(self, destination: Path, url: str) -> None:
        self.path = destination.with_name(destination.name + ".part")
        self._sidecar = destination.with_name(destination.name + ".part.json")
        self._key = hashlib.sha256(url.encode()).hexdigest()
        self._fd: int | None = None
        self.size, self.validator, self.total = 0, None, None
        self._saved: tuple[str | None, int | None] | None = None
        try:
            meta = json.loads(self._sidecar.read_bytes())
            size = self.path.lstat().st_size
        except (OSError, ValueError):
            return
        if isinstance(meta, dict) and meta.get("url_sha256") == self._key:
            validator, total = meta.get("validator"), meta.get("total")
            self.validator = validator if isinstance(validator, str) else None
            self.total = total if isinstance(total, int) else None
            self.size = size if self.total is None or size <= self.total else 0
            self._saved = (self.validator, self.total)

    def remember(self, validator: str | None, total: int | None) -> None:
        """Record what the part is part of, in the sidecar."""
        self._open()
        self.validator, self.total = validator, total
        if (validator, total) == self._saved:
            return
        data = json.dumps({"url_sha256": self._key, "validator": validator, "total": total}).encode()
        try:
            atomic_write(self._sidecar, data)
        except StorageError as error:
            raise _write_error(self._sidecar, error.__cause__) from error
        self._saved = (validator, total)

    def restart(self) -> None:
        """Drop what the part holds: the next byte written is the file's first."""
        self.size = 0
        if self._fd is not None:
            self._disk(os.ftruncate, self._fd, 0)

    def append(self, chunk: bytes) -> None:
        view = memoryview(chunk)
        while view:
            view = view[self._disk(os.write, self._open(), view) :]
        if (self.size + len(chunk)) // WRITE_BACK_STEP != self.size // WRITE_BACK_STEP:
            self._write_back()
        self.size += len(chunk)

    def close(self, sync: bool = False) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if sync:
                self._disk(os.fsync, fd)
        finally:
            os.close(fd)

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)
        self._sidecar.unlink(missing_ok=True)

    def finish(self, target: Path) -> None:
        """Rename the (closed) part to ``target`` and drop its sidecar."""
        self._disk(os.replace, self.path, target)
        self._sidecar.unlink(missing_ok=True)

    def _open(self) -> int:
        """The part, open for appending and cut to ``size`` (what does not count goes first).

        Raises ``DownloadError`` if the part is a link: nothing is written through one.
        """
        if self._fd is None:
            refused = DownloadError(
                f"{self.path} is a link to another file; Tsuzuki never writes through one in the download folder."
                " Remove it and download again"
            )
            if self.path.is_symlink():  # O_NOFOLLOW (where there is one) also covers a link made meanwhile
                raise refused
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
            fd = self._disk(os.open, self.path, flags, 0o666)
            if os.fstat(fd).st_nlink > 1:  # a hard link: the bytes are another file's too
                os.close(fd)
                raise refused
            self._fd = fd
            self._disk(os.ftruncate, self._fd, self.size)
        return self._fd

    def _write_back(self) -> None:
        """Have the part written to disk now, its pages leaving the cache once written (Linux).

        The disk works while the network does, so the final fsync finds little
        left to do, and an episode does not push everything else out of the cache.
        """
        if hasattr(os, "posix_fadvise"):
            with suppress(OSError):  # only a hint
                os.posix_fadvise(self._open(), 0, 0, os.POSIX_FADV_DONTNEED)

    def _disk(self, operation: Callable[..., object], *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        try:
            return operation(*args, **kwargs)
        except OSError as error:
            raise _write_error(self.path, error) from error


def _write_error(path: Path, error: BaseException | None) -> DownloadError:
    if isinstance(error, OSError) and error.errno in _DISK_FULL:
        return DownloadError(
            f"the disk is full: could not write {path.name} in {path.parent}. "
            "Free some space and the download will go on from where it stopped"
        )
    detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return DownloadError(f"could not write {path}: {detail}")


def place(part: Part, destination: Path) -> Path:
    """Rename the finished part to ``destination``, or to "NAME (2).ext"... if a different file is there."""
    target, number = destination, 1
    while os.path.lexists(target):
        if _same_content(target, part.path):
            part.discard()
            return target
        number += 1
        target = destination.with_name(f"{destination.stem} ({number}){destination.suffix}")
    part.finish(target)
    return target


def _same_content(existing: Path, part: Path) -> bool:
    """Whether ``existing`` is a plain file (not a link) holding the part's bytes."""
    try:
        same_size = not existing.is_symlink() and existing.is_file() and existing.stat().st_size == part.stat().st_size
        return same_size and filecmp.cmp(existing, part, shallow=False)
    except OSError:
        return False
