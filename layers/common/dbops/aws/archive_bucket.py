"""The archive bucket: write one archive object unless the same bytes are already there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from dbops.aws import clients
from dbops.errors import ArchiveWriteError

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

DIGEST_METADATA = "sha256"


class ArchiveBucket:
    """Puts gzip'd JSON Lines archive objects (encrypted by the bucket's default SSE-KMS key)."""

    def __init__(self, bucket: str, client: S3Client | None = None) -> None:
        self.name = bucket
        self._client = client or clients.s3()

    def put(self, key: str, body: bytes, sha256: str) -> bool:
        """Store ``body`` at ``key``; False when that exact content is already the current version."""
        try:
            if self._current_digest(key) == sha256:
                return False
            self._client.put_object(
                Bucket=self.name,
                Key=key,
                Body=body,
                ContentType="application/x-ndjson",
                ContentEncoding="gzip",
                ChecksumAlgorithm="SHA256",
                Metadata={DIGEST_METADATA: sha256},
            )
        except (ClientError, BotoCoreError) as error:
            raise ArchiveWriteError(f"could not write s3://{self.name}/{key}: {error}") from error
        return True

    def _current_digest(self, key: str) -> str | None:
        try:
            head = self._client.head_object(Bucket=self.name, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise
        return head.get("Metadata", {}).get(DIGEST_METADATA)
