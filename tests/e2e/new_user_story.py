"""A new user's first session, driven through the real window and tray on a real X screen.

Run by ``test_new_user_story.py`` under ``with-tray`` (Xvfb + a tray host), in its own process so
the app has its own QApplication on that screen: ``python -m tests.e2e.new_user_story``, with
``TSUZUKI_HOME`` set to an empty folder. Every step is a user's gesture on the widgets (typing,
clicking the actions); the sources are loopback servers. It prints one line per step, then the
longest GUI-thread stall and the quit's duration as ``figures: {json}``, and exits 1 with the
failed step's traceback.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from core import metadata
from core.datafolder import DataFolder
from core.episodes import EpisodeState
from core.models import NotificationEvent
from gui.delegates.progress import ProgressDelegate
from gui.dialogs.show_dialog import ShowDialog
from gui.models.downloads import DownloadColumn
from gui.models.preview import PreviewColumn
from gui.models.rows import OBJECT_ROLE, PROGRESS_ROLE
from gui.shell import Shell
from tests.gui.conftest import VIDEO, FileOpener, feed
from tests.loopback import LoopbackServer, ServedFile
from tests.providers.anilist_server import PATH, FakeAniList

HEARTBEAT_MS = 10


def wait_until(condition: Callable[[], object], what: str, timeout: float = 15.0) -> None:
    """Let the event loop run until ``condition()`` holds; fails naming ``what``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        QTest.qWait(20)


def step(text: str, heartbeat: Heartbeat) -> None:
    """Say a step is done, with the longest pause of the GUI thread during it."""
    print(f"ok: {text} (longest pause {heartbeat.take_longest() * 1000:.0f} ms)", flush=True)


class Heartbeat(QObject):
    """A timer on the GUI thread; the longest gap between its beats is the longest freeze."""

    def __init__(self) -> None:
        super().__init__()
        self.longest = 0.0
        self._since_taken = 0.0
        self._last = time.monotonic()
        self._timer = QTimer(self, interval=HEARTBEAT_MS)
        self._timer.timeout.connect(self._beat)
        self._timer.start()

    def take_longest(self) -> float:
        """The longest gap since the last call; adds it to the session's figure."""
        longest, self._since_taken = self._since_taken, 0.0
        self.longest = max(self.longest, longest)
        return longest

    def _beat(self) -> None:
        now = time.monotonic()
        self._since_taken = max(self._since_taken, now - self._last - HEARTBEAT_MS / 1000)
        self._last = now


