"""The download folder, checked when it is set: a folder Tsuzuki can create and write to."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from core.errors import InputError


def prepare_download_dir(path: Path) -> None:
    """Create ``path`` if it is missing and prove a file can be written in it.

    Raises ``InputError`` (leaving no folder behind) when ``path`` is a file, cannot
    be created, or cannot be written: better told now than at the first download.
    """
    if path.exists() and not path.is_dir():
        raise InputError(f"download_dir: {path} is a file, not a folder")
    created = [folder for folder in (path, *path.parents) if not folder.exists()]
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _remove(created)
        raise InputError(f"download_dir: {path} cannot be created ({error.strerror or error})") from None
    try:
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        _remove(created)
        raise InputError(f"download_dir: {path} cannot be written ({error.strerror or error})") from None


def _remove(created: list[Path]) -> None:
    """Undo a partial creation: the folders made here, deepest first."""
    for folder in created:
        try:
            os.rmdir(folder)
        except OSError:
            pass
