"""Starting Tsuzuki when the user logs in: one entry, written or removed when ``start_on_login`` changes.

Where the entry lives depends on the system; each starts the app with ``--minimized``:
    Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/tsuzuki.desktop``.
    Windows: the ``Tsuzuki`` value of ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.
    macOS: the launch agent ``~/Library/LaunchAgents/org.tsuzuki.Tsuzuki.plist``.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from core.errors import InputError, StorageError
from core.storage import atomic_write

START_OPTION = "--minimized"
ENTRY_NAME = "Tsuzuki"
AGENT_LABEL = "org.tsuzuki.Tsuzuki"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")  # an Exec argument holding one of these is quoted


class LoginEntry(Protocol):
    """The system's list of programs started at login, as far as Tsuzuki's own entry goes."""

    @property
    def where(self) -> str:
        """The entry's place, as told to the user when it cannot be changed."""

    def write(self, command: Sequence[str]) -> None:
        """Start ``command`` (program and arguments) at login, replacing any earlier entry."""

    def remove(self) -> None:
        """Start nothing at login any more (no entry is fine)."""


@dataclass(frozen=True)
class LoginFile:
    """An entry that is a file of its own; subclasses say what it holds."""

    path: Path

    @property
    def where(self) -> str:
        return str(self.path)

    def content(self, command: Sequence[str]) -> bytes:
        raise NotImplementedError

    def write(self, command: Sequence[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, self.content(command))

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


class AutostartFile(LoginFile):
    """A Desktop Entry in an XDG autostart folder."""

    def content(self, command: Sequence[str]) -> bytes:
        return desktop_entry(command).encode()


class LaunchAgent(LoginFile):
    """A macOS launch agent that runs at load (that is, at login)."""

    def content(self, command: Sequence[str]) -> bytes:
        return plistlib.dumps({"Label": AGENT_LABEL, "ProgramArguments": list(command), "RunAtLoad": True,
                               "ProcessType": "Interactive"})


class RunKeyValue:
    """A value of the current user's Run key in the Windows registry (``winreg`` exists only there)."""

    where = f"HKEY_CURRENT_USER\\{RUN_KEY}"

    def write(self, command: Sequence[str]) -> None:
        if sys.platform != "win32":
            raise OSError("there is no Windows registry here")
        import winreg

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, ENTRY_NAME, 0, winreg.REG_SZ, subprocess.list2cmdline(command))

    def remove(self) -> None:
        if sys.platform != "win32":
            raise OSError("there is no Windows registry here")
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, ENTRY_NAME)
        except FileNotFoundError:
            pass


def login_entry(platform: str = sys.platform) -> LoginEntry:
    """Tsuzuki's entry among the programs this system starts at login."""
    if platform == "win32":
        return RunKeyValue()
    if platform == "darwin":
        return LaunchAgent(Path.home() / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist")
    return AutostartFile(autostart_folder() / "tsuzuki.desktop")


def autostart_folder() -> Path:
    """``$XDG_CONFIG_HOME/autostart`` (``~/.config`` when that is unset or not absolute)."""
    config = os.environ.get("XDG_CONFIG_HOME", "")
    return (Path(config) if os.path.isabs(config) else Path.home() / ".config") / "autostart"


def launch_command() -> list[str]:
    """How this installation of Tsuzuki is started: the bundled app itself, the ``tsuzuki``
    script installed beside this Python, or else ``python -m gui``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    scripts = Path(sys.executable).parent
    for name in ("tsuzuki", "tsuzuki.exe"):
        if (scripts / name).is_file():
            return [str(scripts / name)]
    return [sys.executable, "-m", "gui"]


def apply_start_on_login(enabled: bool, entry: LoginEntry | None = None,
                         command: Sequence[str] | None = None) -> None:
    """Write (``enabled``) or remove the login entry that runs ``command`` (this installation by
    default) with ``--minimized``; ``InputError`` naming ``start_on_login`` when the system refuses."""
    entry = entry or login_entry()
    try:
        if enabled:
            entry.write([*(command or launch_command()), START_OPTION])
        else:
            entry.remove()
    except (OSError, StorageError) as error:
        cause = error.__cause__ if isinstance(error, StorageError) else error
        reason = getattr(cause, "strerror", None) or str(cause)
        done = ("added to", "written") if enabled else ("removed from", "removed")
        raise InputError(f"start_on_login: Tsuzuki could not be {done[0]} the programs started at login: "
                         f"{entry.where} cannot be {done[1]} ({reason})") from None


def desktop_entry(command: Sequence[str]) -> str:
    """An autostart Desktop Entry whose ``Exec`` runs ``command``."""
    return "\n".join((
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.0",
        f"Name={ENTRY_NAME}",
        "Comment=Checks your watchlist for new episodes",
        f"Exec={' '.join(exec_argument(argument) for argument in command)}",
        "Icon=tsuzuki",
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
        "",
    ))


def exec_argument(argument: str) -> str:
    """``argument`` as the Desktop Entry spec wants it in ``Exec``: ``%`` doubled, quoted when it holds
    a reserved character (with ``"`` `` ` `` ``$`` ``\\`` escaped inside), then escaped as a string value."""
    argument = argument.replace("%", "%%")
    if any(character in _RESERVED for character in argument):
        argument = '"' + "".join("\\" + c if c in '"`$\\' else c for c in argument) + '"'
    return argument.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
