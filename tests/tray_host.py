"""A real X screen with a system-tray host (Xvfb + trayer), for the tests that need a tray icon to
really appear. ``packaging/setup.sh --test`` installs both, and xdotool, which tells when the host
is up."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

MISSING = [tool for tool in ("Xvfb", "trayer", "xdotool") if shutil.which(tool) is None]
needs_tray_host = pytest.mark.skipif(
    bool(MISSING), reason=f"a tray host needs {', '.join(MISSING)} (packaging/setup.sh --test installs them)")
START_S = 10.0
ATTEMPTS = 5  # another X server starting at the same moment may take the display number ours announced


@contextmanager
def tray_host() -> Iterator[dict[str, str]]:
    """Start a 1280x800 X screen with a tray host; yields the environment a child process needs to
    open its windows there (the parent's, with DISPLAY set, and no QT_QPA_PLATFORM or session bus)."""
    for attempt in range(ATTEMPTS):
        processes: list[subprocess.Popen[bytes]] = []
        try:
            env = _start(processes)
            if env is not None:
                yield env
                return
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=10)
        time.sleep(0.5 * (attempt + 1))
    raise AssertionError(f"no X screen with a tray host after {ATTEMPTS} attempts")


def _start(processes: list[subprocess.Popen[bytes]]) -> dict[str, str] | None:
    """Xvfb then trayer, added to ``processes``; the screen's environment, None if either failed."""
    with tempfile.TemporaryFile() as announced:  # Xvfb writes the display number it took here
        processes.append(subprocess.Popen(
            ["Xvfb", "-displayfd", str(announced.fileno()), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            pass_fds=(announced.fileno(),), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + START_S
        while not os.pread(announced.fileno(), 64, 0).endswith(b"\n"):
            if processes[0].poll() is not None or time.monotonic() > deadline:
                return None
            time.sleep(0.05)
        display = os.pread(announced.fileno(), 64, 0).decode().strip()
    env = {name: value for name, value in os.environ.items()  # a desktop's own bus is not this screen's
           if name not in ("QT_QPA_PLATFORM", "DBUS_SESSION_BUS_ADDRESS")}
    env["DISPLAY"] = f":{display}"
    host = subprocess.Popen(["trayer", "--edge", "top", "--align", "right", "--widthtype", "request",
                             "--height", "24", "--transparent", "false", "--tint", "0x808080"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    processes.append(host)
    while subprocess.run(["xdotool", "search", "--class", "trayer"], env=env, capture_output=True).returncode:
        if host.poll() is not None or time.monotonic() > deadline:
            return None
        time.sleep(0.1)
    return env
