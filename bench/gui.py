"""Benchmark: how the desktop app feels with a big watchlist.

Each figure is measured in a fresh process of its own (``--phase``), so one does not warm up the
next; the parent prints them against their targets:

- window shown: from creating the engine to the window painted, and to every row in its table,
  with ``--shows`` shows (median of ``--runs``). Target: rows in <= 1 s.
- filter keystroke: one character typed in the search box, until the table has refiltered
  (median and worst over a few words typed and erased). Target <= 30 ms.
- memory: the process's resident size once those rows are shown. Target <= 250 MB.
- GUI stall: the longest gap of a 5 ms heartbeat timer on the GUI thread during a check of
  ``--check-shows`` shows, three of them downloading from a loopback server. Target <= 30 ms.
- idle: the app (window, tray when a tray host is there) left alone for ``--idle`` seconds:
  its CPU time, and every timer on the GUI thread that fired more than once a minute.
  Target: CPU ~0, no such timer.

    python bench/gui.py [--quick] [--shows 10000] [--check-shows 1000] [--idle 60] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core.datafolder import HOME_ENV, DataFolder  # noqa: E402
from core.episodes import EPISODES_FOLDER, EpisodeFile, EpisodeRecord, EpisodeState  # noqa: E402
from core.models import WatchlistItem, new_item_id, utc_now  # noqa: E402
from core.watchlist import WATCHLIST_FILE, WatchlistFile  # noqa: E402

TYPED = ["show 12", "alias 99", "zzz"]  # words typed one key at a time in the search box, then erased
DOWNLOADS = 3
HEARTBEAT_MS = 5


def fill(folder: DataFolder, shows: int, source: Callable[[int], str], downloading: int = 0) -> None:
    """``shows`` shows, checked a moment ago (so none is due), each with a dozen or so episodes on
    record; the first ``downloading`` auto-download, the others do not. Written straight in the
    stores' layout: creating 10,000 shows one by one through the watchlist would take minutes."""
    now = utc_now()
    items = [WatchlistItem.model_validate({
        "id": new_item_id(), "created_at": now, "updated_at": now, "last_checked_at": now - timedelta(minutes=5),
        "anime_title": f"Some Show {n}", "anime_url": source(n), "provider_id": "feed",
        "title_aliases": [f"Alias {n}"], "auto_download": n < downloading, "status": "paused" if n % 7 == 6 else "active",
        "episode_count": 12 if n % 3 else None,
    }) for n in range(shows)]
    folder.ensure()
    folder.file(WATCHLIST_FILE).write_text(WatchlistFile(items=items).model_dump_json())
    episodes = folder.file(EPISODES_FOLDER)
    episodes.mkdir(mode=0o700)
    for n, item in enumerate(items[downloading:], start=downloading):
        records = {number: EpisodeRecord(
            episode=number, state=EpisodeState.DONE if number < n % 9 else EpisodeState.FOUND,
            release_name=f"[G] Some Show {n} - {number:02d} (1080p).mkv", link=f"{source(n)}#{number}",
            updated_at=now) for number in range(1, n % 13 + 1)}
        (episodes / f"{item.id}.json").write_text(EpisodeFile(episodes=records).model_dump_json())


def rss_mib() -> float:
    """This process's resident size now, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the peak, where /proc is missing


def cpu_now() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Heartbeat:
    """A timer on the GUI thread every ``HEARTBEAT_MS``; ``gaps`` holds the time between its beats."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.timeout.connect(self._beat)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start(HEARTBEAT_MS)

    def stop(self) -> None:
        self._timer.stop()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now


def wait_until(condition: Callable[[], bool], timeout: float) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        QApplication.processEvents()
        time.sleep(0.001)


def phase_window(shows: int) -> dict[str, object]:
    """Time to the window painted and to its rows; then keystrokes in the search box; then memory."""
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit

    app = QApplication([])
    start = time.perf_counter()
    from core.service import CoreService
    from gui.windows.main_window import MainWindow

    service = CoreService(DataFolder.for_profile(None), scheduler_autostart=False)
    window = MainWindow(service)
    window.show()
    app.processEvents()
    shown = time.perf_counter() - start
    wait_until(lambda: window.filter.rowCount() == shows, 120)
    app.processEvents()
    rows = time.perf_counter() - start
    search = window.findChild(QLineEdit, "search")
    search.setFocus()
    keystrokes: list[float] = []
    for word in TYPED:
        for key in [*word, *(Qt.Key.Key_Backspace for _ in word)]:
            begin = time.perf_counter()
            if isinstance(key, str):
                QTest.keyClicks(search, key)
            else:
                QTest.keyClick(search, key)
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)  # the table repaints
            keystrokes.append(time.perf_counter() - begin)
    assert window.filter.rowCount() == shows, "the search did not end up empty"
    memory = rss_mib()
    service.shutdown()
    return {"shown": shown, "rows": rows, "keystrokes": keystrokes, "rss_mib": memory}


