"""Transmission as Tsuzuki's torrent client, through its RPC interface (``transmission-rpc``).

``TransmissionClient`` hands torrents over (with the configured label: in
torrent-add from Transmission 4.0, with torrent-set on 3.00, which ignores
labels in torrent-add; 2.x has none, which is logged), reads
back a torrent's progress, and turns every failure of the library (log-in
refused, not on the RPC whitelist, not an RPC address, unreachable) into a
``TorrentClientError`` saying what to do. The RPC address may be pasted as
the web interface's; certificate checking can be turned off. Made by
``torrent_clients.open_client``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import transmission_rpc
import urllib3
import urllib3.exceptions
from transmission_rpc.torrent import get_status

from core.downloads.torrent_base import (
    HEX_HASH,
    TIMEOUT,
    TorrentClient,
    TorrentClientError,
    TorrentClientSettings,
    TorrentProgress,
    TorrentState,
    magnet_info_hash,
)
from core.logs import redact

log = logging.getLogger(__name__)

_TRANSMISSION_STATES = {
    0: TorrentState.PAUSED,
    1: TorrentState.QUEUED,
    2: TorrentState.QUEUED,
    3: TorrentState.QUEUED,
    4: TorrentState.DOWNLOADING,
    5: TorrentState.DONE,
    6: TorrentState.DONE,
}
_TRANSMISSION_LOCAL_ERROR = 3  # "error" field: 1, 2 are tracker troubles, 3 is fatal
_TRANSMISSION_FIELDS = ["id", "hashString", "name", "percentDone", "status", "error", "sizeWhenDone"]
_LABELS_IN_SET = 16  # RPC version of Transmission 3.00: torrent-set takes "labels"
_LABELS_IN_ADD = 17  # RPC version of Transmission 4.0: torrent-add takes them too (3.00 ignores them)


class TransmissionClient(TorrentClient):
    """Transmission through its RPC interface (``transmission-rpc``)."""

    _HINT = "is it running with remote access enabled?"

    def __init__(self, settings: TorrentClientSettings, password: str, timeout: float = TIMEOUT) -> None:
        super().__init__(settings, timeout)
        self._password = password
        self._client: _TransmissionRpc | None = None

    def _add(self, torrent: str | bytes, *, name: str, save_path: Path | None) -> str:
        what = redact(torrent) if isinstance(torrent, str) else "a .torrent file"
        labels = [self.settings.category] if self.settings.category else []
        with self._lock, self._errors(adding=True):
            rpc = self._rpc()
            in_add = labels if rpc.server_rpc_version >= _LABELS_IN_ADD else None
            folder = self._where(self.settings.save_path, save_path)
            added = rpc.add_torrent(torrent, download_dir=folder, labels=in_add)
            info_hash = str(added.fields.get("hashString", "")).lower()
            if labels and in_add is None and info_hash:
                self._label_afterwards(rpc, info_hash, labels)
        info_hash = info_hash or (magnet_info_hash(torrent) if isinstance(torrent, str) else "")
        log.info("handed %s (%s) to Transmission as %s", what, name, info_hash)
        return info_hash

    def _label_afterwards(self, rpc: _TransmissionRpc, info_hash: str, labels: list[str]) -> None:
        """Label a torrent just added, on a Transmission that takes no labels in torrent-add (3.00)."""
        if rpc.server_rpc_version < _LABELS_IN_SET:
            log.warning(
                "Transmission %s cannot label torrents (labels came with Transmission 3.00): %s is not labelled %r",
                rpc.server_version, info_hash, labels[0],
            )
            return
        rpc.change_torrent(ids=[info_hash], labels=labels)

    def test_connection(self) -> str:
        with self._lock, self._errors():
            return f"Transmission {self._rpc().get_session().version}"

    def progress(self, info_hash: str) -> TorrentProgress | None:
        info_hash = info_hash.lower()
        if not HEX_HASH.match(info_hash):
            return None
        with self._lock, self._errors():
            torrents = self._rpc().get_torrents(ids=[info_hash], arguments=_TRANSMISSION_FIELDS)
        for torrent in torrents:
            fields = torrent.fields
            if str(fields.get("hashString", "")).lower() != info_hash:
                continue
            fraction = min(max(float(fields.get("percentDone", 0.0)), 0.0), 1.0)
            status = int(fields.get("status", 0))
            if fields.get("error") == _TRANSMISSION_LOCAL_ERROR:
                state = TorrentState.ERROR
            elif fraction >= 1:
                state = TorrentState.DONE
            else:
                state = _TRANSMISSION_STATES.get(status, TorrentState.DOWNLOADING)
            size = int(fields.get("sizeWhenDone", 0) or 0) or None
            return TorrentProgress(info_hash, str(fields.get("name", "")), state, fraction, get_status(status), size)
        return None

    def _rpc(self) -> _TransmissionRpc:
        """The library's client, created on first use (creating it already asks for the session)."""
        if self._client is None:
            parts = urlsplit(self.settings.url)
            host = parts.hostname or ""
            https = parts.scheme.lower() == "https"
            self._client = _TransmissionRpc(
                verify=self.settings.verify_tls,
                protocol="https" if https else "http",
                host=f"[{host}]" if ":" in host else host,
                port=parts.port or (443 if https else 80),
                path=_rpc_path(parts.path),
                username=self.settings.username or None,
                password=self._password or None,
                timeout=self._timeout,
            )
        return self._client

    @contextmanager
    def _errors(self, adding: bool = False) -> Iterator[None]:
        """Turn the library's exceptions into plain ``TorrentClientError``s."""
        try:
            yield
        except transmission_rpc.TransmissionAuthError as error:
            if error.original is not None and error.original.status_code == 403:
                raise TorrentClientError(
                    "Transmission refused this computer: add its address to Transmission's RPC whitelist "
                    "(rpc-whitelist) or turn the whitelist off"
                ) from error
            raise self._wrong_credentials(self._password) from error
        except transmission_rpc.TransmissionConnectError as error:
            raise self._unreachable(error) from error
        except transmission_rpc.TransmissionError as error:
            answer = error.response.get("result") if isinstance(error.response, Mapping) else None
            if answer is None:
                raise self._unless_other_client(TorrentClientError(
                    f"Transmission at {self._url} sent an answer Tsuzuki cannot read — is this its RPC address "
                    "(usually ending in /transmission/rpc)?"
                )) from error
            doing = "did not accept the torrent" if adding else "refused the request"
            raise TorrentClientError(f"Transmission {doing}: {redact(str(answer))}") from error


class _TransmissionRpc(transmission_rpc.Client):
    """``transmission_rpc.Client`` with certificate checking that can be turned off."""

    server_rpc_version = 0  # the server's, from the session the constructor asks for
    server_version = ""

    def __init__(self, *, verify: bool, **options: Any) -> None:
        self._verify = verify
        if not verify:  # the user chose this; qbittorrent-api silences the same warning
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        super().__init__(**options)

    def get_session(self, timeout: Any = None) -> transmission_rpc.Session:
        # The constructor's own first request goes through here: set verification before it.
        self._http_session.verify = self._verify
        session = super().get_session(timeout)
        self.server_rpc_version, self.server_version = session.rpc_version, session.version
        return session


def _rpc_path(path: str) -> str:
    """The RPC path for what people paste: nothing, the web interface's address, or the RPC address."""
    stripped = path.rstrip("/")
    if not stripped or stripped in ("/transmission", "/transmission/web"):
        return "/transmission/rpc"
    return path
