"""Twenty-odd kinds of bad input: each exits 2 with a readable message and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import ADD_FRIEREN, Run

FRIEREN_ID = "{id}"
BAD_INPUT = [
    (("add", "--url", "https://a.example/x.xml", "--provider", "feed"), "the following arguments are required: --title"),
    (("add", "--title", "X", "--url", "notaurl", "--provider", "feed"), "anime_url: must be an http(s):// or file:// URL"),
    (("add", "--title", "X", "--url", "ftp://a.example/x", "--provider", "feed"), "anime_url: must be an http(s)://"),
    (("add", "--title", "X", "--url", "https://a.example/x", "--provider", "Bad Id"), "provider_id: must be a provider name"),
    (("add", "--title", "   ", "--url", "https://a.example/x", "--provider", "feed"), "anime_title: must not be empty"),
    (("add", "--title", "X", "--url", "https://a.example/x", "--provider", "feed", "--quality", "4k"), "invalid choice: '4k'"),
    (("add", "--title", "X", "--url", "https://a.example/x", "--provider", "feed", "--lang", "fr fr"), "lang: must be a short language tag"),
    (ADD_FRIEREN, "'Frieren' (id "),
    (("show", "0123abcd"), "No show on the watchlist has an id starting with '0123abcd'"),
    (("show", "frieren"), "'frieren' is not a watchlist id"),
    (("remove",), "the following arguments are required: ID"),
    (("pause", "ffffffffff"), "No show on the watchlist has an id starting with"),
    (("update", FRIEREN_ID), "nothing to update: give at least one of --title"),
    (("update", FRIEREN_ID, "--last-episode", "-1"), "last_episode_downloaded: Input should be greater than or equal to 0"),
    (("update", FRIEREN_ID, "--last-episode", "x"), "argument --last-episode: invalid int value: 'x'"),
    (("update", FRIEREN_ID, "--status", "watching"), "argument --status: invalid choice: 'watching'"),
    (("update", FRIEREN_ID, "--auto-download", "--no-auto-download"), "not allowed with argument --auto-download"),
    (("update", FRIEREN_ID, "--url", "javascript:alert(1)"), "anime_url: must be an http(s)://"),
    (("settings", "set", "check_interval_hours", "0"), "check_interval_hours: Input should be greater than or equal to 1"),
    (("settings", "set", "check_interval_hours", "169"), "check_interval_hours: Input should be less than or equal to 168"),
    (("settings", "set", "max_parallel_downloads", "lots"), "max_parallel_downloads: Input should be a valid integer"),
    (("settings", "set", "download_dir", "relative/path"), "download_dir: must be an absolute folder path"),
    (("settings", "set", "theme", "dark"), "'theme' is not a setting; the settings are:"),
    (("settings", "get", "theme"), "'theme' is not a setting"),
    (("--profile", "../escape", "list"), "profile name '../escape' is not usable"),
    (("list", "--status", "everything"), "argument --status: invalid choice: 'everything'"),
    (("frobnicate",), "invalid choice: 'frobnicate'"),
    (("add", "--title", "X", "--url", "https://a.example/x", "--provider", "torrentsite"),
     "provider_id: unknown provider 'torrentsite'; the providers are: directory, feed"),
    (("add", "--title", "X", "--url", "/srv/anime/x", "--provider", "feed"), "anime_url: "),
    (("add", "--title", "X", "--url", "https://a.example/x", "--provider", "feed", "--episode-offset", "ten"),
     "argument --episode-offset: invalid int value: 'ten'"),
    (("update", FRIEREN_ID, "--alias", ""), "title_aliases: each alias must be 1 to 300 characters"),
    (("parse",), "the following arguments are required: NAME"),
    (("explain", "zz"), "'zz' is not a watchlist id"),
]


def snapshot(home: Path) -> dict[str, bytes]:
    """Every data file (not the log) and its bytes."""
    return {
        str(path.relative_to(home)): path.read_bytes()
        for path in sorted(home.rglob("*"))
        if path.is_file() and "logs" not in path.parts and path.name != ".lock"
    }


@pytest.mark.parametrize(("argv", "message"), BAD_INPUT, ids=[" ".join(argv)[:60] for argv, _ in BAD_INPUT])
def test_bad_input_exits_2_and_changes_nothing(cli: Run, home: Path, argv: tuple[str, ...], message: str) -> None:
    frieren = cli(*ADD_FRIEREN, "--json").json()
    cli("settings", "set", "check_interval_hours", "8")
    before = snapshot(home)
    assert set(before) == {"watchlist.json", "settings.json"}

    result = cli(*(arg.replace(FRIEREN_ID, frieren["id"][:6]) for arg in argv))

    assert result.code == 2, result
    assert message in result.err
    assert result.out == ""
    assert "Traceback" not in result.err
    assert snapshot(home) == before
