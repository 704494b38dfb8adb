from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from core.datafolder import DataFolder
from core.episodes import EpisodeBook, EpisodeState
from core.models import new_item_id
from providers.base import LinkKind


@pytest.fixture
def book(folder: DataFolder) -> EpisodeBook:
    return EpisodeBook(folder)


def test_an_episode_is_claimed_once_whatever_the_release(book: EpisodeBook) -> None:
    show = new_item_id()
    assert book.claim(show, 5, "[A] Frieren - 05 (1080p).mkv", "https://example.org/a5", LinkKind.HTTP)
    assert not book.claim(show, 5, "[B] Frieren - 05v2 (720p).mkv", "https://example.org/b5", LinkKind.HTTP)
    book.record(show, 5, EpisodeState.DOWNLOADING)
    assert not book.claim(show, 5, "[B] Frieren - 05v2 (720p).mkv", "https://example.org/b5", LinkKind.HTTP)
    book.record(show, 5, EpisodeState.DONE, path="/videos/Frieren/05.mkv")
    assert not book.claim(show, 5, "[C] Frieren - 05 (480p).mkv", "https://example.org/c5", LinkKind.HTTP)
    record = book.episodes(show)[5]
    assert (record.state, record.release_name, record.path) == (
        EpisodeState.DONE, "[A] Frieren - 05 (1080p).mkv", "/videos/Frieren/05.mkv")


def test_a_failed_episode_can_be_claimed_again(book: EpisodeBook) -> None:
    show = new_item_id()
    book.claim(show, 2, "[A] X - 02.mkv", "l1", LinkKind.HTTP)
    book.record(show, 2, EpisodeState.FAILED, reason="the server sent a web page instead of the video")
    assert book.episodes(show)[2].reason == "the server sent a web page instead of the video"
    assert book.claim(show, 2, "[B] X - 02.mkv", "l2", LinkKind.HTTP)


def test_concurrent_claims_grant_one(book: EpisodeBook) -> None:
    show = new_item_id()
    with ThreadPoolExecutor(max_workers=8) as pool:
        granted = list(pool.map(lambda n: book.claim(show, 7, f"[G{n}] X - 07.mkv", f"l{n}", LinkKind.HTTP), range(16)))
    assert granted.count(True) == 1


def test_states_are_kept_per_show_on_disk(folder: DataFolder, book: EpisodeBook) -> None:
    first, second = new_item_id(), new_item_id()
    book.claim(first, 1, "a", "l", LinkKind.HTTP)
    assert EpisodeBook(folder).episodes(first)[1].state is EpisodeState.QUEUED
    assert EpisodeBook(folder).episodes(second) == {}
    saved = json.loads((folder.path / "episodes" / f"{first}.json").read_text())
    assert saved["episodes"]["1"]["state"] == "queued"
    book.forget(first)
    assert book.episodes(first) == {}


def test_ids_cannot_name_other_files(book: EpisodeBook) -> None:
    with pytest.raises(ValueError, match="32 lowercase hex digits"):
        book.claim("../../watchlist", 1, "a", "l", LinkKind.HTTP)
