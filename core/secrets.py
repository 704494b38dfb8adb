"""Secrets (notification URLs with tokens, torrent-client and SMTP passwords) in the OS keyring.

Never in JSON files or logs. Each data folder (profile) has its own entries.
"""

from __future__ import annotations

import importlib.util
import sys

import keyring
import keyring.errors

from core.datafolder import DataFolder
from core.errors import TsuzukiError

SERVICE = "Tsuzuki"


class SecretsUnavailable(TsuzukiError):
    """The OS keyring cannot be used (none installed, locked, or it refused)."""


class NoKeyring(SecretsUnavailable):
    """There is no system keyring at all (keyring's fail backend): the message says what to install."""


def keyring_help() -> str:
    """What to install or start so that Tsuzuki finds a system keyring on this platform."""
    if sys.platform == "darwin":
        return "Tsuzuki uses the macOS Keychain: log in to this Mac's desktop session so it is unlocked."
    if sys.platform == "win32":
        return "Tsuzuki uses the Windows Credential Manager: run Tsuzuki in your own Windows session."
    text = (
        "On Linux, install a Secret Service keyring (GNOME Keyring: sudo apt install gnome-keyring; or KeePassXC "
        "with Secret Service integration on), unlocked when you log in to the desktop; without a desktop, start it "
        "in a D-Bus session (dbus-run-session, then gnome-keyring-daemon --unlock --components=secrets). "
        "KDE's KWallet also works once Tsuzuki's Python has dbus-python (pip install dbus-python)."
    )
    if importlib.util.find_spec("secretstorage") is None:
        text += " Tsuzuki's Python also needs the Secret Service client: pip install secretstorage."
    return text


class SecretStore:
    """Named secrets of one data folder, kept in the OS keyring."""

    def __init__(self, folder: DataFolder) -> None:
        self._scope = str(folder.path)

    def get(self, name: str) -> str | None:
        """The secret called ``name``, or None if none is stored."""
        return self._call(keyring.get_password, name)

    def require(self) -> None:
        """Raise ``SecretsUnavailable`` now, before asking for a secret, if none could be kept."""
        self.get("availability-check")

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
            raise NoKeyring(
                "No system keyring is available, and Tsuzuki keeps passwords and tokens only in one "
                f"(never in a file). {keyring_help()}"
            ) from error
        except keyring.errors.KeyringError as error:
            raise SecretsUnavailable(f"The system keyring refused: {error or type(error).__name__}") from error
