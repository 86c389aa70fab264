"""Fixtures for proxy_queries' integration tests: a fresh shop database and a session on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dbops.mysql.connection import Timeouts
from dbops.mysql.session import QuerySession, StaticLogin
from tests.integration.proxy_queries.shop import Shop, shop_database
from tools.mariadb import MariaDB


@pytest.fixture
def shop(mariadb: MariaDB) -> Iterator[Shop]:
    """A fresh copy of the example shop for this test."""
    with shop_database(mariadb) as created:
        yield created


@pytest.fixture
def session(shop: Shop) -> Iterator[QuerySession]:
    """A session on the shop as its app user, closed afterwards."""
    opened = QuerySession(
        shop.endpoint,
        StaticLogin(shop.credentials),
        ca_bundle=shop.server.ca_bundle,
        timeouts=Timeouts(connect=5, read=10, write=10),
    )
    yield opened
    opened.close()
