"""The Data API's error types as the suite's named errors, with messages an operator can act on.

The Data API reports a refused SQL statement as DatabaseErrorException (BadRequestException on older
clusters) whose message carries the database's own code: Aurora MySQL writes ``Database error code: 1062.
Message: ...``, Aurora PostgreSQL ends with ``SQLState: 23505``. That text is the only place the service
puts the code, so it is read there, and the MySQL code is turned into its SQLSTATE; the class of the SQLSTATE
(23 integrity, 22 data, 40 rollback) picks the named error. The database's message itself is kept out of
the error's text (it can quote row values); callers log it from ``detail``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dbops.errors import (
    DataApiAccessError,
    DataApiError,
    DataApiUnavailableError,
    DbopsError,
    ResultTooLargeError,
    SqlConflictError,
    SqlDataError,
    SqlStatementError,
    SqlTransactionRollbackError,
    TransactionNotFoundError,
)

_MYSQL_CODE = re.compile(r"Database error code: (\d+)")
_SQLSTATE = re.compile(r"SQLState: ([0-9A-Z]{5})")
_SIZE_LIMIT = re.compile(r"size limit", re.IGNORECASE)
# The MySQL server error codes a catalogue statement can meet, with the SQLSTATE MySQL documents for each.
MYSQL_SQLSTATES = {
    1048: "23000",  # column cannot be null
    1062: "23000",  # duplicate entry
    1169: "23000",  # duplicate on a unique constraint
    1216: "23000",  # child row: foreign key fails
    1217: "23000",  # parent row: foreign key fails
    1451: "23000",  # cannot delete a parent row
    1452: "23000",  # cannot add a child row
    1557: "23000",  # duplicate key on write
    1586: "23000",  # duplicate entry for key
    3819: "HY000",  # check constraint violated (MySQL); MariaDB uses 4025
    4025: "23000",  # check constraint failed (MariaDB)
    1264: "22003",  # out of range
    1365: "22012",  # division by zero
    1366: "HY000",  # incorrect value for a column
    1406: "22001",  # data too long
    1292: "22007",  # incorrect date/time value
    1411: "HY000",  # incorrect value for a function
    1054: "42S22",  # unknown column
    1064: "42000",  # syntax error
    1146: "42S02",  # no such table
    1142: "42000",  # command denied
    1044: "42000",  # database access denied
    1049: "42000",  # unknown database
    1213: "40001",  # deadlock
    1205: "HY000",  # lock wait timeout
}
# MySQL codes whose SQLSTATE is the catch-all HY000 but which are plainly about the value given.
_DATA_CODES = {1366, 1411}


@dataclass(frozen=True)
class Context:
    """What the failed call was about, to name it in the message."""

    operation: str
    cluster_arn: str
    secret_arn: str
    database: str | None = None


def sql_codes(message: str) -> tuple[int | None, str | None]:
    """The database's error code and SQLSTATE carried in a Data API error message (either may be None)."""
    mysql = _MYSQL_CODE.search(message)
    code = int(mysql.group(1)) if mysql else None
    state = _SQLSTATE.search(message)
    if state:
        return code, state.group(1)
    return code, MYSQL_SQLSTATES.get(code) if code is not None else None


def is_sql_error(code: str, message: str) -> bool:
    """Whether a Data API error is the database refusing the statement (not the service refusing the call)."""
    return code == "DatabaseErrorException" or (
        code == "BadRequestException" and _MYSQL_CODE.search(message) is not None
    )


def named_error(code: str, message: str, context: Context) -> DbopsError:
    """The named error for a Data API error type and message (not for transient ones: see ``retrying``)."""
    cluster, secret = context.cluster_arn, context.secret_arn
    if is_sql_error(code, message):
        return sql_error(code, message)
    match code:
        case "HttpEndpointNotEnabledException":
            return DataApiAccessError(
                f"the Data API is not enabled on cluster {cluster}: enable it "
                f"(aws rds enable-http-endpoint --resource-arn {cluster}) or fix DATA_API_CLUSTER_ARN"
            )
        case "SecretsErrorException" | "InvalidSecretException":
            return DataApiAccessError(
                f"the Data API cannot read secret {secret} for cluster {cluster}: check it exists, holds "
                "'username' and 'password', and that the function may secretsmanager:GetSecretValue it "
                "(and kms:Decrypt its key)"
            )
        case "AccessDeniedException" | "ForbiddenException":
            return DataApiAccessError(
                f"the function is not allowed rds-data:{context.operation} on cluster {cluster}: "
                "grant it in the function's policy"
            )
        case "DatabaseNotFoundException":
            return DataApiAccessError(
                f"database {context.database!r} does not exist on cluster {cluster}: create it or fix DATA_API_DATABASE"
            )
        case "InvalidResourceStateException":
            return DataApiUnavailableError(
                f"cluster {cluster} cannot take statements in its current state: wait for it to be available",
                code=code,
                retry_after=30,
            )
        case "TransactionNotFoundException" | "NotFoundException":
            return TransactionNotFoundError(
                "the transaction is gone: it was committed or rolled back, or expired after 3 minutes idle; "
                "start it again",
                code=code,
            )
        case "UnsupportedResultException":
            return DataApiError(
                "the statement returns a column type the Data API cannot return: cast it in the SQL "
                "(for example CAST(col AS CHAR))",
                code=code,
            )
        case "BadRequestException" if _SIZE_LIMIT.search(message):
            return ResultTooLargeError(
                "the result is larger than the Data API's response limit (1 MiB, 10 MB as JSON): "
                "ask for fewer rows per page",
                code=code,
            )
        case "BadRequestException":
            return DataApiError(f"the Data API refused the {context.operation} call: {message[:300]}", code=code)
    return DataApiError(f"the Data API failed the {context.operation} call ({code})", code=code)


def sql_error(code: str, message: str) -> SqlStatementError:
    """The named error for the database refusing a statement, chosen by the class of its SQLSTATE."""
    error_code, sqlstate = sql_codes(message)
    described = f"SQLSTATE {sqlstate or 'unknown'}" + (f", error {error_code}" if error_code is not None else "")
    error_class = (sqlstate or "")[:2]
    if error_class == "23":
        return SqlConflictError(
            f"the write conflicts with existing data ({described}): a duplicate key or a missing reference",
            code=code,
            sqlstate=sqlstate,
            error_code=error_code,
        )
    if error_class == "22" or error_code in _DATA_CODES:
        return SqlDataError(
            f"the database refused a value ({described}): it is out of range, too long or malformed",
            code=code,
            sqlstate=sqlstate,
            error_code=error_code,
        )
    if error_class == "40":
        return SqlTransactionRollbackError(
            f"the database rolled the transaction back ({described}): run it again",
            code=code,
            sqlstate=sqlstate,
            error_code=error_code,
        )
    return SqlStatementError(
        f"the database refused the statement ({described})",
        code=code,
        sqlstate=sqlstate,
        error_code=error_code,
    )
