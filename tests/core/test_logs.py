from __future__ import annotations

import logging

import pytest

from core.datafolder import DataFolder
from core.logs import configure_logging, log_path, redact


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("GET https://user:hunter2@example.org/feed", "hunter2"),
        ("https://example.org/rss?passkey=abc123&x=1", "abc123"),
        ("https://example.org/api?token=s3cr3t", "s3cr3t"),
        ("https://example.org/api?api_key=k3y#frag", "k3y"),
        ("https://discord.com/api/webhooks/123456/AbC-dEf_ghi", "AbC-dEf_ghi"),
        ("discord://123456/AbCdEf", "AbCdEf"),
        ("https://api.telegram.org/bot123456:AAE-token_x/sendMessage", "AAE-token_x"),
        ("tgram://123456:AAEtoken/987", "AAEtoken"),
        ("mailto://me:mailpass@gmail.com", "mailpass"),
        ("header Authorization: Bearer eyJhbGciOi", "eyJhbGciOi"),
        ("posting to 'ntfy://myTopicKey' failed", "myTopicKey"),
        ("posting to ntfys://ntfy.example.org/myTopicKey", "myTopicKey"),
        ("GET https://ntfy.sh/myTopicKey/json", "myTopicKey"),
    ],
)
def test_redact_hides_secrets_and_keeps_the_rest(text: str, secret: str) -> None:
    redacted = redact(text)
    assert secret not in redacted
    assert "***" in redacted or "://…" in redacted


def test_redact_hides_every_part_of_the_addresses_it_is_given() -> None:
    address = "json://me:pa55word@hooks.example.org:8443/h00kPath?token=qu3ryToken&format=text"
    text = f"refused {address}; server said: bad token qu3ryToken for /h00kPath (me at hooks.example.org)"
    redacted = redact(text, address)
    assert redacted.startswith("refused json://…; server said: bad token *** for /*** (me at ***)")
    assert all(part not in redacted for part in ("pa55word", "h00kPath", "qu3ryToken", "8443"))


def test_redact_leaves_ordinary_text_alone() -> None:
    text = "checked https://example.org/feed.xml?page=2: 12 releases, [SubsPlease] Frieren - 12 (1080p)"
    assert redact(text) == text


def test_log_file_is_private_rotating_and_redacted(folder: DataFolder) -> None:
    handler = configure_logging(folder)
    try:
        logging.getLogger("tsuzuki.test").warning("posting to %s", "https://discord.com/api/webhooks/1/SECRET")
        handler.flush()
        path = log_path(folder)
        text = path.read_text()
        assert "posting to https://discord.com/api/webhooks/1/***" in text
        assert "SECRET" not in text
        assert path.stat().st_mode & 0o777 == 0o600
        handler.doRollover()
        assert path.with_name(path.name + ".1").stat().st_mode & 0o777 == 0o600
        assert path.stat().st_mode & 0o777 == 0o600
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
