"""Typed query parameters: the catalogue declares each one, a request's JSON value is checked against it.

A type is built once from its catalogue spec (``parameter_type``), and turns a JSON value into the Python
value the database driver binds (``ParameterType.convert``), or raises ``InvalidParameterError`` naming the
query, the parameter and the expected type. Nothing here builds SQL: values are always bound, never spliced.
"""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from dbops.errors import CatalogueError, InvalidParameterError

SCALAR_TYPES = ("int", "str", "decimal", "date", "datetime", "bool")
TYPES = (*SCALAR_TYPES, "list")
# MySQL's BIGINT range: the widest integer a column can hold.
INT_MIN, INT_MAX = -(2**63), 2**64 - 1
MAX_STR_LENGTH = 65_535
MAX_LIST_ITEMS = 1_000


@dataclass(frozen=True)
class ParameterType:
    """Base of the parameter types: a name for messages and a converter for request values."""

    name: ClassVar[str]

    def convert(self, value: Any, *, query: str, parameter: str) -> Any:
        """Return ``value`` as the Python value to bind, or raise InvalidParameterError."""
        raise NotImplementedError

    def expected(self) -> str:
        """The type and its constraints, as a request's author reads them: ``int from 1 to 100``."""
        return self.name

    def describe(self) -> dict[str, Any]:
        """The type as JSON for the catalogue listing."""
        return {"type": self.name}

    def _refuse(self, query: str, parameter: str, problem: str | None = None) -> InvalidParameterError:
        detail = f": {problem}" if problem else ""
        return InvalidParameterError(
            f"query {query!r} needs parameter {parameter!r} ({self.expected()}){detail}",
            query=query,
            parameter=parameter,
            expected=self.expected(),
        )


