"""The KMS key checks made before any copy starts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from dbops import settings
from dbops.errors import ConfigurationError
from dbops.snapshots.config import SnapshotCopySettings
from dbops.snapshots.service import check_key

if TYPE_CHECKING:
    from mypy_boto3_kms.type_defs import KeyMetadataTypeDef

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0b5f2a6e-1111-2222-3333-444455556666"


@pytest.fixture
def config(monkeypatch: pytest.MonkeyPatch) -> SnapshotCopySettings:
    monkeypatch.setenv("KMS_KEY_ID", KEY_ARN)
    monkeypatch.setenv("SOURCE_IDENTIFIERS", "orders-db")
    return settings.load(SnapshotCopySettings)


def _key(**overrides: Any) -> KeyMetadataTypeDef:
    key: dict[str, Any] = {
        "KeyId": "0b5f2a6e",
        "Arn": KEY_ARN,
        "Enabled": True,
        "KeyState": "Enabled",
        "KeyUsage": "ENCRYPT_DECRYPT",
        "KeySpec": "SYMMETRIC_DEFAULT",
        "KeyManager": "CUSTOMER",
    }
    return {**key, **overrides}  # type: ignore[return-value]


def test_check_key_refuses_when_the_key_is_asymmetric(config: SnapshotCopySettings) -> None:
    with pytest.raises(ConfigurationError, match="not a symmetric encryption key"):
        check_key(_key(KeySpec="RSA_2048"), config)


def test_check_key_refuses_an_aws_managed_key_when_copies_are_shared(
    config: SnapshotCopySettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHARE_WITH_ACCOUNTS", "111122223333")
    settings.reset()

    with pytest.raises(ConfigurationError, match="AWS-managed"):
        check_key(_key(KeyManager="AWS"), settings.load(SnapshotCopySettings))


def test_check_key_refuses_when_the_key_is_pending_deletion(config: SnapshotCopySettings) -> None:
    with pytest.raises(ConfigurationError, match="PendingDeletion"):
        check_key(_key(Enabled=False, KeyState="PendingDeletion"), config)
