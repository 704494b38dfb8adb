"""``tsuzuki``: the command line over the watchlist core.

Exit codes: 0 success; 2 bad input (a clear message on stderr, nothing
written); 1 any other failure. ``--json`` prints one JSON document.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from pydantic import ValidationError

from core import __version__
from core.cli import output
from core.datafolder import DataFolder
from core.errors import InputError, TsuzukiError, describe_validation_error
from core.logs import configure_logging
from core.models import (
    QualityPreference,
    WatchlistItem,
    WatchlistItemCreate,
    WatchlistItemUpdate,
    WatchlistStatus,
)
from core.settings import SettingsStore
from core.storage import Recovery
from core.watchlist import WatchlistManager

log = logging.getLogger(__name__)

STATUSES = [status.value for status in WatchlistStatus]
QUALITIES = [quality.value for quality in QualityPreference]


@dataclass
class Context:
    """What a command needs: the profile's folder, its stores, and how to print."""

    folder: DataFolder
    json: bool

    @cached_property
    def watchlist(self) -> WatchlistManager:
        return WatchlistManager(self.folder, on_recovery=_report_recovery)

    @cached_property
    def settings(self) -> SettingsStore:
        return SettingsStore(self.folder, on_recovery=_report_recovery)

    def say(self, renderable: object) -> None:
        output.stdout_console().print(renderable)


def _report_recovery(recovery: Recovery) -> None:
    log.warning("%s", recovery.message())
    output.print_problem("warning", recovery.message())


def _validated(model: type, **fields: object):  # type: ignore[no-untyped-def]
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise InputError(describe_validation_error(error)) from error


# Commands -----------------------------------------------------------------------------------


def cmd_list(ctx: Context, args: argparse.Namespace) -> None:
    status = WatchlistStatus(args.status) if args.status else None
    items = ctx.watchlist.list_items(status)
    if ctx.json:
        output.print_json(items)
    elif items:
        ctx.say(output.items_table(items))
    elif status:
        ctx.say(f"No {status.value} shows.")
    else:
        ctx.say("Your watchlist is empty. Add a show with: tsuzuki add --title T --url URL --provider P")


def cmd_add(ctx: Context, args: argparse.Namespace) -> None:
    fields: dict[str, object] = {
        "anime_title": args.title,
        "anime_url": args.url,
        "provider_id": args.provider,
        "auto_download": args.auto_download,
    }
    if args.lang is not None:
        fields["lang"] = args.lang
    if args.quality is not None:
        fields["quality_preference"] = args.quality
    item = ctx.watchlist.create(_validated(WatchlistItemCreate, **fields))
    _show_item(ctx, item, f"Added {item.anime_title!r} (id {item.id[:output.SHORT_ID]}).")


def cmd_show(ctx: Context, args: argparse.Namespace) -> None:
    item = ctx.watchlist.get(args.id)
    if ctx.json:
        output.print_json(item)
    else:
        ctx.say(output.item_details(item))


def cmd_update(ctx: Context, args: argparse.Namespace) -> None:
    options = {
        "anime_title": args.title,
        "anime_url": args.url,
        "status": args.status,
        "quality_preference": args.quality,
        "lang": args.lang,
        "auto_download": args.auto_download,
        "last_episode_downloaded": args.last_episode,
    }
    fields = {key: value for key, value in options.items() if value is not None}
    if not fields:
        raise InputError(
            "nothing to update: give at least one of --title, --url, --status, --quality, --lang, "
            "--auto-download/--no-auto-download, --last-episode"
        )
    changes = _validated(WatchlistItemUpdate, **fields)
    before = ctx.watchlist.get(args.id)
    item = ctx.watchlist.update(args.id, changes)
    summary = ", ".join(
        f"{key} {output.format_value(getattr(before, key))} → {output.format_value(getattr(item, key))}"
        for key in changes.changes()
        if getattr(before, key) != getattr(item, key)
    )
    _show_item(ctx, item, f"Updated {item.anime_title!r}: {summary or 'nothing changed'}.")


def cmd_remove(ctx: Context, args: argparse.Namespace) -> None:
    item = ctx.watchlist.delete(args.id)
    _show_item(ctx, item, f"Removed {item.anime_title!r} (id {item.id[:output.SHORT_ID]}).")


def cmd_pause(ctx: Context, args: argparse.Namespace) -> None:
    item = ctx.watchlist.pause(args.id)
    _show_item(ctx, item, f"Paused {item.anime_title!r}: it will not be checked until resumed.")


def cmd_resume(ctx: Context, args: argparse.Namespace) -> None:
    item = ctx.watchlist.resume(args.id)
    _show_item(ctx, item, f"Resumed {item.anime_title!r}: it is active again.")


def cmd_stats(ctx: Context, args: argparse.Namespace) -> None:
    stats = ctx.watchlist.statistics()
    if ctx.json:
        output.print_json(stats)
    else:
        ctx.say(output.stats_table(stats))


