"""A local RDS Data API: the service's REST/JSON wire protocol, with the SQL run on a real MariaDB.

moto's rds-data answers with canned rows and has no batches or transactions, so it proves nothing about SQL.
This server answers what boto3 sends when pointed at it (``endpoint_url`` or ``AWS_ENDPOINT_URL_RDS_DATA``):
``POST /Execute``, ``/BatchExecute``, ``/BeginTransaction``, ``/CommitTransaction``, ``/RollbackTransaction``
with the shapes of botocore's rds-data service model, and it runs every statement on MariaDB:

- ``:name`` parameters bound as values (never spliced into SQL), typed from the Field and its ``typeHint``;
- results as typed Fields with ``columnMetadata`` shaped as Aurora MySQL's, or ``formatRecordsAs=JSON`` (which,
  as in the service, comes without columnMetadata and may reach 10 MB instead of 1 MiB);
- transactions on a MariaDB connection of their own per transaction id, ended after 3 minutes idle;
- errors as the documented types (``x-amzn-ErrorType``): DatabaseErrorException carrying the MySQL code as
  Aurora MySQL writes it, TransactionNotFoundException, SecretsErrorException,
  HttpEndpointNotEnabledException,
  BadRequestException for a result over the 1 MiB response limit or a request over 4 MiB,
  StatementTimeoutException past 45 s; ``inject`` makes the next calls fail (a resuming cluster, throttling).

The database login comes from the secret the request names, read through ``secrets`` (Secrets Manager on
moto in the local stack and tests). Where it differs from the real service is listed in the README.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import re
import secrets as random_tokens
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pymysql
import pymysql.charset
import pymysql.converters
from pymysql.constants import FIELD_TYPE, FLAG

if TYPE_CHECKING:
    from pymysql.protocol import FieldDescriptorPacket

    from tools.mariadb import MariaDB

RESPONSE_LIMIT_BYTES = 1024 * 1024
JSON_RECORDS_LIMIT_BYTES = 10 * 1000 * 1000
REQUEST_LIMIT_BYTES = 4 * 1024 * 1024
STATEMENT_TIMEOUT_SECONDS = 45
TRANSACTION_IDLE_SECONDS = 180.0
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1

# Numbers decoded by pymysql; every other column stays the text MySQL sent (DECIMAL digits, DATETIME, TIME)
# or bytes (binary columns), which is what the Data API passes on.
_DECODERS: dict[Any, Any] = {
    **pymysql.converters.encoders,
    FIELD_TYPE.TINY: int,
    FIELD_TYPE.SHORT: int,
    FIELD_TYPE.LONG: int,
    FIELD_TYPE.INT24: int,
    FIELD_TYPE.LONGLONG: int,
    FIELD_TYPE.YEAR: int,
    FIELD_TYPE.FLOAT: float,
    FIELD_TYPE.DOUBLE: float,
}
_INTEGERS = {
    FIELD_TYPE.TINY: ("TINYINT", -6),
    FIELD_TYPE.SHORT: ("SMALLINT", 5),
    FIELD_TYPE.INT24: ("MEDIUMINT", 4),
    FIELD_TYPE.LONG: ("INT", 4),
    FIELD_TYPE.LONGLONG: ("BIGINT", -5),
}
_TEXTUAL = {
    FIELD_TYPE.DECIMAL: ("DECIMAL", 3),
    FIELD_TYPE.NEWDECIMAL: ("DECIMAL", 3),
    FIELD_TYPE.DATE: ("DATE", 91),
    FIELD_TYPE.NEWDATE: ("DATE", 91),
    FIELD_TYPE.TIME: ("TIME", 92),
    FIELD_TYPE.DATETIME: ("DATETIME", 93),
    FIELD_TYPE.TIMESTAMP: ("TIMESTAMP", 93),
    FIELD_TYPE.YEAR: ("YEAR", 91),
    FIELD_TYPE.JSON: ("JSON", -1),
}
_BLOBS = {FIELD_TYPE.TINY_BLOB, FIELD_TYPE.MEDIUM_BLOB, FIELD_TYPE.LONG_BLOB, FIELD_TYPE.BLOB}
_BINARY_CHARSET = 63
_TEXT_NAMES = {"CHAR", "VARCHAR", "TEXT", "LONGTEXT", "ENUM", "SET", "JSON"}
_TOKEN = re.compile(
    r"""(?P<quoted>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`)
      | (?P<comment>--[ \t][^\n]*|\#[^\n]*|/\*.*?\*/)
      | (?P<placeholder>(?<![\w:]):(?P<name>[A-Za-z_][A-Za-z0-9_]*))
      | (?P<other>[^'"`\-#/:%]+|.)""",
    re.VERBOSE | re.DOTALL,
)


