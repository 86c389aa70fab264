"""The example catalogue run on the real MariaDB: reads, pages, writes and hostile values."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dbops.errors import InvalidParameterError
from dbops.mysql.session import QuerySession
from dbops.queries import catalogue, service
from dbops.queries.requests import QueryRequest
from dbops.queries.responses import QueryResult
from tests.integration.proxy_queries.shop import Shop

CATALOGUE = catalogue.load()
IDS = itertools.count(1_000)


def _run(session: QuerySession, query: str, params: dict[str, Any], **paging: Any) -> QueryResult:
    return service.run(CATALOGUE, QueryRequest(query, params, **paging), reader=session, writer=session)


def _all_pages(session: QuerySession, query: str, params: dict[str, Any], limit: int) -> list[list[Any]]:
    pages, cursor = [], None
    while True:
        result = _run(session, query, params, cursor=cursor, limit=limit)
        assert "rows" in result
        pages.append([row["id"] for row in result["rows"]])
        cursor = result["next"]
        if cursor is None:
            return pages


def test_read_returns_json_ready_rows_when_the_customer_exists(session: QuerySession) -> None:
    result = _run(session, "customer_by_id", {"customer_id": 1})

    assert result == {
        "rows": [
            {
                "id": 1,
                "email": "ada@example.com",
                "name": "Ada",
                "created_on": "2026-01-05",
                "vip": 1,
                "last_order_at": None,
            }
        ],
        "next": None,
    }


def test_keyset_pages_cover_every_row_once_when_followed_to_the_end(session: QuerySession) -> None:
    for order_id in range(10, 17):
        _run(
            session,
            "place_order",
            {"order_id": order_id, "customer_id": 2, "total": "1.00", "placed_at": "2026-05-01T00:00:00"},
        )

    pages = _all_pages(session, "orders_by_customer", {"customer_id": 2, "statuses": ["open"]}, limit=3)

    assert pages == [[10, 11, 12], [13, 14, 15], [16]]


def test_offset_pages_cover_every_row_once_when_followed_to_the_end(session: QuerySession) -> None:
    for customer_id in range(20, 25):
        _run(
            session,
            "upsert_customer",
            {"customer_id": customer_id, "email": f"c{customer_id}@x", "name": "C", "created_on": "2026-06-01"},
        )

    pages = _all_pages(session, "customers_created_between", {"since": "2026-01-01", "until": "2026-12-31"}, limit=2)

    assert pages == [[1, 2], [20, 21], [22, 23], [24]]


def test_write_reports_rows_changed_once_when_replayed(session: QuerySession, shop: Shop) -> None:
    params = {"order_id": 50, "customer_id": 1, "total": "12.34", "placed_at": "2026-11-24T18:00:00+01:00"}

    first = _run(session, "place_order", params)
    replay = _run(session, "place_order", params)

    assert first == {"affected": 2}
    assert replay == {"affected": 0}
    assert shop.fetch("SELECT COUNT(*), MAX(total) FROM orders WHERE id = 50")[0][0] == 1
    assert str(shop.fetch("SELECT last_order_at FROM customers WHERE id = 1")[0][0]) == "2026-11-24 17:00:00"


def test_list_parameter_matches_each_item_when_several_are_given(session: QuerySession) -> None:
    result = _run(session, "orders_by_customer", {"customer_id": 1, "statuses": ["paid", "open"]})

    assert "rows" in result
    assert [(row["id"], row["status"], row["total"]) for row in result["rows"]] == [
        (1, "paid", "19.99"),
        (2, "open", "5.00"),
    ]


HOSTILE = st.one_of(
    st.sampled_from(
        ["' OR '1'='1", "x'); DROP TABLE customers; --", "\\", "\\'", "%s", "%(name)s", ":email", "`", "/*", "\x1a"]
    ),
    st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=80),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=HOSTILE, local=HOSTILE.filter(lambda text: "@" not in text and not any(c.isspace() for c in text)))
def test_hostile_strings_are_stored_verbatim_and_change_nothing_else(
    session: QuerySession, shop: Shop, name: str, local: str
) -> None:
    customer_id = next(IDS)
    email = f"{local[:120]}@example.com"
    before = shop.fetch("SELECT COUNT(*) FROM customers")[0][0]

    try:
        _run(
            session,
            "upsert_customer",
            {"customer_id": customer_id, "email": email, "name": name, "created_on": "2026-01-01"},
        )
    except InvalidParameterError:
        return  # refused before any SQL ran (too long, say)

    result = _run(session, "customer_by_id", {"customer_id": customer_id})
    assert "rows" in result
    assert [(row["email"], row["name"]) for row in result["rows"]] == [(email, name)]
    assert shop.fetch("SELECT COUNT(*) FROM customers")[0][0] == before + 1
    assert shop.fetch("SELECT COUNT(*) FROM orders")[0][0] >= 2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.one_of(HOSTILE, st.integers(), st.floats(), st.booleans(), st.none(), st.lists(st.integers(), max_size=3))
)
def test_hostile_values_of_any_type_in_a_read_return_nothing_extra(session: QuerySession, value: Any) -> None:
    try:
        result = _run(session, "customer_by_id", {"customer_id": value})
    except InvalidParameterError:
        return

    assert "rows" in result
    assert len(result["rows"]) <= 1
    assert all(row["id"] == value for row in result["rows"])


@pytest.mark.parametrize("statuses", [["open') OR ('1'='1"], ["open", "paid' --"]])
def test_hostile_list_items_are_refused_when_they_break_the_pattern(session: QuerySession, statuses: list[str]) -> None:
    with pytest.raises(InvalidParameterError, match="statuses"):
        _run(session, "orders_by_customer", {"customer_id": 1, "statuses": statuses})
