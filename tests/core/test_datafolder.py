from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.datafolder import DataFolder
from core.errors import InputError, StorageError

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from core.datafolder import DataFolder
    folder = DataFolder(Path(sys.argv[1]))
    with folder.lock():
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
        (folder.path / "released").touch()
    """
)


def hold_lock(folder: DataFolder, seconds: float) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder.path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline() == "locked\n"
    return child


def test_home_override_and_profiles(home: Path) -> None:
    assert DataFolder.for_profile(None).path == home
    assert DataFolder.for_profile("alice").path == home / "profiles" / "alice"


@pytest.mark.parametrize("name", ["../evil", "", ".", "..", "a/b", ".hidden", "x" * 65, "name.", "a b"])
def test_unusable_profile_names_are_refused(home: Path, name: str) -> None:
    with pytest.raises(InputError, match="is not usable"):
        DataFolder.for_profile(name)


def test_folders_are_created_private(home: Path) -> None:
    folder = DataFolder.for_profile("alice")
    folder.ensure()
    for path in (home, home / "profiles", folder.path):
        assert path.stat().st_mode & 0o777 == 0o700


def test_a_writer_waits_for_the_one_holding_the_lock(folder: DataFolder) -> None:
    child = hold_lock(folder, 1.0)
    with folder.lock():
        assert (folder.path / "released").exists(), "got the lock while another process held it"
    assert child.wait() == 0


def test_a_lock_held_too_long_is_a_clear_error(folder: DataFolder) -> None:
    child = hold_lock(folder, 5.0)
    impatient = DataFolder(folder.path, lock_timeout=0.2)
    with pytest.raises(StorageError, match="Another Tsuzuki process has been writing"), impatient.lock():
        pytest.fail("the lock was granted twice")
    child.kill()
    child.wait()


def test_the_lock_of_a_killed_process_is_recovered(folder: DataFolder) -> None:
    child = hold_lock(folder, 60.0)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert (folder.path / ".lock").exists()
    with DataFolder(folder.path, lock_timeout=2.0).lock():
        assert not (folder.path / "released").exists()


def test_a_relative_home_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TSUZUKI_HOME", "portable/data")
    path = DataFolder.for_profile(None).path
    assert path.is_absolute() and path == tmp_path / "portable" / "data"


def test_a_home_that_is_a_file_is_a_plain_error(tmp_path: Path) -> None:
    a_file = tmp_path / "data"
    a_file.write_text("mine")
    (tmp_path / "root" / "profiles").mkdir(parents=True)
    (tmp_path / "root" / "profiles" / "alice").write_text("mine")
    for home, code, message, profile in (
        (a_file, 2, "which is a file, not a folder", []),
        (a_file / "sub", 1, f"{a_file} is a file, not a folder", []),
        (tmp_path / "root", 1, "alice is a file, not a folder", ["--profile", "alice"]),
    ):
        for argv in (["list"], ["add", "--title", "X", "--url", "https://a.example/x.xml", "--provider", "feed"],
                     ["--selftest"]):
            done = subprocess.run([sys.executable, "-m", "core.cli.main", *profile, *argv], capture_output=True,
                                  text=True, timeout=60, env={**os.environ, "TSUZUKI_HOME": str(home)})
            assert done.returncode == code, done.stderr
            assert message in done.stderr and "Traceback" not in done.stderr
    assert a_file.read_text() == "mine" and (tmp_path / "root" / "profiles" / "alice").read_text() == "mine"
