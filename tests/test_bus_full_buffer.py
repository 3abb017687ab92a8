"""The desktop's one D-Bus connection survives a full send buffer (a busy or stopped bus daemon).

A dbus-daemon of the test's own is stopped (SIGSTOP) while the app sends more than a socket holds,
as a panel reading our icon pixmaps from a busy daemon makes it; once the daemon runs again, every
message arrives and the same connection still answers.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest

from standup.desktop import bus as session_bus

dbus_fast = pytest.importorskip("dbus_fast")
from dbus_fast import Message  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon")
BURST = 60  # signals of 64 KiB: far more than a Unix socket's send buffer
PAYLOAD = "x" * 65536


@pytest.fixture()
def daemon() -> Iterator[tuple[str, int]]:
    proc = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
                          capture_output=True, text=True, check=True, timeout=10)
    address, pid = proc.stdout.split()
    try:
        yield address, int(pid)
    finally:
        os.kill(int(pid), signal.SIGCONT)
        os.kill(int(pid), signal.SIGTERM)


def test_a_stopped_bus_daemon_delays_messages_instead_of_closing_the_connection(daemon):
    address, pid = daemon
    loop = session_bus.SessionLoop(address, name="test-full-buffer").start()
    unique = loop.ask(lambda: _unique_name(loop))
    os.kill(pid, signal.SIGSTOP)
    sent = []

    async def burst() -> None:
        bus = await loop.connection()
        for n in range(BURST):
            sent.append(bus.send(Message.new_signal("/test", "test.Burst", "Chunk", "s", [PAYLOAD])))

    loop.ask(burst)
    time.sleep(0.5)
    os.kill(pid, signal.SIGCONT)
    loop.ask(lambda: _wait_sent(sent), timeout=10)  # raises what a send failed with
    assert loop.ask(lambda: _unique_name(loop), timeout=10) == unique  # the same connection, still open


async def _unique_name(loop: session_bus.SessionLoop) -> str:
    bus = await loop.connection()
    await loop.call(*session_bus.DBUS, "GetId")
    return bus.unique_name


async def _wait_sent(sent: list) -> None:
    await asyncio.gather(*sent)
