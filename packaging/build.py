"""The one build command: Tsuzuki's PyInstaller bundle, and on Linux its .deb.

    .venv/bin/python packaging/build.py

makes ``dist/tsuzuki/`` (the bundle: ``dist/tsuzuki/tsuzuki`` is the app) and, on Linux,
``dist/tsuzuki_VERSION_ARCH.deb``; ``build/`` holds what it needs on the way. Run it by path,
never as ``python -m packaging.build``: this folder is not a Python package, and must not become
one, since ``packaging`` is also the PyPI module that PyInstaller imports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
from importlib.metadata import version
from pathlib import Path

from icons import render_pngs

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
DIST = ROOT / "dist"
BUNDLE = DIST / "tsuzuki"


def app_version() -> str:
    """The version in the package metadata, which pyproject.toml takes from ``core.__version__``."""
    from core import __version__

    installed = version("tsuzuki")
    if installed != __version__:
        raise SystemExit(f"the installed metadata says {installed} but core/__init__.py says {__version__}: "
                         "run packaging/setup.sh again")
    return installed


def compile_translations(folder: Path) -> None:
    """The .qm the app loads, compiled from each .ts into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    lrelease = shutil.which("pyside6-lrelease", path=sysconfig.get_path("scripts"))
    if lrelease is None:
        raise SystemExit("pyside6-lrelease is missing: run packaging/setup.sh")
    for source in sorted((ROOT / "resources" / "translations").glob("*.ts")):
        subprocess.run([lrelease, "-silent", str(source), "-qm", str(folder / f"{source.stem}.qm")], check=True)


def build_bundle(qm_folder: Path, icon: Path) -> None:
    """``dist/tsuzuki/`` from packaging/tsuzuki.spec."""
    environment = dict(os.environ, TSUZUKI_QM_DIR=str(qm_folder), TSUZUKI_ICON=str(icon))
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"),
                    str(ROOT / "packaging" / "tsuzuki.spec")], check=True, cwd=BUILD, env=environment)


def clear_foreign_runpaths(bundle: Path) -> None:
    """Drop the library search paths outside the bundle that binaries were built with (a Python
    built in a home folder, as pyenv does, searches it first): the bundle's own ($ORIGIN) stay."""
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.open("rb").read(4) != b"\x7fELF":
            continue
        current = subprocess.run(["patchelf", "--print-rpath", str(path)], capture_output=True, text=True)
        entries = [entry for entry in current.stdout.strip().split(":") if entry]
        own = [entry for entry in entries if entry.startswith("$ORIGIN")]
        if current.returncode == 0 and own != entries:
            change = ["--set-rpath", ":".join(own)] if own else ["--remove-rpath"]
            subprocess.run(["patchelf", *change, str(path)], check=True)


def main() -> int:
    started = time.monotonic()
    BUILD.mkdir(exist_ok=True)
    release = app_version()
    compile_translations(BUILD / "translations")
    pngs = render_pngs(ROOT / "resources" / "icons" / "tsuzuki.svg", BUILD / "icons")
    build_bundle(BUILD / "translations", pngs[256])
    print(f"bundle: {BUNDLE} ({_megabytes(BUNDLE)} MB) after {time.monotonic() - started:.0f} s")
    if sys.platform.startswith("linux"):
        from deb import build_deb

        clear_foreign_runpaths(BUNDLE)
        deb = build_deb(BUNDLE, release, pngs, BUILD / "deb", DIST)
        print(f"deb: {deb} ({deb.stat().st_size / 1e6:.0f} MB)")
    print(f"built Tsuzuki {release} in {time.monotonic() - started:.0f} s")
    return 0


def _megabytes(folder: Path) -> int:
    return round(sum(path.lstat().st_size for path in folder.rglob("*")) / 1e6)


if __name__ == "__main__":
    shutil.rmtree(BUNDLE, ignore_errors=True)
    sys.exit(main())
