from __future__ import annotations

import keyring
import keyring.backends.fail
import pytest

from core.datafolder import DataFolder
from core.secrets import SecretStore, SecretsUnavailable
from tests.conftest import MemoryKeyring


def test_secrets_round_trip_per_profile(home, memory_keyring: MemoryKeyring) -> None:  # type: ignore[no-untyped-def]
    default, alice = SecretStore(DataFolder.for_profile(None)), SecretStore(DataFolder.for_profile("alice"))
    default.set("notify.discord", "discord://1/SECRET")
    assert default.get("notify.discord") == "discord://1/SECRET"
    assert alice.get("notify.discord") is None
    default.delete("notify.discord")
    default.delete("notify.discord")
    assert default.get("notify.discord") is None
    assert memory_keyring.entries == {}


def test_no_keyring_is_a_plain_error(folder: DataFolder) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(SecretsUnavailable, match="No system keyring is available"):
        SecretStore(folder).set("qbittorrent.password", "x")
