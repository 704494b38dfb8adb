"""How well release names are parsed: per-field accuracy on anitomy's test names, and speed.

Usage: python bench/parse_accuracy.py [PATH]

PATH defaults to ../shared/conformance/anitomy-data.json next to the repository
(anitomy's test/data.json: names with the fields a good parser extracts). Prints
"skipped: ..." and exits 0 when it is absent. Values are compared normalised:
episode and season as numbers (the first of a range; a fractional episode such
as "12.5" is expected as such, from ``fractional_episode``: ``episode`` is None
for it on purpose),
resolution as "<height>p", title case-insensitively with whitespace collapsed.
"language stated" counts the names whose expected fields state a language or
subtitles ("VOSTFR", "Eng", "Multi-Sub", "Big5") and that we read a language from.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import aniparse

from providers.release_names import (
    clear_cache,
    normalise_resolution,
    parse_release_name,
)

_SUITE = Path("shared") / "conformance" / "anitomy-data.json"
# ../shared next to the repository, or next to the folder of worktrees (/work/wt/<name> -> /work/shared)
DEFAULT_DATA = next((root / _SUITE for root in Path(__file__).resolve().parents[1:4] if (root / _SUITE).is_file()),
                    Path(__file__).resolve().parents[2] / _SUITE)
FIELDS = ("episode", "title", "video_resolution", "release_group", "season", "release_version")
SHOW_WRONG = ("episode", "title")
MAX_WRONG = 15
PASSES = 20
TARGETS = {"episode": 98, "title": 94, "release_group": 98}  # per cent of the names
TARGET_SPEED = 3000  # names per second, uncached


def _first(value: object) -> object:
    return value[0] if isinstance(value, list) and value else value


def _number(value: object) -> float | None:
    """"01" -> 1, "4a" -> 4 (part a of episode 4), "02.5" -> 2.5."""
    found = re.fullmatch(r"(\d+(?:\.\d+)?)[a-z]?", str(_first(value)).strip(), re.IGNORECASE)
    return float(found[1]) if found and value is not None else None


def _title(value: object) -> str | None:
    return None if value is None else " ".join(str(_first(value)).split()).casefold()


def _resolution(value: object) -> str | None:
    return None if value is None else normalise_resolution(str(_first(value)))


def _group(value: object) -> str | None:
    return None if value is None else str(_first(value))


NORMALISE: dict[str, Callable[[object], object]] = {
    "episode": _number,
    "title": _title,
    "video_resolution": _resolution,
    "release_group": _group,
    "season": _number,
    "release_version": _number,
}


def score(cases: Sequence[dict]) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Per field: how many names parse right, and the names that do not (with expected/got)."""
    right = dict.fromkeys(FIELDS, 0)
    wrong: dict[str, list[str]] = {field: [] for field in FIELDS}
    for case in cases:
        parsed = parse_release_name(case["input"])
        for field, normalise in NORMALISE.items():
            expected = normalise(case["output"].get(field))
            value = getattr(parsed, field)
            if field == "episode" and value is None:
                value = parsed.fractional_episode
            got = normalise(value)
            if expected == got:
                right[field] += 1
            else:
                wrong[field].append(f"{case['input']}\n      expected {expected!r}, got {got!r}")
    return right, wrong


def stated_languages(cases: Sequence[dict]) -> tuple[int, list[str]]:
    """How many names stating a language we read one from, and the names stating one: (found, missed)."""
    stated = [case["input"] for case in cases if case["output"].get("language") or case["output"].get("subtitles")]
    missed = [name for name in stated if parse_release_name(name).language is None]
    return len(stated) - len(missed), missed


def throughput(parse: Callable[[str], object], names: Sequence[str], cached: bool = False) -> float:
    """Names per second in the median of ``PASSES`` passes (our cache emptied before each pass unless ``cached``):
    the median, because this machine's neighbours make single passes vary by half."""
    clear_cache()
    if cached:
        for name in names:  # filled first: the names of a feed seen at the previous check
            parse(name)
    seconds = []
    for _ in range(PASSES):
        if not cached:
            clear_cache()
        started = time.perf_counter()
        for name in names:
            parse(name)
        seconds.append(time.perf_counter() - started)
    return len(names) / statistics.median(seconds)


def main(argv: Sequence[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA
    if not path.is_file():
        print(f"skipped: {path} not found")
        return 0
    cases = json.loads(path.read_text(encoding="utf-8"))
    right, wrong = score(cases)
    print(f"{len(cases)} names from {path}")
    for field in FIELDS:
        print(f"{field:<17} {right[field]:>4}/{len(cases)}  {100 * right[field] / len(cases):5.1f}%")
    found, missed = stated_languages(cases)
    print(f"{'language stated':<17} {found:>4}/{found + len(missed)}  {100 * found / (found + len(missed)):5.1f}%"
          + "".join(f"\n  missed: {name}" for name in missed))
    for field in SHOW_WRONG:
        print(f"\nwrong {field} ({len(wrong[field])}):")
        for line in wrong[field][:MAX_WRONG]:
            print(f"  {line}")
    names = [case["input"] for case in cases]
    ours = throughput(parse_release_name, names)
    cached = throughput(parse_release_name, names, cached=True)
    reference = throughput(aniparse.Aniparse().parse, names)
    print(f"\nthroughput: {ours:.0f} names/s uncached, {cached:.0f} names/s cached; aniparse alone "
          f"{reference:.0f} names/s (ratio uncached {ours / reference:.2f}), median of {PASSES} passes")
    print(f"targets: episode >= {TARGETS['episode']}%, title >= {TARGETS['title']}%, "
          f"release_group >= {TARGETS['release_group']}%, every stated language, >= {TARGET_SPEED} names/s "
          "uncached: " + ("met" if all(100 * right[f] / len(cases) >= t for f, t in TARGETS.items())
                          and not missed and ours >= TARGET_SPEED else "not met"))
    clear_cache()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
