"""An AniList-shaped GraphQL endpoint for tests, served by the loopback server.

It answers the three queries the client makes (search, one show by id, the
airing schedule) from canned shows, and refuses - like a GraphQL server would,
with ``{"errors": [...]}`` - a query that lacks a field the client needs or
that writes a value into the query text instead of passing it as a variable.
Queued answers (``then_answer``) come first, for the misbehaving cases.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.loopback import LoopbackServer, SeenRequest

PATH = "/graphql"
MEDIA_FIELDS = (
    "idMal", "romaji", "english", "native", "synonyms", "extraLarge", "description(asHtml: false)",
    "genres", "episodes", "status", "season", "seasonYear", "nextAiringEpisode", "airingAt", "siteUrl",
)  # fmt: skip
NOT_FOUND = {"errors": [{"message": "Not Found.", "status": 404, "locations": [{"line": 1, "column": 21}]}],
             "data": {"Media": None}}  # fmt: skip

FRIEREN: dict[str, Any] = {
    "id": 154587,
    "idMal": 52991,
    "title": {
        "romaji": "Sousou no Frieren",
        "english": "Frieren: Beyond Journey's End",
        "native": "葬送のフリーレン",
    },
    "synonyms": ["Frieren at the Funeral", "장송의 프리렌"],
    "coverImage": {"large": "https://img.example.org/medium/frieren.jpg",
                   "extraLarge": "https://img.example.org/large/frieren.jpg"},  # fmt: skip
    "description": "The adventure is over but life goes on for an elf mage &amp; her memories.<br><br>\n"
    "<i>(Source: Crunchyroll, edited)</i>",
    "genres": ["Adventure", "Drama", "Fantasy"],
    "episodes": 28,
    "status": "RELEASING",
    "season": "FALL",
    "seasonYear": 2023,
    "nextAiringEpisode": {"episode": 27, "airingAt": 1_711_036_800, "timeUntilAiring": 3600},
    "siteUrl": "https://anilist.co/anime/154587",
}
DUNGEON_MESHI: dict[str, Any] = {
    "id": 153518,
    "idMal": 52701,
    "title": {"romaji": "Dungeon Meshi", "english": "Delicious in Dungeon", "native": "ダンジョン飯"},
    "synonyms": [],
    "coverImage": {"large": "https://img.example.org/medium/meshi.jpg", "extraLarge": None},
    "description": "Laios&#39;s party cooks the monsters they meet.<br>\nA <b>very</b> hungry dungeon crawl.",
    "genres": ["Adventure", "Comedy", "Fantasy"],
    "episodes": 24,
    "status": "FINISHED",
    "season": "WINTER",
    "seasonYear": 2024,
    "nextAiringEpisode": None,
    "siteUrl": "https://anilist.co/anime/153518",
}


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class FakeAniList:
    """Serves the fake at ``url``; ``queries`` holds every (query, variables) received.

    Attributes:
        schedule: (mediaId, episode, airingAt) rows for ``airingSchedules``.
        schedule_page_size: the most rows on one schedule page, below the query's ``perPage``.
        now: when set, called on each request; its values are kept in ``seen_at``.
    """

    def __init__(self, loopback: LoopbackServer, now: Callable[[], float] | None = None) -> None:
        self.media: dict[int, dict[str, Any]] = {m["id"]: m for m in (FRIEREN, DUNGEON_MESHI)}
        self.schedule: list[tuple[int, int, int]] = []
        self.schedule_page_size = 50
        self.queries: list[tuple[str, dict[str, Any]]] = []
        self.seen_at: list[float] = []
        self.url = loopback.url(PATH)
        self._now = now
        self._queued: deque[Answer] = deque()
        self._lock = threading.Lock()
        loopback.route(PATH, handler=self._handle)

    def then_answer(self, status: int, body: Any, headers: dict[str, str] | None = None, times: int = 1) -> None:
        """Answer the next ``times`` requests with this (a dict body is sent as JSON)."""
        self._queued.extend([Answer(status, body, headers or {})] * times)

    def _handle(self, handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        with self._lock:
            if self._now is not None:
                self.seen_at.append(self._now())
            queued = self._queued.popleft() if self._queued else None
        answer = queued or self._answer(seen)
        body = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
        handler.send_response(answer.status)
        for name, value in {"Content-Type": "application/json", **answer.headers}.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _answer(self, seen: SeenRequest) -> Answer:
        if seen.method != "POST" or not seen.headers.get("content-type", "").startswith("application/json"):
            return _refuse("POST the query as JSON")
        request = json.loads(seen.body)
        query, variables = request["query"], request.get("variables") or {}
        with self._lock:
            self.queries.append((query, variables))
        for name, value in variables.items():
            if f"${name}" not in query:
                return _refuse(f"variable ${name} is not declared in the query")
            if _inlined(value, query):
                return _refuse(f"{value!r} is written into the query; pass it as a variable")
        if "airingSchedules" in query:
            return self._schedule(query, variables)
        missing = [name for name in MEDIA_FIELDS if name not in query]
        if missing:
            return _refuse(f"the query lacks {', '.join(missing)}")
        if "media(search: $search" in query:
            return self._search(variables["search"], variables["perPage"])
        if "Media(id: $id" in query:
            found = self.media.get(variables["id"])
            return Answer(200, {"data": {"Media": found}}) if found else Answer(404, NOT_FOUND)
        return _refuse("unknown query")

    def _search(self, text: str, per_page: int) -> Answer:
        words = text.casefold().split()

        def matches(media: dict[str, Any]) -> bool:
            titles = " ".join([*filter(None, media["title"].values()), *media["synonyms"]]).casefold()
            return all(word in titles for word in words)

        found = [media for media in self.media.values() if matches(media)][:per_page]
        return Answer(200, {"data": {"Page": {"media": found}}})

    def _schedule(self, query: str, variables: dict[str, Any]) -> Answer:
        needed = ("pageInfo", "hasNextPage", "mediaId_in: $", "airingAt_greater: $", "airingAt_lesser: $", "mediaId")
        missing = [name for name in needed if name not in query]
        if missing:
            return _refuse(f"the query lacks {', '.join(missing)}")
        rows = sorted(
            (airing_at, media_id, episode)
            for media_id, episode, airing_at in self.schedule
            if media_id in variables["mediaIds"] and variables["after"] < airing_at < variables["before"]
        )
        page, size = variables["page"], min(variables["perPage"], self.schedule_page_size)
        chosen = rows[(page - 1) * size : page * size]
        return Answer(200, {"data": {"Page": {
            "pageInfo": {"hasNextPage": len(rows) > page * size, "currentPage": page},
            "airingSchedules": [{"mediaId": m, "episode": e, "airingAt": t} for t, m, e in chosen],
        }}})  # fmt: skip


def _inlined(value: Any, query: str) -> bool:
    """Whether a text (as a string literal), an id or a timestamp is also written in the query."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) in query
    return isinstance(value, int) and value > 100 and re.search(rf"\b{value}\b", query) is not None


def _refuse(message: str) -> Answer:
    return Answer(400, {"errors": [{"message": message, "status": 400}], "data": None})
