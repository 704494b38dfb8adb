from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.datafolder import DataFolder
from core.errors import StorageError
from core.storage import JsonStore, Recovery, atomic_write
from core.watchlist import WATCHLIST_FILE, WatchlistFile, WatchlistManager

GOOD_ITEM = {
    "anime_title": "Frieren",
    "anime_url": "https://example.org/frieren.xml",
    "provider_id": "feed",
    "id": "0" * 32,
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
}


def watchlist_store(folder: DataFolder, recoveries: list[Recovery] | None = None) -> JsonStore[WatchlistFile]:
    sink = recoveries.append if recoveries is not None else None
    return JsonStore(folder, WATCHLIST_FILE, WatchlistFile, WatchlistFile, sink)


def corrupt_files(folder: DataFolder) -> list[Path]:
    return sorted(folder.path.glob(f"{WATCHLIST_FILE}.corrupt-*"))


def test_atomic_write_leaves_a_private_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "doc.json"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["doc.json"]


def test_a_failing_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "watchlist.json"
    atomic_write(target, b"old")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(StorageError, match="No space left on device. The previous version is unchanged"):
        atomic_write(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["watchlist.json"]


def test_missing_file_reads_as_default_and_saves_with_schema_version(folder: DataFolder) -> None:
    store = watchlist_store(folder)
    assert store.read().items == []
    with store.edit() as document:
        document.items.append(WatchlistFile.model_validate({"schema_version": 1, "items": [GOOD_ITEM]}).items[0])
    saved = json.loads(store.path.read_text())
    assert saved["schema_version"] == WatchlistFile.SCHEMA_VERSION == 2
    assert [item["anime_title"] for item in saved["items"]] == ["Frieren"]


def test_a_failed_edit_writes_nothing(folder: DataFolder) -> None:
    store = watchlist_store(folder)
    with store.edit():
        pass
    before = store.path.read_bytes()
    with pytest.raises(RuntimeError), store.edit() as document:
        document.items.append(WatchlistFile.model_validate({"schema_version": 1, "items": [GOOD_ITEM]}).items[0])
        raise RuntimeError("refused")
    assert store.path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"schema_version": 1, "items": [', "it is not valid JSON"),
        (b"\xff\xfe garbage", "it is not valid JSON"),
        (b"[1, 2, 3]", "its top level is not a JSON object"),
        (b'{"items": []}', "it has no schema_version number"),
        (b"", "it is not valid JSON"),
    ],
)
def test_unreadable_file_is_moved_aside_byte_for_byte(folder: DataFolder, content: bytes, problem: str) -> None:
    folder.ensure()
    store = watchlist_store(folder, recoveries := [])
    store.path.write_bytes(content)
    assert store.read().items == []
    [moved] = corrupt_files(folder)
    assert moved.read_bytes() == content
    assert recoveries[0].moved_to == moved and problem in recoveries[0].problem
    assert str(moved) in recoveries[0].message()
    assert json.loads(store.path.read_text())["items"] == []


def test_hand_edit_error_keeps_every_valid_show(folder: DataFolder) -> None:
    folder.ensure()
    bad_status = {**GOOD_ITEM, "id": "1" * 32, "anime_title": "Dungeon Meshi", "status": "watching"}
    typo = {**GOOD_ITEM, "id": "2" * 32, "anime_title": "Apothecary", "auto_downlaod": False}
    other = {**GOOD_ITEM, "id": "3" * 32, "anime_title": "Mushishi", "anime_url": "https://example.org/m.xml"}
    original = json.dumps({"schema_version": 1, "items": [GOOD_ITEM, bad_status, typo, other]}).encode()
    store = watchlist_store(folder, recoveries := [])
    store.path.write_bytes(original)

    titles = [item.anime_title for item in store.read().items]

    assert titles == ["Frieren", "Mushishi"]
    [moved] = corrupt_files(folder)
    assert moved.read_bytes() == original
    message = recoveries[0].message()
    assert "items #2 'Dungeon Meshi' (status:" in message
    assert "items #3 'Apothecary' (auto_downlaod:" in message
    assert "Everything else was kept" in message
    assert [item.anime_title for item in store.read().items] == titles  # recovered file is valid now
    assert len(corrupt_files(folder)) == 1


