"""Statements: placeholders found outside literals and comments, values always passed apart from the SQL."""

from __future__ import annotations

import pytest

from dbops.errors import CatalogueError
from dbops.queries.statements import Statement


def test_parse_skips_literals_and_comments_when_finding_placeholders() -> None:
    statement = Statement.parse(
        "probe",
        "SELECT ':not', \"x:no\", `a:b` -- :comment\nFROM t /* :block */ WHERE a = :a AND b = :b # :hash\nORDER BY a",
    )

    assert statement.placeholders == ("a", "b")


def test_format_style_escapes_percent_and_expands_lists_when_rendered_for_pymysql() -> None:
    statement = Statement.parse("probe", "SELECT a FROM t WHERE b LIKE 'x%' AND c IN (:c) AND d = :d ORDER BY a")

    sql, arguments = statement.format_style({"c": (1, 2, 3), "d": "%s"})

    assert sql == "SELECT a FROM t WHERE b LIKE 'x%%' AND c IN (%s, %s, %s) AND d = %s ORDER BY a"
    assert arguments == (1, 2, 3, "%s")


def test_named_style_numbers_list_items_when_rendered_for_the_data_api() -> None:
    statement = Statement.parse("probe", "SELECT a FROM t WHERE c IN (:c) AND d = :d ORDER BY a")

    sql, arguments = statement.named_style({"c": (1, 2), "d": "x"})

    assert sql == "SELECT a FROM t WHERE c IN (:c__0, :c__1) AND d = :d ORDER BY a"
    assert arguments == {"c__0": 1, "c__1": 2, "d": "x"}


def test_parse_keeps_a_repeated_placeholder_when_it_appears_twice() -> None:
    statement = Statement.parse("probe", "UPDATE t SET a = GREATEST(a, :v), b = :v WHERE id = 1")

    assert statement.placeholders == ("v", "v")
    assert statement.format_style({"v": 5})[1] == (5, 5)


def test_parse_drops_a_trailing_semicolon_when_the_statement_ends_with_one() -> None:
    assert Statement.parse("probe", "DELETE FROM t WHERE id = :id;").text == "DELETE FROM t WHERE id = :id"


def test_parse_allows_a_semicolon_inside_a_literal_when_it_is_quoted() -> None:
    assert Statement.parse("probe", "UPDATE t SET note = 'a;b' WHERE id = :id").placeholders == ("id",)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_parse_refuses_an_empty_statement_when_sql_is_missing(text: str | None) -> None:
    with pytest.raises(CatalogueError, match="'sql' must be a non-empty SQL statement"):
        Statement.parse("probe", text)
