"""Injection: no value a request sends, however hostile, changes the SQL text; values only ever travel bound."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from dbops.errors import InvalidParameterError
from dbops.queries import catalogue

CATALOGUE = catalogue.load()
HOSTILE = st.one_of(
    st.sampled_from(["' OR '1'='1", "1; DROP TABLE customers; --", "%s", "%(x)s", ":customer_id", "\\'", "`", "/*"]),
    st.text(),
)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | HOSTILE,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=5,
)


def _sql_or_refusal(name: str, params: dict[str, Any]) -> str | None:
    query = CATALOGUE.query(name)
    try:
        values = query.bind(params)
    except InvalidParameterError:
        return None
    return query.statement.format_style(values)[0]


@given(email=HOSTILE, name=HOSTILE)
def test_write_sql_is_the_catalogues_when_strings_are_hostile(email: str, name: str) -> None:
    params = {"customer_id": 1, "email": email, "name": name, "created_on": "2026-01-01"}
    benign = {**params, "email": "a@b", "name": "n"}

    sql = _sql_or_refusal("upsert_customer", params)

    assert sql is None or sql == _sql_or_refusal("upsert_customer", benign)


@given(statuses=st.lists(HOSTILE, min_size=1, max_size=4))
def test_list_sql_depends_only_on_the_item_count_when_items_are_hostile(statuses: list[str]) -> None:
    query = CATALOGUE.query("orders_by_customer")
    try:
        values = query.bind({"customer_id": 1, "statuses": statuses})
    except InvalidParameterError:
        return

    sql, arguments = query.statement.format_style(values)

    assert sql.count("%s") == len(arguments) == len(statuses) + 2
    assert all(status not in sql for status in statuses if len(status) > 3)


@given(params=st.dictionaries(st.sampled_from(["customer_id", "statuses", "after_id", "x"]), ANY_JSON))
def test_bind_accepts_only_declared_types_when_values_are_arbitrary_json(params: dict[str, Any]) -> None:
    query = CATALOGUE.query("orders_by_customer")
    try:
        values = query.bind(params)
    except InvalidParameterError:
        return

    assert type(values["customer_id"]) is int
    assert all(type(status) is str for status in values["statuses"])
    assert set(values) == {"customer_id", "statuses", "after_id"}
