"""The PyInstaller bundle: it runs, knows its version, opens its window, carries what it needs."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from core import __version__
from tests.packaging.conftest import Build
from tests.tray_host import needs_tray_host, tray_host

pytestmark = pytest.mark.packaging

MAX_BUNDLE_BYTES = 160_000_000


def run(program: Path, *arguments: str, home: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(program), *arguments], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, TSUZUKI_HOME=str(home), QT_QPA_PLATFORM="offscreen", **environment))


def test_the_bundle_prints_the_package_version(build: Build, tmp_path: Path) -> None:
    done = run(build.program, "--version", home=tmp_path)
    assert (done.returncode, done.stdout) == (0, f"tsuzuki {__version__}\n")


def test_the_bundle_passes_its_selftest_over_a_watchlist_it_wrote(build: Build, tmp_path: Path) -> None:
    added = run(build.program, "add", "--title", "Frieren", "--url", str(tmp_path), "--provider", "directory",
                home=tmp_path)
    assert added.returncode == 0, added.stderr
    listed = run(build.program, "list", "--json", home=tmp_path)
    assert [item["anime_title"] for item in json.loads(listed.stdout)] == ["Frieren"]
    selftest = run(build.program, "--selftest", home=tmp_path)
    assert selftest.returncode == 0, selftest.stderr
    assert "passed (1 shows" in selftest.stdout


def test_the_bundle_carries_the_release_name_parser(build: Build, tmp_path: Path) -> None:
    done = run(build.program, "parse", "[SubsPlease] Sousou no Frieren - 12 (1080p).mkv", "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["episode"] == 12


def test_the_bundle_knows_apprises_notification_services(build: Build, tmp_path: Path) -> None:
    """apprise finds its services by listing its plugins folder: an ntfy address is understood, and
    refused only for want of a keyring (none here, on purpose: no test writes in a real one)."""
    done = run(build.program, "notify", "add", "Phone", "ntfy://tsuzuki-test", home=tmp_path,
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert (done.returncode, "keyring" in done.stderr) == (1, True), done.stderr


def test_the_bundle_is_within_its_size_and_leaves_the_gtk_theme_out(build: Build) -> None:
    files = [path for path in build.bundle.rglob("*") if not path.is_dir()]
    assert sum(path.lstat().st_size for path in files) <= MAX_BUNDLE_BYTES
    assert not [path for path in files if "libqgtk3" in path.name or "wayland" in path.name.lower()]
    assert not [path for path in files if path.is_symlink() and not path.exists()], "dangling links"
    assert (build.bundle / "_internal/resources/translations/tsuzuki_fr.qm").is_file()
    assert (build.bundle / "_internal/resources/icons/tsuzuki.svg").is_file()


@needs_tray_host
def test_every_library_the_bundle_loads_from_the_system_is_a_dependency_of_the_deb(
        build: Build, tmp_path: Path) -> None:
    """What the app loads on a real X screen with a tray (dlopen included), as the dynamic linker
    reports it, against the .deb's Depends."""
    with tray_host() as screen:
        done = subprocess.run([str(build.program), "--selftest"], capture_output=True, text=True, timeout=60,
                              env=dict(screen, TSUZUKI_HOME=str(tmp_path), QT_QPA_PLATFORM="xcb",
                                       LD_DEBUG="files", LD_DEBUG_OUTPUT=str(tmp_path / "ld")))
    assert done.returncode == 0, done.stderr
    loaded = {match for log in tmp_path.glob("ld.*") for match in re.findall(r"calling init: (\S+)", log.read_text())}
    bundle = str(build.bundle.resolve())
    system = sorted(library for library in loaded if not library.startswith(bundle))
    assert any("libxcb.so" in library for library in system), "the xcb platform did not load"
    control = (build.staged / "DEBIAN/control").read_text()
    depends = {name.strip() for name in re.findall(r"^Depends: (.*)$", control, re.M)[0].split(",")}
    owners = {library: owner(library) for library in system}
    brought = closure(depends)
    assert set(owners.values()) <= brought, {lib: pkg for lib, pkg in owners.items() if pkg not in brought}
    assert "libc6" in depends and len(depends) <= 12


def closure(packages: set[str]) -> set[str]:
    """``packages`` and every installed package they depend on, and so on."""
    seen: set[str] = set()
    todo = set(packages)
    while todo:
        package = todo.pop()
        seen.add(package)
        fields = subprocess.run(["dpkg-query", "-W", "-f", "${Depends}, ${Pre-Depends}", package],
                                capture_output=True, text=True).stdout
        todo |= {re.split(r"[ :(]", alternative.strip())[0] for alternative in re.split(r"[,|]", fields)
                 if alternative.strip()} - seen
    return seen


def owner(library: str) -> str:
    """The package owning ``library``, spelled under /lib or /usr/lib (/usr is merged)."""
    for spelling in (library, library.replace("/lib/", "/usr/lib/", 1), library.replace("/usr/lib/", "/lib/", 1),
                     os.path.realpath(library)):
        found = subprocess.run(["dpkg", "-S", spelling], capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.split(":")[0]
    raise AssertionError(f"no package owns {library}")
