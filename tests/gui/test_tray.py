"""The tray icon's menu, its activity, its tray messages (without desktop notifications) and where a
click on one leads (offscreen: no tray host needed)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from core.choices import NotificationEvent
from core.downloads.jobs import DownloadJob, JobState
from core.models import utc_now
from core.notifications import Notification
from core.scheduler_state import SchedulerState
from core.service import CoreService
from gui.dialogs.settings_dialog import SettingsDialog
from gui.resources import tray_icon
from gui.scheduler_text import in_words, next_check_text
from gui.tray import TrayIcon
from providers.link_kinds import LinkKind
from tests.gui.conftest import RecordingWindow


@pytest.fixture
def tray(service: CoreService, window: RecordingWindow) -> TrayIcon:
    return TrayIcon(service, window, desktop_notifications=False)


def rows(tray: TrayIcon) -> list[tuple[str, bool]]:
    """The menu as it opens: (text, enabled) per row, "-" for a separator."""
    menu = tray.contextMenu()
    menu.aboutToShow.emit()
    return [("-" if action.isSeparator() else action.text(), action.isEnabled()) for action in menu.actions()]


def action(tray: TrayIcon, text: str) -> QAction:
    menu = tray.contextMenu()
    menu.aboutToShow.emit()
    return next(action for action in menu.actions() if action.text() == text)


def test_the_menu_of_a_hidden_window_with_periodic_checks_off(tray: TrayIcon) -> None:
    assert rows(tray) == [
        ("Show window", True), ("-", True), ("Periodic checks are off", False), ("-", True),
        ("Check &all", True), ("Start periodic checks", True), ("&Settings…", True), ("-", True), ("Quit", True),
    ]


def test_the_menu_shares_the_windows_actions(tray: TrayIcon, window: RecordingWindow) -> None:
    menu = tray.contextMenu()
    menu.aboutToShow.emit()
    assert window.action("check_all") in menu.actions()
    assert window.action("settings") in menu.actions()


def test_show_then_hide_the_window_from_the_menu(tray: TrayIcon, window: RecordingWindow) -> None:
    action(tray, "Show window").trigger()
    assert window.isVisible()
    assert rows(tray)[0] == ("Hide window", True)
    action(tray, "Hide window").trigger()
    assert not window.isVisible()


def test_a_minimised_window_is_offered_to_be_shown(tray: TrayIcon, window: RecordingWindow) -> None:
    window.showMinimized()
    action(tray, "Show window").trigger()
    assert window.isVisible() and not window.isMinimized()


def test_check_all_checks_and_the_menu_and_tooltip_say_so_while_it_runs(qtbot: QtBot, tray: TrayIcon,
                                                                        service: CoreService) -> None:
    with qtbot.waitSignal(service.check_started, timeout=5_000):
        action(tray, "Check &all").trigger()
    if service.is_checking():
        assert ("Checking…", False) in rows(tray)
        assert tray.toolTip() == "Tsuzuki\nChecking…"
    qtbot.waitUntil(lambda: not service.is_checking(), timeout=5_000)
    assert tray.toolTip() == "Tsuzuki\nIdle"
    assert ("Checking…", False) not in rows(tray)


def test_settings_opens_from_the_tray(qtbot: QtBot, tray: TrayIcon, window: RecordingWindow) -> None:
    action(tray, "&Settings…").trigger()
    qtbot.waitUntil(lambda: any(child.isVisible() for child in window.findChildren(SettingsDialog)), timeout=2_000)


def test_start_and_stop_periodic_checks(qtbot: QtBot, tray: TrayIcon, service: CoreService) -> None:
    with qtbot.waitSignal(service.scheduler_changed, timeout=5_000):
        action(tray, "Start periodic checks").trigger()
    assert service.scheduler_state().running
    menu = rows(tray)
    assert ("Stop periodic checks", True) in menu
    assert menu[2][0].startswith("Next check: ") and not menu[2][1]
    action(tray, "Stop periodic checks").trigger()
    assert not service.scheduler_state().running
    assert ("Periodic checks are off", False) in rows(tray)


def test_quit_is_asked_of_the_app(qtbot: QtBot, tray: TrayIcon) -> None:
    with qtbot.waitSignal(tray.quit_requested, timeout=1_000):
        action(tray, "Quit").trigger()


@pytest.mark.parametrize(("delta", "words"), [
    (timedelta(seconds=30), "in less than a minute"),
    (timedelta(minutes=20, seconds=59), "in 20 min"),
    (timedelta(hours=3), "in 3 h"),
    (timedelta(hours=3, minutes=20), "in 3 h 20 min"),
    (timedelta(days=2), "in 2 d"),
    (timedelta(days=6, hours=23, minutes=59), "in 6 d 23 h"),
])
def test_time_to_the_next_check_in_words(delta: timedelta, words: str) -> None:
    assert in_words(delta) == words


def test_the_next_check_row() -> None:
    now = utc_now()
    assert next_check_text(SchedulerState(False, 6, None, None), now) == "Periodic checks are off"
    assert next_check_text(SchedulerState(True, 6, now + timedelta(hours=3, minutes=20), None), now) \
        == "Next check: in 3 h 20 min"
    assert next_check_text(SchedulerState(True, 6, now - timedelta(seconds=1), None), now) == "Next check: now"


def notify(service: CoreService, item_id: str | None, title: str = "Frieren — episode 12") -> None:
    service.notification.emit(Notification(NotificationEvent.NEW_EPISODE, title, "Downloaded.", item_id))


def test_a_click_on_a_message_opens_the_show_it_was_about(tray: TrayIcon, window: RecordingWindow,
                                                          service: CoreService) -> None:
    notify(service, "show-1")
    assert tray.last_item_id == "show-1"
    tray.messageClicked.emit()
    assert window.shown_items == ["show-1"]
    assert window.isVisible()


def test_only_the_last_message_is_followed_and_once(tray: TrayIcon, window: RecordingWindow,
                                                    service: CoreService) -> None:
    notify(service, "show-1")
    notify(service, "show-2")
    tray.messageClicked.emit()
    assert window.shown_items == ["show-2"]


def test_a_message_about_no_show_just_shows_the_window(tray: TrayIcon, window: RecordingWindow,
                                                       service: CoreService) -> None:
    notify(service, "show-1")
    notify(service, None, "A feed is broken")
    tray.messageClicked.emit()
    assert window.shown_items == []
    assert window.isVisible()


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""
    def luminance(colour: QColor) -> float:
        channels = [c / 255 for c in (colour.red(), colour.green(), colour.blue())]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("panel", ["#ffffff", "#eeeeee", "#000000", "#2b2b2b"])
def test_the_icon_reads_on_light_and_dark_panels(qtbot: QtBot, panel: str) -> None:
    """Most of the 22 px icon stands out from the panel (contrast 3:1 at least)."""
    background = QColor(panel)
    image = QImage(22, 22, QImage.Format.Format_RGB32)
    image.fill(background)
    painter = QPainter(image)
    tray_icon().paint(painter, image.rect())
    painter.end()
    pixels = [image.pixelColor(x, y) for x in range(22) for y in range(22)]
    standing_out = [pixel for pixel in pixels if contrast(pixel, background) >= 3]
    assert len(standing_out) >= 0.6 * len(pixels)


def test_a_click_on_another_applications_message_does_nothing(tray: TrayIcon, window: RecordingWindow,
                                                              service: CoreService) -> None:
    tray.messageClicked.emit()  # Qt's Linux tray says so for any application's notification
    assert not window.isVisible()
    notify(service, "show-1")
    tray.messageClicked.emit()
    tray.hide()
    window.hide()
    tray.messageClicked.emit()  # ours was clicked already
    assert window.shown_items == ["show-1"]
    assert not window.isVisible()


def test_a_click_on_a_finished_download_opens_its_file(tray: TrayIcon, window: RecordingWindow,
                                                       service: CoreService, opened_files: list[Path],
                                                       tmp_path: Path) -> None:
    video = tmp_path / "Frieren - 12.mkv"
    service.notification.emit(Notification(NotificationEvent.DOWNLOAD_FINISHED, "Frieren — episode 12",
                                           f"Downloaded to {video}", "show-1", str(video)))
    tray.messageClicked.emit()
    assert opened_files == [video]
    assert window.shown_items == []


def job(state: JobState, job_id: str = "job-1") -> DownloadJob:
    return DownloadJob(id=job_id, item_id="a" * 32, anime_title="Frieren", episode=12, release_name="Frieren - 12",
                       link="http://127.0.0.1/12.mkv", kind=LinkKind.HTTP, state=state, created_at=utc_now())


def corner(tray: TrayIcon) -> QColor:
    """The colour of the icon's lower right corner, where the activity dot goes."""
    return tray.icon().pixmap(32, 32).toImage().pixelColor(27, 27)


