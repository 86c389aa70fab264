"""The query catalogue: named, parameterised SQL the operator owns, validated whole at cold start.

A YAML (or JSON) document::

    queries:
      customer_by_id:
        description: One customer by id.
        mode: read                      # read (default) or write
        sql: SELECT id, name FROM customers WHERE id = :customer_id ORDER BY id
        params:
          customer_id: {type: int, min: 1}
        page_size: 1                    # reads: the most rows one page returns (default 100)
      orders_after:
        sql: SELECT id, total FROM orders WHERE customer_id = :customer_id AND id > :after ORDER BY id
        params: {customer_id: {type: int, min: 1}, after: {type: int, default: 0}}
        keyset: {param: after, column: id}   # reads: page by key, the cursor fills 'after'
      rename_customer:
        mode: write
        sql: [UPDATE customers SET name = :name WHERE id = :customer_id]   # several run in one transaction
        params: {customer_id: {type: int, min: 1}, name: {type: str, max_length: 80}}

Parameter types: int (min, max), str (max_length, min_length, pattern), decimal (digits, places, min, max),
date (min, max), datetime, bool, list (items, max_items) for ``IN (:ids)``; any may have a description,
a default (which makes it optional) and ``nullable: true``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from dbops.errors import CatalogueError, InvalidParameterError, UnknownQueryError
from dbops.queries.parameters import ListType, Parameter, parameter
from dbops.queries.statements import Statement

# The example catalogue shipped in the layer; QUERY_CATALOGUE points elsewhere.
DEFAULT_PATH = Path(__file__).with_name("catalogue.yaml")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1_000
NAME_PATTERN = r"[a-z][a-z0-9_]{0,63}"
_ENTRY_KEYS = {"description", "mode", "sql", "params", "page_size", "keyset"}

type Mode = Literal["read", "write"]


@dataclass(frozen=True)
class Keyset:
    """Keyset pagination: the cursor carries the last row's ``column`` into parameter ``param``."""

    param: str
    column: str


