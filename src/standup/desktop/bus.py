"""The one asyncio loop thread and the one session-bus connection (dbus-fast) the desktop shares.

Notifications (desktop-notifier), the StatusNotifierItem tray and the presence questions (screen
lock, paused notifications, idle time on Wayland) all talk D-Bus from this loop, on one connection:
`adopt()` takes desktop-notifier's connection when it made one first, otherwise `connection()`
opens ours on first use. Other threads hand work over with `submit()` (fire and forget) or `ask()`
(wait for the answer, with a timeout). Whether a name has an owner is asked of the bus once per
name and then followed by its NameOwnerChanged signals (`has_owner`, `known_owner`), so the
presence checks that ask it every few minutes cost no round trip. The only importer of dbus-fast
besides desktop/sni and the notifier, and lazily: without a session bus nothing is started.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, TypeVar

from standup.desktop._dbus_fast_internals import wait_when_send_buffer_full

if TYPE_CHECKING:
    from dbus_fast import Message
    from dbus_fast.aio import MessageBus

log = logging.getLogger(__name__)

T = TypeVar("T")
ASK_TIMEOUT_S = 2.0
DBUS = ("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus")


class BusError(Exception):
    """The session bus could not answer (not there, refused, timed out)."""


def session_bus_address(env: Mapping[str, str] | None = None) -> str | None:
    """The session bus's address, or None when this session has none."""
    env = os.environ if env is None else env
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        return env["DBUS_SESSION_BUS_ADDRESS"]
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and os.path.exists(os.path.join(runtime, "bus")):
        return f"unix:path={os.path.join(runtime, 'bus')}"
    return None