def cmd_settings(ctx: Context, args: argparse.Namespace) -> None:
    if args.action == "set":
        settings = ctx.settings.set_values(**{args.key: args.value})
    else:
        settings = ctx.settings.get()
    if args.action is None:
        if ctx.json:
            output.print_json(settings)
        else:
            ctx.say(output.settings_table(settings))
        return
    key = ctx.settings.check_key(args.key)
    value = settings.model_dump(mode="json")[key]
    if ctx.json:
        output.print_json({key: value})
    elif args.action == "get":
        ctx.say(output.format_value(value))
    else:
        ctx.say(f"{key} = {output.format_value(value)}")


def _show_item(ctx: Context, item: WatchlistItem, message: str) -> None:
    if ctx.json:
        output.print_json(item)
    else:
        ctx.say(message)


# Parser -------------------------------------------------------------------------------------


def _common_options(*, top_level: bool) -> argparse.ArgumentParser:
    """--profile and --json, accepted before or after the command name.

    Below the top level their default is SUPPRESS, so a value given before the
    command is not reset by the sub-command's parser.
    """
    common = argparse.ArgumentParser(add_help=False)
    default_profile = None if top_level else argparse.SUPPRESS
    default_json = False if top_level else argparse.SUPPRESS
    common.add_argument(
        "--profile", metavar="NAME", default=default_profile,
        help="use a separate watchlist (its own folder in the data folder)",
    )
    common.add_argument(
        "--json", action="store_true", default=default_json, help="print one JSON document"
    )
    return common


def _add_show_options(parser: argparse.ArgumentParser, *, for_update: bool) -> None:
    parser.add_argument("--title", required=not for_update, help="the show's title")
    parser.add_argument("--url", required=not for_update, help="the source: feed URL, channel, folder")
    if not for_update:
        parser.add_argument("--provider", required=True, help="the kind of source (feed, directory, ytdlp)")
    parser.add_argument("--lang", help="release language: sub, dub, vostfr, vf, multi, ... (default sub)")
    parser.add_argument("--quality", choices=QUALITIES, help="preferred quality (default auto: the best)")
    if for_update:
        parser.add_argument("--status", choices=STATUSES, help="active, paused, completed or archived")
        parser.add_argument("--last-episode", type=int, metavar="N", help="last episode already downloaded")
        toggle = parser.add_mutually_exclusive_group()
        toggle.add_argument("--auto-download", dest="auto_download", action="store_true", default=None,
                            help="download new episodes by themselves")
        toggle.add_argument("--no-auto-download", dest="auto_download", action="store_false",
                            help="only report new episodes")
    else:
        parser.add_argument("--no-auto-download", dest="auto_download", action="store_false",
                            help="only report new episodes; do not download them")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = argparse.ArgumentParser(
        prog="tsuzuki",
        description="Follow airing anime: a watchlist that checks your sources for new episodes.",
        parents=[_common_options(top_level=True)],
    )
    parser.add_argument("--version", action="version", version=f"tsuzuki {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = _common_options(top_level=False)

    def command(name: str, handler: Callable[[Context, argparse.Namespace], None], help_text: str,
                takes_id: bool = False) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=[common])
        sub.set_defaults(handler=handler)
        if takes_id:
            sub.add_argument("id", metavar="ID", help="the show's id, or any unique prefix of it")
        return sub

    listing = command("list", cmd_list, "list the shows on the watchlist")
    listing.add_argument("--status", choices=STATUSES, help="only shows with this status")
    _add_show_options(command("add", cmd_add, "add a show to the watchlist"), for_update=False)
    command("show", cmd_show, "show everything about one show", takes_id=True)
    _add_show_options(command("update", cmd_update, "change a show", takes_id=True), for_update=True)
    command("remove", cmd_remove, "remove a show from the watchlist", takes_id=True)
    command("pause", cmd_pause, "stop checking a show for now", takes_id=True)
    command("resume", cmd_resume, "check a paused show again", takes_id=True)
    command("stats", cmd_stats, "count the shows by status and provider")
    settings = command("settings", cmd_settings, "show or change settings")
    actions = settings.add_subparsers(dest="action", metavar="ACTION")
    get = actions.add_parser("get", help="print one setting", parents=[common])
    get.add_argument("key", metavar="KEY")
    put = actions.add_parser("set", help="change one setting", parents=[common])
    put.add_argument("key", metavar="KEY")
    put.add_argument("value", metavar="VALUE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        folder = DataFolder.for_profile(args.profile)
        configure_logging(folder)
        args.handler(Context(folder=folder, json=args.json), args)
    except InputError as error:
        _print_error(error)
        return 2
    except TsuzukiError as error:
        _print_error(error)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def _print_error(error: Exception) -> None:
    log.info("command failed: %s", error)
    output.print_problem("error", str(error))


if __name__ == "__main__":
    sys.exit(main())
