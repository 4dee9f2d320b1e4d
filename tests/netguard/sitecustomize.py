"""Loaded by child processes of the tests: the same network block as tests/conftest.py.

A blocked attempt is also written to $DESKTOP_RAG_NETLOG so the parent test can see it.
"""

import ipaddress
import os
import socket

_real_connect = socket.socket.connect


def _connect(self, address):  # type: ignore[no-untyped-def]
    if not isinstance(address, (str, bytes)):
        host = str(address[0]).split("%")[0]
        try:
            local = ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = host == "localhost"
        if not local:
            log = os.environ.get("DESKTOP_RAG_NETLOG")
            if log:
                with open(log, "a", encoding="utf-8") as handle:
                    handle.write(f"{address!r}\n")
            raise ConnectionRefusedError(f"network blocked in tests: {address!r}")
    return _real_connect(self, address)


socket.socket.connect = _connect  # type: ignore[method-assign]