class SessionLoop:
    """An asyncio loop on a daemon thread, with one lazily opened dbus-fast session connection."""

    def __init__(self, address: str, name: str = "standup-bus") -> None:
        self.address = address
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._bus: MessageBus | None = None
        self._connecting: asyncio.Lock | None = None
        self._started = threading.Event()
        self._stopped = False
        self._owners: dict[str, bool] = {}  # names followed by their NameOwnerChanged signals
        self._owners_bus: MessageBus | None = None  # the connection those signals come on

    # ---- the thread ---------------------------------------------------------------------
    def start(self) -> SessionLoop:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()
            self._started.wait()
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        self._connecting = asyncio.Lock()
        self._started.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        assert self._loop is not None, "SessionLoop.start() first"
        return self._loop

    @property
    def on_loop_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def submit(self, coro: Coroutine[object, object, T]) -> Future[T]:
        """Runs `coro` on the loop; returns its concurrent Future (failures are logged, not raised)."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        future.add_done_callback(_log_failure)
        return future

    def call_soon(self, call: Callable[[], object]) -> None:
        """Runs a plain callable on the loop thread soon (thread-safe)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(call)

    def ask(self, make: Callable[[], Awaitable[T]], timeout: float = ASK_TIMEOUT_S) -> T:
        """Runs `make()` on the loop and waits for its answer; raises BusError. Not from the loop thread."""
        if self.on_loop_thread:
            raise BusError("a blocking D-Bus question from the bus thread itself")
        if self._stopped or self._loop is None or self._loop.is_closed():
            raise BusError("the bus loop is not running")

        async def run() -> T:
            return await make()

        future = asyncio.run_coroutine_threadsafe(run(), self._loop)
        try:
            return future.result(timeout)
        except FutureTimeout as exc:
            future.cancel()
            raise BusError(f"no answer within {timeout:.0f} s") from exc
        except BusError:
            raise
        except Exception as exc:  # dbus-fast's errors, OSError, EOFError: all mean "the bus could not answer"
            raise BusError(str(exc) or type(exc).__name__) from exc

    # ---- the connection (loop thread) ----------------------------------------------------
    def adopt(self, bus: object) -> bool:
        """Uses `bus` (a connected dbus-fast MessageBus made on this loop) if we have none yet."""
        from dbus_fast.aio import MessageBus  # loaded already: desktop-notifier made `bus` with it

        if self._bus is None and isinstance(bus, MessageBus) and bus.connected:
            self._bus = bus
            wait_when_send_buffer_full(bus)
            log.info("D-Bus: sharing desktop-notifier's session connection")
            return True
        return bus is self._bus

    async def connection(self) -> MessageBus:
        """The connected MessageBus; opens it on first use. Raises BusError."""
        if self._bus is not None and self._bus.connected:
            return self._bus
        assert self._connecting is not None
        async with self._connecting:
            if self._bus is None or not self._bus.connected:
                try:
                    from dbus_fast.aio import MessageBus
                except ImportError as exc:
                    raise BusError(f"dbus-fast is not installed ({exc})") from exc
                try:
                    bus = await MessageBus(bus_address=self.address).connect()
                except Exception as exc:  # dbus-fast raises several kinds on a refused connection
                    raise BusError(f"cannot connect to the session bus: {exc}") from exc
                wait_when_send_buffer_full(bus)
                log.info("D-Bus: connected to the session bus as %s", bus.unique_name)
                self._bus = bus
            return self._bus

    async def call(self, destination: str, path: str, interface: str, member: str,
                   signature: str = "", body: list[object] | None = None, flags: int = 0) -> list[object]:
        """One method call; returns the reply's body or raises BusError (an error reply included)."""
        from dbus_fast import Message, MessageType

        bus = await self.connection()
        reply = await bus.call(Message(destination=destination, path=path, interface=interface, member=member,
                                       signature=signature, body=body or [], flags=flags))
        if reply is None or reply.message_type is MessageType.ERROR:
            error = reply.error_name if reply is not None else "no reply"
            detail = reply.body[0] if reply is not None and reply.body else ""
            raise BusError(f"{interface}.{member}: {error} {detail}".strip())
        return list(reply.body)

    async def name_has_owner(self, name: str) -> bool:
        return bool((await self.call(*DBUS, "NameHasOwner", "s", [name]))[0])

    async def has_owner(self, name: str) -> bool:
        """Whether `name` has an owner: asked the first time (per connection), then followed by signal."""
        bus = await self.connection()
        if self._owners_bus is not bus:  # a new connection: its match rules and handler are new too
            self._owners = {}
            self._owners_bus = bus
            bus.add_message_handler(self._owner_changed)
        if name not in self._owners:
            await self.call(*DBUS, "AddMatch", "s", [owner_rule(name)])
            self._owners[name] = await self.name_has_owner(name)  # after the rule: no change falls between
        return self._owners[name]

    def known_owner(self, name: str) -> bool | None:
        """From any thread: whether `name` has an owner as the signals tell, or None when not followed yet."""
        bus = self._owners_bus
        if bus is None or bus is not self._bus or not getattr(bus, "connected", False):
            return None
        return self._owners.get(name)

    def _owner_changed(self, message: Message) -> None:
        if (message.member == "NameOwnerChanged" and message.interface == DBUS[2] and message.body
                and message.body[0] in self._owners):
            self._owners[message.body[0]] = bool(message.body[2])
        return None

    # ---- the end ------------------------------------------------------------------------
    def stop(self, timeout: float = 2.0) -> None:
        if self._stopped or self._loop is None:
            return
        self._stopped = True
        loop = self._loop

        async def finish() -> None:
            if self._bus is not None:
                self._bus.disconnect()
            loop.stop()

        if not loop.is_closed():
            asyncio.run_coroutine_threadsafe(finish(), loop)
        if self._thread is not None and not self.on_loop_thread:
            self._thread.join(timeout)


def owner_rule(name: str) -> str:
    """The match rule for `name`'s NameOwnerChanged signals."""
    return (f"type='signal',sender='{DBUS[0]}',interface='{DBUS[2]}',member='NameOwnerChanged',"
            f"path='{DBUS[1]}',arg0='{name}'")


def _log_failure(future: Future[T]) -> None:
    if future.cancelled():
        return
    exc = future.exception()
    if exc is not None:
        log.warning("D-Bus task failed: %s", exc, exc_info=exc)


def open_session_loop(env: Mapping[str, str] | None = None) -> SessionLoop | None:
    """The started loop for this session's bus, or None when there is no session bus."""
    address = session_bus_address(env)
    return SessionLoop(address).start() if address else None
