"""Data files edited by hand: duplicate ids in watchlist.json are reported and salvaged."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_runner import Run
from tests.loopback import LoopbackServer

EMPTY_FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


def test_duplicate_ids_are_reported_and_both_shows_kept(cli: Run, loopback: LoopbackServer, home: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    loopback.route("/frieren", EMPTY_FEED)
    loopback.route("/mushishi", EMPTY_FEED)
    frieren = cli("add", "--title", "Frieren", "--url", loopback.url("/frieren"), "--provider", "feed", "--json").json()
    cli("add", "--title", "Mushishi", "--url", loopback.url("/mushishi"), "--provider", "feed")
    path = home / "watchlist.json"
    document = json.loads(path.read_text())
    document["items"][1]["id"] = frieren["id"]  # pasted by hand, id and all
    document["items"].append(dict(document["items"][0]))  # the same show twice
    original = json.dumps(document).encode()
    path.write_bytes(original)

    listed = cli("list", "--json")

    assert listed.code == 0, listed.err
    shows = {show["anime_title"]: show["id"] for show in listed.json()}
    assert len(listed.json()) == 2 and shows["Frieren"] == frieren["id"] and shows["Mushishi"] != frieren["id"]
    assert "items #2 'Mushishi'" in listed.err and shows["Mushishi"][:8] in listed.err
    assert "items #3 'Frieren'" in listed.err and "copy" in listed.err
    [moved] = home.glob("watchlist.json.corrupt-*")
    assert moved.read_bytes() == original and str(moved) in " ".join(listed.err.split())
    assert cli("list").err == ""  # repaired once, for good

    checked = cli("check", "--all", "--json")
    assert checked.code == 0, checked.err
    assert checked.json()["checked"] == 2
    assert cli("remove", shows["Mushishi"][:8]).code == 0
    assert cli("remove", frieren["id"]).code == 0
    assert cli("list", "--json").json() == []