class DataApiServiceError(Exception):
    """An error the Data API returns: its type (``x-amzn-ErrorType``), HTTP status and message."""

    def __init__(self, code: str, status: int, message: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message


def bad_request(message: str) -> DataApiServiceError:
    """A BadRequestException."""
    return DataApiServiceError("BadRequestException", 400, message)


@dataclass(frozen=True)
class Login:
    """A database login read from a secret."""

    username: str
    password: str = field(repr=False)


type SecretReader = Callable[[str], Login]


@dataclass
class _Transaction:
    connection: pymysql.connections.Connection[pymysql.cursors.Cursor]
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_used: float = field(default_factory=time.monotonic)


@dataclass
class _Column:
    label: str
    type_code: int
    type_name: str
    jdbc: int
    table: str
    flags: int
    length: int
    scale: int

    @property
    def unsigned(self) -> bool:
        return bool(self.flags & FLAG.UNSIGNED)


class LocalDataApi:
    """The Data API's behaviour for clusters backed by one MariaDB server."""

    def __init__(
        self,
        mariadb: MariaDB,
        secrets: SecretReader,
        *,
        clusters: dict[str, bool] | None = None,
        transaction_idle_seconds: float = TRANSACTION_IDLE_SECONDS,
    ) -> None:
        self.mariadb = mariadb
        self.secrets = secrets
        # Cluster ARN -> whether its HTTP endpoint (the Data API) is enabled. Empty: every ARN is served.
        self.clusters = clusters or {}
        self.transaction_idle_seconds = transaction_idle_seconds
        self.calls: list[str] = []
        self._transactions: dict[str, _Transaction] = {}
        self._injected: list[tuple[str | None, DataApiServiceError]] = []
        self._json_columns: dict[tuple[str, str], set[str]] = {}
        self._lock = threading.Lock()

    # --- fault injection ---

    def inject(self, fault: DataApiServiceError, *, times: int = 1, operation: str | None = None) -> None:
        """Make the next ``times`` calls (of ``operation`` only, when given) fail with ``fault`` before running."""
        with self._lock:
            self._injected.extend([(operation, fault)] * times)

    def resuming(self, *, times: int = 1) -> None:
        """Make the next calls fail as a cluster resuming from zero capacity does."""
        self.inject(
            DataApiServiceError(
                "DatabaseResumingException", 400, "The Aurora DB instance is resuming after being auto-paused"
            ),
            times=times,
        )

    # --- operations ---

    def handle(self, operation: str, request: dict[str, Any]) -> dict[str, Any]:
        """Run one operation (``Execute``, ``BatchExecute``, ...) and return its response body."""
        with self._lock:
            self.calls.append(operation)
            fault = None
            for index, (only, _) in enumerate(self._injected):
                if only is None or only == operation:
                    fault = self._injected.pop(index)[1]
                    break
        if fault is not None:
            raise fault
        self._expire_idle()
        for member in ("resourceArn", "secretArn"):
            if not isinstance(request.get(member), str) or not request[member]:
                raise bad_request(f"{member} is required")
        cluster = request["resourceArn"]
        if self.clusters and not self.clusters.get(cluster, False):
            raise DataApiServiceError(
                "HttpEndpointNotEnabledException", 400, f"HttpEndpoint is not enabled for resource {cluster}"
            )
        match operation:
            case "Execute":
                return self._execute(request)
            case "BatchExecute":
                return self._batch(request)
            case "BeginTransaction":
                return self._begin(request)
            case "CommitTransaction":
                return self._end(request, commit=True)
            case "RollbackTransaction":
                return self._end(request, commit=False)
        raise DataApiServiceError("UnknownOperationException", 404, f"no operation at /{operation}")

    def _execute(self, request: dict[str, Any]) -> dict[str, Any]:
        sql = _required_sql(request)
        options = request.get("resultSetOptions") or {}
        formatted = request.get("formatRecordsAs", "NONE") == "JSON"
        with self._connection(request) as connection:
            query, arguments = _bind(sql, request.get("parameters") or [])
            with connection.cursor() as cursor:
                _run(cursor, query, arguments)
                columns = self._columns(connection, cursor)
                rows = cursor.fetchall()
                response: dict[str, Any] = {"numberOfRecordsUpdated": 0 if columns else max(cursor.rowcount, 0)}
                if columns:
                    if formatted:
                        response["formattedRecords"] = json.dumps(
                            [
                                {
                                    column.label: _json_value(column, value, options)
                                    for column, value in zip(columns, row, strict=True)
                                }
                                for row in rows
                            ],
                            separators=(",", ":"),
                        )
                        if len(response["formattedRecords"].encode()) > JSON_RECORDS_LIMIT_BYTES:
                            raise bad_request("The JSON result set exceeds the 10 MB size limit")
                    else:
                        response["records"] = [
                            [_field(column, value, options) for column, value in zip(columns, row, strict=True)]
                            for row in rows
                        ]
                    if request.get("includeResultMetadata") and not formatted:  # none with JSON records
                        response["columnMetadata"] = [_metadata(column) for column in columns]
                elif cursor.lastrowid:
                    response["generatedFields"] = [{"longValue": cursor.lastrowid}]
        return response

    def _batch(self, request: dict[str, Any]) -> dict[str, Any]:
        sql = _required_sql(request)
        parameter_sets = request.get("parameterSets") or [[]]
        results = []
        with self._connection(request) as connection, connection.cursor() as cursor:
            for parameter_set in parameter_sets:
                query, arguments = _bind(sql, parameter_set)
                _run(cursor, query, arguments)
                results.append({"generatedFields": [{"longValue": cursor.lastrowid}] if cursor.lastrowid else []})
        return {"updateResults": results}

    def _begin(self, request: dict[str, Any]) -> dict[str, Any]:
        connection = self._connect(request, autocommit=False)
        connection.begin()
        transaction_id = random_tokens.token_urlsafe(96)
        with self._lock:
            self._transactions[transaction_id] = _Transaction(connection)
        return {"transactionId": transaction_id}

    def _end(self, request: dict[str, Any], *, commit: bool) -> dict[str, Any]:
        transaction_id = request.get("transactionId")
        with self._lock:
            transaction = self._transactions.pop(str(transaction_id), None)
        if transaction is None:
            raise _transaction_not_found(transaction_id)
        with transaction.lock:
            try:
                if commit:
                    transaction.connection.commit()
                else:
                    transaction.connection.rollback()
            except pymysql.MySQLError as error:
                raise _database_error(error) from error
            finally:
                transaction.connection.close()
        return {"transactionStatus": "Transaction Committed" if commit else "Rollback Complete"}

    @contextmanager
    def _connection(self, request: dict[str, Any]) -> Iterator[pymysql.connections.Connection[pymysql.cursors.Cursor]]:
        transaction_id = request.get("transactionId")
        if transaction_id:
            with self._lock:
                transaction = self._transactions.get(str(transaction_id))
            if transaction is None:
                raise _transaction_not_found(transaction_id)
            with transaction.lock:
                try:
                    yield transaction.connection
                finally:
                    transaction.last_used = time.monotonic()
            return
        connection = self._connect(request, autocommit=True)
        try:
            yield connection
        finally:
            connection.close()

    def _connect(
        self, request: dict[str, Any], *, autocommit: bool
    ) -> pymysql.connections.Connection[pymysql.cursors.Cursor]:
        try:
            login = self.secrets(request["secretArn"])
        except Exception as error:
            raise DataApiServiceError(
                "SecretsErrorException",
                400,
                f"Error fetching secret {request['secretArn']}: {type(error).__name__}",
            ) from error
        try:
            connection = pymysql.connect(
                host=self.mariadb.host,
                port=self.mariadb.port,
                user=login.username,
                password=login.password,
                database=request.get("database") or None,
                ssl_ca=self.mariadb.ca_bundle,
                ssl_verify_identity=self.mariadb.ca_bundle is not None,
                autocommit=autocommit,
                charset="utf8mb4",
                conv=_DECODERS,
                connect_timeout=5,
            )
        except pymysql.err.OperationalError as error:
            code = error.args[0] if error.args else 0
            if code == 1049:
                raise DataApiServiceError(
                    "DatabaseNotFoundException", 404, f"Unknown database '{request.get('database')}'"
                ) from error
            if code in (1044, 1045):
                raise _database_error(error) from error
            raise bad_request("Communications link failure") from error
        with connection.cursor() as cursor:
            cursor.execute(f"SET SESSION max_statement_time = {STATEMENT_TIMEOUT_SECONDS}")
        return connection

    def _expire_idle(self) -> None:
        now = time.monotonic()
        with self._lock:
            expired = [
                key
                for key, transaction in self._transactions.items()
                if now - transaction.last_used > self.transaction_idle_seconds and not transaction.lock.locked()
            ]
            ended = [self._transactions.pop(key) for key in expired]
        for transaction in ended:
            try:
                transaction.connection.rollback()
            finally:
                transaction.connection.close()

    def open_transactions(self) -> int:
        """How many transactions are open (tests check none leaks)."""
        with self._lock:
            return len(self._transactions)

    def close(self) -> None:
        """Roll back and close every open transaction."""
        with self._lock:
            ended = list(self._transactions.values())
            self._transactions.clear()
        for transaction in ended:
            transaction.connection.close()

    # --- result description ---

    def _columns(
        self,
        connection: pymysql.connections.Connection[pymysql.cursors.Cursor],
        cursor: pymysql.cursors.Cursor,
    ) -> list[_Column]:
        result: Any = cursor._result  # type: ignore[attr-defined]  # pymysql keeps the column packets there
        if result is None or not getattr(result, "fields", None):
            return []
        columns = []
        for packet in result.fields:
            type_name, jdbc = _type(packet.type_code, packet.flags, packet.charsetnr, packet.length)
            if type_name in {"LONGTEXT", "TEXT"} and self._is_json(connection, packet):
                type_name = "JSON"
            columns.append(
                _Column(
                    label=packet.name,
                    type_code=packet.type_code,
                    type_name=type_name,
                    jdbc=jdbc,
                    table=packet.org_table,
                    flags=packet.flags,
                    length=packet.length // _bytes_per_character(packet.charsetnr),
                    scale=packet.scale,
                )
            )
        return columns

    def _is_json(
        self,
        connection: pymysql.connections.Connection[pymysql.cursors.Cursor],
        packet: FieldDescriptorPacket,
    ) -> bool:
        """MariaDB's JSON is LONGTEXT with a json_valid() check and its protocol says LONGTEXT: look it up."""
        fields: Any = packet  # the stubs do not list a column packet's attributes
        database = fields.db.decode() if isinstance(fields.db, bytes) else fields.db
        table = fields.org_table
        if not database or not table:
            return False
        key = (database, table)
        if key not in self._json_columns:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                    "WHERE CONSTRAINT_SCHEMA = %s AND TABLE_NAME = %s",
                    (database, table),
                )
                clauses = [str(row[0]) for row in cursor.fetchall()]
            self._json_columns[key] = {
                match.group(1) for clause in clauses for match in re.finditer(r"json_valid\(`([^`]+)`\)", clause)
            }
        return bool(fields.org_name in self._json_columns[key])


