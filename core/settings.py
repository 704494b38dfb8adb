"""The user's settings, kept in ``settings.json`` with the same guarantees as the watchlist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from core.datafolder import DataFolder
from core.download_dir import prepare_download_dir
from core.errors import InputError, describe_validation_error
from core.login_item import apply_start_on_login
from core.models import WatchlistSettings
from core.storage import JsonStore, Recovery, VersionedDocument

SETTINGS_FILE = "settings.json"


class SettingsFile(VersionedDocument, WatchlistSettings):
    """The layout of ``settings.json``: the settings plus ``schema_version``."""

    schema_version: int = VersionedDocument.SCHEMA_VERSION


class SettingsStore:
    """Read and change settings; a bad value is refused with the allowed range."""

    KEYS: tuple[str, ...] = tuple(WatchlistSettings.model_fields)

    def __init__(self, folder: DataFolder, on_recovery: Callable[[Recovery], None] | None = None) -> None:
        self._store = JsonStore(folder, SETTINGS_FILE, SettingsFile, SettingsFile, on_recovery)

    def get(self) -> WatchlistSettings:
        """The current settings (defaults for anything never set)."""
        return _without_version(self._store.read())

    def set_values(self, **changes: Any) -> WatchlistSettings:
        """Change settings; a value may be text as typed ("6", "yes", "~/Videos"), else it must
        have the setting's type (``True`` is not an hour).

        A download folder is created and tried first, and ``start_on_login`` writes or removes
        the system's login entry: when that fails, nothing is changed (``InputError``)."""
        for key in changes:
            self.check_key(key)
        with self._store.edit() as document:
            try:
                text = {key: value for key, value in changes.items() if isinstance(value, str)}
                typed = {**changes, **_from_text(text)}
                updated = SettingsFile.model_validate({**document.model_dump(), **typed})
            except ValidationError as error:
                raise InputError(describe_validation_error(error)) from error
            if "download_dir" in changes:
                prepare_download_dir(updated.download_dir)
            if "start_on_login" in changes:
                apply_start_on_login(updated.start_on_login)
            for key in changes:
                setattr(document, key, getattr(updated, key))
        return _without_version(document)

    def check_key(self, key: str) -> str:
        """Return ``key`` if it names a setting, else raise ``InputError`` listing them."""
        if key not in self.KEYS:
            raise InputError(f"{key!r} is not a setting; the settings are: {', '.join(self.KEYS)}")
        return key


def _from_text(text: dict[str, str]) -> dict[str, Any]:
    """Settings typed as text, converted to their types ("12" -> 12, "yes" -> True)."""
    return WatchlistSettings.model_validate(text, strict=False).model_dump(include=set(text))


def _without_version(document: SettingsFile) -> WatchlistSettings:
    return WatchlistSettings.model_validate(document.model_dump(exclude={"schema_version"}))
