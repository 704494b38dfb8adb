"""Handing magnet links and .torrent files to the user's own torrent client: what every client speaks.

Tsuzuki never downloads torrents itself: it gives the link to qBittorrent
(through ``qbittorrent-api``) or Transmission (through ``transmission-rpc``)
and later asks how far it got. A .torrent link is fetched here and the file's
content handed over, so its hash is known at once. Nothing touches the network
until the first call; every failure becomes a ``TorrentClientError`` saying in
plain words what to do, and an address where the other kind of client answers
is named as such. ``qbittorrent`` and ``transmission`` implement ``TorrentClient``;
``torrent_clients`` keeps the configured client and opens it.
"""

from __future__ import annotations

import base64
import re
import socket
import ssl
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, ClassVar, Literal
from urllib.parse import parse_qsl, urlsplit

import requests
import urllib3.exceptions
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from core.downloads.errors import DownloadError
from core.downloads.torrent_files import fetch_torrent
from core.errors import TsuzukiError
from core.logs import redact
from providers.http import reason

TIMEOUT = 10.0  # seconds to connect, and between bytes of an answer
HEX_HASH = re.compile(r"^[0-9a-f]{40}$")  # an info hash as the clients are asked about it
_BASE32_HASH = re.compile(r"^[A-Z2-7]{32}$")


class TorrentClientError(TsuzukiError):
    """The torrent client could not be reached, refused us, or refused the torrent."""


def _check_client_url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be the http(s):// address of the client's Web UI or RPC (got {value!r})")
    if parts.username is not None or parts.password is not None:
        raise ValueError("must not contain a user name or password: use the username field and the password box")
    return value


def _check_category(value: str) -> str:
    value = value.strip()
    if any(ch in value for ch in "\\,") or any(ord(ch) < 32 for ch in value):
        raise ValueError(f"may not contain backslashes, commas or control characters (got {value!r})")
    if value.startswith("/") or value.endswith("/") or "//" in value:
        raise ValueError(f"may not start or end with '/' or contain '//' (got {value!r})")
    return value