def _type(type_code: int, flags: int, charset: int, length: int) -> tuple[str, int]:
    """The column's typeName and JDBC type, as MySQL Connector/J (behind Aurora MySQL's Data API) says."""
    unsigned = " UNSIGNED" if flags & FLAG.UNSIGNED else ""
    binary = charset == _BINARY_CHARSET
    if type_code in _INTEGERS:
        name, jdbc = _INTEGERS[type_code]
        return name + unsigned, jdbc
    if type_code in _TEXTUAL:
        name, jdbc = _TEXTUAL[type_code]
        return (name + unsigned if name == "DECIMAL" else name), jdbc
    if type_code == FIELD_TYPE.FLOAT:
        return "FLOAT" + unsigned, 7
    if type_code == FIELD_TYPE.DOUBLE:
        return "DOUBLE" + unsigned, 8
    if type_code == FIELD_TYPE.BIT:
        return "BIT", -7
    if type_code in _BLOBS:
        return ("BLOB", -4) if binary else ("LONGTEXT" if length > 16_777_215 else "TEXT", -1)
    if type_code in (FIELD_TYPE.VARCHAR, FIELD_TYPE.VAR_STRING):
        return ("VARBINARY", -3) if binary else ("VARCHAR", 12)
    if type_code == FIELD_TYPE.STRING:
        if flags & FLAG.ENUM:
            return "ENUM", 1
        if flags & FLAG.SET:
            return "SET", 1
        return ("BINARY", -2) if binary else ("CHAR", 1)
    if type_code == FIELD_TYPE.GEOMETRY:
        return "GEOMETRY", -2
    if type_code == FIELD_TYPE.NULL:
        return "NULL", 0
    return "OTHER", 1111


