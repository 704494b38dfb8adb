"""How well release names are parsed: per-field accuracy on anitomy's test names, and speed.

Usage: python bench/parse_accuracy.py [PATH]

PATH defaults to ../shared/conformance/anitomy-data.json next to the repository
(anitomy's test/data.json: names with the fields a good parser extracts). Prints
"skipped: ..." and exits 0 when it is absent. Values are compared normalised:
episode and season as ints (the first of a range; a fractional expected episode
such as "12.5" counts as None, which is what the parser gives on purpose),
resolution as "<height>p", title case-insensitively with whitespace collapsed.
"""

from __future__ import annotations

import json
import re
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

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "conformance" / "anitomy-data.json"
FIELDS = ("episode", "title", "video_resolution", "release_group", "season", "release_version")
SHOW_WRONG = ("episode", "title")
MAX_WRONG = 15
PASSES = 20


def _first(value: object) -> object:
    return value[0] if isinstance(value, list) and value else value


def _number(value: object) -> int | None:
    """"01" -> 1, "4a" -> 4 (part a of episode 4), "02.5" -> None."""
    found = re.fullmatch(r"(\d+)[a-z]?", str(_first(value)).strip(), re.IGNORECASE)
    return int(found[1]) if found and value is not None else None


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
            got = normalise(getattr(parsed, field))
            if expected == got:
                right[field] += 1
            else:
                wrong[field].append(f"{case['input']}\n      expected {expected!r}, got {got!r}")
    return right, wrong


def throughput(parse: Callable[[str], object], names: Sequence[str]) -> float:
    """Names per second over ``PASSES`` passes (our cache is emptied before each pass)."""
    started = time.perf_counter()
    for _ in range(PASSES):
        clear_cache()
        for name in names:
            parse(name)
    return PASSES * len(names) / (time.perf_counter() - started)


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
    for field in SHOW_WRONG:
        print(f"\nwrong {field} ({len(wrong[field])}):")
        for line in wrong[field][:MAX_WRONG]:
            print(f"  {line}")
    names = [case["input"] for case in cases]
    ours = throughput(parse_release_name, names)
    reference = throughput(aniparse.Aniparse().parse, names)
    print(f"\nthroughput: {ours:.0f} names/s uncached; aniparse alone {reference:.0f} names/s "
          f"(ratio {ours / reference:.2f}), over {PASSES} passes")
    clear_cache()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
