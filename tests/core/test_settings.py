from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.datafolder import DataFolder
from core.errors import InputError
from core.settings import SETTINGS_FILE, SettingsStore
from core.storage import Recovery


def test_defaults_without_a_file(folder: DataFolder) -> None:
    settings = SettingsStore(folder).get()
    assert settings.check_interval_hours == 6
    assert not folder.file(SETTINGS_FILE).exists()


def test_values_typed_as_text_are_converted_and_saved(folder: DataFolder, tmp_path: Path) -> None:
    store = SettingsStore(folder)
    settings = store.set_values(
        check_interval_hours="12", include_completed_anime="yes", download_dir=str(tmp_path / "anime")
    )
    assert (settings.check_interval_hours, settings.include_completed_anime) == (12, True)
    saved = json.loads(folder.file(SETTINGS_FILE).read_text())
    assert saved["schema_version"] == 1
    assert saved["check_interval_hours"] == 12
    assert saved["download_dir"] == str(tmp_path / "anime")
    assert SettingsStore(folder).get() == settings


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"check_interval_hours": "0"}, "check_interval_hours: Input should be greater than or equal to 1"),
        ({"check_interval_hours": "200"}, "check_interval_hours: Input should be less than or equal to 168"),
        ({"check_interval_hours": "six"}, "check_interval_hours: Input should be a valid integer"),
        ({"max_parallel_downloads": "99"}, "max_parallel_downloads: Input should be less than or equal to 10"),
        ({"download_dir": "relative"}, "download_dir: must be an absolute folder path"),
        ({"theme": "dark"}, "'theme' is not a setting; the settings are: check_interval_hours"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(folder: DataFolder, changes: dict[str, str], message: str) -> None:
    store = SettingsStore(folder)
    store.set_values(check_interval_hours="3")
    before = folder.file(SETTINGS_FILE).read_bytes()
    with pytest.raises(InputError) as caught:
        store.set_values(**changes)
    assert message in str(caught.value)
    assert folder.file(SETTINGS_FILE).read_bytes() == before


def test_a_hand_edited_bad_value_is_reset_and_the_rest_kept(folder: DataFolder) -> None:
    folder.ensure()
    original = json.dumps({"schema_version": 1, "check_interval_hours": 500, "max_parallel_downloads": 5}).encode()
    folder.file(SETTINGS_FILE).write_bytes(original)
    recoveries: list[Recovery] = []

    settings = SettingsStore(folder, on_recovery=recoveries.append).get()

    assert (settings.check_interval_hours, settings.max_parallel_downloads) == (6, 5)
    assert "check_interval_hours (Input should be less than or equal to 168; reset to its default)" in recoveries[0].message()
    assert recoveries[0].moved_to.read_bytes() == original


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("check_interval_hours", True),
        ("check_interval_hours", "12"),
        ("max_parallel_downloads", "3"),
        ("max_parallel_downloads", 2.5),
        ("max_parallel_downloads", 2.0),
        ("auto_download_enabled", 1),
        ("include_completed_anime", "yes"),
    ],
)
def test_a_hand_edited_value_of_the_wrong_type_is_reported_not_converted(
    folder: DataFolder, key: str, value: object
) -> None:
    folder.ensure()
    other = "max_parallel_downloads" if key == "check_interval_hours" else "check_interval_hours"
    original = json.dumps({"schema_version": 1, key: value, other: 5}).encode()
    folder.file(SETTINGS_FILE).write_bytes(original)
    recoveries: list[Recovery] = []

    settings = SettingsStore(folder, on_recovery=recoveries.append).get()

    default = getattr(SettingsStore(DataFolder(folder.path / "empty")).get(), key)
    assert getattr(settings, key) == default
    assert getattr(settings, other) == 5  # the good value is kept
    [recovery] = recoveries
    assert f"{key} (" in recovery.message() and "reset to its default" in recovery.message()
    assert recovery.moved_to.read_bytes() == original


def test_typed_values_are_not_converted_either(folder: DataFolder) -> None:
    store = SettingsStore(folder)
    with pytest.raises(InputError, match="check_interval_hours: Input should be a valid integer"):
        store.set_values(check_interval_hours=True)
    with pytest.raises(InputError, match="auto_download_enabled: Input should be a valid boolean"):
        store.set_values(auto_download_enabled=0)
    assert store.set_values(check_interval_hours=12, auto_download_enabled=False, max_parallel_downloads="4") == (
        store.get()
    )
    assert (store.get().check_interval_hours, store.get().max_parallel_downloads) == (12, 4)
