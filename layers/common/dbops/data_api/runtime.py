"""The data_api function's runtime: its catalogue, its Data API client and its maintenance job, built once per
container; each invocation bounds the client's retries by the Lambda's remaining time."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dbops import settings
from dbops.aws.data_api import DataApi, Target
from dbops.data_api import jobs, service
from dbops.data_api.retrying import RetryPolicy
from dbops.data_api.settings import DataApiSettings
from dbops.errors import ConfigurationError, DataApiError, DatabaseUnavailableError, QueryFailedError
from dbops.observability import logger, metrics
from dbops.queries import catalogue as catalogue_module

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from dbops.queries.catalogue import Catalogue, Query
    from dbops.queries.requests import QueryRequest
    from dbops.queries.responses import QueryResult


@dataclass
class DataApiQueries:
    """The catalogue, the Data API client and the maintenance job's queries."""

    catalogue: Catalogue
    data_api: DataApi
    job: list[Query]

    def run(self, request: QueryRequest, context: LambdaContext | None = None) -> QueryResult:
        """Run one catalogue request and log what ran (the query's name and size, never its values)."""
        started = time.perf_counter()
        with _logged_failure(query=request.query):
            result = service.run(self.catalogue, request, data_api=self._within(context))
        size = len(result["rows"]) if "rows" in result else result["affected"]  # type: ignore[typeddict-item]
        logger.info(
            "query ran", query=request.query, size=size, milliseconds=round((time.perf_counter() - started) * 1000, 1)
        )
        metrics.add_metric(name="DataApiQueriesRun", unit="Count", value=1)
        return result

    def maintain(self, job: jobs.JobRequest, context: LambdaContext | None = None) -> dict[str, Any]:
        """Run the configured maintenance job in one transaction."""
        with _logged_failure(job=job.name):
            result = service.run_job(self.job, data_api=self._within(context))
        names = [query.name for query in self.job]
        logger.info("maintenance job ran", job=job.name, queries=names, affected=result["affected"])
        metrics.add_metric(name="DataApiMaintenanceRuns", unit="Count", value=1)
        return {"job": job.name, "queries": names, "affected": result["affected"]}

    def _within(self, context: LambdaContext | None) -> DataApi:
        if context is None:
            return self.data_api
        return self.data_api.within(lambda: context.get_remaining_time_in_millis() / 1000)


@contextmanager
def _logged_failure(**keys: str) -> Iterator[None]:
    """Log a named error with its message (callers of a 5xx see only its kind): what an operator acts on."""
    try:
        yield
    except (ConfigurationError, DataApiError, DatabaseUnavailableError, QueryFailedError) as error:
        logger.warning("data api request failed", extra={"error": type(error).__name__, "detail": str(error), **keys})
        raise


def catalogue() -> Catalogue:
    """The container's validated catalogue."""
    return runtime().catalogue


@functools.cache
def runtime() -> DataApiQueries:
    """The container's DataApiQueries, built at the first call; the catalogue and the job are checked here."""
    config = settings.load(DataApiSettings)
    loaded = catalogue_module.load(config.catalogue_path or catalogue_module.DEFAULT_PATH)
    data_api = DataApi(
        Target(cluster_arn=config.cluster_arn, secret_arn=config.secret_arn, database=config.database),
        policy=RetryPolicy(budget_seconds=config.retry_budget_seconds),
    )
    return DataApiQueries(
        catalogue=loaded, data_api=data_api, job=service.check_job(loaded, config.maintenance_queries)
    )


def reset() -> None:
    """Forget the runtime (tests, the local runner)."""
    runtime.cache_clear()