def test_file_from_a_newer_version_is_left_untouched(folder: DataFolder) -> None:
    folder.ensure()
    store = watchlist_store(folder)
    content = b'{"schema_version": 99, "items": [], "new_feature": true}'
    store.path.write_bytes(content)
    with pytest.raises(StorageError, match="newer version of Tsuzuki"):
        store.read()
    with pytest.raises(StorageError, match="newer version of Tsuzuki"), store.edit():
        pass
    assert store.path.read_bytes() == content
    assert corrupt_files(folder) == []


def test_edit_clears_temp_files_left_by_a_killed_writer(folder: DataFolder) -> None:
    folder.ensure()
    leftover = folder.path / f".{WATCHLIST_FILE}.abc123.tmp"
    leftover.write_text("half a docu")
    with watchlist_store(folder).edit():
        pass
    assert not leftover.exists()


SAVER = textwrap.dedent(
    """
    import sys
    from core.datafolder import DataFolder
    from core.models import WatchlistItem
    from core.storage import JsonStore
    from core.watchlist import WatchlistFile
    store = JsonStore(DataFolder(__import__("pathlib").Path(sys.argv[1])), "watchlist.json",
                      WatchlistFile, WatchlistFile)
    template = dict(provider_id="feed",
                    created_at="2026-01-01T00:00:00Z", updated_at="2026-01-01T00:00:00Z")
    for save in range(200):
        with store.edit() as document:
            document.items = [
                WatchlistItem(**template, anime_title=f"save {save}", id=f"{n:032x}", anime_url=f"https://example.org/{n}.xml")
                for n in range(1 + save % 40)
            ]
        if save == 0:
            print("saving", flush=True)
    print("done", flush=True)
    """
)


@pytest.mark.parametrize("round_", range(4))
def test_kill_during_200_saves_leaves_a_whole_file(folder: DataFolder, round_: int) -> None:
    folder.ensure()
    child = subprocess.Popen([sys.executable, "-c", SAVER, str(folder.path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline() == "saving\n"
    os.kill(child.pid, signal.SIGKILL)  # somewhere in saves 1..199 (or a moment later)
    assert child.wait() == -signal.SIGKILL
    assert child.stdout.read() == "", "the saver finished before it could be killed"

    document = WatchlistManager(folder, on_recovery=lambda r: pytest.fail(r.message()))
    items = document.list_items()
    assert 1 <= len(items) <= 40
    saves = {item.anime_title for item in items}
    assert len(saves) == 1, f"a mix of two saves: {saves}"
    save = int(saves.pop().split()[1])
    assert len(items) == 1 + save % 40
    assert corrupt_files(folder) == []


def test_kill_at_random_points_never_truncates(folder: DataFolder) -> None:
    folder.ensure()
    rng = random.Random(7)
    for _ in range(3):
        child = subprocess.Popen([sys.executable, "-c", SAVER, str(folder.path)], stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline() == "saving\n"
        try:
            child.wait(timeout=rng.uniform(0.0, 0.3))
        except subprocess.TimeoutExpired:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        json.loads((folder.path / WATCHLIST_FILE).read_text())
        WatchlistFile.model_validate_json((folder.path / WATCHLIST_FILE).read_text())


def test_a_version_1_watchlist_reads_with_the_new_fields_at_their_defaults(folder: DataFolder) -> None:
    folder.ensure()
    store = watchlist_store(folder, recoveries := [])
    store.path.write_text(json.dumps({"schema_version": 1, "items": [GOOD_ITEM]}))
    [item] = store.read().items
    assert (item.title_aliases, item.episode_offset, item.anilist_id) == ([], 0, None)
    with store.edit():
        pass
    assert json.loads(store.path.read_text())["schema_version"] == 2
    assert recoveries == []
