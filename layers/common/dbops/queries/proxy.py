"""The proxy_queries function's runtime: its catalogue and its connections, built once per container."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from typing import cast

from dbops import settings
from dbops.aws.db_auth import IamAuthToken, SecretLogin
from dbops.mysql.connection import Endpoint, Timeouts
from dbops.mysql.session import CredentialSource, QuerySession
from dbops.observability import logger, metrics
from dbops.queries import catalogue as catalogue_module
from dbops.queries import service
from dbops.queries.catalogue import Catalogue
from dbops.queries.requests import QueryRequest
from dbops.queries.responses import QueryResult, ReadResult
from dbops.queries.settings import QueriesSettings


@dataclass
class ProxyQueries:
    """The catalogue, the writer session (proxy endpoint) and the reader (read-only endpoint, else the same)."""

    catalogue: Catalogue
    writer: QuerySession
    reader: QuerySession

    def run(self, request: QueryRequest) -> QueryResult:
        """Run one request and log what ran (the query's name and size, never its values)."""
        started = time.perf_counter()
        result = service.run(self.catalogue, request, reader=self.reader, writer=self.writer)
        size = len(cast("ReadResult", result)["rows"]) if "rows" in result else result["affected"]
        # Debug, not info: one line per query is the largest cost of a warm lookup (see benchmarks/proxy_queries).
        logger.debug(
            "query ran", query=request.query, size=size, milliseconds=round((time.perf_counter() - started) * 1000, 1)
        )
        metrics.add_metric(name="QueriesRun", unit="Count", value=1)
        return result


def catalogue() -> Catalogue:
    """The container's validated catalogue (listing it opens no connection)."""
    return runtime().catalogue


@functools.cache
def runtime() -> ProxyQueries:
    """The container's ProxyQueries, built at the first call from the settings; the catalogue is validated here."""
    config = settings.load(QueriesSettings)
    catalogue = catalogue_module.load(config.catalogue_path or catalogue_module.DEFAULT_PATH)
    timeouts = Timeouts(connect=config.connect_timeout, read=config.read_timeout, write=config.read_timeout)
    writer_endpoint = Endpoint(config.proxy_endpoint, config.port, config.database)
    writer = QuerySession(
        writer_endpoint, _login(config, writer_endpoint), ca_bundle=config.ca_bundle, timeouts=timeouts
    )
    reader = writer
    if config.read_endpoint:
        reader_endpoint = Endpoint(config.read_endpoint, config.port, config.database)
        reader = QuerySession(
            reader_endpoint, _login(config, reader_endpoint), ca_bundle=config.ca_bundle, timeouts=timeouts
        )
    return ProxyQueries(catalogue=catalogue, writer=writer, reader=reader)


def reset() -> None:
    """Close the connections and forget the runtime (tests, the local runner)."""
    if runtime.cache_info().currsize:
        current = runtime()
        current.writer.close()
        current.reader.close()
    runtime.cache_clear()


def _login(config: QueriesSettings, endpoint: Endpoint) -> CredentialSource:
    if config.auth_mode == "iam" and config.user is not None:
        return IamAuthToken(endpoint, config.user)
    assert config.secret_id is not None  # QueriesSettings requires it in secret mode
    return SecretLogin(config.secret_id, max_age=config.secret_max_age)
