"""The first input while the user is away, as it happens: so presence need not poll the idle time.

While the user is at the desk nothing is asked of the window system; once presence counts them away
it arms the alarm, and the first key press, click, pointer motion or touch after that fires it once
(`fire`, which runs the presence check at once). On X11 that is XInput 2.2 raw events selected on
the root window of the idle source's own connection, only while armed; raw events reach us even while
a screen locker grabs the keyboard. The connection's socket is watched by the runner's waiter
(`Readers.add_reader`), so no thread waits on it and the runner reads every event it brings in its
own thread. Where the server has no XInput 2, or the runner cannot watch a socket, there is no
alarm and presence polls as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from Xlib.display import Display

log = logging.getLogger(__name__)

XI_MAJOR, XI_MINOR = 2, 2  # 2.1 brought raw events during another client's grab; 2.2 raw touches
RAW_KEY_PRESS, RAW_BUTTON_PRESS, RAW_MOTION, RAW_TOUCH_BEGIN = 13, 15, 17, 22  # XI2 event types
RAW_INPUT_MASK = sum(1 << kind for kind in (RAW_KEY_PRESS, RAW_BUTTON_PRESS, RAW_MOTION, RAW_TOUCH_BEGIN))
ALL_MASTER_DEVICES = 1


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
