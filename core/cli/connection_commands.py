"""``tsuzuki torrent-client ...`` and ``tsuzuki notify ...``: where torrents and messages go.

Passwords and channel addresses (they carry tokens) go to the system keyring,
never to the JSON files; a password is read from a prompt or, for scripts,
from the first line of stdin with ``--password-stdin``.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.choices import NotificationEvent
from core.cli.output import format_value, print_json, print_problem
from core.errors import InputError

if TYPE_CHECKING:  # imported by the commands: building the parser (add_parsers) stays cheap
    from core.cli.context import Context
    from core.notifications import ChannelConfig, Notifier

EVENTS = [event.value for event in NotificationEvent]


def cmd_torrent_client(ctx: Context, args: argparse.Namespace) -> None:
    actions = ctx.actions
    if args.action == "set":
        fields = {"kind": args.kind, "url": args.url, "username": args.username or "",
                  "verify_tls": not args.no_verify_tls}
        if args.category is not None:
            fields["category"] = args.category
        if args.save_path is not None:
            fields["save_path"] = args.save_path
        actions.set_torrent_client(fields, lambda client: _read_password(args, client))
    elif args.action == "clear":
        warning = actions.clear_torrent_client()
        if warning:
            print_problem("warning", warning)
    elif args.action == "test":
        version = actions.test_torrent_client()
        if ctx.json:
            print_json({"version": version})
        else:
            ctx.say(f"Connected: {version}.")
        return
    settings = actions.torrent_client()
    shown = settings.model_dump(mode="json") if settings else None
    if ctx.json:
        print_json(shown)
    elif shown is None:
        ctx.say("No torrent client is set up; torrent releases cannot be downloaded.")
    else:
        ctx.say("\n".join(f"{key}: {format_value(value)}" for key, value in shown.items()))


def _read_password(args: argparse.Namespace, client: str) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"{client} password for {args.username}: ")
    else:
        raise InputError("a user name needs a password: pass --password-stdin and the password on stdin")
    if not password:
        raise InputError("the password is empty")
    return password


def cmd_notify(ctx: Context, args: argparse.Namespace) -> None:
    notifier = ctx.actions.notifier
    if args.action == "add":
        events = _events(args.events) if args.events else None
        channel = notifier.add_channel(args.label, args.url, events)
        if ctx.json:
            print_json(_shown(notifier, channel))
        else:
            ctx.say(f"Added {channel.label!r} ({notifier.shown_address(channel.id)}) as {channel.id}.")
        return
    if args.action == "remove":
        notifier.remove_channel(args.channel)
    elif args.action == "test":
        notifier.test_channel(args.channel)
        if not ctx.json:
            ctx.say(f"{args.channel} got the test message.")
            return
    channels = notifier.channels()
    if ctx.json:
        print_json([_shown(notifier, channel) for channel in channels])
        return
    if not channels:
        ctx.say("No notification channels. Add one with: tsuzuki notify add LABEL URL")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold")
    for header in ("ID", "Label", "Address", "Events", "Enabled"):
        table.add_column(header)
    for channel in channels:
        subscribed = ", ".join(sorted(event.value for event in channel.events))
        table.add_row(Text(channel.id), Text(channel.label), Text(notifier.shown_address(channel.id)),
                      Text(subscribed), format_value(channel.enabled))
    ctx.say(table)


def _shown(notifier: Notifier, channel: ChannelConfig) -> dict[str, object]:
    """A channel as printed: its settings and its address in display form (never the address)."""
    return {**channel.model_dump(mode="json"), "address": notifier.shown_address(channel.id)}


def _events(text: str) -> list[NotificationEvent]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in EVENTS]
    if unknown or not names:
        raise InputError(f"unknown event {', '.join(unknown) or '(none)'}; the events are: {', '.join(EVENTS)}")
    return [NotificationEvent(name) for name in names]


def add_parsers(command: Callable[..., argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """Register ``torrent-client`` and ``notify`` through the main parser's ``command`` helper;
    ``common`` holds the options every command takes (--json, --profile)."""
    torrent = command("torrent-client", cmd_torrent_client, "the torrent client that takes torrent releases")
    torrent_actions = torrent.add_subparsers(dest="action", metavar="ACTION")
    setup = torrent_actions.add_parser("set", help="use this client", parents=[common])
    setup.add_argument("--kind", required=True, choices=["qbittorrent", "transmission"])
    setup.add_argument("--url", required=True, help="its Web UI (qBittorrent) or RPC (Transmission) address")
    setup.add_argument("--username", help="when it asks for one (the password is prompted for)")
    setup.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    setup.add_argument("--category", help="category / label for Tsuzuki's torrents (default tsuzuki)")
    setup.add_argument("--save-path", help="where the client saves, as its own machine sees it")
    setup.add_argument("--no-verify-tls", action="store_true", help="accept a self-signed https certificate")
    for name, text in (("show", "show the client set up (not its password)"),
                       ("test", "ask the client for its version"), ("clear", "forget the client and its password")):
        torrent_actions.add_parser(name, help=text, parents=[common])
    notify = command("notify", cmd_notify, "notification channels: Discord, Telegram, e-mail, ntfy... (apprise)")
    notify_actions = notify.add_subparsers(dest="action", metavar="ACTION")
    add = notify_actions.add_parser("add", help="add a channel (its URL is kept in the keyring)", parents=[common])
    add.add_argument("label", help="what to call it: 'My Discord'")
    add.add_argument("url", help="an apprise URL: discord://..., tgram://..., mailto://..., ntfy://...")
    add.add_argument("--events", metavar="E1,E2", help=f"only these events (default all): {', '.join(EVENTS)}")
    notify_actions.add_parser("list", help="list the channels", parents=[common])
    for name, text in (("remove", "forget a channel"), ("test", "send a test message now")):
        notify_actions.add_parser(name, help=text, parents=[common]).add_argument("channel", metavar="ID")
