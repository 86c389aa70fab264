"""Unit tests are pure logic: any socket they open is a bug."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def no_sockets(socket_disabled: None) -> None:
    """pytest-socket's socket_disabled: opening a socket raises SocketBlockedError."""
