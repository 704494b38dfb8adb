"""Start on login: the XDG autostart entry for real (in this test's own XDG_CONFIG_HOME), the macOS
launch agent in a given folder; the Windows Run key cannot be reached here."""

from __future__ import annotations

import plistlib
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import InputError
from core.login_item import AutostartFile, LaunchAgent, RunKeyValue, apply_start_on_login, desktop_entry, login_entry
from tests.cli_runner import Run

STRING_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


def exec_line(entry: str) -> str:
    """The Exec value of a Desktop Entry, its string escapes undone (Desktop Entry spec, "Possible value types")."""
    (value,) = [line.removeprefix("Exec=") for line in entry.splitlines() if line.startswith("Exec=")]
    return re.sub(r"\\(.)", lambda match: STRING_ESCAPES[match[1]], value)


def split_exec(value: str) -> list[str]:
    """The program and arguments of an Exec value, by the spec's rules ("The Exec key"): spaces separate
    arguments, double quotes group, a backslash inside quotes takes the next character as it is, ``%%`` is ``%``."""
    arguments: list[str] = []
    current: list[str] | None = None
    quoted = escaped = False
    for character in value:
        if escaped:
            current = [*(current or []), character]
            escaped = False
        elif quoted and character == "\\":
            escaped = True
        elif character == '"':
            quoted, current = not quoted, current or []
        elif character == " " and not quoted:
            if current is not None:
                arguments.append("".join(current))
            current = None
        else:
            current = [*(current or []), character]
    assert not quoted and not escaped, f"unbalanced Exec value: {value!r}"
    if current is not None:
        arguments.append("".join(current))
    return [argument.replace("%%", "%") for argument in arguments]


def test_the_setting_writes_an_autostart_entry_that_runs_this_tsuzuki_minimized(cli: Run, autostart: Path) -> None:
    result = cli("settings", "set", "start_on_login", "true")

    assert result.code == 0, result.err
    entry = (autostart / "tsuzuki.desktop").read_text()
    assert entry.startswith("[Desktop Entry]\nType=Application\n")
    line = exec_line(entry)
    installed = Path(sys.executable).with_name("tsuzuki")
    assert installed.is_file()  # packaging/setup.sh installs the console script beside this Python
    assert split_exec(line) == shlex.split(line) == [str(installed), "--minimized"]


def test_turning_it_off_removes_the_entry(cli: Run, autostart: Path) -> None:
    assert cli("settings", "set", "start_on_login", "true").code == 0
    assert cli("settings", "set", "start_on_login", "false").code == 0
    assert not (autostart / "tsuzuki.desktop").exists()
    assert cli("settings", "set", "start_on_login", "false").code == 0  # nothing to remove is fine


@pytest.mark.parametrize("program", ["/opt/My Apps/tsuzuki", '/home/o"neil/bin/tsuzuki', "/srv/$HOME/tsu`zuki",
                                     r"C:\Program Files\Tsuzuki\tsuzuki.exe", "/opt/100%/tsuzuki", "/usr/bin/tsuzuki"])
def test_any_program_path_survives_the_exec_quoting(program: str, tmp_path: Path) -> None:
    AutostartFile(tmp_path / "tsuzuki.desktop").write([program, "--minimized"])

    line = exec_line((tmp_path / "tsuzuki.desktop").read_text())

    assert split_exec(line) == [program, "--minimized"]


def test_a_plain_path_is_not_quoted(tmp_path: Path) -> None:
    assert exec_line(desktop_entry(["/usr/bin/tsuzuki", "--minimized"])) == "/usr/bin/tsuzuki --minimized"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="needs desktop-file-utils")
def test_the_entry_is_a_valid_desktop_file(tmp_path: Path) -> None:
    entry = tmp_path / "tsuzuki.desktop"
    entry.write_text(desktop_entry(["/opt/My Apps/tsuzuki", "--minimized"]))

    checked = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)

    assert (checked.returncode, checked.stdout) == (0, "")


def test_an_entry_that_cannot_be_written_is_told_in_plain_words_and_nothing_changes(cli: Run, autostart: Path) -> None:
    (autostart / "tsuzuki.desktop").mkdir(parents=True)  # in its place: a folder (root ignores permissions)

    result = cli("settings", "set", "start_on_login", "true")

    assert result.code == 2
    assert result.err == (f"tsuzuki: error: start_on_login: Tsuzuki could not be added to the programs started at login: "
                          f"{autostart / 'tsuzuki.desktop'} cannot be written (Is a directory)\n")
    assert cli("settings", "get", "start_on_login").out == "false\n"


def test_a_removal_that_fails_is_an_input_error_naming_the_setting(autostart: Path) -> None:
    (autostart / "tsuzuki.desktop").mkdir(parents=True)

    with pytest.raises(InputError, match=r"^start_on_login: Tsuzuki could not be removed from the programs started "
                                         r"at login: .* cannot be removed \(Is a directory\)$"):
        apply_start_on_login(False)


def test_the_macos_launch_agent_runs_the_command_at_load(tmp_path: Path) -> None:
    agent = LaunchAgent(tmp_path / "LaunchAgents" / "org.tsuzuki.Tsuzuki.plist")

    apply_start_on_login(True, agent, ["/Applications/Tsuzuki.app/Contents/MacOS/Tsuzuki"])

    assert plistlib.loads(agent.path.read_bytes()) == {
        "Label": "org.tsuzuki.Tsuzuki", "RunAtLoad": True, "ProcessType": "Interactive",
        "ProgramArguments": ["/Applications/Tsuzuki.app/Contents/MacOS/Tsuzuki", "--minimized"]}
    apply_start_on_login(False, agent)
    assert not agent.path.exists()


def test_each_system_has_its_entry(autostart: Path) -> None:
    assert login_entry("linux") == AutostartFile(autostart / "tsuzuki.desktop")
    assert login_entry("darwin") == LaunchAgent(Path.home() / "Library" / "LaunchAgents" / "org.tsuzuki.Tsuzuki.plist")
    assert isinstance(login_entry("win32"), RunKeyValue)  # winreg exists only on Windows: not run here
    with pytest.raises(InputError, match=r"HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run "
                                         r"cannot be written \(there is no Windows registry here\)$"):
        apply_start_on_login(True, RunKeyValue())


def test_a_relative_xdg_config_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/config")
    assert login_entry("linux") == AutostartFile(Path.home() / ".config" / "autostart" / "tsuzuki.desktop")
