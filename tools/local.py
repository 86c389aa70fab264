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
from pathlib import Path
from typing import Any

from tools.events import sample_events
from tools.local_stack import function_environment, running
from tools.template import ROOT, FunctionSpec, functions, load_template

LOG_DIR = ROOT / ".local" / "logs"


def main(argv: list[str]) -> int:
    """Run the selected functions and events; 0 when every event did what its name says."""
    template = load_template()
    specs = functions(template)
    try:
        selected = _select(specs, argv)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if not selected:
        print("template.yaml declares no functions yet: nothing to run")
        return 0
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    failures = 0
    with (
        tempfile.TemporaryDirectory(prefix="dbops-local-") as workdir,
        running(template, specs, Path(workdir)) as stack,
    ):
        print(f"local stack: moto at {stack.endpoint_url}, MariaDB at {stack.mariadb.host}:{stack.mariadb.port}")
        for spec, events in selected:
            environment = function_environment(stack, template, spec)
            for result in _invoke(spec, events, environment, Path(workdir)):
                failures += not result["ok"]
                print(_describe(spec, result))
    print(f"{'all events ran as expected' if not failures else f'{failures} event(s) failed'}; logs in {LOG_DIR}")
    return 1 if failures else 0


def _select(specs: list[FunctionSpec], argv: list[str]) -> list[tuple[FunctionSpec, list[str]]]:
    names = [spec.name for spec in specs]
    if argv and argv[0] not in names:
        raise ValueError(f"unknown function {argv[0]!r}: the template declares {', '.join(names) or 'none'}")
    chosen = [spec for spec in specs if not argv or spec.name == argv[0]]
    selected = []
    for spec in chosen:
        events = sample_events(spec.name)
        if len(argv) > 1:
            wanted = f"{spec.name}/{argv[1]}"
            if wanted not in events:
                available = ", ".join(Path(event).name for event in events) or "none"
                raise ValueError(f"unknown event {argv[1]!r} for {spec.name}: its events are {available}")
            events = [wanted]
        selected.append((spec, events))
    return selected


def _invoke(spec: FunctionSpec, events: list[str], environment: dict[str, str], workdir: Path) -> list[dict[str, Any]]:
    results_path = workdir / f"{spec.name}.results.json"
    with (LOG_DIR / f"{spec.name}.log").open("w") as log:
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
        return [{"event": event, "ok": False, "error": f"the runner crashed: see {log.name}"} for event in events]
    results: list[dict[str, Any]] = json.loads(results_path.read_text())
    return results


def _describe(spec: FunctionSpec, result: dict[str, Any]) -> str:
    mark = "ok  " if result["ok"] else "FAIL"
    if "error" in result:
        outcome = f"raised {result['error']}"
    else:
        outcome = f"returned {json.dumps(result['response'], default=str)}"
    if len(outcome) > 160:
        outcome = outcome[:157] + "..."
    line = f"{mark} {spec.name:<14} {Path(result['event']).name:<28} {outcome}"
    if not result["ok"] and "traceback" in result:
        line += "\n" + result["traceback"]
    return line


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