def phase_stall(shows: int) -> dict[str, object]:
    """The longest heartbeat gap on the GUI thread while ``shows`` shows are checked and three download."""
    from xml.sax.saxutils import escape

    from PySide6.QtWidgets import QApplication

    from tests.loopback import PIECE, LoopbackServer, ServedFile

    app = QApplication([])
    server = LoopbackServer()
    video = os.urandom(48 * PIECE)
    entries = "".join(
        f'<item><title>{escape(f"[G] Some Show {n} - 01 (1080p)")}</title><enclosure url="{server.url(f"/{n}.mkv")}" '
        f'type="video/x-matroska" length="{len(video)}"/></item>' for n in range(shows))
    server.route("/rss", f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{entries}'
                         '</channel></rss>', delay=0.2)
    for n in range(DOWNLOADS):
        server.route(f"/{n}.mkv", handler=ServedFile(video, pace=0.02))
    folder = DataFolder.for_profile(None)
    fill(folder, shows, lambda n: server.url("/rss"), downloading=DOWNLOADS)

    from core.service import CoreService
    from gui.windows.main_window import MainWindow

    service = CoreService(folder, scheduler_autostart=False)
    service.update_settings({"download_dir": str(folder.path / "videos"), "max_concurrent_auto_downloads": DOWNLOADS,
                             "max_parallel_downloads": DOWNLOADS})
    window = MainWindow(service)
    window.show()
    wait_until(lambda: window.filter.rowCount() == shows, 60)
    finished: list[object] = []
    service.download_finished.connect(finished.append)
    heartbeat = Heartbeat()
    heartbeat.start()
    begin = time.perf_counter()
    service.check_all()
    wait_until(lambda: len(finished) == DOWNLOADS and not service.is_checking(), 120)
    took = time.perf_counter() - begin
    heartbeat.stop()
    service.shutdown()
    server.close()
    gaps = sorted(heartbeat.gaps)
    del app
    return {"max_gap": gaps[-1], "p99_gap": gaps[int(len(gaps) * 0.99)], "beats": len(gaps), "took": took}


