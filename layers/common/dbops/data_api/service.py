"""Run catalogue queries and the maintenance job through the Data API: bind, page, execute, shape the result.

Reads are paged by the catalogue's pagination; a page whose result exceeds the Data API's 1 MiB response
limit is fetched again at half the rows (its cursor then starts the next page where it ended), so nothing is
ever truncated silently. Writes run in a transaction, which makes a write whose outcome is unknown safe to run
again: the transaction is rolled back and replayed from the start (a failed commit is never replayed).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dbops.errors import ConfigurationError, QueryRequestError, ResultTooLargeError
from dbops.queries import pagination
from dbops.queries.catalogue import Catalogue, Query

if TYPE_CHECKING:
    from dbops.aws.data_api import DataApi, Transaction
    from dbops.queries.requests import QueryRequest
    from dbops.queries.responses import QueryResult, ReadResult, WriteResult

type Statements = list[tuple[str, dict[str, Any]]]


def run(catalogue: Catalogue, request: QueryRequest, *, data_api: DataApi) -> QueryResult:
    """Run ``request``'s query: a read a page at a time, a write in one transaction.

    Raises UnknownQueryError, QueryRequestError and its subclasses before calling the Data API.
    """
    query = catalogue.query(request.query)
    if query.reads:
        page = pagination.page(query, request.params, cursor=request.cursor, limit=request.limit)
        return read_page(page, data_api=data_api)
    if request.cursor is not None or request.limit is not None:
        raise QueryRequestError(f"query {query.name!r} is a write: it takes no 'cursor' or 'limit'")
    statements = _statements(query, query.bind(request.params))
    return {"affected": data_api.run_in_transaction(lambda transaction: _write(transaction, statements))}


def read_page(page: pagination.Page, *, data_api: DataApi) -> ReadResult:
    """Fetch one page; when its result is over the response limit, fetch half as many rows until it fits."""
    while True:
        sql, arguments = page.named_style()
        try:
            rows = data_api.query(sql, arguments)
        except ResultTooLargeError:
            if page.limit == 1:
                raise ResultTooLargeError(
                    f"one row of query {page.query.name!r} is larger than the Data API's 1 MiB response limit: "
                    "select fewer or smaller columns"
                ) from None
            page = dataclasses.replace(page, limit=page.limit // 2)
            continue
        return page.result(rows)


def check_job(catalogue: Catalogue, names: Sequence[str]) -> list[Query]:
    """The maintenance job's queries: writes of the catalogue that need no parameter (checked at cold start)."""
    queries = []
    for name in names:
        if name not in catalogue.queries:
            raise ConfigurationError(
                f"DATA_API_MAINTENANCE_QUERIES names {name!r}, which is not in the catalogue: fix one or the other"
            )
        query = catalogue.queries[name]
        if query.reads or any(not spec.has_default and not spec.nullable for spec in query.parameters.values()):
            raise ConfigurationError(
                f"DATA_API_MAINTENANCE_QUERIES names {name!r}: a maintenance query must be a write whose "
                "parameters all have defaults"
            )
        queries.append(query)
    return queries


def run_job(queries: Sequence[Query], *, data_api: DataApi) -> WriteResult:
    """Run the maintenance job's queries, in order, in one transaction; return the rows they changed."""
    statements = [statement for query in queries for statement in _statements(query, query.bind({}))]
    if not statements:
        return {"affected": 0}
    return {"affected": data_api.run_in_transaction(lambda transaction: _write(transaction, statements))}


def _statements(query: Query, values: dict[str, Any]) -> Statements:
    return [statement.named_style(values) for statement in query.statements]


def _write(transaction: Transaction, statements: Statements) -> int:
    return sum(transaction.execute(sql, arguments).affected for sql, arguments in statements)
