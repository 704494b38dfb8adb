"""Telling the user about events: the tray always, and Apprise channels for those who want them.

The tray hears of every notification through ``CoreService.notification``. External
channels (Discord, Telegram, e-mail, ntfy, ... anything Apprise knows) each
choose their events and can be switched off. A channel's Apprise URL carries
its token, so it lives in the OS keyring under ``notify.<channel id>``; only
the label, events and switch are kept in ``notifications.json``.

Whether an event deserves a notification at all (``notify_on_new_episodes``)
is the caller's decision: the Notifier sends whatever it is given.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import apprise
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_serializer

from core.datafolder import DataFolder
from core.errors import (
    InputError,
    StorageError,
    TsuzukiError,
    describe_validation_error,
)
from core.logs import display_address, redact
from core.models import NotificationEvent
from core.secrets import SecretStore, SecretsUnavailable
from core.storage import JsonStore, Recovery, VersionedDocument

log = logging.getLogger(__name__)

NOTIFICATIONS_FILE = "notifications.json"
SEND_TIMEOUT_SECONDS = 30.0
APPRISE_WIKI = "https://github.com/caronc/apprise/wiki"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)


_NOTIFY_TYPES = {
    NotificationEvent.NEW_EPISODE: apprise.NotifyType.INFO,
    NotificationEvent.DOWNLOAD_FINISHED: apprise.NotifyType.SUCCESS,
    NotificationEvent.DOWNLOAD_FAILED: apprise.NotifyType.FAILURE,
    NotificationEvent.SOURCE_BROKEN: apprise.NotifyType.WARNING,
}


@dataclass(frozen=True)
class Notification:
    """One message for the user.

    Attributes:
        event: what happened.
        title: a short headline ("Frieren — episode 12").
        body: one or two sentences.
        item_id: the watchlist item it is about, if any.
        path: the file it is about (a finished download on this computer), if any.
    """

    event: NotificationEvent
    title: str
    body: str
    item_id: str | None = None
    path: str | None = None


class ChannelConfig(BaseModel):
    """One external channel, without its address (that is in the keyring).

    Attributes:
        id: a short slug made from the label; names the keyring entry.
        label: what the user calls it ("My Discord").
        events: the events it is told about.
        enabled: False to stop sending to it without forgetting it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)
    label: str = Field(min_length=1, max_length=80)
    events: frozenset[NotificationEvent] = frozenset(NotificationEvent)
    enabled: bool = True

    @field_serializer("events")
    def _in_declared_order(self, events: frozenset[NotificationEvent]) -> list[str]:
        """A stable order, so saving twice writes the same file."""
        return [event.value for event in NotificationEvent if event in events]


class NotificationSettings(VersionedDocument):
    """The layout of ``notifications.json``."""

    schema_version: int = VersionedDocument.SCHEMA_VERSION
    channels: list[ChannelConfig] = Field(default_factory=list)


class DeliveryError(TsuzukiError):
    """A channel did not accept a message."""


