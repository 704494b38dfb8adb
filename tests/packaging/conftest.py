"""The installer's build, once per test session: the bundle and the .deb that these tests check."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_S = 600


@dataclass(frozen=True)
class Build:
    bundle: Path  # dist/tsuzuki
    deb: Path
    staged: Path  # the .deb's files before packing (build/deb)
    seconds: float

    @property
    def program(self) -> Path:
        return self.bundle / "tsuzuki"


@pytest.fixture(scope="session")
def build() -> Build:
    """``packaging/build.py`` run as the README says (by path, with the venv's Python)."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py")], cwd=ROOT, capture_output=True,
                          text=True, timeout=BUILD_TIMEOUT_S)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    debs = sorted((ROOT / "dist").glob("tsuzuki_*.deb"))
    assert len(debs) == 1, debs
    return Build(ROOT / "dist" / "tsuzuki", debs[0], ROOT / "build" / "deb", time.monotonic() - started)