def test_the_icon_tooltip_and_menu_count_running_downloads(tray: TrayIcon, service: CoreService) -> None:
    idle = corner(tray)
    service.download_changed.emit(job(JobState.RUNNING))
    service.download_changed.emit(job(JobState.RUNNING, "job-2"))
    assert tray.toolTip() == "Tsuzuki\n2 downloading"
    assert ("2 downloading", False) in rows(tray)
    assert corner(tray) != idle
    service.download_changed.emit(job(JobState.DONE))
    service.download_removed.emit("job-2")
    assert tray.toolTip() == "Tsuzuki\nIdle"
    assert corner(tray) == idle


def test_a_failure_stays_on_the_icon_until_the_window_is_seen(tray: TrayIcon, window: RecordingWindow,
                                                              service: CoreService) -> None:
    idle = corner(tray)
    service.notification.emit(Notification(NotificationEvent.SOURCE_BROKEN, "Frieren: source unavailable",
                                           "HTTP 500", "show-1"))
    service.notification.emit(Notification(NotificationEvent.NEW_EPISODE, "Frieren — episode 12", "New", "show-1"))
    assert tray.toolTip() == "Tsuzuki\nProblems since you last looked: 1"
    assert ("Problems since you last looked: 1", False) in rows(tray)
    red = corner(tray)
    assert red.red() > 150 and red.green() < 100, red.name()
    action(tray, "Show window").trigger()
    assert tray.toolTip() == "Tsuzuki\nIdle"
    assert corner(tray) == idle


def test_say_tells_the_user_and_its_click_shows_the_window(tray: TrayIcon, window: RecordingWindow) -> None:
    tray.say("Tsuzuki is still running", "It is in the tray.")
    tray.messageClicked.emit()
    assert window.isVisible() and window.shown_items == []
