"""Pages of a read: keyset when the catalogue entry says so, else an offset; both behind an opaque cursor.

Keyset pages (``WHERE id > :after ORDER BY id``) cost the same however deep the reader goes and neither skip
nor repeat rows when others insert meanwhile; the cursor carries the last row's key. Any other read is paged
by offset (``LIMIT n OFFSET m`` after its ORDER BY), which works for every query but costs more per page as
the offset grows. Either way the cursor is bound to the query and its parameters, so it cannot be replayed
against other ones, and one extra row is fetched to know whether a next page exists.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dbops.errors import CatalogueError, InvalidCursorError, InvalidParameterError, QueryRequestError
from dbops.queries.catalogue import Query
from dbops.queries.encoding import JSONValue, json_row, json_value
from dbops.queries.responses import ReadResult

CURSOR_VERSION = 1
MAX_OFFSET = 2**53


@dataclass(frozen=True)
class Page:
    """One page of a read: every parameter bound, and the window to fetch."""

    query: Query
    values: Mapping[str, Any]
    limit: int
    offset: int
    digest: str

    @property
    def suffix(self) -> str:
        """The LIMIT clause (one row more than the page, to see whether another follows); numbers only."""
        window = f"\nLIMIT {self.limit + 1}"
        return window + (f" OFFSET {self.offset}" if self.offset else "")

    def format_style(self) -> tuple[str, tuple[Any, ...]]:
        """The page's SQL with ``%s`` marks (pymysql) and its arguments."""
        return self.query.statement.format_style(self.values, suffix=self.suffix)

    def named_style(self) -> tuple[str, dict[str, Any]]:
        """The page's SQL with ``:name`` marks (RDS Data API) and its arguments."""
        return self.query.statement.named_style(self.values, suffix=self.suffix)

    def result(self, rows: Sequence[Mapping[str, Any]]) -> ReadResult:
        """The page's response: at most ``limit`` rows as JSON, and the cursor of the next page or None."""
        shown = [json_row(row) for row in rows[: self.limit]]
        if len(rows) <= self.limit:
            return {"rows": shown, "next": None}
        payload: dict[str, JSONValue] = {"v": CURSOR_VERSION, "q": self.query.name, "d": self.digest}
        if self.query.keyset is not None:
            column = self.query.keyset.column
            if column not in rows[self.limit - 1]:
                raise CatalogueError(
                    f"catalogue entry {self.query.name!r}: keyset column {column!r} is not in its result"
                )
            payload["k"] = json_value(rows[self.limit - 1][column])
        else:
            payload["o"] = self.offset + self.limit
        return {"rows": shown, "next": _encode(payload)}


def page(query: Query, params: Mapping[str, Any] | None, *, cursor: str | None, limit: int | None) -> Page:
    """Bind a read's parameters and decode its cursor into the page to fetch.

    Raises InvalidParameterError, InvalidCursorError or QueryRequestError (all HTTP 400).
    """
    values = query.bind(params)
    if limit is None:
        limit = query.page_size
    if not 1 <= limit <= query.page_size:
        raise QueryRequestError(f"'limit' for query {query.name!r} must be from 1 to {query.page_size}")
    digest = _digest(query, values)
    if cursor is None:
        return Page(query=query, values=values, limit=limit, offset=0, digest=digest)
    payload = _decode(cursor)
    if payload.get("v") != CURSOR_VERSION or payload.get("q") != query.name or payload.get("d") != digest:
        raise InvalidCursorError(
            f"the cursor belongs to another query or other parameters: send query {query.name!r} the same "
            "parameters as for its first page, or no cursor"
        )
    if query.keyset is not None:
        if "k" not in payload:
            raise InvalidCursorError("the cursor is not one this query returned: start again without a cursor")
        spec = query.parameters[query.keyset.param]
        try:
            key = spec.convert(payload["k"], query=query.name)
        except InvalidParameterError:
            raise InvalidCursorError("the cursor is damaged: start again without a cursor") from None
        return Page(query=query, values={**values, query.keyset.param: key}, limit=limit, offset=0, digest=digest)
    offset = payload.get("o")
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise InvalidCursorError("the cursor is damaged: start again without a cursor")
    return Page(query=query, values=values, limit=limit, offset=offset, digest=digest)


def _digest(query: Query, values: Mapping[str, Any]) -> str:
    hidden = query.keyset.param if query.keyset else None
    shown = {name: json_value(value) for name, value in values.items() if name != hidden}
    canonical = json.dumps([query.name, shown], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _encode(payload: Mapping[str, JSONValue]) -> str:
    text = json.dumps(payload, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(text.encode()).decode("ascii").rstrip("=")


def _decode(cursor: str) -> dict[str, Any]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(text)
    except (binascii.Error, ValueError):
        raise InvalidCursorError("the cursor is damaged: start again without a cursor") from None
    if not isinstance(payload, dict):
        raise InvalidCursorError("the cursor is damaged: start again without a cursor")
    return payload
