"""The issue's acceptance scenario: explain picks one release per episode, and says why not the rest."""

from __future__ import annotations

from xml.sax.saxutils import escape

from tests.cli_runner import Run

GROUPS = ("SubsPlease", "Erai-raws")
LANGUAGES = ("VOSTFR", "VF")
RESOLUTIONS = ("1080p", "720p")


def release_names() -> list[str]:
    return [
        f"[{group}] Sousou no Frieren - {episode:02d} {language} ({resolution}).mkv"
        for episode in range(1, 13)
        for group in GROUPS
        for language in LANGUAGES
        for resolution in RESOLUTIONS
    ]


def rss(names: list[str]) -> str:
    items = "".join(
        f"<item><title>{escape(name)}</title><link>https://example.org/t/{n}.torrent</link>"
        f"<guid>https://example.org/t/{n}</guid><pubDate>Tue, 24 Nov 2026 0{n % 10}:00:00 +0000</pubDate></item>"
        for n, name in enumerate(names)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Releases</title>{items}</channel></rss>'


def test_explain_takes_one_release_per_episode_and_says_why_not_the_others(cli: Run, loopback) -> None:  # type: ignore[no-untyped-def]
    names = release_names()
    loopback.route("/rss", rss(names), headers={"Content-Type": "application/rss+xml"})
    added = cli("add", "--title", "Frieren", "--alias", "Sousou no Frieren", "--url", loopback.url("/rss"),
                "--provider", "feed", "--lang", "vostfr", "--quality", "1080p", "--prefer-group", "Erai-raws",
                "--json")
    assert added.code == 0, added.err

    result = cli("explain", added.json()["id"][:6], "--json")

    assert result.code == 0, result.err
    candidates = result.json()["candidates"]
    assert [c["name"] for c in candidates] == names
    taken = [c for c in candidates if c["decision"] == "take"]
    assert [c["episode"] for c in taken] == list(range(1, 13))
    assert all(c["name"].startswith("[Erai-raws]") and "VOSTFR (1080p)" in c["name"] for c in taken)
    assert all("the preferred quality" in c["reason"] for c in taken)
    for rejected in (c for c in candidates if c["decision"] == "reject"):
        if " VF " in rejected["name"]:
            assert rejected["reason"] == "language vf; this show wants vostfr"
        elif "(720p)" in rejected["name"]:
            assert "720p instead of 1080p" in rejected["reason"]
        else:
            assert "Erai-raws is a preferred group" in rejected["reason"]
    human = cli("explain", added.json()["id"][:6])
    assert "12 to take, 84 rejected, of 96 releases" in human.out.replace("\n", " ")


def test_explain_reports_an_unreachable_source(cli: Run) -> None:
    added = cli("add", "--title", "Frieren", "--url", "http://127.0.0.1:9/rss", "--provider", "feed", "--json")
    result = cli("explain", added.json()["id"])
    assert result.code == 1
    assert "'Frieren': could not reach http://127.0.0.1:9/rss" in result.err


def test_parse_gives_the_contract_fields_in_input_order(cli: Run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io

    one = cli("parse", "[SubsPlease] Sousou no Frieren - 12 (1080p) [ABCD1234].mkv", "--json").json()
    assert {key: one[key] for key in ("title", "episode", "video_resolution", "release_group")} == {
        "title": "Sousou no Frieren", "episode": 12, "video_resolution": "1080p", "release_group": "SubsPlease"}
    assert set(one) >= {"title", "episode", "episode_end", "season", "video_resolution", "release_group",
                        "release_version", "language"}
    monkeypatch.setattr("sys.stdin", io.StringIO("[A] Show - 02 (720p).mkv\n\n[B] Other - 07v2 VOSTFR.mkv\n"))
    several = cli("parse", "-", "--json").json()
    assert [(p["title"], p["episode"]) for p in several] == [("Show", 2), ("Other", 7)]
    assert several[1]["release_version"] == 2 and several[1]["language"] == "vostfr"
    assert "Sousou no Frieren" in cli("parse", "[SubsPlease] Sousou no Frieren - 12 (1080p).mkv").out
