"""Shared fixtures: every test gets its own data folder; Qt never needs a screen."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import platformdirs
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core.cli.main import main  # noqa: E402
from core.datafolder import HOME_ENV, DataFolder  # noqa: E402
from core.models import WatchlistItemCreate, utc_now  # noqa: E402
from tests.cli_runner import Result, Run  # noqa: E402


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data-folder root, exported as TSUZUKI_HOME (also to child processes)."""
    root = tmp_path / "home"
    monkeypatch.setenv(HOME_ENV, str(root))
    return root


@pytest.fixture
def folder(home: Path) -> DataFolder:
    return DataFolder.for_profile(None)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def show() -> Callable[..., WatchlistItemCreate]:
    """Builds a valid new show; keyword arguments override its fields."""

    def build(**fields: object) -> WatchlistItemCreate:
        values: dict[str, object] = {
            "anime_title": "Frieren",
            "anime_url": "https://feeds.example.org/frieren.xml",
            "provider_id": "feed",
        }
        values.update(fields)
        return WatchlistItemCreate.model_validate(values)

    return build


@pytest.fixture
def loopback():  # type: ignore[no-untyped-def]
    """A real HTTP server on 127.0.0.1 (see tests/loopback.py); closed after the test."""
    from tests.loopback import LoopbackServer

    server = LoopbackServer()
    yield server
    server.close()


@pytest.fixture
def anilist(loopback, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """An AniList-shaped loopback endpoint (tests/providers/anilist_server.py) that the process's client uses."""
    from core import metadata
    from tests.providers.anilist_server import PATH, FakeAniList

    monkeypatch.setenv(metadata.ENDPOINT_ENV, loopback.url(PATH))
    metadata.anilist.cache_clear()
    yield FakeAniList(loopback)
    metadata.anilist.cache_clear()


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A real keyring backend that keeps secrets in this process's memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets an empty in-memory keyring: no test touches the real one."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def autostart(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own XDG config folder (beside its ``tmp_path``, which stays empty): no test
    adds Tsuzuki to the real login, and the default download folder (the user's Downloads, from
    ``user-dirs.dirs``) is a temporary one too."""
    config = tmp_path_factory.mktemp("config")
    downloads = tmp_path_factory.mktemp("Downloads")
    (config / "user-dirs.dirs").write_text(f'XDG_DOWNLOAD_DIR="{downloads}"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    assert platformdirs.user_downloads_dir() == str(downloads)
    return config / "autostart"


@pytest.fixture
def cli(home, capsys: pytest.CaptureFixture[str]) -> Run:  # type: ignore[no-untyped-def]
    """``cli("add", "--title", ...)`` runs ``tsuzuki`` in this process."""

    def run(*argv: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse: --help, --version, usage errors
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def tsuzuki_process(home) -> Run:  # type: ignore[no-untyped-def]
    """``tsuzuki_process("list", "--json")`` runs ``tsuzuki`` as a separate process."""

    def run(*argv: str) -> Result:
        done = subprocess.run(
            [sys.executable, "-m", "core.cli.main", *argv], capture_output=True, text=True, timeout=60
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may open a network connection anywhere but this machine's loopback."""
    connect = socket.socket.connect

    def loopback_only(sock: socket.socket, address: object) -> None:
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"a test tried to reach {address}")
        connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)


@pytest.fixture
def service(folder: DataFolder, tmp_path: Path, qtbot):  # type: ignore[no-untyped-def]
    """A running engine over ``folder`` (scheduler off), downloading into ``tmp_path/videos``."""
    from core.service import CoreService

    made = CoreService(folder, scheduler_autostart=False)
    made.update_settings({"download_dir": str(tmp_path / "videos")})
    yield made
    assert made.shutdown(3000)


def add_show(service, loopback, **fields: object):  # type: ignore[no-untyped-def]
    """Add a show whose source is the loopback's /rss (checked at once unless not active)."""
    values: dict[str, object] = {"anime_title": "Frieren", "anime_url": loopback.url("/rss"), "provider_id": "feed"}
    return service.add_item({**values, **fields}).item