@dataclass(frozen=True)
class IntType(ParameterType):
    """A whole number (JSON integer, never a boolean or a float), optionally bounded."""

    name: ClassVar[str] = "int"
    minimum: int = INT_MIN
    maximum: int = INT_MAX

    def convert(self, value: Any, *, query: str, parameter: str) -> int:
        """Return ``value`` when it is an integer within the bounds."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._refuse(query, parameter)
        if not self.minimum <= value <= self.maximum:
            raise self._refuse(query, parameter, "out of range")
        return value

    def expected(self) -> str:
        """``int`` with the bounds the catalogue set."""
        low, high = self.minimum != INT_MIN, self.maximum != INT_MAX
        if low and high:
            return f"int from {self.minimum} to {self.maximum}"
        if low:
            return f"int of at least {self.minimum}"
        return f"int of at most {self.maximum}" if high else "int"

    def describe(self) -> dict[str, Any]:
        """Type and the bounds the catalogue set."""
        described: dict[str, Any] = {"type": self.name}
        if self.minimum != INT_MIN:
            described["min"] = self.minimum
        if self.maximum != INT_MAX:
            described["max"] = self.maximum
        return described


@dataclass(frozen=True)
class StrType(ParameterType):
    """A string with a maximum length and optionally a pattern it must match entirely."""

    name: ClassVar[str] = "str"
    max_length: int = 255
    min_length: int = 0
    pattern: str | None = None
    _compiled: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def convert(self, value: Any, *, query: str, parameter: str) -> str:
        """Return ``value`` when it is a string of the right length matching the pattern."""
        if not isinstance(value, str):
            raise self._refuse(query, parameter)
        if not self.min_length <= len(value) <= self.max_length:
            raise self._refuse(query, parameter, f"its length is {len(value)}")
        if "\x00" in value:
            raise self._refuse(query, parameter, "it contains a NUL character")
        if self._compiled is not None and not self._compiled.fullmatch(value):
            raise self._refuse(query, parameter, "it does not match the pattern")
        return value

    def expected(self) -> str:
        """``str`` with its length and pattern."""
        text = f"str of {self.min_length} to {self.max_length} characters"
        return f"{text} matching {self.pattern}" if self.pattern else text

    def describe(self) -> dict[str, Any]:
        """Type, lengths and pattern."""
        described: dict[str, Any] = {"type": self.name, "min_length": self.min_length, "max_length": self.max_length}
        if self.pattern:
            described["pattern"] = self.pattern
        return described


@dataclass(frozen=True)
class DecimalType(ParameterType):
    """An exact decimal, sent as a string (``"12.50"``) or an integer; floats are refused as inexact."""

    name: ClassVar[str] = "decimal"
    digits: int = 65
    places: int = 30
    minimum: decimal.Decimal | None = None
    maximum: decimal.Decimal | None = None

    def convert(self, value: Any, *, query: str, parameter: str) -> decimal.Decimal:
        """Return ``value`` as a Decimal that fits DECIMAL(digits, places) and the bounds."""
        if isinstance(value, bool) or not isinstance(value, int | str) or len(str(value)) > 100:
            raise self._refuse(query, parameter)
        try:
            number = decimal.Decimal(str(value).strip())
        except decimal.InvalidOperation:
            raise self._refuse(query, parameter) from None
        if not number.is_finite():
            raise self._refuse(query, parameter, "it is not a finite number")
        exponent = number.normalize().as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        whole_digits = max(number.adjusted() + 1, 0) if number else 0
        if places > self.places or whole_digits > self.digits - self.places:
            raise self._refuse(query, parameter, "too many digits")
        if (self.minimum is not None and number < self.minimum) or (self.maximum is not None and number > self.maximum):
            raise self._refuse(query, parameter, "out of range")
        return number

    def expected(self) -> str:
        """``decimal`` with precision, scale and bounds."""
        text = f"decimal string with at most {self.digits} digits, {self.places} after the point"
        if self.minimum is not None:
            text += f", at least {self.minimum}"
        if self.maximum is not None:
            text += f", at most {self.maximum}"
        return text

    def describe(self) -> dict[str, Any]:
        """Type, precision, scale and bounds."""
        described: dict[str, Any] = {"type": self.name, "digits": self.digits, "places": self.places}
        if self.minimum is not None:
            described["min"] = str(self.minimum)
        if self.maximum is not None:
            described["max"] = str(self.maximum)
        return described


@dataclass(frozen=True)
class DateType(ParameterType):
    """A calendar date in ISO 8601 (``2026-11-24``), optionally bounded."""

    name: ClassVar[str] = "date"
    minimum: datetime.date | None = None
    maximum: datetime.date | None = None

    def convert(self, value: Any, *, query: str, parameter: str) -> datetime.date:
        """Return ``value`` as a date."""
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise self._refuse(query, parameter)
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            raise self._refuse(query, parameter, "no such date") from None
        if (self.minimum is not None and day < self.minimum) or (self.maximum is not None and day > self.maximum):
            raise self._refuse(query, parameter, "out of range")
        return day

    def expected(self) -> str:
        """``date`` in ISO 8601."""
        return "date as YYYY-MM-DD"


@dataclass(frozen=True)
class DateTimeType(ParameterType):
    """A date and time in ISO 8601 (``2026-11-24T17:30:00``); an offset is converted to UTC."""

    name: ClassVar[str] = "datetime"

    def convert(self, value: Any, *, query: str, parameter: str) -> datetime.datetime:
        """Return ``value`` as a naive UTC datetime (MySQL DATETIME has no zone)."""
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ][0-9:.]+(Z|[+-]\d{2}:\d{2})?", value):
            raise self._refuse(query, parameter)
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise self._refuse(query, parameter, "no such time") from None
        if moment.tzinfo is not None:
            moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
        return moment

    def expected(self) -> str:
        """``datetime`` in ISO 8601."""
        return "datetime as YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM]"


@dataclass(frozen=True)
class BoolType(ParameterType):
    """A JSON boolean."""

    name: ClassVar[str] = "bool"

    def convert(self, value: Any, *, query: str, parameter: str) -> bool:
        """Return ``value`` when it is true or false."""
        if not isinstance(value, bool):
            raise self._refuse(query, parameter)
        return value

    def expected(self) -> str:
        """``bool``."""
        return "bool (true or false)"


@dataclass(frozen=True)
class ListType(ParameterType):
    """A non-empty list of one scalar type, for ``IN (:ids)``; the placeholder expands to one per item."""

    name: ClassVar[str] = "list"
    items: ParameterType = field(default_factory=IntType)
    max_items: int = 100

    def convert(self, value: Any, *, query: str, parameter: str) -> tuple[Any, ...]:
        """Return the items converted, when there are 1 to ``max_items`` of them."""
        if not isinstance(value, list):
            raise self._refuse(query, parameter)
        if not 1 <= len(value) <= self.max_items:
            raise self._refuse(query, parameter, f"it has {len(value)} items")
        return tuple(
            self.items.convert(item, query=query, parameter=f"{parameter}[{index}]") for index, item in enumerate(value)
        )

    def expected(self) -> str:
        """``list`` of its item type."""
        return f"list of 1 to {self.max_items} items, each {self.items.expected()}"

    def describe(self) -> dict[str, Any]:
        """Type, item type and size."""
        return {"type": self.name, "items": self.items.describe(), "max_items": self.max_items}


@dataclass(frozen=True)
class Parameter:
    """One named parameter of a query: its type, whether it may be omitted or null, its description."""

    name: str
    type: ParameterType
    description: str = ""
    default: Any = None
    has_default: bool = False
    nullable: bool = False

    def convert(self, value: Any, *, query: str) -> Any:
        """Return the request's value (``None`` only when nullable) converted to its bindable form."""
        if value is None:
            if self.nullable:
                return None
            raise self.type._refuse(query, self.name, "null is not allowed")
        return self.type.convert(value, query=query, parameter=self.name)

    @property
    def required(self) -> bool:
        """Whether a request must give this parameter."""
        return not self.has_default and not self.nullable

    def describe(self) -> dict[str, Any]:
        """The parameter as JSON for the catalogue listing."""
        described = {"name": self.name, **self.type.describe(), "required": self.required}
        if self.nullable:
            described["nullable"] = True
        if self.description:
            described["description"] = self.description
        return described


