"""A real CoreService for the window's models, and a loopback feed with one episode."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from pytestqt.qtbot import QtBot

from core.datafolder import DataFolder
from core.models import WatchlistItem
from core.service import CoreService
from tests.loopback import PIECE, LoopbackServer

VIDEO = os.urandom(8 * PIECE)


def feed(loopback: LoopbackServer, *episodes: int, size: int = len(VIDEO)) -> str:
    """An RSS feed offering these Frieren episodes at /NN.mkv."""
    entries = "".join(
        f'<item><title>{escape(f"[G] Frieren - {number:02d} (1080p)")}</title><enclosure '
        f'url="{loopback.url(f"/{number:02d}.mkv")}" type="video/x-matroska" length="{size}"/></item>'
        for number in episodes)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{entries}</channel></rss>'


@pytest.fixture
def service(folder: DataFolder, tmp_path: Path, qtbot: QtBot) -> Iterator[CoreService]:
    made = CoreService(folder, scheduler_autostart=False)
    made.update_settings({"download_dir": str(tmp_path / "videos")})
    yield made
    assert made.shutdown(3000)


def add(service: CoreService, loopback: LoopbackServer, **fields: object) -> WatchlistItem:
    """Add a show whose source is the loopback's /rss (checked at once unless not active)."""
    values: dict[str, object] = {"anime_title": "Frieren", "anime_url": loopback.url("/rss"), "provider_id": "feed"}
    return service.add_item({**values, **fields}).item


class Repaints:
    """Records every dataChanged of a model as (top row, bottom row, left column, right column)."""

    def __init__(self, model: object) -> None:
        self.ranges: list[tuple[int, int, int, int]] = []
        model.dataChanged.connect(  # type: ignore[attr-defined]
            lambda top, bottom, roles=(): self.ranges.append((top.row(), bottom.row(), top.column(), bottom.column())))

    def rows(self) -> set[int]:
        return {row for top, bottom, _, _ in self.ranges for row in range(top, bottom + 1)}
