"""Shared fixtures: every test gets its own data folder; Qt never needs a screen."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core.datafolder import HOME_ENV, DataFolder  # noqa: E402
from core.models import WatchlistItemCreate, utc_now  # noqa: E402


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
