"""Run one function's handler in this process on sample events, as Lambda would, and report each result.

The local runner starts one such process per function with the environment the template gives it, so each
function has its own cold start, settings and clients. Usage: python -m tools.invoke NAME RESULTS EVENT...
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from tools.events import load_event
from tools.lambda_context import LocalLambdaContext
from tools.template import functions, load_template

# Sample events named invalid_*.json show how bad input is refused: an error raised or a 4xx response.
REFUSED_PREFIX = "invalid_"


def main(argv: list[str]) -> int:
    """Invoke the function on each event; write one JSON result per event to the results file."""
    name, results_path, *events = argv
    # Lambda's runtime sets the root logger to the function's ApplicationLogLevel: so do we.
    logging.basicConfig(level=os.environ.get("AWS_LAMBDA_LOG_LEVEL", "INFO"))
    spec = next(spec for spec in functions(load_template()) if spec.name == name)
    sys.path.insert(0, str(spec.code_dir))
    handler = getattr(importlib.import_module(spec.handler_module), spec.handler_function)
    results = []
    for event_path in events:
        context = LocalLambdaContext(function_name=f"dbops-local-{name}", timeout_seconds=spec.timeout)
        expect_refusal = Path(event_path).name.startswith(REFUSED_PREFIX)
        try:
            response = handler(load_event(event_path), context)
        except Exception as error:  # noqa: BLE001 - the runner reports every failure, it handles none
            results.append(_result(event_path, ok=expect_refusal, error=error))
            continue
        refused = isinstance(response, dict) and int(response.get("statusCode", 200)) >= 400
        results.append(_result(event_path, ok=refused == expect_refusal, response=response))
    Path(results_path).write_text(json.dumps(results))
    return 0


def _result(event_path: str, *, ok: bool, response: Any = None, error: BaseException | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"event": event_path, "ok": ok}
    if error is not None:
        result["error"] = f"{type(error).__name__}: {error}"
        if not ok:
            result["traceback"] = "".join(traceback.format_exception(error))
    else:
        result["response"] = response
    return result


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