def phase_idle(shows: int, seconds: float) -> dict[str, object]:
    """The app as a user runs it, left alone: CPU time, and the timers that fired on the GUI thread."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    app = QApplication([])
    folder = DataFolder.for_profile(None)
    fill(folder, shows, lambda n: f"https://feeds.example.org/show-{n}.xml")

    from gui.shell import Shell

    shell = Shell(folder, tray_wait_ms=0)
    wait_until(lambda: shell.window.filter.rowCount() == shows, 60)
    deadline = time.monotonic() + 2  # the start-up settles (a first paint, a poster pass)
    wait_until(lambda: time.monotonic() > deadline, 5)

    fired: Counter[str] = Counter()

    class Timers(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Timer:
                interval = f" every {watched.interval()} ms" if isinstance(watched, QTimer) else ""
                owner = watched.parent() if isinstance(watched, QTimer) else None
                name = owner.metaObject().className() + "." if owner is not None else ""
                parent = watched.parent()
                where = f" in {parent.metaObject().className()}" if parent is not None and owner is None else ""
                fired[f"{name}{watched.metaObject().className()}{interval}{where} {watched.objectName()}".strip()] += 1
            return False

    timers = Timers()
    app.installEventFilter(timers)
    cpu = cpu_now()
    QTimer.singleShot(round(seconds * 1000), app.quit)
    app.exec()
    cpu = cpu_now() - cpu
    app.removeEventFilter(timers)
    allowed = max(1, seconds / 60)
    busy = {name: count for name, count in fired.items() if count > allowed}
    shell.quit()
    return {"cpu": cpu, "seconds": seconds, "tray": QSystemTrayIcon.isSystemTrayAvailable(), "busy_timers": busy,
            "timer_events": sum(fired.values())}


def run_phase(home: Path, phase: str, *args: str) -> dict[str, object]:
    """One phase in a fresh process over the data folder ``home``; its figures."""
    env = {**os.environ, HOME_ENV: str(home), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, __file__, "--phase", phase, *args], env=env, cwd=ROOT,
                          stdout=subprocess.PIPE, text=True, check=True)
    figures: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def verdict(value: float, target: float) -> str:
    return f"<= {target:g} {'ok' if value <= target else 'MISSED'}"


def report(options: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as root:
        shown_home = Path(root, "shown")
        os.environ[HOME_ENV] = str(shown_home)
        fill(DataFolder.for_profile(None), options.shows, lambda n: f"https://feeds.example.org/show-{n}.xml")
        windows = [run_phase(shown_home, "window", str(options.shows)) for _ in range(options.runs)]
        stall = run_phase(Path(root, "stall"), "stall", str(options.check_shows))
        idle = run_phase(Path(root, "idle"), "idle", str(min(options.shows, 1000)), str(options.idle))
    keystrokes = [float(k) for window in windows for k in window["keystrokes"]]  # type: ignore[attr-defined]
    shown = statistics.median(float(w["shown"]) for w in windows)  # type: ignore[arg-type]
    rows = statistics.median(float(w["rows"]) for w in windows)  # type: ignore[arg-type]
    memory = statistics.median(float(w["rss_mib"]) for w in windows)  # type: ignore[arg-type]
    typed = statistics.median(keystrokes) * 1000
    print(f"{options.shows} shows (median of {options.runs} runs); check of {options.check_shows} shows with "
          f"{DOWNLOADS} downloads; idle {options.idle:g} s with {min(options.shows, 1000)} shows")
    print(f"{'figure':<34} {'value':>10}  target")
    print(f"{'window painted':<34} {shown:9.2f}s")
    print(f"{'window with every row':<34} {rows:9.2f}s  {verdict(rows, 1)} s")
    print(f"{'filter keystroke, median':<34} {typed:8.1f}ms  {verdict(typed, 30)} ms")
    print(f"{'filter keystroke, worst':<34} {max(keystrokes) * 1000:8.1f}ms")
    print(f"{'memory (RSS) with rows shown':<34} {memory:7.0f}MiB  {verdict(memory, 250)} MB")
    stall_ms = float(stall["max_gap"]) * 1000  # type: ignore[arg-type]
    print(f"{'GUI stall during check, longest':<34} {stall_ms:8.1f}ms  {verdict(stall_ms, 30)} ms")
    print(f"{'GUI stall during check, 99th pct':<34} {float(stall['p99_gap']) * 1000:8.1f}ms"  # type: ignore[arg-type]
          f"  (check + downloads took {float(stall['took']):.1f} s)")  # type: ignore[arg-type]
    print(f"{'idle CPU time':<34} {float(idle['cpu']):9.2f}s  ~0 "  # type: ignore[arg-type]
          f"({float(idle['cpu']) / float(idle['seconds']) * 100:.2f}% of one core; "  # type: ignore[arg-type]
          f"tray {'there' if idle['tray'] else 'absent'}; {idle['timer_events']} timer events)")
    busy: dict[str, int] = idle["busy_timers"]  # type: ignore[assignment]
    print(f"{'timers firing > once a minute':<34} {len(busy):10d}  0 {'ok' if not busy else 'MISSED'}")
    for name, count in sorted(busy.items(), key=lambda pair: -pair[1]):
        print(f"    {count:5d} x {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, one run: a sanity check in seconds")
    parser.add_argument("--shows", type=int, default=10_000)
    parser.add_argument("--check-shows", type=int, default=1_000)
    parser.add_argument("--idle", type=float, default=60.0, help="seconds left idle")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("arguments", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.phase is not None:
        phases: dict[str, Callable[..., dict[str, object]]] = {
            "window": lambda shows: phase_window(int(shows)),
            "stall": lambda shows: phase_stall(int(shows)),
            "idle": lambda shows, seconds: phase_idle(int(shows), float(seconds)),
        }
        print(json.dumps(phases[options.phase](*options.arguments)))
        sys.stdout.flush()
        os._exit(0)  # the figures are out: skip tearing Qt down
    if options.quick:
        options.shows, options.check_shows, options.idle, options.runs = 500, 60, 2.0, 1
    report(options)


if __name__ == "__main__":
    main()
