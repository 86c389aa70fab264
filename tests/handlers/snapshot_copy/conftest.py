"""The snapshot copy handler, loaded as Lambda loads it, and the integration tests' moto fixtures."""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

import pytest

from dbops.observability import metrics
from tests.integration.snapshot_copy.conftest import copy_environment, key_arn, world
from tools.template import functions, load_template

if TYPE_CHECKING:
    from types import ModuleType

__all__ = ["copy_environment", "handler", "key_arn", "metrics_namespace", "world"]


@pytest.fixture(autouse=True)
def metrics_namespace(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared Metrics read its namespace when dbops was first imported, before the harness set it."""
    monkeypatch.setattr(metrics, "namespace", "dbops")


@pytest.fixture
def handler(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = next(spec for spec in functions(load_template()) if spec.name == "snapshot_copy")
    monkeypatch.syspath_prepend(str(spec.code_dir))
    module_spec = importlib.util.spec_from_file_location("snapshot_copy_handler", spec.code_dir / "handler.py")
    assert module_spec is not None
    assert module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module
