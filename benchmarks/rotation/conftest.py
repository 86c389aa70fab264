"""The test suite's harness (real MariaDB, moto, clean state) for the rotation benchmarks."""

from __future__ import annotations

from tests.conftest import aws, aws_environment, fresh_state, mariadb

__all__ = ["aws", "aws_environment", "fresh_state", "mariadb"]
