"""`make local`: every function on each of its sample events, against the local stack (moto + MariaDB).

Usage: python -m tools.local [FUNCTION [EVENT]]   e.g. python -m tools.local ttl_archive ttl_expired.json
Prints one line per event and exits non-zero when any failed. Logs go to .local/logs/<function>.log.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.events import sample_events
from tools.local_stack import LocalStack, function_environment, running
from tools.template import ROOT, FunctionSpec, functions, load_template

LOG_DIR = ROOT / ".local" / "logs"


@dataclass
class LocalRun:
    """What a local run did: each event's result, where the logs are, and every secret the run held."""

    log_dir: Path
    results: list[tuple[FunctionSpec, dict[str, Any]]] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set)

    @property
    def failures(self) -> int:
        """How many events did not do what their name says."""
        return sum(not result["ok"] for _, result in self.results)


def main(argv: list[str]) -> int:
    """Run the selected functions and events; 0 when every event did what its name says."""
    try:
        selected = select(argv)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if not selected:
        print("template.yaml declares no functions yet: nothing to run")
        return 0
    local_run = run(selected, LOG_DIR, on_result=lambda spec, result: print(describe(spec, result)))
    failures = local_run.failures
    print(f"{'all events ran as expected' if not failures else f'{failures} event(s) failed'}; logs in {LOG_DIR}")
    return 1 if failures else 0


def select(argv: list[str]) -> list[tuple[FunctionSpec, list[str]]]:
    """The functions and events ``[FUNCTION [EVENT]]`` names (all of them when empty)."""
    specs = functions(load_template())
    names = [spec.name for spec in specs]
    if argv and argv[0] not in names:
        raise ValueError(f"unknown function {argv[0]!r}: the template declares {', '.join(names) or 'none'}")
    selected = []
    for spec in specs:
        if argv and spec.name != argv[0]:
            continue
        events = sample_events(spec.name)
        if len(argv) > 1:
            wanted = f"{spec.name}/{argv[1]}"
            if wanted not in events:
                available = ", ".join(Path(event).name for event in events) or "none"
                raise ValueError(f"unknown event {argv[1]!r} for {spec.name}: its events are {available}")
            events = [wanted]
        selected.append((spec, events))
    return selected


def run(
    selected: list[tuple[FunctionSpec, list[str]]],
    log_dir: Path,
    *,
    log_level: str = "INFO",
    on_result: Callable[[FunctionSpec, dict[str, Any]], None] | None = None,
) -> LocalRun:
    """Start the local stack, run each function in its own process on its events, collect results and secrets."""
    template = load_template()
    log_dir.mkdir(parents=True, exist_ok=True)
    local_run = LocalRun(log_dir=log_dir)
    with (
        tempfile.TemporaryDirectory(prefix="dbops-local-") as workdir,
        running(template, functions(template), Path(workdir)) as stack,
    ):
        print(f"local stack: moto at {stack.endpoint_url}, MariaDB at {stack.mariadb.host}:{stack.mariadb.port}")
        for spec, events in selected:
            environment = function_environment(stack, template, spec)
            environment["AWS_LAMBDA_LOG_LEVEL"] = log_level
            for result in _invoke(spec, events, environment, Path(workdir), log_dir):
                local_run.results.append((spec, result))
                if on_result is not None:
                    on_result(spec, result)
        local_run.secrets = _secrets(stack)
    return local_run


def describe(spec: FunctionSpec, result: dict[str, Any]) -> str:
    """One readable line for one event's result (and the traceback when it failed)."""
    mark = "ok  " if result["ok"] else "FAIL"
    if "error" in result:
        outcome = "raised " + " ".join(str(result["error"]).split())
    else:
        outcome = f"returned {json.dumps(result['response'], default=str)}"
    if len(outcome) > 160:
        outcome = outcome[:157] + "..."
    line = f"{mark} {spec.name:<14} {Path(result['event']).name:<28} {outcome}"
    if not result["ok"] and "traceback" in result:
        line += "\n" + result["traceback"]
    return line


def _invoke(
    spec: FunctionSpec, events: list[str], environment: dict[str, str], workdir: Path, log_dir: Path
) -> list[dict[str, Any]]:
    results_path = workdir / f"{spec.name}.results.json"
    log_path = log_dir / f"{spec.name}.log"
    with log_path.open("w") as log:
        completed = subprocess.run(
            [sys.executable, "-m", "tools.invoke", spec.name, str(results_path), *events],
            cwd=ROOT,
            env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **environment},
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
            timeout=600,
        )
    if completed.returncode != 0 or not results_path.exists():
        return [{"event": event, "ok": False, "error": f"the runner crashed: see {log_path}"} for event in events]
    results: list[dict[str, Any]] = json.loads(results_path.read_text())
    return results


def _secrets(stack: LocalStack) -> set[str]:
    """Every secret value in the local Secrets Manager (each version, and each field of JSON ones) and the DB login."""
    secretsmanager = stack.client("secretsmanager")
    found = {stack.mariadb.password} - {""}
    for page in secretsmanager.get_paginator("list_secrets").paginate():
        for secret in page["SecretList"]:
            versions = secretsmanager.list_secret_version_ids(SecretId=secret["ARN"], IncludeDeprecated=True)
            for version in versions["Versions"]:
                value = secretsmanager.get_secret_value(SecretId=secret["ARN"], VersionId=version["VersionId"])
                found |= _secret_strings(value.get("SecretString", ""))
    return found


def _secret_strings(secret_string: str) -> set[str]:
    try:
        document = json.loads(secret_string)
    except json.JSONDecodeError:
        return {secret_string} if secret_string else set()
    if not isinstance(document, dict):
        return {secret_string}
    sensitive = ("password", "token", "secret", "key")
    return {secret_string} | {
        str(value) for name, value in document.items() if any(word in name.lower() for word in sensitive) and value
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
