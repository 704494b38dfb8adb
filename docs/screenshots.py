"""Takes the README's screenshots (``docs/*.png``) of the real app over a demo watchlist. One command,
from the repository's root, rerun whenever the window changes:

    /work/shared/tools/with-tray .venv/bin/python docs/screenshots.py

(any X display with a system-tray host will do: ``with-tray`` is Xvfb 1280x800 + trayer).
Nothing comes from the internet: it builds, in a temporary folder, a data folder (``TSUZUKI_HOME``)
of two dozen airing shows whose sources are loopback RSS feeds, a folder, one feed that fails and
one that serves slowly (so downloads are in progress), with posters from a loopback AniList-shaped
GraphQL server (``tests/providers/anilist_server.py``) painted here with QPainter. Then it starts the
app (``gui.app.run``, as ``tsuzuki`` does) three times - light, dark (the ``appearance`` setting) and
French (``LANG=fr_FR.UTF-8``) - drives its real widgets from inside, and writes:

    main-window.png  add-dialog.png  downloads.png  settings.png  tray-menu.png
    main-window-dark.png  main-window-fr.png

The tray menu is opened by a real right click on the tray icon (``xdotool``) and taken from the screen.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DOCS = ROOT / "docs"
RUN_TIMEOUT_S = 120
FAST_SIZE = 512 * 1024  # a downloaded episode's size: big enough not to be refused as "not a video"
SLOW_SIZE = 40 * 1024 * 1024  # the episodes still downloading while the screenshots are taken
SLOW_PACE_S = 0.1  # between 64 KiB pieces: about 600 KiB/s, a minute per episode
SHOWN = "Sousou no Frieren"  # the show selected in the main window's shots
ADDED = "Sakamoto Days"  # the show being added in the add dialog's shot


@dataclass(frozen=True)
class Show:
    """One demo show: its AniList entry, its source and how far it has come."""

    title: str
    genres: tuple[str, ...]
    episodes: int  # in the season
    aired: int  # episodes at its source
    source: str = "releases"  # "releases" (the shared feed), "own" (a feed of its own), "folder", "broken", "late"
    auto: bool = True  # download new episodes automatically
    status: str = "active"
    synopsis: str = ""


SHOWS = (
    Show(SHOWN, ("Adventure", "Drama", "Fantasy"), 28, 6,
         synopsis="The hero's party has defeated the Demon King. For the elf mage among them, the ten-year journey "
                  "was a moment; the decades after it teach her what it meant to the others."),
    Show("Dungeon Meshi", ("Adventure", "Comedy", "Fantasy"), 24, 7,
         synopsis="Short of money and food, a party dives back into the dungeon, cooking the monsters on the way."),
    Show("Kusuriya no Hitorigoto", ("Drama", "Mystery"), 24, 8,
         synopsis="An apothecary sold to the palace as a servant solves its poisonings one remedy at a time."),
    Show("Dandadan", ("Action", "Comedy", "Supernatural"), 12, 5,
         synopsis="A girl who believes in ghosts and a boy who believes in aliens bet on who is right."),
    Show("Blue Lock", ("Sports",), 14, 4, auto=False,
         synopsis="Three hundred strikers, one training facility, and a single place in the national team."),
    Show("Spy x Family", ("Action", "Comedy"), 12, 6,
         synopsis="A spy, an assassin and a telepath pretend to be a family; only the dog knows everything."),
    Show("Oshi no Ko", ("Drama", "Supernatural"), 13, 3, auto=False,
         synopsis="The entertainment industry, seen from the inside by twins with a past of their own."),
    Show("Solo Leveling", ("Action", "Fantasy"), 13, 9,
         synopsis="The weakest hunter alive is given a second chance, and a system only he can see."),
    Show("Mushoku Tensei", ("Drama", "Fantasy"), 24, 5, source="folder",
         synopsis="Reborn in a world of magic, a man decides to live this life without regrets."),
    Show("Jujutsu Kaisen", ("Action", "Supernatural"), 23, 8,
         synopsis="A student swallows a cursed finger and joins the sorcerers who fight curses."),
    Show("Chainsaw Man", ("Action", "Horror"), 12, 4, source="broken",
         synopsis="A young man in debt merges with his chainsaw devil and becomes a devil hunter."),
    Show("Bocchi the Rock", ("Comedy", "Music"), 12, 12, status="completed",
         synopsis="A painfully shy guitarist finds a band, and maybe a way out of her closet."),
    Show("Shangri-La Frontier", ("Action", "Adventure"), 25, 7,
         synopsis="A player of broken games takes on a masterpiece, and finds it has secrets of its own."),
    Show("Yofukashi no Uta", ("Romance", "Supernatural"), 13, 6, source="own",
         synopsis="A boy who cannot sleep walks the city at night and meets a vampire who likes it there."),
    Show("Kaoru Hana wa Rin to Saku", ("Drama", "Romance"), 13, 5, auto=False,
         synopsis="Two neighbouring schools that despise each other, and two students who do not."),
    Show("Ao no Hako", ("Romance", "Sports"), 25, 9, source="own",
         synopsis="A badminton player and the basketball star he admires end up under the same roof."),
    Show("Tongari Boushi no Atelier", ("Fantasy",), 13, 3, source="late",
         synopsis="A girl who saw magic being drawn becomes a witch's apprentice, and learns its price."),
    Show("Hibike Euphonium", ("Drama", "Music"), 13, 6, source="folder",
         synopsis="A high-school concert band aims for the national competition in its last year together."),
    Show("Vinland Saga", ("Action", "Drama"), 24, 4, status="paused",
         synopsis="A farm slave who was once a warrior looks for a land where no one needs a sword."),
    Show("Haikyuu", ("Sports",), 25, 8,
         synopsis="A short volleyball player who can jump, and a setter who can place the ball anywhere."),
    Show("Natsume Yuujinchou", ("Drama", "Slice of Life"), 12, 5, source="own",
         synopsis="A boy who sees spirits returns the names his grandmother took from them."),
    Show("Tsuki ga Michibiku Isekai Douchuu", ("Action", "Comedy", "Fantasy"), 25, 4, source="late",
         synopsis="Summoned to another world and rejected by its goddess, a student makes his own way."),
)
OFFERED = Show(ADDED, ("Action", "Comedy"), 11, 4,
               synopsis="The greatest hitman retires to run a corner shop; his past keeps walking in.")
FAILING_EPISODE = ("Dungeon Meshi", 7)  # its file is gone from the server: a failed download in the timeline


def slug(title: str) -> str:
    return "".join(character if character.isalnum() else "-" for character in title.casefold()).strip("-")


def anilist_id(show: Show) -> int:
    return 170_000 + zlib.crc32(show.title.encode()) % 20_000


# The demo world: loopback servers and the data folder ---------------------------------------------

def poster(show: Show) -> bytes:
    """A poster for ``show``: a gradient in a colour of its own, and its title (PNG)."""
    from PySide6.QtCore import QBuffer, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter

    image = QImage(230, 325, QImage.Format.Format_RGB32)
    hue = zlib.crc32(show.title.encode()) % 360
    gradient = QLinearGradient(0, 0, 230, 325)
    gradient.setColorAt(0, QColor.fromHsv(hue, 150, 235))
    gradient.setColorAt(1, QColor.fromHsv((hue + 50) % 360, 220, 90))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(image.rect(), gradient)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 40))
    painter.drawEllipse(QRectF(-60, 150, 260, 260))
    font = QFont("DejaVu Sans", 20, QFont.Weight.Bold)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(16, 20, 198, 200), Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, show.title)
    font.setPointSize(10)
    font.setWeight(QFont.Weight.Normal)
    painter.setFont(font)
    painter.drawText(QRectF(16, 285, 198, 24), Qt.AlignmentFlag.AlignLeft, " · ".join(show.genres).upper())
    painter.end()
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes, PySide a str
    return bytes(buffer.data().data())


def media(show: Show, poster_url: str) -> dict[str, object]:
    """``show`` as AniList's GraphQL API describes an entry."""
    return {
        "id": anilist_id(show), "idMal": None,
        "title": {"romaji": show.title, "english": None, "native": None}, "synonyms": [],
        "coverImage": {"large": poster_url, "extraLarge": poster_url},
        "description": show.synopsis, "genres": list(show.genres), "episodes": show.episodes,
        "status": "FINISHED" if show.aired >= show.episodes else "RELEASING", "season": "FALL", "seasonYear": 2025,
        "nextAiringEpisode": next_airing(show), "siteUrl": f"https://anilist.co/anime/{anilist_id(show)}",
    }