class Notifier:
    """The external channels: their settings, their addresses in the keyring, and sending to them.

    ``deliver`` blocks on the network (up to ``SEND_TIMEOUT_SECONDS`` per channel), so
    CoreService runs it as a background task; the tray hears of every notification
    through CoreService's ``notification`` signal, channels or not.
    """

    def __init__(
        self,
        folder: DataFolder,
        secrets: SecretStore | None = None,
        on_recovery: Callable[[Recovery], None] | None = None,
    ) -> None:
        # Apprise's own log lines quote service URLs (at DEBUG whole, at ERROR
        # when one does not parse): keep them out of our logs. What we need of
        # them comes back with each call's result and is logged redacted.
        logging.getLogger(apprise.LOGGER_NAME).propagate = False
        self._store = JsonStore(folder, NOTIFICATIONS_FILE, NotificationSettings, NotificationSettings, on_recovery)
        self._secrets = secrets or SecretStore(folder)
        self._asset = apprise.AppriseAsset(app_id="Tsuzuki", app_desc="Tsuzuki")

    def channels(self) -> list[ChannelConfig]:
        """The configured channels, in the order they were added."""
        return list(self._store.read().channels)

    def shown_address(self, channel_id: str) -> str:
        """A channel's address as it may be shown (``display_address``), read from the keyring."""
        try:
            url = self._secrets.get(_secret_name(channel_id))
        except SecretsUnavailable:
            return "(keyring unavailable)"
        return display_address(url) if url else "(missing from the keyring)"

    def add_channel(self, label: str, url: str, events: Iterable[NotificationEvent] | None = None) -> ChannelConfig:
        """Check ``url`` with Apprise, keep it in the keyring and the channel in the file."""
        url = url.strip()
        self._check_url(url)
        fields: dict[str, object] = {"label": label}
        if events is not None:
            fields["events"] = frozenset(events)
        with self._store.edit() as settings:
            channel = _validated({"id": _free_id(label, settings.channels), **fields})
            if any(other.label.casefold() == channel.label.casefold() for other in settings.channels):
                raise InputError(f"There is already a channel called {channel.label!r}; choose another name.")
            self._secrets.set(_secret_name(channel.id), url)
            settings.channels.append(channel)
        return channel

    def remove_channel(self, channel_id: str) -> None:
        """Forget a channel and its address."""
        with self._store.edit() as settings:
            settings.channels.pop(_index(settings, channel_id))
        self._secrets.delete(_secret_name(channel_id))

    def set_channel_events(self, channel_id: str, events: Iterable[NotificationEvent]) -> ChannelConfig:
        """Choose the events a channel is told about."""
        return self._update(channel_id, events=frozenset(events))

    def set_channel_enabled(self, channel_id: str, enabled: bool) -> ChannelConfig:
        """Switch a channel on or off."""
        return self._update(channel_id, enabled=enabled)

    def test_channel(self, channel_id: str) -> None:
        """Send a test message now (waits for the service); raise ``DeliveryError`` if it failed."""
        settings = self._store.read()
        channel = settings.channels[_index(settings, channel_id)]
        reason = self._send(
            channel,
            "Tsuzuki test message",
            f"Tsuzuki can reach {channel.label}.",
            apprise.NotifyType.INFO,
        )
        if reason is not None:
            raise DeliveryError(f"{channel.label} did not get the test message: {reason}")

    def deliver(self, notification: Notification) -> list[tuple[str, str]]:
        """Send ``notification`` to every enabled channel subscribed to it, one after another
        (blocks); returns each channel that did not get it, as (label, why)."""
        try:
            channels = self._store.read().channels
        except StorageError as error:
            log.warning("Notification channels unavailable, %r sent to the tray only: %s", notification.title, error)
            return []
        failures = []
        for channel in channels:
            if channel.enabled and notification.event in channel.events:
                reason = self._send(channel, notification.title, notification.body, _NOTIFY_TYPES[notification.event])
                if reason is not None:
                    log.warning("Could not notify %r of %r: %s", channel.label, notification.title, reason)
                    failures.append((channel.label, reason))
        return failures

    def _update(self, channel_id: str, **changes: object) -> ChannelConfig:
        with self._store.edit() as settings:
            index = _index(settings, channel_id)
            channel = _validated({**settings.channels[index].model_dump(), **changes})
            settings.channels[index] = channel
        return channel

    def _send(self, channel: ChannelConfig, title: str, body: str, notify_type: apprise.NotifyType) -> str | None:
        """Send one message; the plain reason it failed, or None once it was delivered."""
        try:
            url = self._secrets.get(_secret_name(channel.id))
        except SecretsUnavailable as error:
            return str(error)
        if url is None:
            return "its address is missing from the system keyring; remove the channel and add it again"
        plugin = apprise.Apprise.instantiate(url, asset=self._asset)
        if plugin is None:
            return "this version of Apprise no longer accepts its address; remove the channel and add it again"
        # Apprise catches what a plugin raises and reports it in result.logs(), redacted below
        result = apprise.Apprise(plugin, asset=self._asset).notify(
            body=body,
            title=title,
            notify_type=notify_type,
            body_format=apprise.NotifyFormat.TEXT,
            timeout=SEND_TIMEOUT_SECONDS,
        )
        if result:
            return None
        if result.status == apprise.AppriseResultStatus.TIMEOUT:
            return f"the service did not answer within {SEND_TIMEOUT_SECONDS:g} s"
        messages = [redact(entry.message, url) for entry in result.logs()]
        return messages[0] if messages else "the service did not accept the message"

    def _check_url(self, url: str) -> None:
        """Raise ``InputError`` unless Apprise can use ``url``; the message never quotes it."""
        match = _SCHEME.match(url)
        if match is None:  # refused before Apprise sees it: Apprise would log the whole text
            raise InputError(_not_an_address("This"))
        if apprise.Apprise.instantiate(url, asset=self._asset) is not None:
            return
        scheme = match[1].lower()
        plugins = apprise.NotificationManager()
        if scheme not in plugins:
            raise InputError(_not_an_address(f"'{display_address(url)}'"))
        plugin = plugins[scheme]
        raise InputError(
            f"This {plugin.service_name} address is incomplete or mistyped. Copy it again, or see "
            f"{plugin.setup_url or APPRISE_WIKI} for the form it takes."
        )


def _secret_name(channel_id: str) -> str:
    return f"notify.{channel_id}"


def _not_an_address(shown: str) -> str:
    return (
        f"{shown} is not an address Tsuzuki can send notifications to. Use an Apprise URL such as "
        f"discord://…, tgram://…, mailto://… or ntfys://… (the list is at {APPRISE_WIKI})."
    )


def _validated(fields: dict[str, object]) -> ChannelConfig:
    try:
        return ChannelConfig.model_validate(fields)
    except ValidationError as error:
        raise InputError(describe_validation_error(error)) from error


def _index(settings: NotificationSettings, channel_id: str) -> int:
    for index, channel in enumerate(settings.channels):
        if channel.id == channel_id:
            return index
    known = ", ".join(channel.id for channel in settings.channels) or "none yet"
    raise InputError(f"There is no notification channel {channel_id!r} (channels: {known}).")


def _free_id(label: str, channels: list[ChannelConfig]) -> str:
    """A slug of ``label`` that no channel uses yet ("My Discord" -> "my-discord", "my-discord-2")."""
    base = re.sub(r"[^a-z0-9]+", "-", label.lower())[:32].strip("-") or "channel"
    taken = {channel.id for channel in channels}
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
