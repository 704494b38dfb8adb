"""Notifications: the tray signal, and Apprise json:// channels posting to a real 127.0.0.1 server."""

from __future__ import annotations

import json
import logging
import socket

import pytest

from core.datafolder import DataFolder
from core.errors import InputError
from core.logs import configure_logging, log_path
from core.notifications import (
    NOTIFICATIONS_FILE,
    DeliveryError,
    Notification,
    NotificationEvent,
    Notifier,
)
from core.secrets import SERVICE
from core.storage import Recovery
from tests.conftest import MemoryKeyring
from tests.loopback import LoopbackServer

TOKEN = "s3cr3tT0ken4f9a1c77"
NEW_EPISODE = Notification(NotificationEvent.NEW_EPISODE, "Frieren — episode 12", "Episode 12 is out.", "abc")
FAILED = Notification(NotificationEvent.DOWNLOAD_FAILED, "Frieren — episode 12", "The download failed.", "abc")


@pytest.fixture
def notifier(folder: DataFolder) -> Notifier:
    return Notifier(folder)


def hook(loopback: LoopbackServer, path: str, **options: object) -> str:
    """Serve ``path`` and return the Apprise json:// URL that posts to it."""
    loopback.route(path, **options)
    return loopback.base_url.replace("http://", "json://", 1) + path


def received(loopback: LoopbackServer, path: str) -> list[dict[str, object]]:
    return [json.loads(seen.body) for seen in loopback.requests_to(path)]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_only_subscribed_channels_get_a_notification(notifier: Notifier, loopback: LoopbackServer) -> None:
    notifier.add_channel("Everything", hook(loopback, "/all"))
    notifier.add_channel("Failures", hook(loopback, "/failures"), events=[NotificationEvent.DOWNLOAD_FAILED])

    notifier.deliver(NEW_EPISODE)
    notifier.deliver(FAILED)

    assert [(m["title"], m["message"], m["type"]) for m in received(loopback, "/all")] == [
        ("Frieren — episode 12", "Episode 12 is out.", "info"),
        ("Frieren — episode 12", "The download failed.", "failure"),
    ]
    assert [m["message"] for m in received(loopback, "/failures")] == ["The download failed."]


def test_changing_a_channels_events_changes_what_it_gets(notifier: Notifier, loopback: LoopbackServer) -> None:
    channel = notifier.add_channel("Phone", hook(loopback, "/phone"), events=[NotificationEvent.DOWNLOAD_FAILED])

    updated = notifier.set_channel_events(channel.id, [NotificationEvent.NEW_EPISODE])
    notifier.deliver(FAILED)
    notifier.deliver(NEW_EPISODE)

    assert updated.events == {NotificationEvent.NEW_EPISODE}
    assert notifier.channels() == [updated]
    assert [m["message"] for m in received(loopback, "/phone")] == ["Episode 12 is out."]


def test_a_disabled_channel_gets_nothing_until_enabled_again(
    folder: DataFolder, notifier: Notifier, loopback: LoopbackServer
) -> None:
    channel = notifier.add_channel("Phone", hook(loopback, "/phone"))

    notifier.set_channel_enabled(channel.id, False)
    notifier.deliver(FAILED)
    notifier.set_channel_enabled(channel.id, True)
    notifier.deliver(NEW_EPISODE)

    assert [m["message"] for m in received(loopback, "/phone")] == ["Episode 12 is out."]
    assert json.loads(folder.file(NOTIFICATIONS_FILE).read_text())["channels"][0]["enabled"] is True


def test_failing_channels_are_reported_and_the_others_still_get_it(
    notifier: Notifier, loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    notifier.add_channel("Broken", hook(loopback, "/broken", status=500, body=b"oops"))
    notifier.add_channel("Gone", f"json://127.0.0.1:{closed_port()}/hook")
    notifier.add_channel("Working", hook(loopback, "/working"))

    failures = dict(notifier.deliver(NEW_EPISODE))

    assert [m["message"] for m in received(loopback, "/working")] == ["Episode 12 is out."]
    assert failures.keys() == {"Broken", "Gone"}
    assert "error=500" in failures["Broken"]
    assert "Connection error" in failures["Gone"]
    assert "Could not notify 'Broken'" in caplog.text
    assert "Could not notify 'Gone'" in caplog.text


def test_a_channel_whose_keyring_entry_vanished_is_a_failure_not_a_crash(
    notifier: Notifier, loopback: LoopbackServer, memory_keyring: MemoryKeyring
) -> None:
    notifier.add_channel("Phone", hook(loopback, "/phone"))
    memory_keyring.entries.clear()

    [(label, reason)] = notifier.deliver(NEW_EPISODE)

    assert label == "Phone"
    assert "missing from the system keyring" in reason


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"nope://example.org/{TOKEN}", "'nope://…' is not an address Tsuzuki can send notifications to"),
        (f"discord://{TOKEN}", "This Discord address is incomplete or mistyped"),
        (TOKEN, "This is not an address Tsuzuki can send notifications to"),
    ],
)
def test_an_unusable_url_is_refused_without_echoing_it(
    folder: DataFolder,
    notifier: Notifier,
    memory_keyring: MemoryKeyring,
    caplog: pytest.LogCaptureFixture,
    url: str,
    message: str,
) -> None:
    caplog.set_level(logging.DEBUG)

    with pytest.raises(InputError) as caught:
        notifier.add_channel("Mine", url)

    assert message in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert TOKEN not in caplog.text
    assert not folder.file(NOTIFICATIONS_FILE).exists()
    assert memory_keyring.entries == {}


