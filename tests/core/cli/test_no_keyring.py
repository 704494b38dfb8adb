"""A box with no system keyring (keyring's fail backend, the default when headless) is normal."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from tests.cli_runner import Run
from tests.conftest import MemoryKeyring
from tests.core.cli.test_bad_input import snapshot


@pytest.fixture(autouse=True)
def no_keyring(memory_keyring: object) -> Iterator[None]:
    """Replace the in-memory keyring the suite gives every test with the fail backend."""
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield


def test_selftest_passes_and_says_what_to_install(cli: Run, qapp) -> None:  # type: ignore[no-untyped-def]
    result = cli("--selftest")
    assert result.code == 0, result.out
    assert "keyring: missing" in result.out and "gnome-keyring" in result.out
    parts = {part["part"]: part for part in cli("--selftest", "--json").json()}
    assert parts["keyring"]["ok"] is True and parts["keyring"]["missing"] is True
    assert "secret" in parts["keyring"]["detail"].lower()


def test_notify_add_needs_a_keyring_and_writes_nothing(cli: Run, home: Path) -> None:
    cli("settings", "set", "check_interval_hours", "8")
    before = snapshot(home)
    result = cli("notify", "add", "My Discord", "discord://1234/SECRET-TOKEN")
    assert result.code == 1, result
    assert "keyring" in result.err and "gnome-keyring" in result.err and "Traceback" not in result.err
    assert "SECRET-TOKEN" not in result.err + result.out
    assert snapshot(home) == before


def test_torrent_client_set_with_a_password_needs_a_keyring(
    cli: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.StringIO("s3cret\n")
    monkeypatch.setattr("sys.stdin", stdin)
    result = cli("torrent-client", "set", "--kind", "qbittorrent", "--url", "http://127.0.0.1:8080",
                 "--username", "admin", "--password-stdin")
    assert result.code == 1, result
    assert "keyring" in result.err and "gnome-keyring" in result.err
    assert stdin.read() == "s3cret\n", "the password was asked for though it could not be kept"
    assert not (home / "torrent_client.json").exists()
    assert all(b"s3cret" not in data for data in snapshot(home).values())


def test_torrent_client_without_a_password_and_clear_work_without_a_keyring(cli: Run, home: Path) -> None:
    assert cli("torrent-client", "set", "--kind", "transmission", "--url", "http://127.0.0.1:9091").code == 0
    cleared = cli("torrent-client", "clear")
    assert cleared.code == 0, cleared.err
    assert json.loads(cli("torrent-client", "--json").out) is None


def test_clear_says_when_a_password_is_left_in_an_unreachable_keyring(
    cli: Run, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(memory_keyring)  # the keyring was there when the client was set up
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n"))
    assert cli("torrent-client", "set", "--kind", "qbittorrent", "--url", "http://127.0.0.1:8080",
               "--username", "admin", "--password-stdin").code == 0
    keyring.set_keyring(keyring.backends.fail.Keyring())
    cleared = cli("torrent-client", "clear")
    assert cleared.code == 0 and "warning:" in cleared.err and "stays in the keyring" in cleared.err
    assert json.loads(cli("torrent-client", "--json").out) is None
