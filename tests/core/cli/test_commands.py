from __future__ import annotations

import pytest

from tests.cli_runner import ADD_FRIEREN, Run


@pytest.fixture
def frieren(cli: Run) -> dict:
    result = cli(*ADD_FRIEREN, "--lang", "vostfr", "--quality", "1080p", "--json")
    assert result.code == 0, result.err
    return result.json()


def test_version_help_and_no_arguments(cli: Run) -> None:
    from core import __version__

    assert cli("--version").out == f"tsuzuki {__version__}\n"
    for argv in ((), ("--help",)):
        result = cli(*argv)
        assert result.code == 0
        for command in ("list", "add", "show", "update", "remove", "pause", "resume", "stats", "settings"):
            assert command in result.out


def test_add_prints_a_sentence_or_the_item(cli: Run) -> None:
    result = cli(*ADD_FRIEREN)
    assert result.code == 0
    assert result.out.startswith("Added 'Frieren' (id ")
    item = cli("show", result.out.split("id ")[1][:8], "--json").json()
    assert item["anime_title"] == "Frieren" and item["lang"] == "sub" and item["auto_download"] is True


def test_add_options_map_to_fields(frieren: dict, cli: Run) -> None:
    assert (frieren["lang"], frieren["quality_preference"]) == ("vostfr", "1080p")
    other = cli("add", "--title", "Mushishi", "--url", "/srv/anime/mushishi", "--provider", "directory",
                "--no-auto-download", "--json").json()
    assert other["auto_download"] is False and other["provider_id"] == "directory"


def test_list_shows_a_table_and_filters(frieren: dict, cli: Run) -> None:
    table = cli("list").out
    assert "Frieren" in table and frieren["id"][:8] in table and "vostfr" in table
    assert cli("list", "--status", "paused").out == "No paused shows.\n"
    assert [item["id"] for item in cli("list", "--status", "active", "--json").json()] == [frieren["id"]]


def test_empty_watchlist_says_how_to_add(cli: Run) -> None:
    assert "Your watchlist is empty. Add a show with: tsuzuki add" in cli("list").out
    assert cli("list", "--json").json() == []


def test_show_details(frieren: dict, cli: Run) -> None:
    out = cli("show", frieren["id"][:4]).out
    for expected in (frieren["id"], "https://feeds.example.org/frieren.xml", "1080p", "never"):
        assert expected in out


def test_update_reports_what_changed(frieren: dict, cli: Run) -> None:
    result = cli("update", frieren["id"][:6], "--status", "paused", "--last-episode", "4", "--no-auto-download")
    assert result.code == 0
    assert "status active → paused" in result.out
    assert "last_episode_downloaded 0 → 4" in result.out
    assert "auto_download true → false" in result.out
    item = cli("show", frieren["id"], "--json").json()
    assert (item["status"], item["last_episode_downloaded"], item["auto_download"]) == ("paused", 4, False)
    again = cli("update", frieren["id"], "--status", "paused")
    assert "nothing changed" in again.out


def test_pause_resume_remove(frieren: dict, cli: Run) -> None:
    assert cli("pause", frieren["id"][:5], "--json").json()["status"] == "paused"
    assert "Resumed 'Frieren'" in cli("resume", frieren["id"][:5]).out
    assert cli("show", frieren["id"], "--json").json()["status"] == "active"
    assert cli("remove", frieren["id"][:5]).out.startswith("Removed 'Frieren'")
    assert cli("list", "--json").json() == []


def test_stats(frieren: dict, cli: Run) -> None:
    cli("add", "--title", "Mushishi", "--url", "/srv/anime/mushishi", "--provider", "directory")
    stats = cli("stats", "--json").json()
    assert stats == {"total": 2, "active": 2, "paused": 0, "completed": 0, "archived": 0,
                     "auto_download_enabled": 2, "by_provider": {"directory": 1, "feed": 1}}
    assert "Shows" in cli("stats").out


def test_settings_get_set(cli: Run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert cli("settings", "get", "check_interval_hours").out == "6\n"
    assert cli("settings", "set", "check_interval_hours", "12").out == "check_interval_hours = 12\n"
    assert cli("settings", "set", "include_completed_anime", "on", "--json").json() == {"include_completed_anime": True}
    assert cli("settings", "get", "include_completed_anime").out == "true\n"
    everything = cli("settings", "--json").json()
    assert everything["check_interval_hours"] == 12 and "schema_version" not in everything
    assert "max_parallel_downloads" in cli("settings").out


def test_json_and_profile_may_come_before_the_command(frieren: dict, cli: Run) -> None:
    assert cli("--json", "list").json()[0]["id"] == frieren["id"]
    assert cli("--profile", "alice", "list", "--json").json() == []
    cli("--profile", "alice", *ADD_FRIEREN)
    assert len(cli("list", "--profile", "alice", "--json").json()) == 1
    assert len(cli("list", "--json").json()) == 1