_SPEC_KEYS: dict[str, set[str]] = {
    "int": {"min", "max"},
    "str": {"max_length", "min_length", "pattern"},
    "decimal": {"digits", "places", "min", "max"},
    "date": {"min", "max"},
    "datetime": set(),
    "bool": set(),
    "list": {"items", "max_items"},
}
_COMMON_KEYS = {"type", "description", "default", "nullable"}


def parameter(query: str, name: str, spec: Any) -> Parameter:
    """Build a Parameter from its catalogue spec, or raise CatalogueError naming the query and parameter."""
    where = f"catalogue entry {query!r}, parameter {name!r}"
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", name):
        raise CatalogueError(f"catalogue entry {query!r}: parameter name {name!r} must be an identifier")
    if isinstance(spec, str):
        spec = {"type": spec}
    if not isinstance(spec, Mapping):
        raise CatalogueError(f"{where}: must be a type name or a mapping with 'type'")
    ptype = parameter_type(where, spec, allowed_extra=_COMMON_KEYS)
    nullable = spec.get("nullable", False)
    if not isinstance(nullable, bool):
        raise CatalogueError(f"{where}: 'nullable' must be true or false")
    built = Parameter(
        name=name,
        type=ptype,
        description=_text(where, spec.get("description", "")),
        nullable=nullable,
    )
    if "default" in spec:
        raw_default = spec["default"]
        if isinstance(raw_default, datetime.date):  # YAML reads an unquoted 2026-01-01 as a date
            raw_default = raw_default.isoformat()
        try:
            default = built.convert(raw_default, query=query)
        except InvalidParameterError as error:
            raise CatalogueError(f"{where}: its default is not a valid {ptype.expected()}") from error
        built = Parameter(
            name=name,
            type=ptype,
            description=built.description,
            default=default,
            has_default=True,
            nullable=nullable,
        )
    return built


