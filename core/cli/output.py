"""How the command line shows things: rich tables for people, one JSON document for scripts.

rich, pydantic and the models are imported by the functions that use them, so importing
this module is cheap: ``--help`` and ``--json`` load no tables.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.choices import WatchlistStatus

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from core.downloads.jobs import DownloadJob
    from core.models import WatchlistItem, WatchlistSettings, WatchlistStatistics

STATUS_STYLES = {
    WatchlistStatus.ACTIVE: "green",
    WatchlistStatus.PAUSED: "yellow",
    WatchlistStatus.COMPLETED: "cyan",
    WatchlistStatus.ARCHIVED: "dim",
}
SHORT_ID = 8


def stdout_console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def print_problem(kind: str, message: str) -> None:
    """An error or warning on stderr: ``tsuzuki: error: message``."""
    from rich.text import Text

    style = "bold red" if kind == "error" else "bold yellow"
    stderr_console().print(Text.assemble((f"tsuzuki: {kind}: ", style), message), soft_wrap=True)


def print_json(data: Any) -> None:
    """Write one JSON document (models, lists of models, plain data) to stdout."""
    sys.stdout.write(json.dumps(_jsonable(data), indent=2, ensure_ascii=False) + "\n")


def _jsonable(data: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    if isinstance(data, list):
        return [_jsonable(entry) for entry in data]
    return data


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """A short relative time: 'never', 'just now', '5 min ago', '3 h ago', '2 d ago'."""
    from core.models import utc_now

    if moment is None:
        return "never"
    seconds = ((now or utc_now()) - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} d ago"


def status_text(status: WatchlistStatus) -> Text:
    from rich.text import Text

    return Text(status.value, style=STATUS_STYLES[status])


def items_table(items: list[WatchlistItem], problems: dict[str, list[str]]) -> Table:
    """The watchlist as a table, one row per show, readable at 80 columns.

    Long titles are cut with an ellipsis (``show`` has them whole); a show with
    a problem has a red "!" after its id (``problem_notes`` says what it is).
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from core.models import utc_now

    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("ID", no_wrap=True, min_width=SHORT_ID + 1)
    table.add_column("Title", min_width=12)  # the one column that gives way when the terminal is narrow
    table.add_column("Status", no_wrap=True)
    table.add_column("Wants", no_wrap=True, overflow="ellipsis", max_width=16)
    table.add_column("Auto", no_wrap=True, justify="center")
    table.add_column("Ep.", no_wrap=True, justify="right")
    table.add_column("Checked", no_wrap=True, justify="right")
    now = utc_now()
    for item in items:
        marker = ("!", "bold red") if item.id in problems else ""
        table.add_row(
            Text.assemble((item.id[:SHORT_ID], "dim"), marker),
            Text(item.anime_title, style="bold", no_wrap=True, overflow="ellipsis"),
            status_text(item.status),
            Text(f"{item.lang} {item.quality_preference.value}"),
            Text("yes" if item.auto_download else "no"),
            Text(str(item.last_episode_downloaded)),
            Text(ago(item.last_checked_at, now), style="red" if item.last_error else ""),
        )
    return table


def problem_notes(items: list[WatchlistItem], problems: dict[str, list[str]]) -> Text:
    """One line per problem, under the table: ``! 3f2a1b2c: source failed: ...``."""
    from rich.text import Text

    lines = [
        Text.assemble(("! ", "bold red"), f"{item.id[:SHORT_ID]}: {problem}")
        for item in items
        for problem in problems.get(item.id, [])
    ]
    return Text("\n").join(lines)


def item_details(item: WatchlistItem) -> Table:
    """One show, field by field."""
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    rows: list[tuple[str, Text]] = [
        ("ID", Text(item.id)),
        ("Title", Text(item.anime_title, style="bold")),
        ("Source", Text(item.anime_url)),
        ("Provider", Text(item.provider_id)),
        ("Status", status_text(item.status)),
        ("Language", Text(item.lang)),
        ("Quality", Text(item.quality_preference.value)),
        ("Auto-download", Text("yes" if item.auto_download else "no")),
        ("Last episode", Text(str(item.last_episode_downloaded))),
        ("Last checked", Text(ago(item.last_checked_at))),
        ("Added", Text(f"{item.created_at:%Y-%m-%d %H:%M} UTC")),
    ]
    rows += [
        ("Aliases", Text(", ".join(item.title_aliases) or "none")),
        ("Preferred groups", Text(", ".join(item.preferred_groups) or "none")),
        ("Blocked groups", Text(", ".join(item.blocked_groups) or "none")),
        ("Episode offset", Text(str(item.episode_offset))),
        ("Season", Text("from its title" if item.season is None else str(item.season))),
    ]
    if item.last_error:
        rows.append(("Last error", Text(item.last_error, style="red")))
    if item.genres:
        rows.append(("Genres", Text(", ".join(item.genres))))
    if item.synopsis:
        rows.append(("Synopsis", Text(item.synopsis)))
    for label, value in rows:
        table.add_row(label, value)
    return table


def stats_table(stats: WatchlistStatistics) -> Table:
    """Counts by status and by provider."""
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold", show_header=False)
    table.add_column()
    table.add_column(justify="right")
    table.add_row(Text("Shows", style="bold"), Text(str(stats.total), style="bold"))
    for status in WatchlistStatus:
        table.add_row(status_text(status), str(getattr(stats, status.value)))
    table.add_row("auto-download on", str(stats.auto_download_enabled))
    for provider, count in stats.by_provider.items():
        table.add_row(Text(f"provider {provider}", style="dim"), str(count))
    return table


JOB_STYLES = {"queued": "yellow", "running": "blue", "done": "green", "failed": "bold red", "cancelled": "dim"}


def downloads_table(jobs: list[DownloadJob]) -> Table:
    """The queue and the history: one row per download, why it failed under its name."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from core.models import utc_now

    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("ID", no_wrap=True, min_width=SHORT_ID)
    table.add_column("Show", min_width=12)
    table.add_column("Ep.", no_wrap=True, justify="right")
    table.add_column("State", no_wrap=True)
    table.add_column("When", no_wrap=True, justify="right")
    now = utc_now()
    for job in jobs:
        state = "with the torrent client" if job.state.value == "running" and job.info_hash else job.state.value
        title = Text(job.anime_title, style="bold", overflow="fold")
        if job.error and job.state.value == "failed":
            title.append(f"\n{job.error}", style="red")
        elif job.path and job.state.value == "done":
            title.append(f"\n{job.path}", style="dim")
        table.add_row(Text(job.id[:SHORT_ID], style="dim"), title, Text(str(job.episode)),
                      Text(state, style=JOB_STYLES[job.state.value]), Text(ago(job.finished_at or job.created_at, now)))
    return table


def settings_table(settings: WatchlistSettings) -> Table:
    """Every setting with its value."""
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold")
    table.add_column("Setting")
    table.add_column("Value")
    for key, value in settings.model_dump(mode="json").items():
        table.add_row(Text(key), Text(format_value(value)))
    return table


def format_value(value: Any) -> str:
    """A value as a person types it (booleans as true/false, nothing as "none")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "none" if value is None else str(value)
