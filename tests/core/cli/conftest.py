"""Run the command line in-process (fast) or as a real process (for what crosses processes)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from core.cli.main import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


@pytest.fixture
def cli(home, capsys: pytest.CaptureFixture[str]) -> Run:  # type: ignore[no-untyped-def]
    """``cli("add", "--title", ...)`` runs ``tsuzuki`` in this process."""

    def run(*argv: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse: --help, --version, usage errors
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def tsuzuki_process(home) -> Run:  # type: ignore[no-untyped-def]
    """``tsuzuki_process("list", "--json")`` runs ``tsuzuki`` as a separate process."""

    def run(*argv: str) -> Result:
        done = subprocess.run(
            [sys.executable, "-m", "core.cli.main", *argv], capture_output=True, text=True, timeout=60
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


ADD_FRIEREN = ("add", "--title", "Frieren", "--url", "https://feeds.example.org/frieren.xml", "--provider", "feed")