@dataclass(frozen=True)
class Query:
    """One catalogue entry."""

    name: str
    mode: Mode
    statements: tuple[Statement, ...]
    parameters: Mapping[str, Parameter]
    description: str = ""
    page_size: int = DEFAULT_PAGE_SIZE
    keyset: Keyset | None = None

    @property
    def reads(self) -> bool:
        """Whether the query only reads (so it may go to a read-only endpoint and be retried)."""
        return self.mode == "read"

    @property
    def statement(self) -> Statement:
        """The first (for a read, the only) statement."""
        return self.statements[0]

    @property
    def request_parameters(self) -> dict[str, Parameter]:
        """The parameters a request may give: all but the one the keyset cursor fills."""
        hidden = self.keyset.param if self.keyset else None
        return {name: spec for name, spec in self.parameters.items() if name != hidden}

    def bind(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """Check a request's parameters and return every parameter's bindable value (defaults filled in).

        Raises InvalidParameterError naming the first missing, unknown or ill-typed parameter.
        """
        params = {} if params is None else params
        if not isinstance(params, Mapping):
            raise InvalidParameterError(
                f"query {self.name!r} takes its parameters as a JSON object of name to value",
                query=self.name,
                parameter="params",
                expected="object",
            )
        accepted = self.request_parameters
        for name in params:
            if name not in accepted:
                cursor_hint = (
                    " (the cursor sets it: pass 'cursor')" if self.keyset and name == self.keyset.param else ""
                )
                known = ", ".join(accepted) or "none"
                raise InvalidParameterError(
                    f"query {self.name!r} has no parameter {str(name)[:64]!r}{cursor_hint}; its parameters: {known}",
                    query=self.name,
                    parameter=str(name)[:64],
                )
        values: dict[str, Any] = {}
        for name, spec in self.parameters.items():
            if name in params:
                values[name] = spec.convert(params[name], query=self.name)
            elif spec.has_default or spec.nullable:
                values[name] = spec.default
            else:
                raise InvalidParameterError(
                    f"query {self.name!r} needs parameter {name!r} ({spec.type.expected()})",
                    query=self.name,
                    parameter=name,
                    expected=spec.type.expected(),
                )
        return values

    def describe(self) -> dict[str, Any]:
        """The entry as JSON for ``GET /queries``: name, mode, description, parameters; never the SQL."""
        described: dict[str, Any] = {
            "name": self.name,
            "mode": self.mode,
            "description": self.description,
            "params": [spec.describe() for spec in self.request_parameters.values()],
        }
        if self.reads:
            described["page_size"] = self.page_size
            described["pagination"] = "keyset" if self.keyset else "offset"
        return described


@dataclass(frozen=True)
class Catalogue:
    """Every named query, by name."""

    queries: Mapping[str, Query] = field(default_factory=dict)

    def query(self, name: str) -> Query:
        """The query called ``name``; raises UnknownQueryError when there is none."""
        if not isinstance(name, str) or name not in self.queries:
            raise UnknownQueryError(str(name)[:64])
        return self.queries[name]

    def __iter__(self) -> Iterator[Query]:
        """The queries, sorted by name."""
        return iter(sorted(self.queries.values(), key=lambda query: query.name))

    def describe(self) -> list[dict[str, Any]]:
        """Every query's description, sorted by name."""
        return [query.describe() for query in self]

    @classmethod
    def from_document(cls, document: Any) -> Catalogue:
        """Build the catalogue from its parsed document; raise CatalogueError naming the first bad entry."""
        if not isinstance(document, Mapping) or not isinstance(document.get("queries"), Mapping):
            raise CatalogueError("the query catalogue must be a mapping with a 'queries' mapping of name to entry")
        queries = {name: _entry(name, entry) for name, entry in document["queries"].items()}
        if not queries:
            raise CatalogueError("the query catalogue has no queries")
        return cls(queries=queries)


def load(path: str | Path = DEFAULT_PATH) -> Catalogue:
    """Read and validate the catalogue at ``path`` (``.yaml``/``.yml`` or ``.json``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogueError(f"cannot read the query catalogue {str(path)!r}: {error.strerror}") from error
    if path.suffix.lower() == ".json":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise CatalogueError(f"the query catalogue {str(path)!r} is not valid JSON: {error}") from error
    elif path.suffix.lower() in {".yaml", ".yml"}:
        document = _yaml(path, text)
    else:
        raise CatalogueError(f"the query catalogue {str(path)!r} must end in .yaml, .yml or .json")
    return Catalogue.from_document(document)


def _yaml(path: Path, text: str) -> Any:
    import yaml  # only catalogues written in YAML need PyYAML

    class UniqueKeyLoader(yaml.SafeLoader):
        """PyYAML's safe loader, refusing a key given twice (it would silently keep the last)."""

    def mapping(loader: UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
        keys = [loader.construct_object(key, deep=True) for key, _ in node.value]
        repeated = sorted({str(key) for key in keys if keys.count(key) > 1})
        if repeated:
            raise CatalogueError(
                f"the query catalogue {str(path)!r} gives {', '.join(repeated)} twice (line {node.start_mark.line + 1})"
            )
        return dict(loader.construct_pairs(node, deep=True))

    UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise CatalogueError(f"the query catalogue {str(path)!r} is not valid YAML: {error}") from error


def _entry(name: Any, entry: Any) -> Query:
    if not isinstance(name, str) or not re.fullmatch(NAME_PATTERN, name):
        raise CatalogueError(f"catalogue entry {name!r}: a name is lower-case letters, digits and '_' ({NAME_PATTERN})")
    where = f"catalogue entry {name!r}"
    if not isinstance(entry, Mapping):
        raise CatalogueError(f"{where}: must be a mapping with 'sql' and 'params'")
    unknown = set(entry) - _ENTRY_KEYS
    if unknown:
        raise CatalogueError(f"{where}: unknown keys {sorted(unknown)}; an entry has {sorted(_ENTRY_KEYS)}")
    mode = entry.get("mode", "read")
    if mode not in ("read", "write"):
        raise CatalogueError(f"{where}: 'mode' must be 'read' or 'write', not {mode!r}")
    description = entry.get("description", "")
    if not isinstance(description, str):
        raise CatalogueError(f"{where}: 'description' must be text")

    raw_sql = entry.get("sql")
    sql_items: list[Any] = raw_sql if isinstance(raw_sql, list) else [raw_sql]
    if not sql_items:
        raise CatalogueError(f"{where}: 'sql' must be a statement or, for a write, a list of statements")
    statements = tuple(Statement.parse(name, text) for text in sql_items)

    raw_params = entry.get("params") or {}
    if not isinstance(raw_params, Mapping):
        raise CatalogueError(f"{where}: 'params' must be a mapping of parameter name to type")
    parameters = {param_name: parameter(name, param_name, spec) for param_name, spec in raw_params.items()}

    used = {placeholder for statement in statements for placeholder in statement.placeholders}
    undeclared = sorted(used - set(parameters))
    if undeclared:
        raise CatalogueError(f"{where}: placeholder :{undeclared[0]} has no parameter: declare it under 'params'")
    unused = sorted(set(parameters) - used)
    if unused:
        raise CatalogueError(f"{where}: parameter {unused[0]!r} has no placeholder :{unused[0]} in its SQL")

    if mode == "write":
        for key in ("page_size", "keyset"):
            if key in entry:
                raise CatalogueError(f"{where}: {key!r} is for reads only")
        for statement in statements:
            statement.check_write(name)
        return Query(
            name=name, mode="write", statements=statements, parameters=parameters, description=description.strip()
        )

    if len(statements) != 1:
        raise CatalogueError(f"{where}: a read is one statement")
    statements[0].check_read(name)
    page_size = entry.get("page_size", DEFAULT_PAGE_SIZE)
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CatalogueError(f"{where}: 'page_size' must be a whole number from 1 to {MAX_PAGE_SIZE}")
    return Query(
        name=name,
        mode="read",
        statements=statements,
        parameters=parameters,
        description=description.strip(),
        page_size=page_size,
        keyset=_keyset(where, entry.get("keyset"), parameters),
    )


def _keyset(where: str, raw: Any, parameters: Mapping[str, Parameter]) -> Keyset | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) != {"param", "column"}:
        raise CatalogueError(f"{where}: 'keyset' must be a mapping with 'param' and 'column'")
    param, column = raw["param"], raw["column"]
    if param not in parameters:
        raise CatalogueError(f"{where}: keyset param {param!r} is not one of its parameters")
    spec = parameters[param]
    if isinstance(spec.type, ListType) or not spec.has_default:
        raise CatalogueError(f"{where}: keyset param {param!r} must be a scalar with a default (the first page's)")
    if not isinstance(column, str) or not column:
        raise CatalogueError(f"{where}: keyset 'column' must name a column of the result")
    return Keyset(param=param, column=column)
