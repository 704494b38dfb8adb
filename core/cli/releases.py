"""``tsuzuki parse`` and ``tsuzuki explain``: what a release name says, and what a check would do."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from rich import box
from rich.table import Table
from rich.text import Text

from core.cli.context import Context
from core.cli.output import print_json
from core.errors import InputError
from core.matching import Decision
from providers.release_names import ParsedRelease, parse_release_name

PARSED_COLUMNS = (
    ("title", "Title"), ("episode", "Ep."), ("episode_end", "To"), ("season", "Season"),
    ("video_resolution", "Quality"), ("release_group", "Group"), ("release_version", "v"),
    ("language", "Lang"),
)


def cmd_parse(ctx: Context, args: argparse.Namespace) -> None:
    names: list[str] = []
    for name in args.names:
        if name == "-":
            names.extend(line.rstrip("\r\n") for line in sys.stdin if line.strip())
        else:
            names.append(name)
    if not names:
        raise InputError("nothing to parse: give release names, or '-' to read one per line from stdin")
    parsed = [{"name": name, **asdict(parse_release_name(name))} for name in names]
    if ctx.json:
        several = len(args.names) > 1 or "-" in args.names
        print_json(parsed if several else parsed[0])
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, header_style="bold")
    for _, header in PARSED_COLUMNS:
        table.add_column(header, overflow="fold")
    for fields in parsed:
        table.add_row(*(Text("" if fields[key] is None else str(fields[key])) for key, _ in PARSED_COLUMNS))
    ctx.say(table)


def cmd_explain(ctx: Context, args: argparse.Namespace) -> None:
    explanation = ctx.actions.explain(args.id)
    item, decisions = explanation.item, explanation.decisions
    if ctx.json:
        print_json({
            "item_id": item.id,
            "anime_title": item.anime_title,
            "source": item.anime_url,
            "candidates": [_candidate(decision) for decision in decisions],
        })
        return
    if not decisions:
        ctx.say(f"{item.anime_title!r}: the source lists no releases.")
        return
    ctx.say(_decisions_table(decisions))
    taken = sum(decision.take for decision in decisions)
    ctx.say(f"{item.anime_title!r}: {taken} to take, {len(decisions) - taken} rejected, of {len(decisions)} releases.")


def _candidate(decision: Decision) -> dict[str, object]:
    return {
        "name": decision.release.name,
        "episode": decision.episode,
        "decision": "take" if decision.take else "reject",
        "reason": decision.reason,
        "link": decision.release.link,
        "kind": decision.release.kind.value,
        "reading": asdict(decision.parsed or decision.release.parsed),  # read for the show: its title found first
    }


def _decisions_table(decisions: list[Decision]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, header_style="bold")
    table.add_column("", no_wrap=True)
    table.add_column("Ep.", justify="right", no_wrap=True)
    table.add_column("Release", overflow="fold", ratio=3)
    table.add_column("Why", overflow="fold", ratio=2)
    for decision in decisions:
        mark = Text("take", style="bold green") if decision.take else Text("skip", style="dim")
        episode = "" if decision.episode is None else str(decision.episode)
        release = Text(decision.release.name)
        release.append(f"\nread as: {reading_summary(decision.parsed or decision.release.parsed)}", style="dim")
        table.add_row(mark, episode, release, Text(decision.reason, style="" if decision.take else "dim"))
    return table


def reading_summary(parsed: ParsedRelease) -> str:
    """What a name was read as, in one line: "Mob Psycho 100 · episode 5 · 1080p · group G"."""
    if parsed.fractional_episode is not None:
        episode = f"episode {parsed.fractional_episode:g}"
    elif parsed.episode is not None and parsed.episode_end is not None:
        episode = f"episodes {parsed.episode}-{parsed.episode_end}"
    else:
        episode = "no episode" if parsed.episode is None else f"episode {parsed.episode}"
    parts = [
        parsed.title or "no title", episode,
        f"season {parsed.season}" if parsed.season is not None else "",
        f"v{parsed.release_version}" if parsed.release_version is not None else "",
        parsed.video_resolution or "",
        f"group {parsed.release_group}" if parsed.release_group else "",
        parsed.language or "",
    ]
    return " · ".join(part for part in parts if part)
