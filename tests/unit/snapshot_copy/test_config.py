"""The snapshot copy's settings from the environment."""

from __future__ import annotations

import pytest

from dbops import settings
from dbops.errors import ConfigurationError
from dbops.snapshots.config import SnapshotCopySettings
from dbops.snapshots.model import Kind

KEY = "arn:aws:kms:us-east-1:123456789012:key/0b5f2a6e-1111-2222-3333-444455556666"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("KMS_KEY_ID", KEY)
    monkeypatch.setenv("SOURCE_TAG", "dbops:snapshot-copy=true")
    return monkeypatch


def test_settings_use_defaults_when_only_the_key_and_a_selector_are_set(
    environment: pytest.MonkeyPatch,
) -> None:
    config = settings.load(SnapshotCopySettings)

    assert config.kinds == (Kind.INSTANCE, Kind.CLUSTER)
    assert config.selector.tag == ("dbops:snapshot-copy", "true")
    assert (config.retention_days, config.keep_latest, config.policy) == (7, 3, "default")
    assert config.destination_region is None
    assert config.max_copies_in_progress == {Kind.INSTANCE: 5, Kind.CLUSTER: 5}


def test_settings_refuse_when_no_selector_is_set(environment: pytest.MonkeyPatch) -> None:
    environment.delenv("SOURCE_TAG")

    with pytest.raises(ConfigurationError, match="no sources chosen"):
        settings.load(SnapshotCopySettings)


def test_settings_refuse_when_the_pattern_is_not_a_regular_expression(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.setenv("SOURCE_PATTERN", "prod-(")

    with pytest.raises(ConfigurationError, match="SOURCE_PATTERN"):
        settings.load(SnapshotCopySettings)


def test_settings_treat_the_own_region_as_same_region_when_it_is_the_destination(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.setenv("DESTINATION_REGION", "us-east-1")

    assert settings.load(SnapshotCopySettings).destination_region is None


def test_settings_read_option_groups_and_accounts_when_set(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("OPTION_GROUP_MAP", "prod-og=dr-og, other=dr-other")
    environment.setenv("SHARE_WITH_ACCOUNTS", "111122223333")
    environment.setenv("DESTINATION_REGION", "eu-west-1")

    config = settings.load(SnapshotCopySettings)

    assert config.option_groups == {"prod-og": "dr-og", "other": "dr-other"}
    assert config.share_with == ("111122223333",)
    assert config.destination_region == "eu-west-1"


def test_settings_refuse_when_the_key_is_not_an_arn(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("KMS_KEY_ID", "alias/aws/rds")

    with pytest.raises(ConfigurationError, match="KMS_KEY_ID"):
        settings.load(SnapshotCopySettings)
