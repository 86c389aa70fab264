"""Fixtures for the TTL archive's handler tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from dbops.observability import metrics
from tests.integration.ttl_archive.archive_stack import ArchiveStack, create, load_handler

if TYPE_CHECKING:
    from collections.abc import Callable


@pytest.fixture
def archive_stack(aws: None, monkeypatch: pytest.MonkeyPatch) -> ArchiveStack:
    """The archive's bucket, topic (with an SQS subscriber) and idempotency table in moto."""
    return create(monkeypatch)


@pytest.fixture(scope="session")
def handler() -> Callable[..., Any]:
    """functions/ttl_archive/handler.py's lambda_handler, loaded as Lambda loads it."""
    return load_handler()


@pytest.fixture(autouse=True)
def metrics_namespace(monkeypatch: pytest.MonkeyPatch) -> None:
    """Powertools' Metrics reads its namespace when dbops.observability is imported, before the env is set."""
    monkeypatch.setattr(metrics, "namespace", "dbops")
