"""qBittorrent as Tsuzuki's torrent client, through its Web UI API (``qbittorrent-api``).

``QBittorrentClient`` hands torrents over (creating the configured category on
first use), reads back a torrent's progress, and turns every failure of the
library (log-in refused, IP ban, Host header validation, not a Web UI,
unreachable) into a ``TorrentClientError`` saying what to do. Made by
``torrent_clients.open_client``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import qbittorrentapi

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
from core.downloads.torrent_files import info_hash as torrent_info_hash
from core.logs import redact

log = logging.getLogger(__name__)

_QBT_QUEUED = frozenset({"queuedDL", "checkingDL", "checkingResumeData", "allocating"})


def _qbittorrent_state(state: str, fraction: float) -> TorrentState:
    if state in ("error", "missingFiles"):
        return TorrentState.ERROR
    if fraction >= 1 or state.endswith("UP"):
        return TorrentState.DONE
    if state in ("pausedDL", "stoppedDL"):
        return TorrentState.PAUSED
    return TorrentState.QUEUED if state in _QBT_QUEUED else TorrentState.DOWNLOADING


class QBittorrentClient(TorrentClient):
    """qBittorrent through its Web UI API (``qbittorrent-api``)."""

    _HINT = "is it running with the Web UI enabled?"

    def __init__(self, settings: TorrentClientSettings, password: str, timeout: float = TIMEOUT) -> None:
        super().__init__(settings, timeout)
        self._password = password
        self._category_ready = not settings.category
        self._api = qbittorrentapi.Client(
            host=settings.url,
            username=settings.username,
            password=password,
            # verify per request too: requests lets REQUESTS_CA_BUNDLE override a session's verify=False
            REQUESTS_ARGS={"timeout": timeout, "verify": settings.verify_tls},
            HTTPADAPTER_ARGS={"max_retries": 0},
            VERIFY_WEBUI_CERTIFICATE=settings.verify_tls,
            FORCE_SCHEME_FROM_HOST=True,
            SIMPLE_RESPONSES=True,
        )

    def _add(self, torrent: str | bytes, *, name: str, save_path: Path | None) -> str:
        what = redact(torrent) if isinstance(torrent, str) else "a .torrent file"
        with self._lock, self._errors():
            self._ensure_category()
            try:
                answer = self._api.torrents_add(
                    urls=torrent if isinstance(torrent, str) else None,
                    torrent_files=torrent if isinstance(torrent, bytes) else None,
                    category=self.settings.category or None,
                    save_path=self._where(self.settings.save_path, save_path),
                    rename=name or None,
                )
            except qbittorrentapi.Conflict409Error:
                log.info("qBittorrent already has %s", what)
                answer = "Ok."
            except qbittorrentapi.UnsupportedMediaType415Error as error:
                raise TorrentClientError(
                    f"qBittorrent did not accept the torrent: not a valid torrent link ({redact(str(error))})"
                ) from error
        known = magnet_info_hash(torrent) if isinstance(torrent, str) else torrent_info_hash(torrent)
        added = _added_hash(answer) or known
        log.info("handed %s to qBittorrent (%s)", what, added or "hash not known yet")
        return added

    def test_connection(self) -> str:
        with self._lock, self._errors():
            return f"qBittorrent {self._api.app_version()}"

    def progress(self, info_hash: str) -> TorrentProgress | None:
        info_hash = info_hash.lower()
        if not HEX_HASH.match(info_hash):
            return None
        with self._lock, self._errors():
            torrents = self._api.torrents_info(torrent_hashes=info_hash)
        for torrent in torrents:
            if str(torrent.get("hash", "")).lower() == info_hash:
                progress = torrent.get("progress")
                fraction = min(max(float(progress), 0.0), 1.0) if isinstance(progress, int | float) else 0.0
                state = str(torrent.get("state", "unknown"))
                name = str(torrent.get("name", ""))
                wanted = torrent.get("size")
                size = wanted if isinstance(wanted, int) and wanted > 0 else None
                return TorrentProgress(info_hash, name, _qbittorrent_state(state, fraction), fraction, state, size)
        return None

    def _ensure_category(self) -> None:
        """Create the category on first use (qBittorrent files a torrent with an unknown one nowhere)."""
        if self._category_ready:
            return
        categories = self._api.torrents_categories()
        if self.settings.category not in categories:
            try:
                self._api.torrents_create_category(name=self.settings.category)
            except qbittorrentapi.Conflict409Error:  # created meanwhile, or an invalid name
                if self.settings.category not in self._api.torrents_categories():
                    raise TorrentClientError(
                        f"qBittorrent refused to create the category {self.settings.category!r}: choose another name"
                    ) from None
        self._category_ready = True

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn the library's exceptions into plain ``TorrentClientError``s."""
        try:
            yield
        except qbittorrentapi.LoginFailed as error:
            raise self._wrong_credentials(self._password) from error
        except qbittorrentapi.Forbidden403Error as error:
            if error.request is not None and str(error.request.url).endswith("auth/login"):
                raise TorrentClientError(
                    "qBittorrent has banned this computer after too many failed log-ins: wait for the ban to end "
                    "(or restart qBittorrent), then check the user name and password"
                ) from error
            raise TorrentClientError("qBittorrent refused access even after logging in") from error
        except qbittorrentapi.Unauthorized401Error as error:
            raise self._unless_other_client(TorrentClientError(
                f"qBittorrent refused requests sent to {self._url}: in its Web UI settings, add this address to the "
                "server domains or turn off Host header validation"
            )) from error
        except qbittorrentapi.NotFound404Error as error:
            raise self._unless_other_client(TorrentClientError(
                f"qBittorrent at {self._url} answered “not found” — is this the address of its Web UI?"
            )) from error
        except qbittorrentapi.HTTPError as error:
            status = error.response.status_code if error.response is not None else "an error"
            raise self._unless_other_client(TorrentClientError(
                f"qBittorrent at {self._url} answered HTTP {status}: {redact(str(error))}"
            )) from error
        except qbittorrentapi.APIConnectionError as error:
            raise self._unreachable(error) from error
        except qbittorrentapi.APIError as error:
            raise self._unless_other_client(
                TorrentClientError(f"qBittorrent at {self._url} sent an answer Tsuzuki cannot read")
            ) from error


def _added_hash(answer: str | Mapping[str, Any]) -> str:
    """The torrent id from qBittorrent's answer to torrents/add ("" if it gives none); raises if it refused."""
    if isinstance(answer, Mapping):  # Web API 2.14+ (qBittorrent 5.2+)
        if answer.get("failure_count") and not (answer.get("success_count") or answer.get("pending_count")):
            raise TorrentClientError("qBittorrent did not accept the torrent (it gave no reason: see its log)")
        ids = [str(id_).lower() for id_ in answer.get("added_torrent_ids") or ()]
        return ids[0] if ids and HEX_HASH.match(ids[0]) else ""
    if answer.strip() not in ("Ok.", ""):
        raise TorrentClientError(
            f"qBittorrent did not accept the torrent: it answered {redact(answer.strip())!r} "
            "(an invalid link, or a torrent it already has)"
        )
    return ""
