"""Pages: offset and keyset cursors round-trip, are bound to their query and parameters, and refuse damage."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

import pytest

from dbops.errors import InvalidCursorError, QueryRequestError
from dbops.queries import catalogue, pagination
from dbops.queries.catalogue import Catalogue, Query

CATALOGUE = catalogue.load()
BETWEEN = {"since": "2026-01-01", "until": "2026-12-31"}
ORDERS = {"customer_id": 1, "statuses": ["open", "paid"]}


def _rows(*ids: int) -> list[dict[str, Any]]:
    return [{"id": row_id, "total": decimal.Decimal("1.50")} for row_id in ids]


def test_first_page_fetches_one_row_more_than_the_limit_when_no_cursor_is_given() -> None:
    page = pagination.page(CATALOGUE.query("customers_created_between"), BETWEEN, cursor=None, limit=2)

    sql, arguments = page.format_style()

    assert sql.endswith("ORDER BY created_on, id\nLIMIT 3")
    assert arguments == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def test_offset_cursor_moves_the_window_when_the_next_page_is_asked() -> None:
    query = CATALOGUE.query("customers_created_between")
    first = pagination.page(query, BETWEEN, cursor=None, limit=2).result(_rows(1, 2, 3))

    second = pagination.page(query, BETWEEN, cursor=first["next"], limit=2)

    assert [row["id"] for row in first["rows"]] == [1, 2]
    assert second.format_style()[0].endswith("LIMIT 3 OFFSET 2")


def test_keyset_cursor_sets_the_key_parameter_when_the_next_page_is_asked() -> None:
    query = CATALOGUE.query("orders_by_customer")
    first = pagination.page(query, ORDERS, cursor=None, limit=2).result(_rows(10, 20, 30))

    second = pagination.page(query, ORDERS, cursor=first["next"], limit=2)

    assert second.values["after_id"] == 20
    assert second.format_style() == (
        "SELECT id, customer_id, status, total, placed_at FROM orders WHERE customer_id = %s AND status IN (%s, %s) "
        "AND id > %s ORDER BY id\nLIMIT 3",
        (1, "open", "paid", 20),
    )


def test_result_has_no_next_cursor_when_the_last_page_is_short() -> None:
    page = pagination.page(CATALOGUE.query("orders_by_customer"), ORDERS, cursor=None, limit=2)

    result = page.result(_rows(10, 20))

    assert result == {"rows": [{"id": 10, "total": "1.50"}, {"id": 20, "total": "1.50"}], "next": None}


def test_cursor_is_refused_when_the_parameters_differ_from_the_first_page() -> None:
    query = CATALOGUE.query("orders_by_customer")
    first = pagination.page(query, ORDERS, cursor=None, limit=1).result(_rows(10, 20))

    with pytest.raises(InvalidCursorError, match="same parameters"):
        pagination.page(query, {**ORDERS, "customer_id": 2}, cursor=first["next"], limit=1)


def test_cursor_is_refused_when_it_belongs_to_another_query() -> None:
    first = pagination.page(CATALOGUE.query("orders_by_customer"), ORDERS, cursor=None, limit=1).result(_rows(1, 2))

    with pytest.raises(InvalidCursorError):
        pagination.page(CATALOGUE.query("customers_created_between"), BETWEEN, cursor=first["next"], limit=1)


@pytest.mark.parametrize("cursor", ["!!!", "bm90IGpzb24", "WzFd", "eyJ2IjoxfQ"])
def test_cursor_is_refused_as_damaged_when_it_does_not_decode(cursor: str) -> None:
    with pytest.raises(InvalidCursorError):
        pagination.page(CATALOGUE.query("customers_created_between"), BETWEEN, cursor=cursor, limit=1)


def test_keyset_cursor_is_refused_when_its_key_is_not_of_the_parameters_type() -> None:
    query = CATALOGUE.query("orders_by_customer")
    page = pagination.page(query, ORDERS, cursor=None, limit=1)
    tampered = pagination._encode({"v": 1, "q": query.name, "d": page.digest, "k": "1 OR 1=1"})

    with pytest.raises(InvalidCursorError, match="damaged"):
        pagination.page(query, ORDERS, cursor=tampered, limit=1)


@pytest.mark.parametrize("limit", [0, 101])
def test_page_refuses_a_limit_when_it_is_outside_the_page_size(limit: int) -> None:
    with pytest.raises(QueryRequestError, match="from 1 to 100"):
        pagination.page(CATALOGUE.query("orders_by_customer"), ORDERS, cursor=None, limit=limit)


def test_result_names_the_entry_when_the_keyset_column_is_missing_from_rows() -> None:
    query: Query = Catalogue.from_document(
        {
            "queries": {
                "probe": {
                    "sql": "SELECT id AS k FROM t WHERE id > :after ORDER BY id",
                    "params": {"after": {"type": "int", "default": 0}},
                    "keyset": {"param": "after", "column": "id"},
                }
            }
        }
    ).query("probe")
    page = pagination.page(query, {}, cursor=None, limit=1)

    with pytest.raises(catalogue.CatalogueError, match="keyset column 'id' is not in its result"):
        page.result([{"k": 1}, {"k": 2}])
