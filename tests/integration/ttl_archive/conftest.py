"""Fixtures for the TTL archive's adapter tests."""

from __future__ import annotations

import pytest

from tests.integration.ttl_archive.archive_stack import ArchiveStack, create


@pytest.fixture
def archive_stack(aws: None, monkeypatch: pytest.MonkeyPatch) -> ArchiveStack:
    """The archive's bucket, topic (with an SQS subscriber) and idempotency table in moto."""
    return create(monkeypatch)
