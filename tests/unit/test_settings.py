"""Settings: read at the first call, cached, and one clear message per bad variable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

import pytest

from dbops import settings
from dbops.errors import ConfigurationError


@dataclass(frozen=True)
class ExampleSettings:
    bucket: str
    batch_size: int
    dry_run: bool

    @classmethod
    def from_environ(cls) -> Self:
        return cls(
            bucket=settings.text("EXAMPLE_BUCKET", pattern=r"[a-z0-9.-]{3,63}", example="dbops-archive"),
            batch_size=settings.integer("EXAMPLE_BATCH_SIZE", default=10, minimum=1, maximum=100),
            dry_run=settings.boolean("EXAMPLE_DRY_RUN", default=False),
        )


def test_load_reads_the_environment_at_the_first_call_when_variables_are_valid(monkeypatch):
    monkeypatch.setenv("EXAMPLE_BUCKET", "dbops-archive")
    monkeypatch.setenv("EXAMPLE_BATCH_SIZE", "25")
    monkeypatch.setenv("EXAMPLE_DRY_RUN", "TRUE")

    loaded = settings.load(ExampleSettings)

    assert loaded == ExampleSettings(bucket="dbops-archive", batch_size=25, dry_run=True)


def test_load_caches_until_reset_when_the_environment_changes(monkeypatch):
    monkeypatch.setenv("EXAMPLE_BUCKET", "first-bucket")
    first = settings.load(ExampleSettings)
    monkeypatch.setenv("EXAMPLE_BUCKET", "second-bucket")

    cached = settings.load(ExampleSettings)
    settings.reset()
    reread = settings.load(ExampleSettings)

    assert cached is first
    assert reread.bucket == "second-bucket"


def test_text_names_the_variable_and_an_example_when_it_is_missing(monkeypatch):
    monkeypatch.delenv("EXAMPLE_BUCKET", raising=False)

    with pytest.raises(ConfigurationError, match=r"EXAMPLE_BUCKET is missing: set it to a value like 'dbops-archive'"):
        settings.load(ExampleSettings)


def test_text_names_the_pattern_when_the_value_is_malformed(monkeypatch):
    monkeypatch.setenv("EXAMPLE_BUCKET", "Not A Bucket")

    with pytest.raises(ConfigurationError, match=r"EXAMPLE_BUCKET is malformed: it must match") as raised:
        settings.load(ExampleSettings)

    assert "Not A Bucket" not in str(raised.value)


@pytest.mark.parametrize("value", ["0", "101", "ten", "1.5"])
def test_integer_states_the_range_when_out_of_it(monkeypatch, value):
    monkeypatch.setenv("EXAMPLE_BATCH_SIZE", value)

    with pytest.raises(ConfigurationError, match=r"EXAMPLE_BATCH_SIZE .* whole number from 1 to 100"):
        settings.integer("EXAMPLE_BATCH_SIZE", default=10, minimum=1, maximum=100)


def test_boolean_accepts_only_true_or_false_when_set(monkeypatch):
    monkeypatch.setenv("EXAMPLE_DRY_RUN", "yes")

    with pytest.raises(ConfigurationError, match=r"EXAMPLE_DRY_RUN .* 'true' or 'false'"):
        settings.boolean("EXAMPLE_DRY_RUN", default=False)


def test_optional_text_is_none_when_unset_or_empty(monkeypatch):
    monkeypatch.setenv("EXAMPLE_TOPIC", "  ")

    assert settings.optional_text("EXAMPLE_TOPIC", pattern=r"arn:.+", example="arn:aws:sns:...") is None


def test_names_splits_a_comma_separated_list_and_checks_every_item(monkeypatch):
    monkeypatch.setenv("EXAMPLE_IDS", "db-one, db-two,,")
    assert settings.names("EXAMPLE_IDS", pattern=r"[a-z][a-z0-9-]*", example="db-one") == ("db-one", "db-two")

    monkeypatch.setenv("EXAMPLE_IDS", "db-one,Bad_Id")
    with pytest.raises(ConfigurationError, match="EXAMPLE_IDS is malformed"):
        settings.names("EXAMPLE_IDS", pattern=r"[a-z][a-z0-9-]*", example="db-one")