def test_tokens_stay_out_of_the_file_and_the_log(
    folder: DataFolder, notifier: Notifier, loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # the level Tsuzuki logs at (urllib3 prints request paths at DEBUG)
    notifier.add_channel(
        "Good", hook(loopback, f"/ok/{TOKEN}").replace("json://", f"json://me:{TOKEN}@") + f"?token={TOKEN}"
    )
    notifier.add_channel("Bad", hook(loopback, f"/bad/{TOKEN}", status=500, body=TOKEN))

    notifier.deliver(NEW_EPISODE)
    with pytest.raises(DeliveryError) as caught:
        notifier.test_channel("bad")

    assert len(loopback.requests_to(f"/ok/{TOKEN}")) == 1
    assert "error=500" in caplog.text
    assert TOKEN not in caplog.text
    assert TOKEN not in str(caught.value)
    assert TOKEN not in folder.file(NOTIFICATIONS_FILE).read_text()


def test_apprises_own_debug_lines_stay_out_of_the_log_file(
    folder: DataFolder, notifier: Notifier, loopback: LoopbackServer
) -> None:
    root = logging.getLogger()
    level = root.level
    handler = configure_logging(folder, logging.DEBUG)  # Apprise quotes whole URLs at DEBUG
    try:
        notifier.add_channel("Phone", hook(loopback, f"/hook/{TOKEN}"))
        with pytest.raises(InputError):
            notifier.add_channel("Typo", f"nope://example.org/{TOKEN}")
    finally:
        root.removeHandler(handler)
        handler.close()
        root.setLevel(level)

    assert TOKEN not in log_path(folder).read_text()


def test_the_address_round_trips_through_the_keyring(
    folder: DataFolder, notifier: Notifier, loopback: LoopbackServer, memory_keyring: MemoryKeyring
) -> None:
    url = hook(loopback, "/phone")
    channel = notifier.add_channel(
        "  My Discord ", url, events=[NotificationEvent.SOURCE_BROKEN, NotificationEvent.NEW_EPISODE]
    )
    entry = (SERVICE, f"notify.{channel.id}@{folder.path}")

    assert (channel.id, channel.label) == ("my-discord", "My Discord")
    assert memory_keyring.entries == {entry: url}
    assert json.loads(folder.file(NOTIFICATIONS_FILE).read_text()) == {
        "schema_version": 1,
        "channels": [
            {"id": "my-discord", "label": "My Discord", "events": ["new_episode", "source_broken"], "enabled": True}
        ],
    }

    fresh = Notifier(folder)  # another process's Notifier finds the address in the keyring
    fresh.test_channel(channel.id)
    assert [m["title"] for m in received(loopback, "/phone")] == ["Tsuzuki test message"]

    notifier.remove_channel(channel.id)
    assert memory_keyring.entries == {}
    assert notifier.channels() == []


def test_labels_are_unique_and_ids_are_slugs(notifier: Notifier, loopback: LoopbackServer) -> None:
    first = notifier.add_channel("My Discord", hook(loopback, "/one"))
    second = notifier.add_channel("My  Discord!", hook(loopback, "/two"))

    with pytest.raises(InputError, match="already a channel called 'my discord'"):
        notifier.add_channel("my discord", hook(loopback, "/three"))
    with pytest.raises(InputError, match="label"):
        notifier.add_channel("   ", hook(loopback, "/three"))
    with pytest.raises(InputError, match="no notification channel 'nope'"):
        notifier.set_channel_enabled("nope", False)
    assert [channel.id for channel in notifier.channels()] == [first.id, second.id] == ["my-discord", "my-discord-2"]


def test_a_corrupt_file_is_moved_aside_and_the_notifier_starts_empty(folder: DataFolder) -> None:
    folder.ensure()
    original = b'{"schema_version": 1, "channels": [{"id": '
    folder.file(NOTIFICATIONS_FILE).write_bytes(original)
    recoveries: list[Recovery] = []

    notifier = Notifier(folder, on_recovery=recoveries.append)

    assert notifier.channels() == []
    assert recoveries[0].moved_to.read_bytes() == original
    assert json.loads(folder.file(NOTIFICATIONS_FILE).read_text()) == {"schema_version": 1, "channels": []}
