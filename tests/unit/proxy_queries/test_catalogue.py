"""The catalogue: the example loads, and every malformed entry fails at load with one message naming it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dbops.errors import CatalogueError, InvalidParameterError, UnknownQueryError
from dbops.queries import catalogue
from dbops.queries.catalogue import Catalogue


def _entry(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "sql": "SELECT id FROM t WHERE id = :id ORDER BY id",
        "params": {"id": {"type": "int", "min": 1}},
    }
    entry.update(overrides)
    return entry


def _load(**overrides: Any) -> Catalogue:
    return Catalogue.from_document({"queries": {"probe": _entry(**overrides)}})


def test_example_catalogue_loads_with_reads_and_writes_when_shipped_in_the_layer() -> None:
    loaded = catalogue.load()

    modes = {query.name: query.mode for query in loaded}
    assert modes["customer_by_id"] == "read"
    assert modes["upsert_customer"] == "write"
    assert len(loaded.query("place_order").statements) == 2
    assert loaded.query("orders_by_customer").keyset == catalogue.Keyset(param="after_id", column="id")


def test_describe_lists_parameters_without_sql_when_catalogue_is_listed() -> None:
    described = catalogue.load().describe()

    by_name = {entry["name"]: entry for entry in described}
    assert [param["name"] for param in by_name["orders_by_customer"]["params"]] == ["customer_id", "statuses"]
    assert by_name["orders_by_customer"]["pagination"] == "keyset"
    assert "SELECT" not in json.dumps(described)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"params": {"id": {"type": "uuid"}}}, "parameter 'id': unknown type 'uuid'"),
        ({"params": {}}, "placeholder :id has no parameter"),
        ({"params": {"id": "int", "other": "str"}}, "parameter 'other' has no placeholder :other"),
        ({"sql": "SELECT id FROM t WHERE id = :id"}, "needs a final ORDER BY"),
        ({"sql": "SELECT id FROM t WHERE id = :id ORDER BY id LIMIT 5"}, "must not end with LIMIT"),
        ({"sql": "SELECT id FROM t WHERE id = :id ORDER BY id FOR UPDATE"}, "takes no locks"),
        ({"sql": "SELECT GET_LOCK('x', 1) FROM t WHERE id = :id ORDER BY id"}, "pin the RDS Proxy session"),
        ({"sql": "SELECT @v := id FROM t WHERE id = :id ORDER BY id"}, "pin the RDS Proxy session"),
        ({"sql": "SELECT id FROM t WHERE id = :id ORDER BY id; DROP TABLE t"}, "one statement per 'sql' item"),
        ({"sql": "SET @x = :id"}, "pin the RDS Proxy session"),
        ({"sql": "DROP TABLE t"}, "must start with one of"),
        ({"sql": "SELECT id /*!50000 , @x := 1 */ FROM t WHERE id = :id ORDER BY id"}, "executable comments"),
        ({"sql": "SELECT id FROM t WHERE id = :id ORDER BY id LOCK IN SHARE MODE"}, "takes no locks"),
        ({"sql": "UPDATE t SET a = 1 WHERE id = :id"}, "a read must be a SELECT"),
        ({"mode": "write", "sql": "SELECT id FROM t WHERE id = :id ORDER BY id"}, "write statement must start"),
        ({"mode": "write", "sql": "DELETE FROM t WHERE id = :id", "page_size": 5}, "'page_size' is for reads"),
        ({"mode": "delete"}, "'mode' must be 'read' or 'write'"),
        ({"page_size": 0}, "'page_size' must be a whole number from 1 to 1000"),
        ({"colour": "red"}, "unknown keys ['colour']"),
        ({"keyset": {"param": "id", "column": "id"}}, "must be a scalar with a default"),
        ({"keyset": {"param": "nope", "column": "id"}}, "keyset param 'nope' is not one of its parameters"),
        ({"params": {"id": {"type": "int", "min": 5, "max": 1}}}, "'min' is greater than 'max'"),
        ({"params": {"id": {"type": "str", "pattern": "("}}}, "not a valid regular expression"),
        ({"params": {"id": {"type": "int", "default": "x"}}}, "its default is not a valid int"),
        ({"params": {"id": {"type": "list", "items": {"type": "list"}}}}, "needs 'items' with a scalar type"),
        ({"params": {"id": {"type": "int", "maxlen": 3}}}, "unknown keys ['maxlen'] for type int"),
    ],
)
def test_load_names_the_entry_and_the_fault_when_an_entry_is_malformed(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(CatalogueError) as raised:
        _load(**overrides)

    assert "catalogue entry 'probe'" in str(raised.value)
    assert message in str(raised.value)


def test_load_refuses_a_name_that_cannot_be_a_url_path_when_an_entry_is_misnamed() -> None:
    with pytest.raises(CatalogueError, match="'Bad Name'"):
        Catalogue.from_document({"queries": {"Bad Name": _entry()}})


@pytest.mark.parametrize("document", [None, [], {"queries": []}, {"queries": {}}])
def test_load_refuses_a_document_when_it_has_no_queries_mapping(document: Any) -> None:
    with pytest.raises(CatalogueError, match="queries"):
        Catalogue.from_document(document)


def test_load_reads_json_when_the_file_ends_in_json(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps({"queries": {"probe": _entry()}}))

    assert catalogue.load(path).query("probe").reads


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("missing.yaml", None, "cannot read the query catalogue"),
        ("broken.yaml", "queries: [unclosed", "is not valid YAML"),
        ("broken.json", "{", "is not valid JSON"),
        ("twice.yaml", "queries:\n  a: {sql: x}\n  a: {sql: y}\n", "gives a twice"),
        ("catalogue.toml", "x = 1", "must end in .yaml, .yml or .json"),
    ],
)
def test_load_says_what_is_wrong_with_the_file_when_it_cannot_be_parsed(
    tmp_path: Path, name: str, text: str | None, message: str
) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text)

    with pytest.raises(CatalogueError, match=message):
        catalogue.load(path)


def test_query_raises_unknown_query_when_the_name_is_not_in_the_catalogue() -> None:
    with pytest.raises(UnknownQueryError, match="no query named 'nope'"):
        catalogue.load().query("nope")


def test_bind_fills_defaults_and_converts_when_parameters_are_valid() -> None:
    query = catalogue.load().query("upsert_customer")

    values = query.bind({"customer_id": 7, "email": "a@example.com", "name": "Ann", "created_on": "2026-11-24"})

    assert values["vip"] is False
    assert str(values["created_on"]) == "2026-11-24"


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({}, "customer_id", "query 'customer_by_id' needs parameter 'customer_id' (int of at least 1)"),
        ({"customer_id": "7"}, "customer_id", "needs parameter 'customer_id' (int"),
        ({"customer_id": 7, "extra": 1}, "extra", "has no parameter 'extra'"),
    ],
)
def test_bind_names_the_parameter_and_its_type_when_a_parameter_is_wrong(
    params: dict[str, Any], parameter: str, message: str
) -> None:
    with pytest.raises(InvalidParameterError) as raised:
        catalogue.load().query("customer_by_id").bind(params)

    assert raised.value.parameter == parameter
    assert message in str(raised.value)


def test_bind_refuses_the_keyset_parameter_when_a_request_sets_it() -> None:
    query = catalogue.load().query("orders_by_customer")

    with pytest.raises(InvalidParameterError, match="the cursor sets it"):
        query.bind({"customer_id": 1, "statuses": ["open"], "after_id": 5})
