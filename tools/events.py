"""Sample events: one set under events/<function>/, shared by sam local invoke, the local runner and tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVENTS_DIR = ROOT / "events"


def load_event(relative_path: str) -> dict[str, Any]:
    """Read ``events/<relative_path>`` (for example ``"ttl_archive/ttl_expired.json"``) as a dict."""
    path = EVENTS_DIR / relative_path
    if not path.is_file():
        raise FileNotFoundError(f"no sample event {relative_path!r}: {', '.join(sample_events()) or 'none'} exist")
    event: dict[str, Any] = json.loads(path.read_text())
    return event


def sample_events(function_name: str | None = None) -> list[str]:
    """The sample events' relative paths, of one function or of all, sorted."""
    pattern = f"{function_name}/*.json" if function_name else "*/*.json"
    return sorted(str(path.relative_to(EVENTS_DIR)) for path in EVENTS_DIR.glob(pattern))
