"""The watchlist and settings commands: list, add, show, update, remove, pause, resume, stats, settings."""

from __future__ import annotations

import argparse

from core.actions import Saved
from core.cli import output
from core.cli.context import Context
from core.errors import InputError
from core.models import WatchlistItem, WatchlistItemUpdate, WatchlistStatus


def cmd_list(ctx: Context, args: argparse.Namespace) -> None:
    status = WatchlistStatus(args.status) if args.status else None
    items = ctx.actions.list_items(status)
    if ctx.json:
        output.print_json(items)
    elif items:
        problems = ctx.actions.problems(items)
        ctx.say(output.items_table(items, problems))
        if problems:
            ctx.say(output.problem_notes(items, problems))
    elif status:
        ctx.say(f"No {status.value} shows.")
    else:
        ctx.say("Your watchlist is empty. Add a show with: tsuzuki add --title T --url URL --provider P")


# Command-line option -> field, for the options ``add`` and ``update`` share.
SHOW_OPTIONS = {
    "title": "anime_title",
    "url": "anime_url",
    "provider": "provider_id",
    "lang": "lang",
    "quality": "quality_preference",
    "auto_download": "auto_download",
    "status": "status",
    "last_episode": "last_episode_downloaded",
    "alias": "title_aliases",
    "prefer_group": "preferred_groups",
    "block_group": "blocked_groups",
    "episode_offset": "episode_offset",
    "season": "season",
    "anilist_id": "anilist_id",
}


# ``update`` options that empty a list field.
CLEAR_OPTIONS = {
    "clear_aliases": "title_aliases",
    "clear_preferred_groups": "preferred_groups",
    "clear_blocked_groups": "blocked_groups",
}


def _given_fields(args: argparse.Namespace) -> dict[str, object]:
    """The show fields whose options were given on the command line."""
    fields: dict[str, object] = {
        field: getattr(args, option)
        for option, field in SHOW_OPTIONS.items()
        if getattr(args, option, None) is not None
    }
    fields.update({field: [] for option, field in CLEAR_OPTIONS.items() if getattr(args, option, False)})
    return fields


def cmd_add(ctx: Context, args: argparse.Namespace) -> None:
    saved = ctx.door.add_item(fields=_given_fields(args))
    _warn(saved)
    item = saved.item
    _show_item(ctx, item, f"Added {item.anime_title!r} (id {item.id[:output.SHORT_ID]}).")


def cmd_show(ctx: Context, args: argparse.Namespace) -> None:
    item = ctx.actions.get_item(args.id)
    if ctx.json:
        output.print_json(item)
    else:
        ctx.say(output.item_details(item))


def cmd_update(ctx: Context, args: argparse.Namespace) -> None:
    fields = _given_fields(args)
    if not fields:
        raise InputError(
            "nothing to update: give at least one of --title, --url, --provider, --status, --quality, "
            "--lang, --auto-download/--no-auto-download, --last-episode, --alias, --prefer-group, "
            "--block-group, --clear-aliases, --clear-preferred-groups, --clear-blocked-groups, --episode-offset, "
            "--season, --anilist-id"
        )
    saved = ctx.door.update_item(ref=args.id, fields=fields)
    _warn(saved)
    before, item = saved.before, saved.item
    summary = ", ".join(
        f"{key} {_brief(getattr(before, key))} → {_brief(getattr(item, key))}"
        for key in WatchlistItemUpdate.model_fields
        if getattr(before, key) != getattr(item, key)
    )
    _show_item(ctx, item, f"Updated {item.anime_title!r}: {summary or 'nothing changed'}.")


def _warn(saved: Saved) -> None:
    for warning in saved.warnings:
        output.print_problem("warning", warning)


def _brief(value: object) -> str:
    """A value short enough for a one-line summary."""
    text = output.format_value(value)
    return text if len(text) <= 40 else text[:39] + "…"


def cmd_remove(ctx: Context, args: argparse.Namespace) -> None:
    item = ctx.door.remove_item(ref=args.id)
    _show_item(ctx, item, f"Removed {item.anime_title!r} (id {item.id[:output.SHORT_ID]}).")


def cmd_pause(ctx: Context, args: argparse.Namespace) -> None:
    item = ctx.door.pause_item(ref=args.id)
    _show_item(ctx, item, f"Paused {item.anime_title!r}: it will not be checked until resumed.")


def cmd_resume(ctx: Context, args: argparse.Namespace) -> None:
    item = ctx.door.resume_item(ref=args.id)
    _show_item(ctx, item, f"Resumed {item.anime_title!r}: it is active again.")


def cmd_stats(ctx: Context, args: argparse.Namespace) -> None:
    stats = ctx.actions.statistics()
    if ctx.json:
        output.print_json(stats)
    else:
        ctx.say(output.stats_table(stats))


def cmd_settings(ctx: Context, args: argparse.Namespace) -> None:
    if args.action is None:
        settings = ctx.actions.settings()
        if ctx.json:
            output.print_json(settings)
        else:
            ctx.say(output.settings_table(settings))
        return
    if args.action == "set":
        key = ctx.actions.settings_store.check_key(args.key)
        value = ctx.door.update_settings(changes={key: args.value}).model_dump(mode="json")[key]
    else:
        key, value = ctx.actions.setting(args.key)
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
