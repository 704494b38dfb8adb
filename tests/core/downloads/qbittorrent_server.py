"""A qBittorrent Web UI (API v2) on a LoopbackServer, faithful enough for ``qbittorrent-api``.

    qbt = FakeQBittorrent(loopback, username="admin", password="s3cret")
    qbt.url                    # give this to the client
    qbt.added                  # every torrents/add form, as sent
    qbt.torrents[hash]         # what torrents/info reports; tests change progress/state here

Web API 2.11 (qBittorrent 5.0) answers torrents/add with "Ok."/"Fails." and a
failed log-in with "Fails."; 2.14 (qBittorrent 5.2) answers JSON, 409 for a
torrent it already has, and 401 for a failed log-in.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from core.downloads.torrent_base import magnet_info_hash
from core.downloads.torrent_files import info_hash as torrent_info_hash
from tests.loopback import LoopbackServer, SeenRequest

API = "/api/v2/"


@dataclass
class Reply:
    """What an endpoint answers: text, or anything JSON for a list/object."""

    status: int
    body: object
    headers: dict[str, str] = field(default_factory=dict)


Endpoint = Callable[[dict[str, str]], Reply]


def form_of(seen: SeenRequest) -> dict[str, str]:
    """The fields of a POST body (urlencoded or multipart) and of the query string."""
    fields = dict(parse_qsl(urlsplit(seen.path).query))
    content_type = seen.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + seen.body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            # a file (a .torrent) as latin-1: one character per byte, so its bytes come back unchanged
            fields[str(name)] = payload.decode("latin-1" if part.get_filename() else "utf-8")
    else:
        fields.update(parse_qsl(seen.body.decode()))
    return fields


class FakeQBittorrent:
    """A qBittorrent that keeps its torrents in memory.

    Attributes:
        added: every torrents/add form received (urls, category, savepath, rename...).
        torrents: info hash -> what torrents/info answers (hash, name, progress, state, ...).
        categories: name -> {"name", "savePath"}.
        banned: answer log-ins with 403, as after too many failures.
        bypass_localhost: no log-in needed ("Bypass authentication for clients on localhost").
    """

    def __init__(
        self,
        server: LoopbackServer,
        *,
        username: str = "admin",
        password: str = "adminadmin",
        version: str = "v5.0.1",
        web_api_version: str = "2.11.2",
        bypass_localhost: bool = False,
    ) -> None:
        self.server = server
        self.username, self.password = username, password
        self.version, self.web_api_version = version, web_api_version
        self.bypass_localhost = bypass_localhost
        self.banned = False
        self.added: list[dict[str, str]] = []
        self.torrents: dict[str, dict[str, object]] = {}
        self.categories: dict[str, dict[str, str]] = {}
        self._sessions: set[str] = set()
        endpoints = {
            "auth/login": self._login,
            "app/version": lambda form: Reply(200, self.version),
            "app/webapiVersion": lambda form: Reply(200, self.web_api_version),
            "torrents/add": self._add,
            "torrents/categories": lambda form: Reply(200, self.categories),
            "torrents/createCategory": self._create_category,
            "torrents/info": self._info,
        }
        for name, endpoint in endpoints.items():
            server.route(API + name, handler=self._guarded(name, endpoint))
        page = "<!DOCTYPE html>\n<html>\n<head>\n    <title>qBittorrent Web UI</title>\n</head></html>"
        server.route("/", page, headers={"Content-Type": "text/html"})  # its Web UI's log-in page

    @property
    def url(self) -> str:
        return self.server.base_url

    @property
    def modern(self) -> bool:
        """Web API 2.14+: JSON answers to torrents/add, 401 for a failed log-in."""
        return tuple(map(int, self.web_api_version.split("."))) >= (2, 14)

    def _guarded(self, name: str, endpoint: Endpoint) -> Callable[[BaseHTTPRequestHandler, SeenRequest], None]:
        """``endpoint`` behind the SID cookie check (except for log-in itself)."""

        def handle(handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
            cookie = SimpleCookie(seen.headers.get("cookie", ""))
            logged_in = "SID" in cookie and cookie["SID"].value in self._sessions
            if name != "auth/login" and not (logged_in or self.bypass_localhost):
                reply = Reply(403, "Forbidden")
            else:
                reply = endpoint(form_of(seen))
            headers = {"Content-Type": "text/plain; charset=UTF-8", **reply.headers}
            body = reply.body
            if not isinstance(body, str):
                body, headers["Content-Type"] = json.dumps(body), "application/json"
            LoopbackServer._send(handler, reply.status, headers, body.encode())

        return handle

    def _login(self, form: dict[str, str]) -> Reply:
        if self.banned:
            return Reply(403, "Your IP address has been banned after too many failed authentication attempts.")
        if (form.get("username"), form.get("password")) != (self.username, self.password):
            return Reply(401 if self.modern else 200, "Fails.")
        sid = secrets.token_urlsafe(24)
        self._sessions.add(sid)
        return Reply(200, "Ok.", {"Set-Cookie": f"SID={sid}; HttpOnly; path=/; SameSite=Strict"})

    def _add(self, form: dict[str, str]) -> Reply:
        self.added.append(form)
        added: list[str] = []
        failed = pending = 0
        for link in [*filter(None, form.get("urls", "").splitlines()), *self._files(form)]:
            if isinstance(link, bytes):
                try:
                    info_hash = name = torrent_info_hash(link)
                except ValueError:
                    info_hash = ""
            else:
                info_hash, name = magnet_info_hash(link), dict(parse_qsl(urlsplit(link).query)).get("dn", "")
            if isinstance(link, str) and link.startswith(("http://", "https://")):
                pending += 1  # qBittorrent fetches it later and names no hash; a bad URL fails silently
                continue
            if not info_hash:
                failed += 1
            elif info_hash in self.torrents:
                return Reply(409, "Torrent already exists") if self.modern else Reply(200, "Fails.")
            else:
                self.torrents[info_hash] = {
                    "hash": info_hash,
                    "name": form.get("rename") or name or info_hash,
                    "progress": 0.0,
                    "state": "metaDL",
                    "category": form.get("category", ""),
                    "save_path": form.get("savepath", ""),
                }
                added.append(info_hash)
        if self.modern:
            counts = {"success_count": len(added), "failure_count": failed, "pending_count": pending}
            return Reply(202 if pending else 200, {"added_torrent_ids": added, **counts})
        return Reply(200, "Fails." if failed else "Ok.")

    @staticmethod
    def _files(form: dict[str, str]) -> list[bytes]:
        """The .torrent files sent with torrents/add (qbittorrent-api names the parts "torrent__N")."""
        return [value.encode("latin-1") for key, value in form.items() if key.startswith("torrent")]

    def _create_category(self, form: dict[str, str]) -> Reply:
        name = form.get("category", "")
        if not name:
            return Reply(400, "Category name is empty")
        if name in self.categories:
            return Reply(409, "Unable to create category")
        self.categories[name] = {"name": name, "savePath": form.get("savePath", "")}
        return Reply(200, "")

    def _info(self, form: dict[str, str]) -> Reply:
        wanted = set(form["hashes"].lower().split("|")) if form.get("hashes") else None
        return Reply(200, [t for h, t in self.torrents.items() if wanted is None or h in wanted])
