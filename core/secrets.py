"""Secrets (notification URLs with tokens, torrent-client and SMTP passwords) in the OS keyring.

Never in JSON files or logs. Each data folder (profile) has its own entries.
"""

from __future__ import annotations

import keyring
import keyring.errors

from core.datafolder import DataFolder
from core.errors import TsuzukiError

SERVICE = "Tsuzuki"


class SecretsUnavailable(TsuzukiError):
    """The OS keyring cannot be used (none installed, locked, or it refused)."""


class SecretStore:
    """Named secrets of one data folder, kept in the OS keyring."""

    def __init__(self, folder: DataFolder) -> None:
        self._scope = str(folder.path)

    def get(self, name: str) -> str | None:
        """The secret called ``name``, or None if none is stored."""
        return self._call(keyring.get_password, name)

    def set(self, name: str, value: str) -> None:
        """Store (or replace) the secret called ``name``."""
        self._call(keyring.set_password, name, value)

    def delete(self, name: str) -> None:
        """Forget the secret called ``name`` (nothing happens if there is none)."""
        try:
            self._call(keyring.delete_password, name)
        except SecretsUnavailable as error:
            if not isinstance(error.__cause__, keyring.errors.PasswordDeleteError):
                raise

    def _call(self, function, name: str, *value: str):  # type: ignore[no-untyped-def]
        try:
            return function(SERVICE, f"{name}@{self._scope}", *value)
        except keyring.errors.NoKeyringError as error:
            raise SecretsUnavailable(
                "No system keyring is available to keep passwords and tokens safely. Install and unlock "
                "one (GNOME Keyring, KWallet, macOS Keychain or Windows Credential Locker) and try again."
            ) from error
        except keyring.errors.KeyringError as error:
            raise SecretsUnavailable(f"The system keyring refused: {error or type(error).__name__}") from error