def _bytes_per_character(charset_id: int) -> int:
    """MySQL reports a text column's length in bytes; the Data API's precision counts characters."""
    if charset_id == _BINARY_CHARSET:
        return 1
    try:
        charset: Any = pymysql.charset.charset_by_id(charset_id)  # the stubs omit its name
    except KeyError:
        return 1
    return {"utf8mb4": 4, "utf8mb3": 3, "utf8": 3, "ucs2": 2, "utf16": 4, "utf32": 4}.get(str(charset.name), 1)


def _metadata(column: _Column) -> dict[str, Any]:
    numeric = column.type_code in _INTEGERS or column.type_name.startswith(("DECIMAL", "FLOAT", "DOUBLE"))
    return {
        "name": column.label,
        "label": column.label,
        "type": column.jdbc,
        "typeName": column.type_name,
        "schemaName": "",
        "tableName": column.table,
        "isAutoIncrement": bool(column.flags & FLAG.AUTO_INCREMENT),
        "isSigned": numeric and not column.unsigned,
        "isCurrency": False,
        "isCaseSensitive": bool(column.flags & FLAG.BINARY) and column.type_name in _TEXT_NAMES,
        "nullable": 0 if column.flags & FLAG.NOT_NULL else 1,
        "precision": column.length,
        "scale": column.scale,
        "arrayBaseColumnType": 0,
    }