def story() -> dict[str, float]:
    """The session, step by step; returns its figures."""
    loopback = LoopbackServer()
    os.environ[metadata.ENDPOINT_ENV] = loopback.url(PATH)
    FakeAniList(loopback)
    episode_2 = ServedFile(VIDEO, hold_at=len(VIDEO) // 2)  # stops halfway until the story has seen it
    loopback.route("/rss", feed(loopback, 1))
    loopback.route("/01.mkv", handler=ServedFile(VIDEO))
    loopback.route("/02.mkv", handler=episode_2)
    opener = FileOpener()
    QDesktopServices.setUrlHandler("file", opener, "open")
    heartbeat = Heartbeat()

    folder = DataFolder.for_profile(None)
    shell = Shell(folder)
    window, service = shell.window, shell.service
    service.update_settings({"download_dir": folder.path / "Downloads"})  # not the real user's folder
    wait_until(lambda: shell.tray is not None, "the tray host takes the icon (it may come after the window)")
    tray = shell.tray
    assert tray is not None and tray.isVisible()
    wait_until(window.isVisible, "the window shows")
    heartbeat.take_longest()
    heartbeat.longest = 0.0  # from here on, every freeze is one the user would see
    step("tsuzuki opens its window and its tray icon", heartbeat)

    dialog = window.add_show()
    assert isinstance(dialog, ShowDialog)
    QTest.keyClicks(dialog.title, "frieren")
    dialog.search_button.click()
    wait_until(lambda: dialog.results.list.count() > 0, "AniList answers the search")
    dialog.results.list.itemClicked.emit(dialog.results.list.item(0))
    assert dialog.fields()["anilist_id"] == 154587
    step(f"AniList search picked {dialog.title.text()!r}", heartbeat)

    QTest.keyClicks(dialog.url, loopback.url("/rss"))
    preview = dialog.preview
    wait_until(lambda: preview.rowCount() == 1, "the preview lists the feed's release")
    taken = preview.index(0, PreviewColumn.TAKE.value).data()
    release = preview.index(0, PreviewColumn.RELEASE.value).data()
    assert (taken, release) == ("take", "[G] Frieren - 01 (1080p)"), (taken, release)
    step(f"the preview says the first check would take {release}", heartbeat)

    closed: list[int] = []
    dialog.finished.connect(closed.append)
    told: list[NotificationEvent] = []
    service.notification.connect(lambda notification: told.append(notification.event))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    wait_until(lambda: closed == [1], "the show is saved and the dialog closes")
    (item,) = service.list_items()
    wait_until(lambda: any(job.state.value == "done" for job in service.downloads()), "episode 1 downloads")
    wait_until(lambda: NotificationEvent.DOWNLOAD_FINISHED in told, "a notification says episode 1 is here")
    told.clear()
    step("saved; the show's first check downloaded episode 1", heartbeat)

    loopback.route("/rss", feed(loopback, 1, 2))  # a new episode airs
    window.show_item(item.id)
    window._actions["check"].trigger()  # Check now, on the selected show
    downloads = window.downloads.model
    bar = DownloadColumn.PROGRESS.value

    def fractions() -> list[float | None]:
        return [downloads.index(row, bar).data(PROGRESS_ROLE).fraction for row in range(downloads.rowCount())]

    wait_until(lambda: 0.5 in fractions(), "the progress bar stands halfway")
    view = window.downloads._table
    assert isinstance(view.itemDelegateForColumn(bar), ProgressDelegate)
    step("Check now: episode 2 is downloading, its progress bar at half", heartbeat)

    assert told == [NotificationEvent.NEW_EPISODE] and tray.last_item_id == item.id, told
    window.hide()  # the user is elsewhere when the message comes
    tray.messageClicked.emit()  # the user clicks "new episode"
    wait_until(window.isVisible, "the click brings the window up")
    details = window.details
    assert details.item() is not None and details.item().id == item.id  # type: ignore[union-attr]
    timeline = details._timeline

    def states() -> list[EpisodeState]:
        return [timeline.index(row, 0).data(OBJECT_ROLE).state for row in range(timeline.rowCount())]

    wait_until(lambda: states() == [EpisodeState.DONE, EpisodeState.DOWNLOADING], "the timeline shows episode 2 coming")
    step("a click on the new-episode notification opened the show's timeline: 1 done, 2 downloading", heartbeat)

    episode_2.gate.set()
    wait_until(lambda: states() == [EpisodeState.DONE, EpisodeState.DONE], "the timeline shows both episodes done")
    wait_until(lambda: told[-1] is NotificationEvent.DOWNLOAD_FINISHED, "a notification says the download finished")
    step("episode 2 finished: the timeline and a notification say so", heartbeat)

    window.tabs.setCurrentWidget(window.downloads)
    (row,) = [row for row in range(downloads.rowCount()) if downloads.index(row, 0).data(OBJECT_ROLE).episode == 2]
    view.selectRow(row)
    window.downloads._buttons["open"].click()
    (opened,) = opener.paths
    assert opened.is_file() and opened.read_bytes() == VIDEO, opened
    step(f"Open file in the downloads view opened {opened.name}", heartbeat)

    window.close()
    QTest.qWait(200)
    assert not window.isVisible() and tray.isVisible(), "closing the window should leave the app in the tray"
    step("closing the window leaves Tsuzuki in the tray", heartbeat)

    stopped: list[float] = []
    shell.stopped.connect(lambda: stopped.append(time.monotonic()))
    (quit_action,) = [action for action in tray.contextMenu().actions() if action.text() == "Quit"]
    started = time.monotonic()
    quit_action.trigger()
    wait_until(lambda: stopped, "the app stops", timeout=5)
    took = stopped[0] - started
    assert took < 3.0, took
    step(f"Quit from the tray menu took {took:.2f} s", heartbeat)
    QDesktopServices.unsetUrlHandler("file")
    return {"longest_stall_s": round(heartbeat.longest, 3), "quit_s": round(took, 3)}


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Tsuzuki")
    figures = story()
    print(f"figures: {json.dumps(figures)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
