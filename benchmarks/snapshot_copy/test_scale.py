"""Scale: 500 DB instances with 10 automated snapshots each, on moto: API calls and wall time per run.

Run with `make bench` (or `.venv/bin/python -m pytest benchmarks/snapshot_copy --benchmark-enable -s`).
Each run prints its API calls by operation; the first run starts as many copies as the in-progress cap allows,
later runs resume until every source is copied, and the last one is the steady state (nothing left to copy).
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.utils import utcnow
from moto.rds.models import rds_backends

from dbops import settings
from dbops.aws import clients
from dbops.snapshots import service
from dbops.snapshots.events import SweepRequest

SOURCES = 500
SNAPSHOTS_PER_SOURCE = 10
REGION = "us-east-1"


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Any:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "POWERTOOLS_METRICS_NAMESPACE": "dbops",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        monkeypatch.setenv("MOTO_RDS_SNAPSHOT_LIMIT", str(SOURCES * (SNAPSHOTS_PER_SOURCE + 2)))
        rds = boto3.client("rds", region_name=REGION)
        key = boto3.client("kms", region_name=REGION).create_key()["KeyMetadata"]["Arn"]
        backend = rds_backends[DEFAULT_ACCOUNT_ID][REGION]
        for index in range(SOURCES):
            name = f"db-{index:04d}"
            rds.create_db_instance(
                DBInstanceIdentifier=name,
                Engine="mysql",
                DBInstanceClass="db.t3.micro",
                AllocatedStorage=20,
                Tags=[{"Key": "dbops:snapshot-copy", "Value": "true"}],
            )
            for day in range(1, SNAPSHOTS_PER_SOURCE):  # the 9 daily snapshots before today's
                taken = utcnow() - timedelta(days=day)
                backend.create_auto_snapshot(name, f"rds:{name}-{taken:%Y-%m-%d-%H-%M}").created = taken
        monkeypatch.setenv("SOURCE_TAG", "dbops:snapshot-copy=true")
        monkeypatch.setenv("SOURCE_KINDS", "instance")
        monkeypatch.setenv("KMS_KEY_ID", key)
        monkeypatch.setenv("MAX_INSTANCE_COPIES_IN_PROGRESS", "100")
        settings.reset()
        clients.reset()
        yield


def _counted_run() -> tuple[Any, Counter[str], float]:
    calls: Counter[str] = Counter()
    in_calls = [0.0, 0.0]  # start of the current call, total seconds inside API calls (moto's share)

    def count(model: Any, **_: Any) -> None:
        calls.update([model.name])
        in_calls[0] = time.perf_counter()

    def done(**_: Any) -> None:
        in_calls[1] += time.perf_counter() - in_calls[0]

    watched = (clients.rds(), clients.kms(None))  # the clients the run uses (same-region copies)
    for client in watched:
        client.meta.events.register("before-call.*.*", count)
        client.meta.events.register("after-call.*.*", done)
    started = time.perf_counter()
    report = service.run(SweepRequest(action="sweep"))
    elapsed = time.perf_counter() - started
    for client in watched:
        client.meta.events.unregister("before-call.*.*", count)
        client.meta.events.unregister("after-call.*.*", done)
    calls["seconds inside API calls"] = round(in_calls[1], 2)  # type: ignore[assignment]
    return report, calls, elapsed


def _api_calls(calls: Counter[str]) -> int:
    return sum(count for name, count in calls.items() if name[0].isupper())


def test_sweep_of_500_instances_with_10_snapshots_each(world: None, benchmark: Any) -> None:
    assert len(rds_backends[DEFAULT_ACCOUNT_ID][REGION].database_snapshots) == SOURCES * SNAPSHOTS_PER_SOURCE
    runs = []
    report, calls, seconds = benchmark.pedantic(_counted_run, rounds=1, iterations=1)
    runs.append((report, calls, seconds))
    while runs[-1][0].deferred or runs[-1][0].copied:
        runs.append(_counted_run())
    for number, (report, calls, seconds) in enumerate(runs, start=1):
        print(
            f"run {number}: {seconds:.2f} s, {_api_calls(calls)} API calls {dict(sorted(calls.items()))}, "
            f"copied {len(report.copied)}, deferred {len(report.deferred)}, "
            f"already {len(report.already_copied)}"
        )
    benchmark.extra_info["runs"] = [
        {"seconds": round(seconds, 3), "calls": dict(calls), "copied": len(report.copied)}
        for report, calls, seconds in runs
    ]
    steady = runs[-1][1]
    assert steady["CopyDBSnapshot"] == 0
