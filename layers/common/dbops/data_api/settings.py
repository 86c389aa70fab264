"""The data_api function's settings, read from its environment at the first invocation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from dbops import settings
from dbops.queries.catalogue import NAME_PATTERN
from dbops.queries.settings import SECRET_ID_PATTERN

CLUSTER_ARN_PATTERN = r"arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster:[A-Za-z][A-Za-z0-9-]{0,62}"


@dataclass(frozen=True)
class DataApiSettings:
    """Which cluster and secret the Data API uses, which catalogue to serve, and the maintenance job."""

    cluster_arn: str
    secret_arn: str
    database: str | None = None
    catalogue_path: str | None = None
    maintenance_queries: tuple[str, ...] = ()
    retry_budget_seconds: int = 25

    @classmethod
    def from_environ(cls) -> Self:
        """Read DATA_API_CLUSTER_ARN, DATA_API_SECRET_ARN and the rest; fail naming the first bad variable."""
        return cls(
            cluster_arn=settings.text(
                "DATA_API_CLUSTER_ARN",
                pattern=CLUSTER_ARN_PATTERN,
                example="arn:aws:rds:us-east-1:123456789012:cluster:app",
            ),
            secret_arn=settings.text(
                "DATA_API_SECRET_ARN",
                pattern=SECRET_ID_PATTERN,
                example="arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf",
            ),
            database=settings.optional_text("DATA_API_DATABASE", pattern=r"[A-Za-z0-9_$]{1,64}", example="app"),
            catalogue_path=settings.optional_text(
                "QUERY_CATALOGUE", pattern=r"/?[\w./-]+\.(ya?ml|json)", example="/var/task/catalogue.yaml"
            ),
            maintenance_queries=settings.names(
                "DATA_API_MAINTENANCE_QUERIES", pattern=NAME_PATTERN, example="cancel_stale_orders,purge_sessions"
            ),
            retry_budget_seconds=settings.integer("DATA_API_RETRY_BUDGET_SECONDS", default=25, minimum=1, maximum=600),
        )
