"""One long-running Tsuzuki per data folder: the window, the headless mode or a command-line check."""

from __future__ import annotations

from PySide6.QtCore import QLockFile

from core.datafolder import DataFolder, make_private_file
from core.errors import TsuzukiError

INSTANCE_LOCK = "instance.lock"


class AlreadyRunning(TsuzukiError):
    """Another Tsuzuki is already checking and downloading for this data folder."""


class InstanceLock:
    """Held for as long as this process checks and downloads; a crashed holder's lock goes stale
    (QLockFile checks that its process still exists) and is taken over."""

    def __init__(self, folder: DataFolder) -> None:
        folder.ensure()
        self._path = folder.file(INSTANCE_LOCK)
        self._lock = QLockFile(str(self._path))
        self._lock.setStaleLockTime(0)  # only a dead holder makes it stale, never its age

    def acquire(self, what: str) -> None:
        """Take the lock or raise ``AlreadyRunning`` naming who has it."""
        if self._lock.tryLock(0):
            make_private_file(self._path)  # QLockFile creates it as the umask says
            return
        info = self._lock.getLockInfo()  # PySide6: (pid, hostname, appname), or a falsy value
        holder = f" (process {info[0]})" if info else ""
        raise AlreadyRunning(
            f"Tsuzuki is already running for this data folder{holder}, so {what} cannot start. "
            "Use that window or headless instance, or quit it first."
        )

    def release(self) -> None:
        self._lock.unlock()