def parameter_type(where: str, spec: Mapping[str, Any], *, allowed_extra: Collection[str] = ()) -> ParameterType:
    """Build the type a spec names (``{"type": "int", "min": 1}``), checking its constraints."""
    type_name = spec.get("type")
    if type_name not in _SPEC_KEYS:
        raise CatalogueError(f"{where}: unknown type {type_name!r}: use one of {', '.join(TYPES)}")
    unknown = set(spec) - _SPEC_KEYS[type_name] - set(allowed_extra) - {"type"}
    if unknown:
        raise CatalogueError(f"{where}: unknown keys {sorted(unknown)} for type {type_name}")
    match type_name:
        case "int":
            minimum = _integer(where, spec, "min", INT_MIN)
            maximum = _integer(where, spec, "max", INT_MAX)
            _ordered(where, minimum, maximum)
            return IntType(minimum=minimum, maximum=maximum)
        case "str":
            max_length = _integer(where, spec, "max_length", 255, low=1, high=MAX_STR_LENGTH)
            min_length = _integer(where, spec, "min_length", 0, low=0, high=max_length)
            pattern = spec.get("pattern")
            compiled = None
            if pattern is not None:
                if not isinstance(pattern, str):
                    raise CatalogueError(f"{where}: 'pattern' must be a regular expression string")
                try:
                    compiled = re.compile(pattern)
                except re.error as error:
                    raise CatalogueError(f"{where}: 'pattern' is not a valid regular expression: {error}") from None
            return StrType(max_length=max_length, min_length=min_length, pattern=pattern, _compiled=compiled)
        case "decimal":
            digits = _integer(where, spec, "digits", 65, low=1, high=65)
            places = _integer(where, spec, "places", min(30, digits), low=0, high=min(30, digits))
            bounds = [_decimal(where, spec, key) for key in ("min", "max")]
            if bounds[0] is not None and bounds[1] is not None:
                _ordered(where, bounds[0], bounds[1])
            return DecimalType(digits=digits, places=places, minimum=bounds[0], maximum=bounds[1])
        case "date":
            first, last = (_date(where, spec, key) for key in ("min", "max"))
            if first is not None and last is not None:
                _ordered(where, first, last)
            return DateType(minimum=first, maximum=last)
        case "datetime":
            return DateTimeType()
        case "bool":
            return BoolType()
        case _:
            items = spec.get("items")
            if isinstance(items, str):
                items = {"type": items}
            if not isinstance(items, Mapping) or items.get("type") not in SCALAR_TYPES:
                raise CatalogueError(f"{where}: a list needs 'items' with a scalar type ({', '.join(SCALAR_TYPES)})")
            return ListType(
                items=parameter_type(f"{where} items", items),
                max_items=_integer(where, spec, "max_items", 100, low=1, high=MAX_LIST_ITEMS),
            )


def _text(where: str, value: Any) -> str:
    if not isinstance(value, str):
        raise CatalogueError(f"{where}: 'description' must be text")
    return value.strip()


def _integer(
    where: str, spec: Mapping[str, Any], key: str, default: int, *, low: int = INT_MIN, high: int = INT_MAX
) -> int:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CatalogueError(f"{where}: {key!r} must be a whole number from {low} to {high}")
    return value


def _decimal(where: str, spec: Mapping[str, Any], key: str) -> decimal.Decimal | None:
    if key not in spec:
        return None
    value = spec[key]
    try:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise decimal.InvalidOperation
        return decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        raise CatalogueError(f"{where}: {key!r} must be a decimal number written as a string") from None


def _date(where: str, spec: Mapping[str, Any], key: str) -> datetime.date | None:
    if key not in spec:
        return None
    value = spec[key]
    if isinstance(value, datetime.date):  # YAML reads an unquoted 2026-01-01 as a date
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise CatalogueError(f"{where}: {key!r} must be a date as YYYY-MM-DD") from None


def _ordered(where: str, low: Any, high: Any) -> None:
    if low > high:
        raise CatalogueError(f"{where}: 'min' is greater than 'max'")
