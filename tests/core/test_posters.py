"""Posters: fetched once from a loopback server, kept in a bounded cache, refused when not an image."""

from __future__ import annotations

import pytest

from core.datafolder import DataFolder
from core.posters import PosterCache, PosterUnavailable
from tests.loopback import LoopbackServer

PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


def test_a_poster_is_fetched_once_then_read_from_the_cache(folder: DataFolder, loopback: LoopbackServer) -> None:
    loopback.route("/cover.png", PNG, headers={"Content-Type": "image/png"})
    cache = PosterCache(folder)

    assert cache.get(loopback.url("/cover.png")) == PNG
    assert PosterCache(folder).get(loopback.url("/cover.png")) == PNG  # another run: from the disk

    assert len(loopback.requests_to("/cover.png")) == 1


def test_the_cache_keeps_the_most_recently_used(folder: DataFolder, loopback: LoopbackServer) -> None:
    cache = PosterCache(folder, max_files=2)
    for name in ("a", "b", "c"):
        loopback.route(f"/{name}.png", PNG + name.encode())
        cache.get(loopback.url(f"/{name}.png"))

    assert len(list((folder.path / "posters").iterdir())) == 2
    assert cache.get(loopback.url("/c.png")) == PNG + b"c"
    assert len(loopback.requests_to("/c.png")) == 1
    cache.get(loopback.url("/a.png"))
    assert len(loopback.requests_to("/a.png")) == 2  # dropped, so fetched again


@pytest.mark.parametrize(("path", "body", "status", "message"), [
    ("/page", b"<html>login</html>", 200, "is not a JPEG, PNG, GIF or WebP image"),
    ("/gone.png", b"", 404, "answered 404"),
])
def test_what_is_not_a_poster_is_refused_in_plain_words(
    folder: DataFolder, loopback: LoopbackServer, path: str, body: bytes, status: int, message: str
) -> None:
    loopback.route(path, body, status=status)
    with pytest.raises(PosterUnavailable, match=message):
        PosterCache(folder).get(loopback.url(path))
    assert not (folder.path / "posters").exists() or not any((folder.path / "posters").iterdir())
