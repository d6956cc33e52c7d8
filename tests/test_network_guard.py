"""The whole suite runs with the network guard on (pyproject: ``--disable-socket
--allow-unix-socket --allow-hosts=127.0.0.1,localhost,::1``): loopback works, the outside
world does not."""

from __future__ import annotations

import socket

import httpx
import pytest
from pytest_socket import SocketConnectBlockedError

OUTSIDE = "192.0.2.1"      # TEST-NET-1 (RFC 5737): never routed; no DNS needed


def test_guard_is_configured(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.getoption("--disable-socket")
    assert set(pytestconfig.getoption("--allow-hosts").split(",")) == {
        "127.0.0.1", "localhost", "::1"}


# pytest-socket warns each time it blocks; here blocking is the point
blocked_on_purpose = pytest.mark.filterwarnings("ignore:A test tried to use socket")


@blocked_on_purpose
def test_outside_connection_fails() -> None:
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection((OUTSIDE, 80), timeout=1)


@blocked_on_purpose
def test_http_client_cannot_reach_the_apis() -> None:
    # what a forgotten transport= in a live-client test would do
    with pytest.raises(SocketConnectBlockedError):
        httpx.get(f"http://{OUTSIDE}/v4/anime/1", timeout=1)


def test_loopback_still_works() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            peer, _ = server.accept()
            peer.close()
