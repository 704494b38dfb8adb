"""The Linux .deb of the bundle: /opt/tsuzuki, the /usr/bin/tsuzuki launcher, the menu entry,
the icons, the AppStream metainfo; ``Depends`` found by what the bundle's binaries load.

No maintainer script: installing writes nothing outside the package's own files (dpkg's
triggers refresh the menu and the icon cache), and nothing in any user's home.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

APP_ID = "org.tsuzuki.Tsuzuki"
INSTALL_DIR = Path("opt/tsuzuki")
TEMPLATES = Path(__file__).resolve().parent / "linux"
SVG = Path(__file__).resolve().parents[1] / "resources" / "icons" / "tsuzuki.svg"
MAINTAINER = "Tsuzuki developers <tsuzuki@users.noreply.github.com>"
DESCRIPTION = """\
follow airing anime and download their new episodes
 Tsuzuki keeps a watchlist of airing anime. For every show it checks a lawful
 source (an RSS or Atom feed, an official channel or playlist, a folder or an
 HTTP directory on your own server) on a schedule, recognises new episodes,
 downloads them or hands torrents to your own client, and tells you. It lives
 in the system tray; it also has a command line and a headless mode."""


def build_deb(bundle: Path, version: str, pngs: dict[int, Path], root: Path, dist: Path) -> Path:
    """Stage the package's files under ``root`` and pack them into ``dist``; returns the .deb."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / INSTALL_DIR, symlinks=True)
    _link(root / "usr/bin/tsuzuki", Path("/") / INSTALL_DIR / "tsuzuki")
    share = root / "usr/share"
    today = datetime.now(timezone.utc)
    values = {"@VERSION@": version, "@DATE@": today.strftime("%Y-%m-%d"), "@APP_ID@": APP_ID}
    _template("tsuzuki.desktop", share / "applications" / f"{APP_ID}.desktop", values)
    _template("tsuzuki.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml", values)
    _template("lintian-overrides", share / "lintian/overrides/tsuzuki", values)
    _template("copyright", share / "doc/tsuzuki/copyright", values)
    _gzip(_template("tsuzuki.1", share / "man/man1/tsuzuki.1", values))
    changelog = share / "doc/tsuzuki/changelog"
    changelog.write_text(f"tsuzuki ({version}) unstable; urgency=medium\n\n  * Release {version}.\n\n"
                         f" -- {MAINTAINER}  {today.strftime('%a, %d %b %Y %H:%M:%S +0000')}\n")
    _gzip(changelog)
    icons = share / "icons/hicolor"
    for size, png in pngs.items():
        _copy(png, icons / f"{size}x{size}/apps/tsuzuki.png")
    _copy(SVG, icons / "scalable/apps/tsuzuki.svg")
    architecture = subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True,
                                  text=True).stdout.strip()
    control = {
        "Package": "tsuzuki",
        "Version": version,
        "Architecture": architecture,
        "Maintainer": MAINTAINER,
        "Installed-Size": str(_kilobytes(root)),
        "Depends": ", ".join(depends(root / INSTALL_DIR)),
        "Section": "video",
        "Priority": "optional",
        "Description": DESCRIPTION,
    }
    (root / "DEBIAN").mkdir(mode=0o755)
    (root / "DEBIAN/control").write_text("".join(f"{key}: {value}\n" for key, value in control.items()))
    _normalise_modes(root)
    deb = dist / f"tsuzuki_{version}_{architecture}.deb"
    # xz, not zstd: Debian 12 installs zstd members, but its lintian (and older dpkgs) refuse them;
    # preset 0: 18 s and 61 MB, where preset 6 takes a minute for 54 MB.
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z0", "--build", str(root), str(deb)], check=True,
                   stdout=subprocess.DEVNULL)
    return deb


def depends(bundle: Path) -> list[str]:
    """The Debian packages owning the libraries that the bundle's binaries load from the system.

    ``ldd`` on every ELF file of the bundle says where each library it links to is found: the
    program (PyInstaller's launcher) as the system finds them, the rest with the bundle's own folder
    first on the library path, as the launcher sets it for them. The libraries they link to
    directly (their NEEDED entries) that are found outside the bundle are the system's; ``dpkg -S``
    names their packages, whose own dependencies bring the rest. A library found nowhere fails
    the build.
    """
    program = bundle / "tsuzuki"
    libraries: set[str] = set()
    for path in sorted(bundle.rglob("*")):
        if not path.is_file() or path.is_symlink() or not _is_elf(path):
            continue
        environment = dict(os.environ)
        if path != program:
            environment["LD_LIBRARY_PATH"] = str(bundle / "_internal")
        listing = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=environment).stdout
        found = {}
        for line in listing.splitlines():
            name, _, target = line.strip().partition(" => ")
            if "not found" in target:
                raise SystemExit(f"{path.relative_to(bundle)} needs {name}, which neither the bundle nor this system has")
            found[name] = target.split(" (")[0]
        for name in _needed(path):
            library = found.get(name, "")
            if library.startswith("/") and not Path(library).resolve().is_relative_to(bundle.resolve()):
                libraries.add(library)
    return sorted(_owners(libraries))


def _owners(libraries: set[str]) -> set[str]:
    """The installed packages owning ``libraries`` (each under /lib or /usr/lib: /usr is merged), asked
    of ``dpkg -S`` at once."""
    spellings = {library: _spellings(library) for library in libraries}
    asked = sorted(set().union(*spellings.values()))
    listing = subprocess.run(["dpkg", "-S", *asked], capture_output=True, text=True).stdout
    owner = {}
    for line in listing.splitlines():
        package, _, path = line.partition(": ")
        owner[path.strip()] = package.split(":")[0]
    packages = set()
    for library, names in spellings.items():
        found = [owner[name] for name in names if name in owner]
        if not found:
            raise SystemExit(f"no installed package owns {library}: install it with apt-get, then build again")
        packages.add(found[0])
    return packages


def _spellings(library: str) -> set[str]:
    names = {library, str(Path(library).resolve())}
    return names | {name.replace(a, b, 1) for name in names for a, b in (("/usr/lib/", "/lib/"), ("/lib/", "/usr/lib/"))
                    if name.startswith(a)}


def _needed(path: Path) -> list[str]:
    """The libraries ``path`` links to directly (its dynamic section's NEEDED entries)."""
    dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^]]+)\]", dynamic)


def _is_elf(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def _template(name: str, target: Path, values: dict[str, str]) -> Path:
    text = (TEMPLATES / name).read_text()
    for key, value in values.items():
        text = text.replace(key, value)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return target


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _link(link: Path, target: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


def _gzip(path: Path) -> None:
    """``path`` as ``path.gz``, compressed as Debian wants (best, no time stamp)."""
    with path.open("rb") as source, gzip.GzipFile(f"{path}.gz", "wb", 9, mtime=0) as target:
        shutil.copyfileobj(source, target)
    path.unlink()


def _normalise_modes(root: Path) -> None:
    """Folders and the program 0755, every other file (shared libraries too) 0644, whatever the
    umask or the wheels said."""
    program = root / INSTALL_DIR / "tsuzuki"
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or path == program else 0o644)


def _kilobytes(root: Path) -> int:
    return sum(-(-p.lstat().st_size // 1024) for p in root.rglob("*") if not p.is_dir()) or 1
