"""The settings dialog against a real engine, a loopback notification hook and a qBittorrent-shaped server."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QTableWidgetItem
from pytestqt.qtbot import QtBot

from core.choices import NotificationEvent, WindowOnStart
from core.models import utc_now
from core.scheduler_state import SchedulerState
from core.service import CoreService
from gui.dialogs.settings_dialog import SettingsDialog
from gui.dialogs.settings_pages import ChannelsPage
from gui.scheduler_text import status_text
from gui.windows.main_window import MainWindow
from tests.core.downloads.qbittorrent_server import FakeQBittorrent
from tests.core.test_notifications import closed_port, hook
from tests.loopback import LoopbackServer

WAIT_MS = 5_000


def opened(service: CoreService, qtbot: QtBot) -> SettingsDialog:
    dialog = SettingsDialog(service)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def cell(page: ChannelsPage, row: int, column: int) -> QTableWidgetItem:
    item = page.table.item(row, column)
    assert item is not None
    return item


def test_spin_boxes_have_the_models_ranges(service: CoreService, qtbot: QtBot) -> None:
    dialog = opened(service, qtbot)

    interval = dialog.general.numbers["check_interval_hours"]
    assert (interval.minimum(), interval.maximum(), interval.value()) == (1, 168, 6)
    parallel = dialog.general.numbers["max_parallel_downloads"]
    assert (parallel.minimum(), parallel.maximum()) == (1, 10)


def test_a_bad_value_is_marked_beside_its_field_and_not_saved(service: CoreService, qtbot: QtBot) -> None:
    before = service.settings()
    dialog = opened(service, qtbot)
    dialog.general.numbers["check_interval_hours"].setValue(12)
    dialog.general.download_dir.setText("relative/videos")

    with qtbot.assertNotEmitted(service.settings_changed):
        dialog.apply()

    mark = dialog.general.marks.labels["download_dir"]
    assert mark.isVisible() and mark.text() == "must be an absolute folder path (got 'relative/videos')"
    assert not dialog.general.marks.labels["check_interval_hours"].isVisible()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert service.settings() == before


def test_the_subtitle_language_is_a_two_letter_code_checked_beside_its_field(service: CoreService,
                                                                             qtbot: QtBot) -> None:
    dialog = opened(service, qtbot)
    language = dialog.general.subtitle_language
    assert language.currentText() == "en"
    language.setCurrentText("french")

    dialog.apply()

    mark = dialog.general.marks.labels["subtitle_language"]
    assert mark.isVisible() and mark.text() == "must be a two-letter language code such as en, fr or it (got 'french')"
    assert service.settings().subtitle_language == "en"
    language.setCurrentText("FR")
    with qtbot.waitSignal(service.settings_changed, timeout=WAIT_MS):
        dialog.apply()
    assert service.settings().subtitle_language == "fr"


def test_a_good_change_saves_only_the_changed_keys(service: CoreService, qtbot: QtBot, tmp_path: Path) -> None:
    dialog = opened(service, qtbot)
    dialog.general.numbers["check_interval_hours"].setValue(12)
    dialog.general.switches["include_completed_anime"].setChecked(True)
    dialog.general.download_dir.setText(str(tmp_path / "anime"))
    assert dialog.general.changes() == {"check_interval_hours": 12, "include_completed_anime": True,
                                        "download_dir": str(tmp_path / "anime")}

    with qtbot.waitSignal(service.settings_changed, timeout=WAIT_MS) as changed:
        dialog.apply()

    saved = service.settings()
    assert (saved.check_interval_hours, saved.include_completed_anime, saved.download_dir) == (
        12, True, tmp_path / "anime")
    assert changed.args == [saved]
    assert service.scheduler_state().interval_hours == 12
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_ok_without_changes_saves_nothing(service: CoreService, qtbot: QtBot) -> None:
    dialog = opened(service, qtbot)

    with qtbot.assertNotEmitted(service.settings_changed):
        dialog.apply()

    assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_window_settings_are_saved_and_start_on_login_writes_the_entry(service: CoreService, qtbot: QtBot,
                                                                           autostart: Path) -> None:
    dialog = opened(service, qtbot)
    general = dialog.general
    assert general.on_start.currentText() == "Normal"
    assert general.switches["close_to_tray"].isChecked() and not general.switches["start_on_login"].isChecked()
    general.on_start.setCurrentIndex(general.on_start.findText("Hidden (only the tray icon)"))
    general.switches["close_to_tray"].setChecked(False)
    general.switches["start_on_login"].setChecked(True)

    dialog.apply()

    saved = service.settings()
    assert (saved.window_on_start, saved.close_to_tray, saved.start_on_login) == (WindowOnStart.HIDDEN, False, True)
    assert "--minimized" in (autostart / "tsuzuki.desktop").read_text()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert opened(service, qtbot).general.on_start.currentText() == "Hidden (only the tray icon)"


def test_a_login_entry_that_cannot_be_written_is_marked_beside_its_box(service: CoreService, qtbot: QtBot,
                                                                        autostart: Path) -> None:
    (autostart / "tsuzuki.desktop").mkdir(parents=True)  # in its place: a folder (root ignores permissions)
    dialog = opened(service, qtbot)
    dialog.general.switches["start_on_login"].setChecked(True)
    dialog.general.switches["close_to_tray"].setChecked(False)

    with qtbot.assertNotEmitted(service.settings_changed):
        dialog.apply()

    mark = dialog.general.marks.labels["start_on_login"]
    assert mark.isVisible() and mark.text() == (
        f"Tsuzuki could not be added to the programs started at login: {autostart / 'tsuzuki.desktop'} "
        "cannot be written (Is a directory)")
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert (service.settings().start_on_login, service.settings().close_to_tray) == (False, True)


def test_the_scheduler_status_line_in_words() -> None:
    now = utc_now()
    assert status_text(SchedulerState(True, 6, now + timedelta(hours=3, minutes=20), None), now) == (
        "Periodic checks every 6 h; next check in 3 h 20 min")
    assert status_text(SchedulerState(True, 6, now, None), now) == "Periodic checks every 6 h; next check now"
    assert status_text(SchedulerState(False, 6, None, None), now) == "Periodic checks are off"


def test_the_scheduler_buttons_change_the_status_line(service: CoreService, qtbot: QtBot) -> None:
    dialog = opened(service, qtbot)
    page = dialog.scheduler
    dialog.tabs.setCurrentWidget(page)
    assert page.status.text() == "Periodic checks are off"
    assert not page.stop_button.isEnabled()

    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.status.text().startswith("Periodic checks every 6 h; next check ")
    assert not page.start_button.isEnabled() and page.stop_button.isEnabled()

    qtbot.mouseClick(page.stop_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == "Periodic checks are off"


def test_a_new_channel_is_listed_and_its_test_runs_in_the_background(
    service: CoreService, qtbot: QtBot, loopback: LoopbackServer
) -> None:
    dialog = opened(service, qtbot)
    page = dialog.channels
    dialog.tabs.setCurrentWidget(page)
    page.label.setText("Phone")
    page.url.setText(hook(loopback, "/phone", delay=0.5))
    page.add()
    assert [cell(page, 0, column).text() for column in (0, 1)] == ["Phone", service.shown_address("phone")]
    assert cell(page, 0, 0).checkState() == Qt.CheckState.Checked

    started = time.monotonic()
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    assert time.monotonic() - started < 0.3  # the hook takes 0.5 s: the click did not wait for it
    assert page.test_answer.text() == "Testing…"

    qtbot.waitUntil(lambda: page.test_answer.text() == "sent", timeout=WAIT_MS)
    assert [json.loads(seen.body)["title"] for seen in loopback.requests_to("/phone")] == ["Tsuzuki test message"]


def test_an_answer_after_the_dialog_closed_is_dropped(
    service: CoreService, qtbot: QtBot, loopback: LoopbackServer
) -> None:
    dialog = opened(service, qtbot)
    page = dialog.channels
    page.label.setText("Phone")
    page.url.setText(hook(loopback, "/phone", delay=0.3))
    page.add()
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(loopback.requests_to("/phone")) == 1, timeout=WAIT_MS)

    with qtbot.waitSignal(dialog.destroyed, timeout=WAIT_MS):
        dialog.deleteLater()
    qtbot.wait(800)  # the answer arrives (a slot raising on the deleted label would fail the test)


def test_a_failed_test_says_why(service: CoreService, qtbot: QtBot) -> None:
    dialog = opened(service, qtbot)
    page = dialog.channels
    dialog.tabs.setCurrentWidget(page)
    page.label.setText("Gone")
    page.url.setText(f"json://127.0.0.1:{closed_port()}/hook")
    page.add()

    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: page.test_answer.text().startswith("Gone did not get the test message"), timeout=WAIT_MS)


def test_a_bad_channel_is_marked_and_a_disabled_one_stays_disabled(service: CoreService, qtbot: QtBot,
                                                                    loopback: LoopbackServer) -> None:
    dialog = opened(service, qtbot)
    page = dialog.channels
    dialog.tabs.setCurrentWidget(page)
    page.label.setText("Nonsense")
    page.url.setText("not a url")
    page.add()
    assert page.marks.general.isVisible() and "not an address" in page.marks.general.text()
    assert service.channels() == []

    page.url.setText(hook(loopback, "/phone"))
    page.add()
    cell(page, 0, 0).setCheckState(Qt.CheckState.Unchecked)
    assert [channel.enabled for channel in service.channels()] == [False]

    page.remove()
    assert service.channels() == [] and page.table.rowCount() == 0


def checked_events(page: ChannelsPage) -> set[NotificationEvent]:
    return {event for event, box in page.events.items() if box.isChecked()}


def test_each_channel_chooses_its_events_saved_in_the_background(service: CoreService, qtbot: QtBot,
                                                                 loopback: LoopbackServer) -> None:
    service.add_channel("Phone", hook(loopback, "/phone"))
    service.add_channel("Mail", hook(loopback, "/mail"), [NotificationEvent.DOWNLOAD_FAILED])
    dialog = opened(service, qtbot)
    page = dialog.channels
    dialog.tabs.setCurrentWidget(page)
    assert not any(box.isEnabled() for box in page.events.values())  # no channel chosen yet
    assert [box.text() for box in page.events.values()] == [
        "New episodes", "Finished downloads", "Failed downloads", "Broken sources"]

    page.table.selectRow(1)
    assert checked_events(page) == {NotificationEvent.DOWNLOAD_FAILED}
    page.table.selectRow(0)
    assert checked_events(page) == set(NotificationEvent)
    qtbot.mouseClick(page.events[NotificationEvent.DOWNLOAD_FINISHED], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.events[NotificationEvent.NEW_EPISODE], Qt.MouseButton.LeftButton)

    wanted = {NotificationEvent.DOWNLOAD_FAILED, NotificationEvent.SOURCE_BROKEN}
    qtbot.waitUntil(lambda: service.channels()[0].events == wanted, timeout=WAIT_MS)
    assert service.channels()[1].events == {NotificationEvent.DOWNLOAD_FAILED}
    page.table.selectRow(1)
    page.table.selectRow(0)
    assert checked_events(page) == wanted
    reopened = opened(service, qtbot)
    reopened.channels.table.selectRow(0)
    assert checked_events(reopened.channels) == wanted


def test_events_of_a_channel_gone_meanwhile_say_why_and_the_list_shows_what_is_saved(service: CoreService, qtbot: QtBot,
                                                                           loopback: LoopbackServer) -> None:
    service.add_channel("Phone", hook(loopback, "/phone"))
    dialog = opened(service, qtbot)
    page = dialog.channels
    dialog.tabs.setCurrentWidget(page)
    page.table.selectRow(0)
    service.remove_channel("phone")  # by the command line, say

    qtbot.mouseClick(page.events[NotificationEvent.NEW_EPISODE], Qt.MouseButton.LeftButton)

    qtbot.waitUntil(page.events_mark.isVisible, timeout=WAIT_MS)
    assert page.events_mark.text().startswith("There is no notification channel 'phone'")
    assert page.table.rowCount() == 0 and not any(box.isEnabled() for box in page.events.values())


def test_without_a_keyring_the_channel_form_says_so(service: CoreService, qtbot: QtBot,
                                                    loopback: LoopbackServer) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # the memory keyring fixture puts its own back
    dialog = opened(service, qtbot)
    page = dialog.channels
    dialog.tabs.setCurrentWidget(page)
    page.label.setText("Phone")
    page.url.setText(hook(loopback, "/phone"))

    page.add()

    assert page.marks.labels["url"].isVisible() and "keyring" in page.marks.labels["url"].text().lower()
    assert service.channels() == []


@pytest.fixture
def qbittorrent(loopback: LoopbackServer) -> FakeQBittorrent:
    return FakeQBittorrent(loopback, username="admin", password="s3cret", version="v5.0.1")


def test_the_torrent_client_is_saved_and_its_test_shows_the_version(
    service: CoreService, qtbot: QtBot, qbittorrent: FakeQBittorrent
) -> None:
    dialog = opened(service, qtbot)
    page = dialog.torrent
    dialog.tabs.setCurrentWidget(page)
    page.url.setText(qbittorrent.url)
    page.username.setText("admin")
    page.password.setText("s3cret")
    assert page.password.echoMode() == page.password.EchoMode.Password

    assert page.save()
    client = service.torrent_client()
    assert client is not None and (client.kind, client.url, client.username) == ("qbittorrent", qbittorrent.url,
                                                                                   "admin")
    page.test()
    assert page.answer.text() == "Testing…"
    qtbot.waitUntil(lambda: page.answer.text() == "qBittorrent v5.0.1", timeout=WAIT_MS)

    again = opened(service, qtbot)
    reopened = again.torrent
    assert (reopened.url.text(), reopened.username.text(), reopened.password.text()) == (
        qbittorrent.url, "admin", "")
    assert not reopened.save()  # an empty password would replace the kept one
    assert reopened.marks.labels["password"].text().startswith("Type the password")
    reopened.clear()
    assert service.torrent_client() is None


def test_a_bad_torrent_client_url_is_marked(service: CoreService, qtbot: QtBot) -> None:
    dialog = opened(service, qtbot)
    page = dialog.torrent
    dialog.tabs.setCurrentWidget(page)
    page.url.setText("ftp://nowhere")

    assert not page.save()

    assert page.marks.labels["url"].isVisible() and page.marks.labels["url"].text().startswith("must be the http")
    assert service.torrent_client() is None


def test_the_main_windows_settings_action_opens_the_dialog(service: CoreService, qtbot: QtBot) -> None:
    window = MainWindow(service)
    qtbot.addWidget(window)
    action = next(action for action in window.findChildren(QAction) if action.text() == "&Settings…")
    assert action.shortcut() == QKeySequence("Ctrl+,")

    action.trigger()

    dialog = window.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(dialog.destroyed, timeout=WAIT_MS):  # closed, it is gone: no dialog piles up
        dialog.reject()


def test_without_a_keyring_the_password_field_says_so(service: CoreService, qtbot: QtBot) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    dialog = opened(service, qtbot)
    page = dialog.torrent
    page.url.setText("http://127.0.0.1:8080")
    page.username.setText("admin")
    page.password.setText("s3cret")

    assert not page.save()

    assert page.marks.labels["password"].text().startswith("No system keyring is available")
    assert service.torrent_client() is None


def test_without_a_keyring_the_fields_for_secrets_say_so_before_anything_is_typed(
    service: CoreService, qtbot: QtBot
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())

    dialog = opened(service, qtbot)

    for mark in (dialog.channels.marks.labels["url"], dialog.torrent.marks.labels["password"]):
        qtbot.waitUntil(lambda mark=mark: mark.text().startswith("No system keyring is available"), timeout=WAIT_MS)
        assert not mark.isHidden()