def _field(column: _Column, value: object, options: dict[str, Any]) -> dict[str, Any]:
    """One value as a typed Field, the way the Data API returns Aurora MySQL values."""
    if value is None:
        return {"isNull": True}
    if column.type_code == FIELD_TYPE.BIT and isinstance(value, bytes):
        number = int.from_bytes(value, "big")
        return {"booleanValue": bool(number)} if column.length == 1 else {"longValue": number}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        if options.get("longReturnType") == "STRING" or not LONG_MIN <= value <= LONG_MAX:
            return {"stringValue": str(value)}
        return {"longValue": value}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, bytes):
        return {"blobValue": base64.b64encode(value).decode("ascii")}
    if column.type_name.startswith("DECIMAL") and options.get("decimalReturnType") == "DOUBLE_OR_LONG":
        exact = decimal.Decimal(str(value))
        return {"longValue": int(exact)} if column.scale == 0 else {"doubleValue": float(exact)}
    return {"stringValue": str(value)}


def _json_value(column: _Column, value: object, options: dict[str, Any]) -> object:
    """One value as ``formatRecordsAs=JSON`` writes it (whole numbers as JSON numbers, however large)."""
    if isinstance(value, int) and not isinstance(value, bool) and options.get("longReturnType") != "STRING":
        return value
    typed = _field(column, value, options)
    if "isNull" in typed:
        return None
    (plain,) = typed.values()
    return plain


