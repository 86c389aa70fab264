"""Fixtures for the TTL archive's handler tests."""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

import pytest
from dbops.observability import metrics

from tests.integration.ttl_archive.archive_stack import ArchiveStack, create
from tools.template import ROOT

if TYPE_CHECKING:
    from collections.abc import Callable


@pytest.fixture
def archive_stack(aws: None, monkeypatch: pytest.MonkeyPatch) -> ArchiveStack:
    """The archive's bucket, topic (with an SQS subscriber) and idempotency table in moto."""
    return create(monkeypatch)


@pytest.fixture(scope="session")
def handler() -> Callable[..., Any]:
    """functions/ttl_archive/handler.py's lambda_handler, loaded as Lambda loads it."""
    path = ROOT / "functions" / "ttl_archive" / "handler.py"
    spec = importlib.util.spec_from_file_location("ttl_archive_handler", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.lambda_handler  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def metrics_namespace(monkeypatch: pytest.MonkeyPatch) -> None:
    """Powertools' Metrics reads its namespace when dbops.observability is imported, before the env is set."""
    monkeypatch.setattr(metrics, "namespace", "dbops")
