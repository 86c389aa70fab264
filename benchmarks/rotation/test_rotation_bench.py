"""Figures for the rotation function: one full rotation (four steps) on MariaDB and moto, and the handler's
cold import. Run with `make bench`; nothing here asserts a time."""

from __future__ import annotations

import statistics
import subprocess
import sys
import uuid

import pytest

from tests.integration.rotation.rig import make_rig
from tools.mariadb import MariaDB
from tools.template import ROOT

IMPORT_PROBE = """
import sys, time
sys.path.insert(0, {code_dir!r})
started = time.perf_counter()
import handler
print(time.perf_counter() - started)
"""


@pytest.fixture(autouse=True)
def rotation_environment(monkeypatch: pytest.MonkeyPatch, mariadb: MariaDB) -> None:
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "rotation")
    if mariadb.ca_bundle:
        monkeypatch.setenv("DB_CA_BUNDLE", mariadb.ca_bundle)


@pytest.mark.parametrize("alternating", [False, True], ids=["single_user", "alternating_users"])
def test_full_rotation_wall_time(benchmark, aws, mariadb, alternating) -> None:
    rig = make_rig(mariadb, alternating=alternating)

    benchmark.pedantic(rig.rotate, setup=lambda: ((str(uuid.uuid4()),), {}), rounds=20, warmup_rounds=1)

    assert rig.logs_in(rig.value())


def test_handler_cold_import_time(benchmark) -> None:
    probe = IMPORT_PROBE.format(code_dir=str(ROOT / "functions" / "rotation"))
    seconds: list[float] = []

    def cold_import() -> None:
        completed = subprocess.run(  # noqa: S603 - our own interpreter on a fixed probe
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT, timeout=120
        )
        seconds.append(float(completed.stdout.strip().splitlines()[-1]))

    benchmark.pedantic(cold_import, rounds=10, warmup_rounds=1)
    benchmark.extra_info["import_seconds_median"] = statistics.median(seconds)
    benchmark.extra_info["import_seconds_min"] = min(seconds)
    print(f"handler cold import: median {statistics.median(seconds) * 1000:.1f} ms, min {min(seconds) * 1000:.1f} ms")
