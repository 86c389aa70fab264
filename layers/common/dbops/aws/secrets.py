"""Secrets Manager as a rotation function uses it: versions, staging labels, values, random passwords."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from dbops.aws import clients

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

CURRENT = "AWSCURRENT"
PENDING = "AWSPENDING"
PREVIOUS = "AWSPREVIOUS"


@dataclass(frozen=True)
class SecretState:
    """What DescribeSecret says about a secret's rotation and versions."""

    arn: str
    rotation_enabled: bool
    versions: dict[str, list[str]] = field(default_factory=dict)

    def version_with(self, stage: str) -> str | None:
        """The version id holding ``stage``, if any."""
        return next((version for version, stages in self.versions.items() if stage in stages), None)


class SecretNotFoundError(LookupError):
    """The secret, or the version asked for, does not exist (or holds no value yet)."""


class RotationSecrets:
    """Reads and stages the versions of the secret being rotated (and reads its master secret)."""

    def __init__(self, client: SecretsManagerClient | None = None) -> None:
        self._client = client or clients.secretsmanager()

    def describe(self, secret_id: str) -> SecretState:
        """The secret's ARN, whether rotation is on, and its versions' staging labels."""
        try:
            described = self._client.describe_secret(SecretId=secret_id)
        except ClientError as error:
            if _code(error) == "ResourceNotFoundException":
                raise SecretNotFoundError(f"secret {secret_id} does not exist") from error
            raise
        return SecretState(
            arn=described["ARN"],
            rotation_enabled=bool(described.get("RotationEnabled", False)),
            versions={version: list(stages) for version, stages in described.get("VersionIdsToStages", {}).items()},
        )

    def value(self, secret_id: str, *, stage: str | None = None, version_id: str | None = None) -> str:
        """The secret string of a version chosen by stage and/or id.

        Raises SecretNotFoundError when there is no such version or it holds no value yet.
        """
        arguments: dict[str, str] = {"SecretId": secret_id}
        if stage:
            arguments["VersionStage"] = stage
        if version_id:
            arguments["VersionId"] = version_id
        try:
            response = self._client.get_secret_value(**arguments)
        except ClientError as error:
            if _code(error) == "ResourceNotFoundException":
                raise SecretNotFoundError(f"secret {secret_id} has no value for {stage or version_id}") from error
            raise
        if "SecretString" not in response:
            raise SecretNotFoundError(f"secret {secret_id} holds a binary value, not a JSON string")
        return response["SecretString"]

    def put_pending(self, secret_id: str, token: str, value: str, *, rotation_token: str | None = None) -> None:
        """Store ``value`` as version ``token`` labelled AWSPENDING."""
        if rotation_token:
            self._client.put_secret_value(
                SecretId=secret_id,
                ClientRequestToken=token,
                SecretString=value,
                VersionStages=[PENDING],
                RotationToken=rotation_token,
            )
        else:
            self._client.put_secret_value(
                SecretId=secret_id, ClientRequestToken=token, SecretString=value, VersionStages=[PENDING]
            )

    def random_password(self, length: int, excluded_characters: str) -> str:
        """A random password from Secrets Manager (no spaces)."""
        response = self._client.get_random_password(
            PasswordLength=length, ExcludeCharacters=excluded_characters, IncludeSpace=False
        )
        return response["RandomPassword"]

    def move_current(self, secret_id: str, *, to_version: str, from_version: str) -> None:
        """Move AWSCURRENT from ``from_version`` to ``to_version`` (AWSPREVIOUS follows the old one)."""
        self._client.update_secret_version_stage(
            SecretId=secret_id,
            VersionStage=CURRENT,
            MoveToVersionId=to_version,
            RemoveFromVersionId=from_version,
        )

    def clear_pending(self, secret_id: str, version: str) -> None:
        """Remove AWSPENDING from ``version``."""
        self._client.update_secret_version_stage(SecretId=secret_id, VersionStage=PENDING, RemoveFromVersionId=version)

    def recent_versions(self, secret_id: str, *, limit: int) -> list[str]:
        """Up to ``limit`` version ids, newest first, including versions no label holds any more."""
        # One page of the maximum size is plenty: only the newest few are wanted (botocore has no paginator).
        versions = self._client.list_secret_version_ids(SecretId=secret_id, IncludeDeprecated=True, MaxResults=100).get(
            "Versions", []
        )
        newest_first = sorted(versions, key=lambda version: version["CreatedDate"].timestamp(), reverse=True)
        return [version["VersionId"] for version in newest_first[:limit]]


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
