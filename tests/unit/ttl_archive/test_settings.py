"""The TTL archive's settings: defaults, and one clear message per missing or malformed variable."""

from __future__ import annotations

import pytest

from dbops.archive.settings import ArchiveSettings
from dbops.errors import ConfigurationError

REQUIRED = {
    "ARCHIVE_BUCKET": "my-archive",
    "ARCHIVE_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:dbops-ttl-archive",
    "IDEMPOTENCY_TABLE": "dbops-ttl-archive-idempotency",
}


@pytest.fixture(autouse=True)
def required(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    for name in ("ARCHIVE_PREFIX", "TTL_ATTRIBUTE", "ANNOUNCEMENT_MEMORY_SECONDS"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_apply_when_only_the_required_variables_are_set() -> None:
    config = ArchiveSettings.from_environ()

    assert config.prefix == "ttl-archive"
    assert config.ttl_attribute == "expires_at"
    assert config.announcement_memory_seconds == 2 * 86400


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("ARCHIVE_BUCKET", "", "ARCHIVE_BUCKET is missing"),
        ("ARCHIVE_TOPIC_ARN", "my-topic", "ARCHIVE_TOPIC_ARN is malformed"),
        ("ARCHIVE_PREFIX", "/leading-slash", "ARCHIVE_PREFIX is malformed"),
        ("ANNOUNCEMENT_MEMORY_SECONDS", "3600", "ANNOUNCEMENT_MEMORY_SECONDS is malformed"),
    ],
)
def test_the_variable_is_named_when_it_is_missing_or_malformed(
    name: str, value: str, complaint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(ConfigurationError, match=complaint):
        ArchiveSettings.from_environ()
