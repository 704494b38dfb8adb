"""The torrent client Tsuzuki hands its torrents to: which one is set up, and opening it.

The settings live in ``torrent_client.json``; the password in the keyring
(``SecretStore``, name ``torrent.password``), never in settings or logs.
``open_client`` makes one of the two clients (``qbittorrent``, ``transmission``),
which build on the shared types in ``torrent_base``.
"""

from __future__ import annotations

from core.downloads.torrent_base import TorrentClient, TorrentClientSettings
from core.secrets import SecretStore
from core.storage import DocumentKeeper, VersionedDocument

PASSWORD_SECRET = "torrent.password"


class TorrentClientFile(VersionedDocument):
    """The layout of ``torrent_client.json`` (the password is in the keyring)."""

    schema_version: int = VersionedDocument.SCHEMA_VERSION
    client: TorrentClientSettings | None = None


class TorrentClientConfig(DocumentKeeper[TorrentClientFile]):
    """Which torrent client takes Tsuzuki's torrents (None: none is set up)."""

    FILE_NAME = "torrent_client.json"
    DOCUMENT = TorrentClientFile

    def get(self) -> TorrentClientSettings | None:
        return self._store.read().client

    def set(self, settings: TorrentClientSettings | None) -> None:
        with self._store.edit() as document:
            document.client = settings


def open_client(settings: TorrentClientSettings, secrets: SecretStore) -> TorrentClient:
    """The client ``settings`` describe, with its password from the keyring (read only if a user name is set)."""
    # Imported here: the client libraries load only when a client is opened.
    from core.downloads.qbittorrent import QBittorrentClient
    from core.downloads.transmission import TransmissionClient

    password = (secrets.get(PASSWORD_SECRET) or "") if settings.username else ""
    if settings.kind == "qbittorrent":
        return QBittorrentClient(settings, password)
    return TransmissionClient(settings, password)