def _required_sql(request: dict[str, Any]) -> str:
    sql = request.get("sql")
    if not isinstance(sql, str) or not sql.strip():
        raise bad_request("sql is required")
    if request.get("schema"):
        raise bad_request("schema is not supported for Aurora MySQL: use database")
    return sql


def _bind(sql: str, parameters: list[dict[str, Any]]) -> tuple[str, list[Any]]:
    """SQL with ``%s`` marks for pymysql and values in order, from ``:name`` marks and named parameters."""
    values: dict[str, Any] = {}
    for parameter in parameters:
        name = parameter.get("name")
        if not isinstance(name, str) or not name:
            raise bad_request("every parameter needs a name")
        values[name] = _parameter_value(name, parameter.get("value") or {}, parameter.get("typeHint"))
    parts: list[str] = []
    arguments: list[Any] = []
    for token in _TOKEN.finditer(sql):
        if token.group("placeholder"):
            name = token.group("name")
            if name not in values:
                raise bad_request(f"No value specified for parameter :{name}")
            parts.append("%s")
            arguments.append(values[name])
        elif token.group(0) == "%":
            parts.append("%%")
        else:
            parts.append(token.group(0))
    return "".join(parts), arguments


def _parameter_value(name: str, value: dict[str, Any], hint: str | None) -> object:
    if len(value) != 1:
        raise bad_request(f"parameter {name} must set exactly one value member")
    ((kind, raw),) = value.items()
    if kind == "isNull":
        return None
    if kind == "arrayValue":
        raise bad_request("Array parameters are not supported.")
    if kind == "blobValue":
        return base64.b64decode(raw)
    if kind == "stringValue" and hint:
        try:
            return _hinted(raw, hint)
        except (ValueError, decimal.InvalidOperation) as error:
            raise bad_request(f"Cannot parse value of parameter {name} as {hint}") from error
    if hint:
        raise bad_request(f"typeHint {hint} of parameter {name} applies to stringValue only")
    return raw


def _hinted(raw: str, hint: str) -> object:
    match hint:
        case "DATE":
            return datetime.date.fromisoformat(raw)
        case "TIME":
            return datetime.time.fromisoformat(raw)
        case "TIMESTAMP":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?", raw):
                raise ValueError(raw)
            return datetime.datetime.fromisoformat(raw)
        case "DECIMAL":
            return decimal.Decimal(raw)
        case "UUID":
            return str(uuid.UUID(raw))
        case "JSON":
            json.loads(raw)
            return raw
    raise ValueError(hint)


def _run(cursor: pymysql.cursors.Cursor, query: str, arguments: list[Any]) -> None:
    try:
        cursor.execute(query, arguments)
    except pymysql.MySQLError as error:
        raise _database_error(error) from error


def _database_error(error: pymysql.MySQLError) -> DataApiServiceError:
    code = error.args[0] if error.args and isinstance(error.args[0], int) else 0
    message = str(error.args[1]) if len(error.args) > 1 else str(error)
    if code == 1969:  # max_statement_time exceeded
        return DataApiServiceError("StatementTimeoutException", 400, "Request timed out")
    if code in (2006, 2013):
        return bad_request("Communications link failure")
    return DataApiServiceError("DatabaseErrorException", 400, f"Database error code: {code}. Message: {message}")


