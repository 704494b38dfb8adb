"""The application layer's checks for a form: field marks offline, and a preview of the first check."""

from __future__ import annotations

import pytest

from core.actions import Actions
from core.datafolder import DataFolder
from core.errors import InputError
from tests.loopback import LoopbackServer

FEED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        '<item><title>[G] Frieren - 01 (1080p)</title><enclosure url="http://127.0.0.1:9/01.mkv" '
        'type="video/x-matroska"/></item>'
        '<item><title>[G] Dandadan - 04 (1080p)</title><enclosure url="http://127.0.0.1:9/d04.mkv" '
        'type="video/x-matroska"/></item></channel></rss>')


@pytest.fixture
def actions(folder: DataFolder) -> Actions:
    return Actions(folder)


@pytest.mark.parametrize(("fields", "marks"), [
    ({"anime_title": "", "anime_url": "ftp://x", "provider_id": "feed"}, {"anime_title", "anime_url"}),
    ({"anime_title": "Frieren", "anime_url": "https://example.org/rss", "provider_id": "nope"}, {"provider_id"}),
    ({"anime_title": "Frieren", "anime_url": "https://example.org/rss", "provider_id": "feed",
      "quality_preference": "4k"}, {"quality_preference"}),
    ({"anime_title": "Frieren", "anime_url": "https://example.org/rss", "provider_id": "feed"}, set()),
])
def test_each_bad_field_gets_its_own_plain_message(actions: Actions, fields: dict[str, object],
                                                   marks: set[str]) -> None:
    problems = actions.field_problems(fields)

    assert set(problems) == marks
    assert all(message and ":" not in message.split(" ")[0] for message in problems.values())  # no field prefix
    assert actions.list_items() == []  # nothing saved, nothing fetched


def test_the_preview_decides_the_sources_releases_before_the_show_is_saved(
    actions: Actions, loopback: LoopbackServer
) -> None:
    loopback.route("/rss", FEED)

    preview = actions.preview({"anime_title": "Frieren", "anime_url": loopback.url("/rss"), "provider_id": "feed"})

    taken = {decision.release.name: decision.take for decision in preview.decisions}
    assert taken == {"[G] Frieren - 01 (1080p)": True, "[G] Dandadan - 04 (1080p)": False}
    assert actions.list_items() == []
    with pytest.raises(InputError, match="anime_title"):
        actions.preview({"anime_title": "", "anime_url": loopback.url("/rss"), "provider_id": "feed"})
