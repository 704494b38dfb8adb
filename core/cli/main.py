"""``tsuzuki``: the command line over the watchlist core.

Exit codes: 0 success; 2 bad input (a clear message on stderr, nothing
written); 1 any other failure. ``--json`` prints one JSON document.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from core import __version__
from core.choices import QualityPreference, WatchlistStatus
from core.cli import output
from core.cli.connection_commands import add_parsers as add_connection_parsers
from core.errors import InputError, TsuzukiError

if TYPE_CHECKING:
    from core.cli.context import Context

log = logging.getLogger(__name__)

STATUSES = [status.value for status in WatchlistStatus]
QUALITIES = [quality.value for quality in QualityPreference]


def _lazy(module: str, name: str) -> Callable[..., int | None]:
    """Command ``name`` of ``core.cli.<module>``, imported when it runs: building the parser
    (and ``--help``) loads no command's code, and each command loads only what it needs
    (the engine: Qt, yt-dlp, apprise, torrent clients, only for the commands that use it)."""

    def run(*args: object) -> int | None:
        return getattr(importlib.import_module(f"core.cli.{module}"), name)(*args)

    return run


def _engine(name: str) -> Callable[..., int | None]:
    """A command of ``core.cli.service_commands`` (see ``_lazy``)."""
    return _lazy("service_commands", name)


cmd_explain, cmd_parse = (_lazy("releases", name) for name in ("cmd_explain", "cmd_parse"))
cmd_add, cmd_list, cmd_pause, cmd_remove, cmd_resume, cmd_settings, cmd_show, cmd_stats, cmd_update = (
    _lazy("watchlist_commands", f"cmd_{name}")
    for name in ("add", "list", "pause", "remove", "resume", "settings", "show", "stats", "update")
)


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
    """The options that describe a show; required ones only when adding."""
    adding = not for_update
    parser.add_argument("--title", required=adding, help="the show's title")
    parser.add_argument("--url", required=adding, help="its source: a feed URL, folder, channel or playlist")
    parser.add_argument("--provider", required=adding, help="the kind of source: feed, directory or ytdlp")
    parser.add_argument("--lang", help="release language: sub, dub, vostfr, vf, multi, ... (default sub)")
    parser.add_argument("--quality", choices=QUALITIES, help="preferred quality (default auto: the best)")
    for option, metavar, text, clear, what in (
        ("--alias", "TITLE", "another title its releases use", "--clear-aliases", "aliases"),
        ("--prefer-group", "GROUP", "a release group to prefer", "--clear-preferred-groups", "preferred groups"),
        ("--block-group", "GROUP", "a release group never to take", "--clear-blocked-groups", "blocked groups"),
    ):
        group = parser.add_mutually_exclusive_group() if for_update else parser
        group.add_argument(option, action="append", metavar=metavar,
                           help=f"{text} (repeat for more{'; replaces the current ones' if for_update else ''})")
        if for_update:
            group.add_argument(clear, action="store_true", help=f"remove all its {what}")
    parser.add_argument("--episode-offset", type=int, metavar="N",
                        help="subtract N from the source's episode numbers (absolute numbering)")
    parser.add_argument("--season", type=int, metavar="N",
                        help="the show's season when its title does not say it: releases of other seasons are skipped")
    parser.add_argument("--anilist-id", type=int, metavar="N",
                        help="link the show to AniList entry N: poster, synopsis, genres, episode count, other titles")
    if adding:
        parser.add_argument("--no-auto-download", dest="auto_download", action="store_false", default=None,
                            help="only report new episodes; do not download them")
        return
    parser.add_argument("--status", choices=STATUSES, help="active, paused, completed or archived")
    parser.add_argument("--last-episode", type=int, metavar="N", help="last episode already downloaded")
    toggle = parser.add_mutually_exclusive_group()
    toggle.add_argument("--auto-download", dest="auto_download", action="store_true", default=None,
                        help="download new episodes by themselves")
    toggle.add_argument("--no-auto-download", dest="auto_download", action="store_false",
                        help="only report new episodes")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = argparse.ArgumentParser(
        prog="tsuzuki",
        description="Follow airing anime: a watchlist that checks your sources for new episodes.",
        parents=[_common_options(top_level=True)],
    )
    parser.add_argument("--version", action="version", version=f"tsuzuki {__version__}")
    parser.add_argument("--headless", action="store_true",
                        help="run without a window: scheduled checks and downloads until Ctrl+C or SIGTERM")
    parser.add_argument("--selftest", action="store_true",
                        help="check that this installation works (Qt, data folder, keyring, providers)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = _common_options(top_level=False)

    def command(name: str, handler: Callable[[Context, argparse.Namespace], int | None], help_text: str,
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
    parse = command("parse", cmd_parse, "show what release names say (episode, quality, group...)")
    parse.add_argument("names", nargs="+", metavar="NAME", help="release names; '-' reads one per line from stdin")
    command("explain", cmd_explain, "list a show's source and say what a check would take, and why",
            takes_id=True)
    check = command("check", _engine("cmd_check"), "check now, download what is new and wait for it")
    target = check.add_mutually_exclusive_group()
    target.add_argument("id", metavar="ID", nargs="?", help="only this show (an id or unique prefix)")
    target.add_argument("--all", action="store_true", help="every active show, due or not (default: the due ones)")
    scheduler = command("scheduler", _engine("cmd_scheduler"), "the periodic check")
    scheduler.add_argument("action", choices=["status"], help="status: is it running, when is the next check")
    downloads = command("downloads", _engine("cmd_downloads"),
                        "the download queue and history: list, cancel, retry or remove a download")
    download_actions = downloads.add_subparsers(dest="action", metavar="ACTION")
    download_actions.add_parser("list", help="the queue, then the history (default)", parents=[common])
    for name, text in (("cancel", "stop a download (its episode is skipped; retry takes it again)"),
                       ("retry", "queue a failed or cancelled download again"),
                       ("remove", "forget a download (a running one is cancelled first)")):
        download_actions.add_parser(name, help=text, parents=[common]).add_argument(
            "job", metavar="ID", help="the download's id, or any unique prefix of it")
    add_connection_parsers(command, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        _refuse_undecodable(argv)
    except InputError as error:
        _print_error(error)
        return 2
    args = parser.parse_args(argv)
    if args.command is None and not (args.headless or args.selftest):
        parser.print_help()
        return 0
    from core.cli.context import Context
    from core.datafolder import DataFolder
    from core.logs import configure_logging

    try:
        folder = DataFolder.for_profile(args.profile)
        configure_logging(folder)
        ctx = Context(folder=folder, json=args.json)
        if args.selftest:
            from core.cli.selftest import run_selftest

            return run_selftest(ctx)
        if args.headless:
            return _engine("run_headless")(ctx) or 0
        return args.handler(ctx, args) or 0
    except InputError as error:
        _print_error(error)
        return 2
    except TsuzukiError as error:
        _print_error(error)
        return 1
    except KeyboardInterrupt:
        return 130


def _refuse_undecodable(argv: list[str]) -> None:
    """Refuse an argument holding bytes that are not UTF-8 (argv decodes them to lone surrogates):
    Tsuzuki's files are UTF-8 and could not store them."""
    for argument in argv:
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            shown = argument.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise InputError(
                f"'{shown}' is not valid UTF-8 text, which Tsuzuki needs to store it; "
                "retype it, or rename the file or folder it names"
            ) from None


def _print_error(error: Exception) -> None:
    from core.logs import redact

    log.info("command failed: %s", error)
    output.print_problem("error", redact(str(error)))  # as in the log: a mistyped address is not echoed


if __name__ == "__main__":
    sys.exit(main())