def _transaction_not_found(transaction_id: object) -> DataApiServiceError:
    return DataApiServiceError(
        "TransactionNotFoundException", 404, f"Transaction {str(transaction_id)[:32]}... is not found"
    )


_OPERATIONS = {"/Execute", "/BatchExecute", "/BeginTransaction", "/CommitTransaction", "/RollbackTransaction"}


class _Handler(BaseHTTPRequestHandler):
    server: DataApiHttpServer
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            if length > REQUEST_LIMIT_BYTES:
                self.rfile.read(length)
                raise bad_request(f"Request size {length} exceeds the limit of {REQUEST_LIMIT_BYTES} bytes")
            body = self.rfile.read(length)
            if self.path not in _OPERATIONS:
                raise DataApiServiceError("UnknownOperationException", 404, f"no operation at {self.path}")
            try:
                request = json.loads(body or b"{}")
            except ValueError as error:
                raise bad_request("the request body is not JSON") from error
            response = self.server.api.handle(self.path.lstrip("/"), request)
            payload = json.dumps(response, separators=(",", ":")).encode()
            if "formattedRecords" not in response and len(payload) > RESPONSE_LIMIT_BYTES:
                raise bad_request("Database returned more than the allowed response size limit")
            self._send(HTTPStatus.OK, payload)
        except DataApiServiceError as fault:
            self._send(fault.status, json.dumps({"message": fault.message}).encode(), error_type=fault.code)
        except Exception as error:  # noqa: BLE001 - a bug here must reach the client as the service's 500
            traceback.print_exc()
            message = json.dumps({"message": f"local Data API failure: {type(error).__name__}: {error}"})
            self._send(500, message.encode(), error_type="InternalServerErrorException")

    def _send(self, status: int, payload: bytes, *, error_type: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if error_type:
            self.send_header("x-amzn-ErrorType", error_type)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests and the local runner report what matters."""


class DataApiHttpServer(ThreadingHTTPServer):
    """The HTTP side: one thread per connection, answering with ``api``."""

    daemon_threads = True

    def __init__(self, api: LocalDataApi, port: int = 0, host: str = "127.0.0.1") -> None:
        super().__init__((host, port), _Handler)
        self.api = api

    @property
    def endpoint_url(self) -> str:
        """Where boto3 should send rds-data calls (``AWS_ENDPOINT_URL_RDS_DATA``)."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@contextmanager
def serving(api: LocalDataApi) -> Iterator[DataApiHttpServer]:
    """Serve ``api`` on a free 127.0.0.1 port in a background thread until the block ends."""
    server = start(api)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        api.close()


def start(api: LocalDataApi) -> DataApiHttpServer:
    """Serve ``api`` on a free 127.0.0.1 port in a daemon thread (for as long as the process lives)."""
    server = DataApiHttpServer(api)
    threading.Thread(target=server.serve_forever, name="local-data-api", daemon=True).start()
    return server


def _secrets_manager_reader(arn: str) -> Login:
    """Read a login from Secrets Manager (AWS_ENDPOINT_URL points boto3 at a moto server)."""
    import boto3  # only the stand-alone server needs its own client

    secret = json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"])
    return Login(username=secret["username"], password=secret["password"])


def main(argv: list[str]) -> int:
    """Serve the local Data API on MYSQL_HOST's server until interrupted (for ``sam local invoke``)."""
    import argparse

    from tools.mariadb import from_environment

    parser = argparse.ArgumentParser(prog="python -m tools.data_api_server", description=main.__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for Docker)")
    parser.add_argument("--port", type=int, default=8765)
    arguments = parser.parse_args(argv)
    mariadb = from_environment()
    if mariadb is None:
        parser.error("set MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD (and MYSQL_CA) to the MariaDB to use")
    server = DataApiHttpServer(LocalDataApi(mariadb, _secrets_manager_reader), arguments.port, arguments.host)
    print(f"local Data API at {server.endpoint_url}: set AWS_ENDPOINT_URL_RDS_DATA to it")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.api.close()
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
