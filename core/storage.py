"""JSON files that survive crashes, hand edits and concurrent writers.

Every file carries a ``schema_version``. Writes are atomic (a temporary file in
the same folder, fsync, ``os.replace``), so a reader sees the old file or the
new one, never half of one. A file that fails to parse or validate is never
overwritten: it is moved aside to ``NAME.corrupt-<timestamp>``, whatever still
validates in it is kept, and the user is told what happened and where the
original is.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from core.datafolder import DataFolder, make_private_file
from core.errors import StorageError, describe_validation_error
from core.models import utc_now

log = logging.getLogger(__name__)

_TEMP_SUFFIX = ".tmp"
_swept_folders: set[Path] = set()  # folders cleared of leftover temp files by this process


class VersionedDocument(BaseModel):
    """The top level of a stored JSON file.

    Attributes:
        SCHEMA_VERSION: the layout this code writes; a newer file is refused, not rewritten.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)
    SCHEMA_VERSION: ClassVar[int] = 1

    schema_version: int

    def repair(self) -> list[str]:
        """Fix, in place, what validates entry by entry but not as a whole (entries sharing an
        id); one line per entry changed. A document that needs it is treated as damaged."""
        return []


D = TypeVar("D", bound=VersionedDocument)


@dataclass(frozen=True)
class Recovery:
    """A file that could not be read and was moved aside.

    Attributes:
        path: the file that was damaged.
        moved_to: where its original bytes are now.
        problem: what was wrong with it.
        dropped: the entries that could not be kept, one line each.
        changed: the entries kept with a change (see ``VersionedDocument.repair``), one line each.
    """

    path: Path
    moved_to: Path
    problem: str
    dropped: tuple[str, ...]
    changed: tuple[str, ...] = ()

    def message(self) -> str:
        """A plain-language account for a dialog or the terminal."""
        text = (
            f"{self.path.name} could not be read ({self.problem}). "
            f"The original was kept unchanged as {self.moved_to}."
        )
        if self.dropped:
            text += " These entries could not be recovered: " + "; ".join(self.dropped) + "."
        if self.changed:
            text += " These entries were changed: " + "; ".join(self.changed) + "."
        if self.dropped or self.changed:
            text += " Everything else was kept."
        else:
            text += " Nothing in it could be recovered; Tsuzuki carries on with defaults."
        return text


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; the file is private to the user.

    ``mkstemp`` creates the temporary file with mode 0600, and the rename keeps it.
    """
    temp_name = ""
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMP_SUFFIX, dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except OSError as error:
        if temp_name:
            Path(temp_name).unlink(missing_ok=True)
        raise StorageError(
            f"Could not save {path.name}: {error.strerror or error}. The previous version is unchanged."
        ) from error
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (a no-op where folders cannot be opened, as on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _Unreadable(Exception):
    """The bytes on disk are not a valid document (the reason is the message)."""

    def __init__(self, problem: str, data: Any = None) -> None:
        super().__init__(problem)
        self.data = data


class JsonStore(Generic[D]):
    """One JSON document in a data folder, read and written whole.

    ``read()`` returns the current document. ``edit()`` is a transaction: under
    the folder's lock it re-reads the file, hands the document to the caller to
    change, and saves it when the block ends without an exception. Because
    every change starts from what is on disk, a long-running instance and a
    command-line call never overwrite each other's updates.
    """

    def __init__(
        self,
        folder: DataFolder,
        name: str,
        document: type[D],
        default: Callable[[], D],
        on_recovery: Callable[[Recovery], None] | None = None,
    ) -> None:
        self.folder = folder
        self.path = folder.file(name)
        self._document = document
        self._default = default
        self._on_recovery = on_recovery or (lambda recovery: log.warning("%s", recovery.message()))

    def read(self) -> D:
        """The document as stored (the default when there is no file yet)."""
        try:
            return self._parse()
        except _Unreadable:
            with self.folder.lock():
                return self._read_locked()

    @contextmanager
    def edit(self) -> Iterator[D]:
        """Change the document under the lock; it is saved if the block succeeds."""
        with self.folder.lock():
            self._remove_stale_temp_files()
            document = self._read_locked()
            yield document
            self._write(document)

    def _read_locked(self) -> D:
        try:
            return self._parse()
        except _Unreadable as unreadable:
            return self._recover(unreadable)

    def _parse(self) -> D:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return self._default()
        except OSError as error:
            raise StorageError(f"Could not read {self.path}: {error.strerror}") from error
        make_private_file(self.path)
        try:  # the fast way, for the usual case of a valid file
            document = self._document.model_validate_json(raw)
        except ValidationError:
            document = self._diagnose(raw)
        else:
            if "schema_version" not in document.model_fields_set:
                document = self._diagnose(raw)
            else:
                self._refuse_newer(document.schema_version)
        if document.repair():
            raise _Unreadable("two or more of its entries have the same id", json.loads(raw))
        return document

    def _diagnose(self, raw: bytes) -> D:
        """Say exactly what is wrong with ``raw`` (raising ``_Unreadable``), or read an older layout."""
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise _Unreadable(f"it is not valid JSON: {error}") from error
        if not isinstance(data, dict):
            raise _Unreadable("its top level is not a JSON object")
        version = data.get("schema_version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise _Unreadable("it has no schema_version number", data)
        self._refuse_newer(version)
        try:
            return self._document.model_validate(data)
        except ValidationError as error:
            raise _Unreadable(describe_validation_error(error).replace("\n", "; "), data) from error

    def _refuse_newer(self, version: int) -> None:
        if version > self._document.SCHEMA_VERSION:
            raise StorageError(
                f"{self.path} was written by a newer version of Tsuzuki (schema {version}; this "
                f"version reads up to {self._document.SCHEMA_VERSION}). It was left untouched: "
                "please update Tsuzuki."
            )

    def _recover(self, unreadable: _Unreadable) -> D:
        """Move the damaged file aside, keep what still validates, and report it."""
        moved_to = self.path.with_name(f"{self.path.name}.corrupt-{utc_now():%Y%m%dT%H%M%S%fZ}")
        try:
            os.replace(self.path, moved_to)
        except OSError as error:
            raise StorageError(
                f"{self.path} is damaged ({unreadable}) and could not be moved aside: "
                f"{error.strerror}. It was left untouched."
            ) from error
        make_private_file(moved_to)  # it keeps the mode an editor gave it
        document, dropped = _salvage(self._document, unreadable.data, self._default)
        changed = document.repair()
        self._write(document)
        self._on_recovery(Recovery(self.path, moved_to, str(unreadable), tuple(dropped), tuple(changed)))
        return document

    def _write(self, document: D) -> None:
        document.schema_version = self._document.SCHEMA_VERSION
        atomic_write(self.path, document.model_dump_json(indent=2).encode("utf-8") + b"\n")

    def _remove_stale_temp_files(self) -> None:
        """Delete temp files killed writers left in this file's folder (safe: we hold the lock).

        Each folder is swept once per process: a sweep per save made a check's thousands of
        episode-file saves quadratic in the number of shows.
        """
        folder = self.path.parent
        if folder in _swept_folders:
            return
        _swept_folders.add(folder)
        for leftover in folder.glob(f".*.json.*{_TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)


class DocumentKeeper(Generic[D]):
    """Base for the classes that own one document: ``FILE_NAME`` holding a ``DOCUMENT``.

    Subclasses read and change it through ``self._store``, and take the time from
    ``self._clock`` (a test moves it by hand).
    """

    FILE_NAME: ClassVar[str]
    DOCUMENT: ClassVar[type[VersionedDocument]]

    def __init__(
        self,
        folder: DataFolder,
        on_recovery: Callable[[Recovery], None] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store: JsonStore[D] = JsonStore(folder, self.FILE_NAME, self.DOCUMENT, self.DOCUMENT, on_recovery)  # type: ignore[arg-type]
        self._clock = clock


def _salvage(
    document: type[D], data: Any, default: Callable[[], D]
) -> tuple[D, list[str]]:
    """Validate ``data`` after dropping the entries that fail; describe each one dropped.

    An invalid element of a list is removed from the list; any other invalid
    top-level field is reset to its default.
    """
    if not isinstance(data, dict):
        return default(), []
    data = {**data, "schema_version": document.SCHEMA_VERSION}
    dropped: list[str] = []
    while True:  # each round removes at least one entry, so this ends
        try:
            return document.model_validate(data), dropped
        except ValidationError as error:
            problems = error.errors(include_url=False)
        described = _drop_all(data, [(problem["loc"], problem["msg"]) for problem in problems])
        if not described:
            return default(), [*dropped, f"the whole file ({problems[0]['msg']})"]
        dropped.extend(described)


def _drop_all(data: dict[str, Any], problems: list[tuple[tuple[int | str, ...], str]]) -> list[str]:
    """Remove each entry named by a problem (a list element, else a top-level key).

    Returns one description per removed entry, numbered as in the file; empty
    when none of the problems points at something that can be removed.
    """
    elements: dict[tuple[str, int], str] = {}
    keys: dict[str, str] = {}
    for loc, message in problems:
        if not loc or loc[0] not in data:
            continue
        key = str(loc[0])
        if isinstance(data[key], list) and len(loc) > 1 and isinstance(loc[1], int):
            field = ".".join(str(part) for part in loc[2:]) or "entry"
            elements.setdefault((key, loc[1]), f"{field}: {message}")
        else:
            keys.setdefault(key, message)
    described: list[str] = []
    for (key, index), why in sorted(elements.items(), reverse=True):
        entry = data[key].pop(index)
        described.insert(0, f"{key} #{index + 1}{_label(entry)} ({why})")
    for key, why in keys.items():
        del data[key]
        described.append(f"{key} ({why}; reset to its default)")
    return described


def _label(entry: Any) -> str:
    """A short human name for a dropped list entry (with a leading space), or ''."""
    if isinstance(entry, dict):
        for field in ("anime_title", "name", "id"):
            if isinstance(entry.get(field), str):
                return f" {entry[field]!r}"
    return ""