def _check_save_path(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if any(ord(ch) < 32 for ch in value):
        raise ValueError("may not contain control characters")
    return value.strip()


class TorrentClientSettings(BaseModel):
    """Which torrent client takes Tsuzuki's torrents, and how to reach it.

    Attributes:
        kind: ``qbittorrent`` or ``transmission``.
        url: its Web UI (qBittorrent) or RPC (Transmission) address.
        username: empty when the client asks for none (the password is in the keyring).
        category: qBittorrent category / Transmission label put on every torrent ("" for none).
        save_path: where the client saves, as the client's machine sees it; when unset,
            the show folder given per torrent, else the client's own default.
        verify_tls: check the certificate of an https:// address.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["qbittorrent", "transmission"]
    url: Annotated[str, Field(max_length=2048), AfterValidator(_check_client_url)]
    username: Annotated[str, Field(max_length=256)] = ""
    category: Annotated[str, Field(max_length=100), AfterValidator(_check_category)] = "tsuzuki"
    save_path: Annotated[str | None, Field(max_length=4096), AfterValidator(_check_save_path)] = None
    verify_tls: bool = True

    @property
    def client_name(self) -> str:
        """The client's name as people write it."""
        return {"qbittorrent": "qBittorrent", "transmission": "Transmission"}[self.kind]


class TorrentState(StrEnum):
    """Where a torrent stands in the client, whichever client it is."""

    QUEUED = "queued"  # waiting in the client's queue, or checking files
    DOWNLOADING = "downloading"  # includes fetching metadata and stalled transfers
    DONE = "done"  # everything wanted is on disk (seeding or stopped)
    PAUSED = "paused"
    ERROR = "error"  # the client gave up (missing files, disk error)


@dataclass(frozen=True)
class TorrentProgress:
    """What the client says about one torrent.

    Attributes:
        info_hash: lower-case hex.
        name: the torrent's name in the client.
        state: the state, in Tsuzuki's terms.
        fraction: how much of it is done, 0..1.
        client_state: the client's own word for the state ("stalledDL", "seeding"), for display.
        size: the bytes wanted (None: not known yet, while the client fetches the metadata).
    """

    info_hash: str
    name: str
    state: TorrentState
    fraction: float
    client_state: str
    size: int | None = None


def magnet_info_hash(link: str) -> str:
    """The lower-case hex BitTorrent v1 info hash in a magnet link (hex or base32), or ""."""
    if not link.lower().startswith("magnet:"):
        return ""
    for key, value in parse_qsl(urlsplit(link).query):
        if not (key.startswith("xt") and value.lower().startswith("urn:btih:")):
            continue
        digest = value[len("urn:btih:") :]
        if HEX_HASH.match(digest.lower()):
            return digest.lower()
        if _BASE32_HASH.match(digest.upper()):
            return base64.b32decode(digest.upper()).hex()
    return ""


class TorrentClient(ABC):
    """A torrent client that takes links; safe to share between threads.

    Attributes:
        settings: how to reach it.
    """

    _HINT: ClassVar[str]  # what to check when it cannot be reached

    def __init__(self, settings: TorrentClientSettings, timeout: float) -> None:
        self.settings = settings
        self._name = settings.client_name
        self._url = redact(settings.url)
        self._timeout = timeout
        self._lock = threading.Lock()

    def add(self, link: str, *, name: str, save_path: Path | None) -> str:
        """Hand over a magnet link, or the .torrent file at an http(s) link; returns its info hash.

        The file is fetched here (capped, like every fetch of the app) and its content handed
        over, so the hash is known at once: a client given the URL names none (qBittorrent).
        Returns "" only when the client does not say and the link cannot tell.
        """
        self._check_link(link)
        if link.lower().startswith("magnet:"):
            return self._add(link, name=name, save_path=save_path)
        try:
            content = fetch_torrent(link)
        except DownloadError as error:
            raise TorrentClientError(str(error)) from error
        return self._add(content, name=name, save_path=save_path)

    @abstractmethod
    def _add(self, torrent: str | bytes, *, name: str, save_path: Path | None) -> str:
        """Hand over a magnet link (str) or a .torrent file's content (bytes); returns its info hash."""

    @abstractmethod
    def test_connection(self) -> str:
        """Log in and return the client's name and version, e.g. "qBittorrent v5.0.1"."""

    @abstractmethod
    def progress(self, info_hash: str) -> TorrentProgress | None:
        """How far the torrent with ``info_hash`` got, or None if the client does not have it."""

    def _where(self, settings_path: str | None, save_path: Path | None) -> str | None:
        """The folder to ask for: the configured one, else the per-torrent one, else the client's default."""
        return settings_path or (str(save_path) if save_path is not None else None)

    def _check_link(self, link: str) -> None:
        if not link.lower().startswith(("magnet:", "http://", "https://")):
            raise TorrentClientError(
                f"cannot hand {redact(link)!r} to {self._name}: it is neither a magnet link nor a link to a .torrent file"
            )

    def _wrong_credentials(self, password: str) -> TorrentClientError:
        if not self.settings.username:
            return TorrentClientError(
                f"{self._name} asks for a user name and password: set them in Tsuzuki's torrent client settings"
            )
        hint = "no password is saved for it in Tsuzuki" if not password else "check them in Tsuzuki's settings"
        return TorrentClientError(f"{self._name} refused the user name or password ({hint})")

    def _unless_other_client(self, error: TorrentClientError) -> TorrentClientError:
        """``error``, or, when the other kind of torrent client answers at this address, an error saying so."""
        other = _client_at(self.settings.url, self.settings.verify_tls, self._timeout)
        if other is None or other == self._name:
            return error
        return TorrentClientError(
            f"{self._url} is a {other} server, not {self._name}: set the torrent client up as {other} "
            f"(kind {other.lower()}) with its address"
        )

    def _unreachable(self, error: BaseException) -> TorrentClientError:
        """A plain explanation of why the client could not be reached."""
        chain = list(_causes(error))
        if any(isinstance(e, (ssl.SSLError, requests.exceptions.SSLError)) for e in chain):
            return TorrentClientError(
                f"could not reach {self._name} at {self._url}: its certificate could not be verified — if it uses "
                "a self-signed certificate and you trust this network, turn off certificate checking for it"
            )
        if any(isinstance(e, ConnectionRefusedError) for e in chain):
            why = "connection refused"
        elif any(isinstance(e, socket.gaierror) for e in chain):
            why = "unknown host name"
        elif any(
            isinstance(e, (TimeoutError, requests.exceptions.Timeout, urllib3.exceptions.TimeoutError)) for e in chain
        ):
            why = f"no answer within {self._timeout:g} seconds"
        else:
            why = reason(chain[-1])
        return TorrentClientError(f"could not reach {self._name} at {self._url}: {why} — {self._HINT}")


def _client_at(url: str, verify: bool, timeout: float) -> str | None:
    """Which torrent client answers at ``url``'s server ("Transmission", "qBittorrent"), if it can be told."""
    parts = urlsplit(url)
    try:
        with requests.get(
            f"{parts.scheme}://{parts.netloc}/", timeout=timeout, verify=verify, allow_redirects=False, stream=True
        ) as answer:
            headers = answer.headers
            if (
                "transmission" in headers.get("Server", "").lower()
                or "X-Transmission-Session-Id" in headers
                or 'realm="Transmission"' in headers.get("WWW-Authenticate", "")
            ):
                return "Transmission"
            start = next(answer.iter_content(4096, decode_unicode=False), b"")
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError):
        return None
    return "qBittorrent" if b"<title>qbittorrent" in start.lower() else None


def _causes(error: BaseException | None) -> Iterator[BaseException]:
    """``error`` and every exception it was raised from or while handling."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__