def next_airing(show: Show) -> dict[str, int] | None:
    """The episode after those aired, some day this week (the same day for a show at every run)."""
    if show.aired >= show.episodes:
        return None
    until = 3600 + zlib.crc32(show.title.encode()) % (7 * 24 * 3600)
    return {"episode": show.aired + 1, "airingAt": int(time.time()) + until, "timeUntilAiring": until}


def release(show: Show, number: int) -> str:
    if show.source == "own":
        return f"{show.title} - Episode {number:02d}"
    return f"[Demo] {show.title} - {number:02d} (1080p)"


def rss(items: list[tuple[str, str, int]]) -> str:
    """An RSS feed of (release name, enclosure URL, size) items."""
    entries = "".join(f'<item><title>{escape(name)}</title><enclosure url="{escape(url)}" '
                      f'type="video/x-matroska" length="{size}"/></item>' for name, url, size in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>demo</title>{entries}</channel></rss>'


class World:
    """The loopback servers and files the demo shows' sources and posters come from."""

    def __init__(self, scratch: Path) -> None:
        from tests.loopback import LoopbackServer, ServedFile
        from tests.providers.anilist_server import FakeAniList

        self.server = LoopbackServer()
        self.anilist = FakeAniList(self.server)
        self.anilist.media = {}
        self.library = scratch / "library"
        fast, slow = os.urandom(FAST_SIZE), os.urandom(1024) * (SLOW_SIZE // 1024)
        shared: list[tuple[str, str, int]] = []
        late: list[tuple[str, str, int]] = []
        for show in (*SHOWS, OFFERED):
            path = f"/posters/{slug(show.title)}.png"
            self.server.route(path, poster(show), headers={"Content-Type": "image/png"})
            self.anilist.media[anilist_id(show)] = media(show, self.server.url(path))
            own: list[tuple[str, str, int]] = []
            for number in range(1, show.aired + 1):
                file = f"/videos/{slug(show.title)}-{number:02d}.mkv"
                slow_one = show.source == "late"
                if (show.title, number) != FAILING_EPISODE:
                    self.server.route(file, handler=ServedFile(slow if slow_one else fast,
                                                               pace=SLOW_PACE_S if slow_one else 0.0))
                entry = (release(show, number), self.server.url(file), SLOW_SIZE if slow_one else FAST_SIZE)
                {"releases": shared, "own": own, "late": late}.get(show.source, []).append(entry)
                if show.source == "folder":
                    folder = self.library / show.title
                    folder.mkdir(parents=True, exist_ok=True)
                    (folder / f"{show.title} - {number:02d} [1080p].mkv").write_bytes(fast[: FAST_SIZE - number])
            if own:
                self.server.route(f"/feeds/{slug(show.title)}.xml", rss(own))
        self.server.route("/feeds/releases.xml", rss(shared))
        self.server.route("/feeds/late.xml", rss(late))
        self.server.route("/feeds/gone.xml", "Internal Server Error", status=500)

    def source(self, show: Show) -> tuple[str, str]:
        """(provider, URL) of ``show``'s source."""
        if show.source == "folder":
            return "directory", str(self.library / show.title)
        path = {"releases": "releases.xml", "late": "late.xml", "broken": "gone.xml"}.get(
            show.source, f"{slug(show.title)}.xml")
        return "feed", self.server.url(f"/feeds/{path}")


def tsuzuki(env: dict[str, str], *argv: str) -> str:
    """Run the ``tsuzuki`` command line; its output."""
    done = subprocess.run([sys.executable, "-m", "core.cli.main", *argv], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    return done.stdout


def build_watchlist(world: World, env: dict[str, str], videos: Path) -> None:
    """The demo data folder: every show added and checked (their episodes downloaded, found, or
    failed), except the slow source's, which the app checks as it starts."""
    tsuzuki(env, "settings", "set", "download_dir", str(videos))
    ids: dict[str, str] = {}
    for show in (s for s in SHOWS if s.source != "late"):
        provider, url = world.source(show)
        options = [] if show.auto else ["--no-auto-download"]
        added = json.loads(tsuzuki(env, "add", "--title", show.title, "--url", url, "--provider", provider,
                                   "--anilist-id", str(anilist_id(show)), *options, "--json"))
        ids[show.title] = added["id"]
    tsuzuki(env, "check", "--all")
    for show in SHOWS:
        if show.status != "active" and show.title in ids:
            tsuzuki(env, "update", ids[show.title], "--status", show.status)
    for show in (s for s in SHOWS if s.source == "late"):
        provider, url = world.source(show)
        tsuzuki(env, "add", "--title", show.title, "--url", url, "--provider", provider,
                "--anilist-id", str(anilist_id(show)))


# Inside the app: the shots ------------------------------------------------------------------------

class Shots:
    """Drives the running app's widgets through one variant's shots, then quits it."""

    def __init__(self, variant: str, offered_url: str) -> None:
        from PySide6.QtCore import QTimer

        self._variant = variant
        self._offered_url = offered_url
        self._steps = self._light() if variant == "light" else self._main_window_only(f"main-window-{variant}.png")
        self._timer = QTimer(singleShot=True)
        self._timer.timeout.connect(self._next)
        self._timer.start(0)

    def _next(self) -> None:
        from PySide6.QtWidgets import QApplication

        try:
            self._timer.start(next(self._steps))
        except StopIteration:
            QApplication.quit()

    def _window(self):  # type: ignore[no-untyped-def]
        from PySide6.QtWidgets import QApplication

        from gui.windows.main_window import MainWindow

        return next(widget for widget in QApplication.topLevelWidgets() if isinstance(widget, MainWindow))

    def _main_window(self) -> Iterator[int]:
        """The window placed, a show selected (its poster, details and timeline)."""
        from gui.models.rows import OBJECT_ROLE

        yield 3000  # the engine has started, the slow source's check runs, posters arrive
        window = self._window()
        window.move(0, 0)
        window.resize(1280, 800)
        window._splitter.setSizes([860, 420])  # the window is wider than its first size: the list takes it
        model = window.watchlist
        shown = next(model.index(row, 0).data(OBJECT_ROLE) for row in range(model.rowCount())
                     if model.index(row, 0).data(OBJECT_ROLE).anime_title == SHOWN)
        window.show_item(shown.id)
        yield 2500

    def _main_window_only(self, name: str) -> Iterator[int]:
        yield from self._main_window()
        save(self._window().grab(), name)

    def _light(self) -> Iterator[int]:
        from PySide6.QtWidgets import QTableView

        from gui.dialogs.settings_dialog import SettingsDialog

        yield from self._main_window_only("main-window.png")
        window = self._window()
        window.tabs.setCurrentIndex(1)
        window.downloads.findChild(QTableView).scrollToBottom()  # the ones under way, after the history
        yield 1500
        save(window.grab(), "downloads.png")
        window.tabs.setCurrentIndex(0)
        dialog = window.add_show(self._offered_url)
        dialog.move(200, 60)
        dialog.title.setText(ADDED)
        dialog.search_button.click()
        yield 4000  # the AniList answer, its posters, and the preview of the first check
        save(dialog.grab(), "add-dialog.png")
        dialog.reject()
        settings = SettingsDialog(window._service, window)
        settings.show()
        settings.move(300, 120)
        yield 1500
        save(settings.grab(), "settings.png")
        settings.reject()
        yield from self._tray_menu()

    def _tray_menu(self) -> Iterator[int]:
        """A real right click on the tray icon, and the top right of the screen with the menu open."""
        from PySide6.QtGui import QGuiApplication

        from gui.tray import TrayIcon

        window = self._window()
        tray = window.findChild(TrayIcon)
        if tray is None:
            raise SystemExit("no tray: run this under a tray host (with-tray)")
        window.move(0, 30)  # below the panel: without a window manager nothing keeps the panel on top
        yield 300
        centre = tray.geometry().center()
        subprocess.run(["xdotool", "mousemove", str(centre.x()), str(centre.y()), "click", "3"], check=True)
        yield 1500
        screen = QGuiApplication.primaryScreen()
        menu = tray.contextMenu()
        area = menu.geometry().united(tray.geometry()).adjusted(-240, -8, 8, 8)
        area = area.intersected(screen.geometry())
        save(screen.grabWindow(0, area.x(), area.y(), area.width(), area.height()), "tray-menu.png")
        menu.hide()
        yield 200


def save(pixmap, name: str) -> None:  # type: ignore[no-untyped-def]
    if not pixmap.save(str(DOCS / name)):
        raise SystemExit(f"could not write docs/{name}")
    print(f"docs/{name}: {pixmap.width()}x{pixmap.height()}")


def shoot(variant: str, offered_url: str) -> int:
    """In the app's process: start the app as ``tsuzuki`` does, with the shots driven from its event loop."""
    from PySide6.QtWidgets import QApplication

    from gui.app import run

    app = QApplication(sys.argv[:1])
    shots = Shots(variant, offered_url)
    code = run([])
    del shots, app
    return code


# The command ----------------------------------------------------------------------------------------

def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--shoot":
        return shoot(sys.argv[2], sys.argv[3])
    if not os.environ.get("DISPLAY"):
        print("screenshots need an X display with a tray: /work/shared/tools/with-tray "
              ".venv/bin/python docs/screenshots.py", file=sys.stderr)
        return 2
    app_env = {key: value for key, value in os.environ.items() if not key.startswith(("LC_", "LANG"))}
    scratch = Path(tempfile.mkdtemp(prefix="tsuzuki-"))
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # this process only paints posters
    from PySide6.QtGui import QGuiApplication

    painter_app = QGuiApplication(sys.argv[:1])
    world = World(scratch)
    app_env.update({"TSUZUKI_HOME": str(scratch / "home"), "TSUZUKI_ANILIST_URL": world.anilist.url,
                    "LANG": "en_GB.UTF-8", "PYTHONPATH": str(ROOT)})
    try:
        build_watchlist(world, app_env, scratch / "Videos")
        offered = world.server.url("/feeds/releases.xml")
        for variant, extra in (("light", {}), ("dark", {}), ("fr", {"LANG": "fr_FR.UTF-8"})):
            tsuzuki(app_env, "settings", "set", "appearance", "dark" if variant == "dark" else "system")
            (scratch / "home" / "window.json").unlink(missing_ok=True)  # each run opens on the default layout
            subprocess.run([sys.executable, __file__, "--shoot", variant, offered], env={**app_env, **extra},
                           cwd=ROOT, check=True, timeout=RUN_TIMEOUT_S)
    finally:
        world.server.close()
        shutil.rmtree(scratch, ignore_errors=True)
        del painter_app
    return 0


if __name__ == "__main__":
    sys.exit(main())
