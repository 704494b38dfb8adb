"""A Transmission RPC endpoint on a LoopbackServer, faithful enough for ``transmission-rpc``.

    tr = FakeTransmission(loopback, username="alice", password="s3cret")
    tr.url                     # give this to the client
    tr.added                   # every torrent-add's arguments, as sent (a .torrent's content as "metainfo")
    tr.torrents                # what torrent-get reports; tests change percentDone/status here

Like Transmission it checks Basic auth first (401), then the
X-Transmission-Session-Id header (409 with the current id, which the client
must echo), then runs the JSON method. With ``rpc_version`` below 17
(Transmission 3.00) it drops torrent-add's labels, as 3.00 does; torrent-set
takes them.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from core.downloads.torrent_base import magnet_info_hash
from core.downloads.torrent_files import info_hash as torrent_info_hash
from tests.loopback import LoopbackServer, SeenRequest

RPC_PATH = "/transmission/rpc"
SESSION_HEADER = "X-Transmission-Session-Id"
Method = Callable[[dict[str, Any]], dict[str, Any]]


class RpcFailure(Exception):
    """A method's failure: its message becomes the answer's ``result``."""


class FakeTransmission:
    """A Transmission daemon that keeps its torrents in memory.

    Attributes:
        added: the arguments of every torrent-add received.
        torrents: the torrents, as torrent-get fields (id, hashString, name, percentDone, status, ...).
        conflicts: how many 409 (session id) answers were sent.
        session_id: the current X-Transmission-Session-Id; change it to force a new 409.
    """

    def __init__(
        self,
        server: LoopbackServer,
        *,
        username: str = "",
        password: str = "",
        version: str = "4.0.6 (38c164933e)",
        rpc_version: int = 17,
    ) -> None:
        self.server = server
        self.username, self.password = username, password
        self.version, self.rpc_version = version, rpc_version
        self.session_id = secrets.token_urlsafe(24)
        self.conflicts = 0
        self.added: list[dict[str, Any]] = []
        self.torrents: list[dict[str, Any]] = []
        self._methods: dict[str, Method] = {
            "session-get": self._session_get,
            "torrent-add": self._torrent_add,
            "torrent-get": self._torrent_get,
            "torrent-set": self._torrent_set,
        }
        server.route(RPC_PATH, handler=self._handle)
        # Transmission signs every answer, whatever the path; its root leads to the web interface
        server.route("/", status=301, headers={"Server": "Transmission", "Location": "/transmission/web/"})

    @property
    def url(self) -> str:
        return self.server.url(RPC_PATH)

    def _handle(self, handler: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        if self.username or self.password:
            expected = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            if seen.headers.get("authorization") != f"Basic {expected}":
                headers = {"Content-Type": "text/html", "WWW-Authenticate": 'Basic realm="Transmission"'}
                LoopbackServer._send(handler, 401, headers, b"<h1>401: Unauthorized</h1>Unauthorized User")
                return
        if seen.headers.get(SESSION_HEADER.lower()) != self.session_id:
            self.conflicts += 1
            headers = {"Content-Type": "text/html", SESSION_HEADER: self.session_id}
            LoopbackServer._send(handler, 409, headers, b"<h1>409: Conflict</h1>Invalid session-id header.")
            return
        request = json.loads(seen.body)
        method = self._methods.get(request.get("method"))
        try:
            if method is None:
                raise RpcFailure("method name not recognized")
            answer = {"result": "success", "arguments": method(request.get("arguments") or {})}
        except RpcFailure as failure:
            answer = {"result": str(failure), "arguments": {}}
        if "tag" in request:
            answer["tag"] = request["tag"]
        LoopbackServer._send(handler, 200, {"Content-Type": "application/json"}, json.dumps(answer).encode())

    def _session_get(self, arguments: dict[str, Any]) -> dict[str, Any]:
        return {
            "version": self.version,
            "rpc-version": self.rpc_version,
            "rpc-version-minimum": 14,
            "rpc-version-semver": "5.3.0",
            "download-dir": "/var/lib/transmission/Downloads",
        }

    def _torrent_add(self, arguments: dict[str, Any]) -> dict[str, Any]:
        self.added.append(arguments)
        link = arguments.get("filename", "")
        info_hash = magnet_info_hash(link)
        name = dict(parse_qsl(urlsplit(link).query)).get("dn") or info_hash
        if "metainfo" in arguments:
            try:
                info_hash = name = torrent_info_hash(base64.b64decode(arguments["metainfo"]))
            except ValueError:
                raise RpcFailure("invalid or corrupt torrent file") from None
        elif link.startswith(("http://", "https://")):
            raise RpcFailure("gotMetadataFromURL: http error 404: Not Found")  # Tsuzuki sends the file instead
        if not info_hash:
            raise RpcFailure("invalid or corrupt torrent file")
        for torrent in self.torrents:
            if torrent["hashString"] == info_hash:
                return {"torrent-duplicate": {key: torrent[key] for key in ("id", "hashString", "name")}}
        torrent = {
            "id": len(self.torrents) + 1,
            "hashString": info_hash,
            "name": name,
            "percentDone": 0.0,
            "status": 4,
            "error": 0,
            "downloadDir": arguments.get("download-dir", "/var/lib/transmission/Downloads"),
            "labels": arguments.get("labels", []) if self.rpc_version >= 17 else [],  # 3.00 drops them
        }
        self.torrents.append(torrent)
        return {"torrent-added": {key: torrent[key] for key in ("id", "hashString", "name")}}

    def _torrent_set(self, arguments: dict[str, Any]) -> dict[str, Any]:
        ids = arguments.get("ids") or []
        for torrent in self.torrents:
            if torrent["id"] in ids or torrent["hashString"] in ids:
                torrent.update({key: value for key, value in arguments.items() if key == "labels"})
        return {}

    def _torrent_get(self, arguments: dict[str, Any]) -> dict[str, Any]:
        ids = arguments.get("ids")
        chosen = [t for t in self.torrents if ids is None or t["id"] in ids or t["hashString"] in ids]
        fields = arguments.get("fields", [])
        return {"torrents": [{key: t[key] for key in fields if key in t} for t in chosen]}
