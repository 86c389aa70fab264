"""Run one catalogue query on an executor: bind, page, execute, shape the result. No I/O of its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from dbops.errors import QueryRequestError
from dbops.queries import pagination
from dbops.queries.catalogue import Catalogue
from dbops.queries.requests import QueryRequest
from dbops.queries.responses import QueryResult


class Executor(Protocol):
    """Runs rendered SQL (pymysql's ``%s`` style) on a database."""

    def read(self, sql: str, arguments: Sequence[Any]) -> list[dict[str, Any]]: ...

    def write(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> int: ...


def run(catalogue: Catalogue, request: QueryRequest, *, reader: Executor, writer: Executor) -> QueryResult:
    """Run ``request``'s query: reads on ``reader`` a page at a time, writes on ``writer``.

    Raises UnknownQueryError, QueryRequestError and its subclasses before touching the database.
    """
    query = catalogue.query(request.query)
    if query.reads:
        page = pagination.page(query, request.params, cursor=request.cursor, limit=request.limit)
        sql, arguments = page.format_style()
        return page.result(reader.read(sql, arguments))
    if request.cursor is not None or request.limit is not None:
        raise QueryRequestError(f"query {query.name!r} is a write: it takes no 'cursor' or 'limit'")
    values = query.bind(request.params)
    return {"affected": writer.write([statement.format_style(values) for statement in query.statements])}
