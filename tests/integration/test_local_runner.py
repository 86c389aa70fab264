"""`make local` end to end: every function on every sample event against moto and MariaDB, at DEBUG, leaking nothing.

One run serves both checks: that each event did what its name says, and that no secret the run created or
read (every Secrets Manager version and its password fields, the database login) shows up in any log line or
response, with the root logger at DEBUG as Lambda's runtime sets it for ApplicationLogLevel DEBUG.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tools.events import sample_events
from tools.local import LocalRun, run, select
from tools.template import ROOT, functions, load_template


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> LocalRun:
    return run(select([]), tmp_path_factory.mktemp("logs"), log_level="DEBUG")


def test_local_runs_every_sample_event_of_every_function_as_its_name_says(local_run):
    ran = {result["event"] for _, result in local_run.results}
    expected = {event for spec in functions(load_template()) for event in sample_events(spec.name)}

    assert ran == expected
    assert [result for _, result in local_run.results if not result["ok"]] == []


def test_no_secret_shows_in_logs_or_responses_when_every_handler_runs_at_debug(local_run):
    outputs = {path.name: path.read_text() for path in Path(local_run.log_dir).glob("*.log")}
    outputs["responses"] = json.dumps([result for _, result in local_run.results], default=str)

    leaks = [(where, len(secret)) for secret in local_run.secrets for where, text in outputs.items() if secret in text]

    print(f"distinct secrets checked: {len(local_run.secrets)}")
    assert local_run.secrets
    assert leaks == []


def test_local_names_the_functions_that_exist_when_given_an_unknown_one():
    completed = subprocess.run(
        [sys.executable, "-m", "tools.local", "no_such_function"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 2
    assert "unknown function 'no_such_function'" in completed.stderr
