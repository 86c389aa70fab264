"""Catalogue SQL with named placeholders (``:customer_id``), rendered for a driver with values always bound.

A statement is split once, at cold start, into literal SQL pieces and placeholder names, skipping string
literals, quoted identifiers and comments. Rendering only joins those pieces with the driver's placeholder
marks (``%s`` for pymysql, ``:name`` for the RDS Data API): a request's values never become SQL text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dbops.errors import CatalogueError

# One token at a time: quoted text and comments are skipped whole so a ':' inside them is not a placeholder.
_TOKEN = re.compile(
    r"""
      (?P<quoted>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`)
    | (?P<comment>--(?:[ \t][^\n]*)?(?=\n|$)|\#[^\n]*|/\*.*?\*/)
    | (?P<placeholder>(?<![\w:@]):(?P<name>[A-Za-z_][A-Za-z0-9_]*))
    | (?P<other>[^'"`\-#/:]+|.)
    """,
    re.VERBOSE | re.DOTALL,
)
# What would pin an RDS Proxy session to one database connection (checked outside literals and comments).
_PINNING = re.compile(
    r"\b(?:GET_LOCK|RELEASE_LOCK|RELEASE_ALL_LOCKS|IS_FREE_LOCK|IS_USED_LOCK)\s*\(|"
    r"\bTEMPORARY\b|@|\bPREPARE\b|\bLOCK\s+TABLES?\b|\bSQL_CALC_FOUND_ROWS\b",
    re.IGNORECASE,
)
_READ_VERBS = ("SELECT", "WITH")
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@dataclass(frozen=True)
class Statement:
    """One SQL statement of the catalogue: literal pieces around named placeholders."""

    text: str
    pieces: tuple[str, ...]
    placeholders: tuple[str, ...]

    @classmethod
    def parse(cls, entry: str, text: Any) -> Statement:
        """Split ``text`` into pieces and placeholders, or raise CatalogueError naming ``entry``."""
        if not isinstance(text, str) or not text.strip():
            raise CatalogueError(f"catalogue entry {entry!r}: 'sql' must be a non-empty SQL statement")
        text = text.strip().rstrip(";").strip()
        pieces: list[str] = []
        placeholders: list[str] = []
        code: list[str] = []  # the SQL outside literals and comments, for the checks below
        current: list[str] = []
        for token in _TOKEN.finditer(text):
            if token.group("placeholder"):
                pieces.append("".join(current))
                current = []
                placeholders.append(token.group("name"))
                code.append(" ? ")
                continue
            current.append(token.group(0))
            if token.group("comment") and token.group(0).startswith(("/*!", "/*M!", "/*+")):
                raise CatalogueError(
                    f"catalogue entry {entry!r}: executable comments and optimizer hints (/*! */, /*+ */) are not "
                    "allowed: write the SQL plainly"
                )
            if token.group("other"):
                code.append(token.group(0))
            elif token.group("quoted"):
                code.append(" '' ")
            else:
                code.append(" ")
        pieces.append("".join(current))
        statement = cls(text=text, pieces=tuple(pieces), placeholders=tuple(placeholders))
        statement._check(entry, "".join(code))
        return statement

    @property
    def code(self) -> str:
        """The statement with literals and comments blanked, for keyword checks."""
        return "".join(token.group(0) if token.group("other") else " " for token in _TOKEN.finditer(self.text))

    @property
    def verb(self) -> str:
        """The statement's first keyword, upper-case (SELECT, INSERT, ...)."""
        words = self.code.split()
        return words[0].upper().lstrip("(") if words else ""

    def format_style(self, values: Mapping[str, Any], *, suffix: str = "") -> tuple[str, tuple[Any, ...]]:
        """SQL with ``%s`` marks (pymysql's paramstyle) and the values in order; lists become one mark each."""
        parts = [self.pieces[0].replace("%", "%%")]
        arguments: list[Any] = []
        for name, piece in zip(self.placeholders, self.pieces[1:], strict=True):
            value = values[name]
            if isinstance(value, tuple):
                parts.append(", ".join(["%s"] * len(value)))
                arguments.extend(value)
            else:
                parts.append("%s")
                arguments.append(value)
            parts.append(piece.replace("%", "%%"))
        return "".join(parts) + suffix, tuple(arguments)

    def named_style(self, values: Mapping[str, Any], *, suffix: str = "") -> tuple[str, dict[str, Any]]:
        """SQL with ``:name`` marks (the RDS Data API's) and the values by name; a list ``ids`` becomes
        ``:ids__0, :ids__1, ...``."""
        parts = [self.pieces[0]]
        arguments: dict[str, Any] = {}
        for name, piece in zip(self.placeholders, self.pieces[1:], strict=True):
            value = values[name]
            if isinstance(value, tuple):
                names = [f"{name}__{index}" for index in range(len(value))]
                parts.append(", ".join(f":{item}" for item in names))
                arguments.update(zip(names, value, strict=True))
            else:
                parts.append(f":{name}")
                arguments[name] = value
            parts.append(piece)
        return "".join(parts) + suffix, arguments

    def _check(self, entry: str, code: str) -> None:
        where = f"catalogue entry {entry!r}"
        if ";" in code:
            raise CatalogueError(f"{where}: one statement per 'sql' item (found ';'); list several for a write")
        if _PINNING.search(code):
            raise CatalogueError(
                f"{where}: user variables, named locks, LOCK TABLES, temporary tables, prepared statements and "
                "SQL_CALC_FOUND_ROWS pin the RDS Proxy session: remove them"
            )
        if self.verb not in (*_READ_VERBS, *_WRITE_VERBS):
            raise CatalogueError(
                f"{where}: a statement must start with one of {', '.join((*_READ_VERBS, *_WRITE_VERBS))}, "
                f"not {self.verb or 'nothing'}"
            )

    def check_read(self, entry: str) -> None:
        """Refuse a read that is not a plain SELECT the pager can add LIMIT to."""
        where = f"catalogue entry {entry!r}"
        code = self.code
        if self.verb not in _READ_VERBS:
            raise CatalogueError(f"{where}: a read must be a SELECT (or WITH ... SELECT), not {self.verb}")
        if re.search(r"\bLIMIT\b[^()]*$", code, re.IGNORECASE):
            raise CatalogueError(f"{where}: a read must not end with LIMIT: set 'page_size' and the pager limits it")
        if re.search(r"\bFOR\s+UPDATE\b|\bLOCK\s+IN\s+SHARE\s+MODE\b|\bINTO\b", code, re.IGNORECASE):
            raise CatalogueError(f"{where}: a read takes no locks and writes nothing (FOR UPDATE, INTO)")
        if not re.search(r"\bORDER\s+BY\b[^()]*$", code, re.IGNORECASE):
            raise CatalogueError(f"{where}: a read needs a final ORDER BY (on a unique key) so its pages are stable")

    def check_write(self, entry: str) -> None:
        """Refuse a write statement that is not INSERT, UPDATE, DELETE or REPLACE."""
        if self.verb not in _WRITE_VERBS:
            raise CatalogueError(
                f"catalogue entry {entry!r}: a write statement must start with one of {', '.join(_WRITE_VERBS)}, "
                f"not {self.verb}"
            )
