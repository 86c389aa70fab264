"""`make local`'s runner, end to end: every function on every sample event against moto and MariaDB."""

from __future__ import annotations

import subprocess
import sys

from tools.events import sample_events
from tools.template import ROOT, functions, load_template


def _run_local(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.local", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_local_runs_every_sample_event_of_every_function_when_called_without_arguments():
    completed = _run_local()

    assert completed.returncode == 0, completed.stdout + completed.stderr
    for spec in functions(load_template()):
        for event in sample_events(spec.name):
            assert f"ok   {spec.name}" in completed.stdout, completed.stdout
            assert event.split("/", 1)[1] in completed.stdout


def test_local_names_the_functions_that_exist_when_given_an_unknown_one():
    completed = _run_local("no_such_function")

    assert completed.returncode == 2
    assert "unknown function 'no_such_function'" in completed.stderr
