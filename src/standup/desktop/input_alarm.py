"""The first input while the user is away, as it happens: so presence need not poll the idle time.

While the user is at the desk nothing is asked of the window system; once presence counts them away
it arms the alarm, and the first key press, click, pointer motion or touch after that fires it once
(`fire`, which runs the presence check at once). On X11 that is XInput 2.2 raw events selected on
the root window of the idle source's own connection, only while armed; raw events reach us even while
a screen locker grabs the keyboard. The connection's socket is watched by the runner's waiter
(`Readers.add_reader`), so no thread waits on it and the runner reads every event it brings in its
own thread. On GNOME (Wayland) it is Mutter's user-active watch: `AddUserActiveWatch` on its
IdleMonitor, and its `WatchFired` signal, which arrives on the desktop's bus loop (`bus.SessionLoop`)
and calls `fire` from that thread. Where the server has no XInput 2 or the runner cannot watch a
socket there is no alarm, where Mutter does not answer `arm()` is False, and KDE Plasma has no such
call (its source offers no alarm): presence then polls as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from standup.desktop.bus import DBUS, BusError, SessionLoop
from standup.desktop.presence_dbus import CALL_TIMEOUT_S, GNOME_IDLE, NO_AUTO_START

if TYPE_CHECKING:
    from dbus_fast import Message
    from dbus_fast.aio import MessageBus
    from Xlib.display import Display

log = logging.getLogger(__name__)

XI_MAJOR, XI_MINOR = 2, 2  # 2.1 brought raw events during another client's grab; 2.2 raw touches
RAW_KEY_PRESS, RAW_BUTTON_PRESS, RAW_MOTION, RAW_TOUCH_BEGIN = 13, 15, 17, 22  # XI2 event types
RAW_INPUT_MASK = sum(1 << kind for kind in (RAW_KEY_PRESS, RAW_BUTTON_PRESS, RAW_MOTION, RAW_TOUCH_BEGIN))
ALL_MASTER_DEVICES = 1
MUTTER = GNOME_IDLE  # the IdleMonitor whose idle time the GNOME source reads
WATCH_FIRED_RULE = (f"type='signal',sender='{MUTTER.name}',path='{MUTTER.path}',"
                    f"interface='{MUTTER.interface}',member='WatchFired'")


class InputAlarm(Protocol):
    """Calls its `fire` once, at the first input after `arm()`."""

    def arm(self) -> bool:
        """Fire at the next input (again armed if already); False when it cannot, and then poll."""

    def disarm(self) -> None: ...


class Readers(Protocol):
    """Where a socket's data is waited for (the Runner)."""

    def add_reader(self, fd: int, pump: Callable[[], object]) -> bool: ...


class X11InputAlarm:
    """XInput 2 raw events on the root window of a python-xlib connection, selected only while armed."""

    def __init__(self, display: Display, opcode: int, fire: Callable[[], None]) -> None:
        from Xlib import error
        from Xlib.ext import ge

        self._display, self._opcode, self._fire = display, opcode, fire
        self._generic_event, self._errors = ge.GenericEventCode, (error.XError, error.ConnectionClosedError, OSError)
        self._root = display.screen().root
        self._armed = False
        self._broken = False

    @classmethod
    def open(cls, display: Display, readers: Readers, fire: Callable[[], None]) -> X11InputAlarm | None:
        """The alarm on `display`, with its socket given to `readers`; None (and why, logged) where it cannot be."""
        from Xlib import error
        from Xlib.ext import xinput

        try:
            if not display.has_extension(xinput.extname):
                log.info("no input alarm: the X server has no XInput extension")
                return None
            opcode = display.display.get_extension_major(xinput.extname)
            version = xinput.XIQueryVersion(display=display.display, opcode=opcode,
                                            major_version=XI_MAJOR, minor_version=XI_MINOR)
            if (version.major_version, version.minor_version) < (XI_MAJOR, XI_MINOR):
                log.info("no input alarm: the X server has XInput %d.%d, not %d.%d",
                         version.major_version, version.minor_version, XI_MAJOR, XI_MINOR)
                return None
        except (error.XError, error.ConnectionClosedError, OSError) as exc:
            log.info("no input alarm: %s", exc)
            return None
        alarm = cls(display, opcode, fire)
        if not readers.add_reader(display.fileno(), alarm.pump):
            log.info("no input alarm: this runner cannot wait on the X connection")
            return None
        log.info("input alarm on (XInput %d.%d raw events while away)", XI_MAJOR, XI_MINOR)
        return alarm

    @property
    def armed(self) -> bool:
        return self._armed

    def arm(self) -> bool:
        if self._broken:
            return False
        if not self._armed:
            # Raw events still on their way from before (the input that fired us last) are not news:
            # a round trip brings them in, and they are read before selecting again.
            try:
                self._display.sync()
            except self._errors as exc:
                self._give_up(exc)
                return False
            self._drain()
            self._armed = not self._broken and self._select(RAW_INPUT_MASK)
        return self._armed

    def disarm(self) -> None:
        if self._armed:
            self._armed = False
            self._select(0)

    def pump(self) -> None:
        """Reads every event the connection holds (the socket must be left empty); fires at raw input while armed."""
        if self._drain() and self._armed:
            self.disarm()
            self._fire()

    def _drain(self) -> bool:
        """Reads every event queued or waiting on the socket; whether any was raw input."""
        raw_input = False
        try:
            while not self._broken and self._display.pending_events():
                event = self._display.next_event()
                raw_input = raw_input or (event.type == self._generic_event and event.extension == self._opcode)
        except self._errors as exc:
            self._give_up(exc)
            return False
        return raw_input

    def _select(self, mask: int) -> bool:
        try:
            self._root.xinput_select_events([(ALL_MASTER_DEVICES, mask)])
            self._display.flush()
        except self._errors as exc:
            self._give_up(exc)
            return False
        return True

    def _give_up(self, exc: BaseException) -> None:
        if not self._broken:
            log.warning("input alarm stopped (%s); presence polls the idle time instead", exc)
        self._broken, self._armed = True, False


