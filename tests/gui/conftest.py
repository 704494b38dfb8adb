"""For the window's tests: a loopback feed of Frieren episodes, and a recorder of repaints."""

from __future__ import annotations

import os
from xml.sax.saxutils import escape

from tests.loopback import PIECE, LoopbackServer

VIDEO = os.urandom(8 * PIECE)


def feed(loopback: LoopbackServer, *episodes: int, size: int = len(VIDEO)) -> str:
    """An RSS feed offering these Frieren episodes at /NN.mkv."""
    entries = "".join(
        f'<item><title>{escape(f"[G] Frieren - {number:02d} (1080p)")}</title><enclosure '
        f'url="{loopback.url(f"/{number:02d}.mkv")}" type="video/x-matroska" length="{size}"/></item>'
        for number in episodes)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{entries}</channel></rss>'


class Repaints:
    """Records every dataChanged of a model as (top row, bottom row, left column, right column)."""

    def __init__(self, model: object) -> None:
        self.ranges: list[tuple[int, int, int, int]] = []
        model.dataChanged.connect(  # type: ignore[attr-defined]
            lambda top, bottom, roles=(): self.ranges.append((top.row(), bottom.row(), top.column(), bottom.column())))

    def rows(self) -> set[int]:
        return {row for top, bottom, _, _ in self.ranges for row in range(top, bottom + 1)}
