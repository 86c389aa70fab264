"""The suite's harness fixtures (a TLS MariaDB, fake AWS credentials, clean state) for this benchmark."""

from __future__ import annotations

from tests.conftest import aws, aws_environment, fresh_state, lambda_context, mariadb

__all__ = ["aws", "aws_environment", "fresh_state", "lambda_context", "mariadb"]