class MutterInputAlarm:
    """Mutter's user-active watch: fires once at the next input, and Mutter then drops it.

    Mutter also drops a client's watches when its connection closes, so a new connection means a new
    match rule and a new watch. The watch's id is set and cleared on the bus loop's thread only.
    """

    def __init__(self, loop: SessionLoop, fire: Callable[[], None]) -> None:
        self._loop, self._fire = loop, fire
        self._watch: int | None = None
        self._rule_bus: MessageBus | None = None  # the connection our WatchFired match rule was added on
        self._arming = False
        self._fired_while_arming: set[int] = set()
        self._failing = False

    @property
    def armed(self) -> bool:
        return self._watch is not None

    def arm(self) -> bool:
        try:
            self._loop.ask(self._arm, CALL_TIMEOUT_S)
        except BusError as exc:
            if not self._failing:
                log.info("input alarm unavailable (%s); presence polls the idle time while away", exc)
            self._failing = True
            return False
        self._failing = False
        return True

    def disarm(self) -> None:
        if self._watch is None:
            return
        try:
            self._loop.ask(self._disarm, CALL_TIMEOUT_S)
        except BusError as exc:
            log.debug("input alarm: RemoveWatch failed: %s", exc)

    async def _arm(self) -> None:
        bus = await self._loop.connection()
        if self._rule_bus is not bus:
            self._watch = None
            await self._loop.call(*DBUS, "AddMatch", "s", [WATCH_FIRED_RULE])  # before the watch: no firing falls between
            bus.add_message_handler(self._on_message)
            self._rule_bus = bus
        if self._watch is not None:
            return
        if not await self._loop.has_owner(MUTTER.name):
            raise BusError(f"{MUTTER.name} is not on the session bus")
        self._fired_while_arming.clear()
        self._arming = True
        try:
            body = await self._loop.call(MUTTER.name, MUTTER.path, MUTTER.interface, "AddUserActiveWatch",
                                         flags=NO_AUTO_START)
        finally:
            self._arming = False
        watch = body[0] if body else None
        if not isinstance(watch, int):
            raise BusError(f"AddUserActiveWatch answered {body!r}, not a watch id")
        if watch in self._fired_while_arming:
            # The reply and the signal came in one read, and dbus-fast ran the handler before we resumed.
            self._fire()
        else:
            self._watch = watch

    async def _disarm(self) -> None:
        watch, self._watch = self._watch, None
        if watch is not None and self._rule_bus is not None and self._rule_bus.connected:
            await self._loop.call(MUTTER.name, MUTTER.path, MUTTER.interface, "RemoveWatch", "u", [watch],
                                  NO_AUTO_START)

    def _on_message(self, message: Message) -> None:
        if (message.member != "WatchFired" or message.interface != MUTTER.interface or message.path != MUTTER.path
                or not message.body):
            return None
        watch = message.body[0]
        if watch == self._watch:
            self._watch = None
            self._fire()
        elif self._arming:
            self._fired_while_arming.add(watch)
        return None
