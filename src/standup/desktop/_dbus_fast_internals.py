"""The one place that reaches into dbus-fast's private writer (checked against 5.2).

Upstream behaviour that forces it: dbus-fast's asyncio writer sends on a non-blocking socket and
treats every error from `send` as fatal, `BlockingIOError` (EAGAIN) included, so when the socket's
send buffer is full it closes the whole connection (the bug python-dbus-next #153 describes, which
dbus-fast inherited). A full buffer is ordinary: a panel reading our icon pixmaps (about 35 KB per
icon) from a busy bus daemon fills it, and the tray, the toasts and the presence questions all died
with the connection. Here the socket the writer uses is wrapped so that a full buffer sends 0
bytes; the writer then waits for the socket to become writable, as it already does after a partial
write. Without the private attributes (another version) nothing is changed.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

log = logging.getLogger(__name__)


class _WaitWhenFull:
    """A socket whose `send`/`sendmsg` answer 0 bytes instead of raising when the buffer is full."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def send(self, data: Any, *flags: int) -> int:
        try:
            return self._sock.send(data, *flags)
        except BlockingIOError:
            return 0

    def sendmsg(self, buffers: Any, *args: Any) -> int:
        try:
            return self._sock.sendmsg(buffers, *args)
        except BlockingIOError:
            return 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def wait_when_send_buffer_full(bus: object) -> bool:
    """Makes `bus` (a connected dbus-fast MessageBus) wait out a full send buffer; False if it can't."""
    writer = getattr(bus, "_writer", None)
    sock = getattr(writer, "sock", None)
    if isinstance(sock, _WaitWhenFull):
        return True
    if not isinstance(sock, socket.socket):
        log.info("D-Bus: cannot guard the connection against a full send buffer (dbus-fast changed)")
        return False
    writer.sock = _WaitWhenFull(sock)  # type: ignore[union-attr]
    return True
