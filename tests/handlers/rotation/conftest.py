"""The rotation handler on its sample events, against moto's Secrets Manager and the real MariaDB."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from dbops.observability import metrics
from tools.mariadb import MariaDB
from tools.template import ROOT


@pytest.fixture
def handler(monkeypatch: pytest.MonkeyPatch, mariadb: MariaDB) -> ModuleType:
    """functions/rotation/handler.py, loaded as Lambda would, with the function's environment."""
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "rotation")
    # Lambda sets POWERTOOLS_METRICS_NAMESPACE before the import; here the module was imported at collection.
    monkeypatch.setattr(metrics, "namespace", "dbops")
    if mariadb.ca_bundle:
        monkeypatch.setenv("DB_CA_BUNDLE", mariadb.ca_bundle)
    spec = importlib.util.spec_from_file_location("rotation_handler", ROOT / "functions" / "rotation" / "handler.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
