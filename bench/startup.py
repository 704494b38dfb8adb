"""Benchmark: how much CPU a short ``tsuzuki`` command costs, start to exit.

Runs each command N times (default 15) as the console script does (``python -m gui``
from the repository), interleaved with ``python -c pass`` as the reference, and prints
the median CPU time (user + system) of each child: in seconds, over the reference,
and as a ratio to it. Beside them, the floor of any command that reads the watchlist:
Python importing pydantic and building one model. The code is compiled once beforehand
(into a private bytecode cache, as an installed copy is), so the runs measure importing,
not compiling. Targets: ``--version`` <= 0.06 s; ``list`` of 100 shows <= 0.15 s.

    python bench/startup.py [--runs 15] [--shows 100]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.datafolder import HOME_ENV, DataFolder  # noqa: E402
from core.models import WatchlistItemCreate, WatchlistItemUpdate, WatchlistStatus  # noqa: E402
from core.watchlist import WatchlistManager  # noqa: E402

REFERENCE = "python -c pass"
TSUZUKI = [sys.executable, "-m", "gui"]
ONE_MODEL = "from pydantic import BaseModel\nclass M(BaseModel):\n    x: int\nM(x=1)"
# label -> (argv, target CPU seconds or None)
COMMANDS: dict[str, tuple[list[str], float | None]] = {
    REFERENCE: ([sys.executable, "-c", "pass"], None),
    "pydantic, one model": ([sys.executable, "-c", ONE_MODEL], None),  # the floor of a command reading a file
    "tsuzuki --version": ([*TSUZUKI, "--version"], 0.06),
    "tsuzuki list": ([*TSUZUKI, "list"], 0.15),
    "tsuzuki list --json": ([*TSUZUKI, "list", "--json"], None),
    "tsuzuki parse NAME": ([*TSUZUKI, "parse", "[Group] Some Show - 12 (1080p).mkv"], None),
}


def fill_watchlist(shows: int) -> None:
    """``shows`` shows in the data folder of ``TSUZUKI_HOME``: most checked, some paused, a few failing."""
    watchlist = WatchlistManager(DataFolder.for_profile(None))
    items = [
        watchlist.create(WatchlistItemCreate(
            anime_title=f"Some Show {n}", anime_url=f"https://feeds.example.org/show-{n}.xml", provider_id="feed",
            title_aliases=[f"Show {n}"], preferred_groups=["Group"],
        ))
        for n in range(shows)
    ]
    watchlist.record_checks({item.id: "timed out" if n % 10 == 0 else None
                             for n, item in enumerate(items) if n % 4})
    for item in items[::7]:
        watchlist.update(item.id, WatchlistItemUpdate(status=WatchlistStatus.PAUSED))


def cpu_seconds(argv: list[str], env: dict[str, str]) -> float:
    """The user + system CPU time of one run of ``argv``, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--shows", type=int, default=100)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ[HOME_ENV] = home
        fill_watchlist(options.shows)
        # Compiled once into a cache of its own, as an installed copy is, not on every run.
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(Path(home, "pycache"))}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for argv, _target in COMMANDS.values():
            cpu_seconds(argv, env)
        times: dict[str, list[float]] = {label: [] for label in COMMANDS}
        for _ in range(options.runs):  # interleaved, so a busy moment hits every command alike
            for label, (argv, _target) in COMMANDS.items():
                times[label].append(cpu_seconds(argv, env))
    reference = statistics.median(times[REFERENCE])
    print(f"median CPU time (user + sys) of {options.runs} runs; list and list --json over {options.shows} shows")
    print(f"{'command':<22} {'seconds':>8} {'- ref':>8} {'x ref':>6}  target")
    for label, (_argv, target) in COMMANDS.items():
        median = statistics.median(times[label])
        verdict = "" if target is None else f"<= {target:.2f} s {'ok' if median <= target else 'MISSED'}"
        print(f"{label:<22} {median:8.3f} {median - reference:+8.3f} {median / reference:6.2f}  {verdict}")


if __name__ == "__main__":
    main()
