"""The per-user data folder, its profiles, and the lock that admits one writer at a time."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from core.errors import InputError, StorageError

if TYPE_CHECKING:
    import filelock

HOME_ENV = "TSUZUKI_HOME"
APP_NAME = "Tsuzuki"
LOCK_TIMEOUT_SECONDS = 10.0
_PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def check_profile_name(name: str) -> str:
    """Return ``name`` if it can name a profile folder, else raise ``InputError``."""
    if not _PROFILE_NAME.match(name) or name.endswith("."):
        raise InputError(
            f"profile name {name!r} is not usable: use 1 to 64 letters, digits, '.', '-' or '_', "
            "starting with a letter or digit"
        )
    return name


def make_private_dir(path: Path) -> None:
    """Create ``path`` and its missing parents, each readable by the owner only (0700)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)


def _home_from_env(value: str) -> Path:
    """``$TSUZUKI_HOME`` made absolute (a relative one is taken from the current folder).

    Raises ``InputError`` when it names a file: there is no folder to keep the data in.
    """
    root = Path(value).expanduser().absolute()
    if root.exists() and not root.is_dir():
        raise InputError(
            f"{HOME_ENV} is {root}, which is a file, not a folder: set {HOME_ENV} to a folder "
            "(it is created if missing), or unset it to use the usual data folder"
        )
    return root


def make_private_file(path: Path) -> None:
    """Make ``path`` readable by its owner only (0600) if it is not: a file an editor saved anew,
    a copy from a backup, a lock file created as the umask said. Best effort."""
    with suppress(OSError):
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)


class DataFolder:
    """Where one profile keeps its files, and the lock that serialises their writers.

    The root is ``$TSUZUKI_HOME`` when set, else the OS's per-user app-data
    folder; a named profile lives in ``<root>/profiles/<name>``. Writers hold
    ``lock()`` for a read-modify-write of a file, so concurrent commands wait
    for each other instead of losing an update. The lock is an OS file lock,
    released by the kernel when its holder dies: a killed process leaves no
    stale lock behind.

    Attributes:
        path: the profile's folder (created on first write).
    """

    def __init__(self, path: Path, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
        self.path = path
        self._lock_timeout = lock_timeout
        self._file_lock: filelock.FileLock | None = None
        self._making_file_lock = threading.Lock()

    def _os_lock(self) -> filelock.FileLock:
        """The OS file lock, made by the first writer: commands that only read never import filelock."""
        import filelock

        with self._making_file_lock:
            if self._file_lock is None:
                self._file_lock = filelock.FileLock(self.path / ".lock", timeout=self._lock_timeout, mode=0o600)
            return self._file_lock

    @classmethod
    def for_profile(cls, profile: str | None = None) -> DataFolder:
        """The folder for ``profile`` (None: the default profile)."""
        root_env = os.environ.get(HOME_ENV)
        root = _home_from_env(root_env) if root_env else Path(
            platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True)
        )
        if profile is None:
            return cls(root)
        return cls(root / "profiles" / check_profile_name(profile))

    def file(self, name: str) -> Path:
        """The path of a file in this folder."""
        return self.path / name

    def ensure(self) -> None:
        """Create the folder (0700) if it is missing."""
        try:
            make_private_dir(self.path)
            if not self.path.is_dir():
                raise NotADirectoryError
        except NotADirectoryError:
            in_the_way = next((p for p in (self.path, *self.path.parents) if p.exists() and not p.is_dir()),
                              self.path)
            raise StorageError(
                f"Could not create the data folder {self.path}: {in_the_way} is a file, not a folder"
            ) from None
        except OSError as error:
            raise StorageError(f"Could not create the data folder {self.path}: {error.strerror}") from error

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder's write lock; waits up to the timeout, then raises ``StorageError``."""
        import filelock

        self.ensure()
        os_lock = self._os_lock()
        try:
            os_lock.acquire()
        except filelock.Timeout as error:
            raise StorageError(
                f"Another Tsuzuki process has been writing to {self.path} for over "
                f"{os_lock.timeout:g} s; nothing was changed. Try again in a moment."
            ) from error
        except OSError as error:  # a read-only or full data folder
            raise StorageError(
                f"Could not write to the data folder {self.path}: {error.strerror or error}. Nothing was changed."
            ) from error
        try:
            make_private_file(Path(os_lock.lock_file))
            yield
        finally:
            os_lock.release()
