"""How the runner sleeps between turns, and how another thread wakes it early.

`EventWaiter` sleeps on a `threading.Event`: portable, but blind to suspend and to the wall clock being
set, so the runner caps each of its sleeps at a minute to notice them. On Linux, `TimerfdWaiter`
sleeps on a CLOCK_REALTIME timerfd armed with TFD_TIMER_CANCEL_ON_SET: the kernel ends the sleep at
once when the wall clock is set or the machine resumes from suspend, so the runner can sleep until
its next decision however far off, and wakes exactly when something can have changed. An eventfd
carries the wake-ups from other threads, and `watch(fd)` adds a connection whose data should end
the sleep too (the X server's, for the first input while the user is away). libc is reached through
ctypes (Python 3.11 has no `os.timerfd_create`); `best_waiter()` falls back to the Event where any
of that is missing; the Event cannot watch a connection, so there the watches poll.
"""

from __future__ import annotations

import errno
import logging
import os
import select
import sys
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

EVENT_MAX_SLEEP_S = 60.0  # blind to suspend and clock steps: look at the clocks every minute
TIMERFD_MAX_SLEEP_S = 3600.0  # a safety net only; the kernel wakes us for what matters

_CLOCK_REALTIME = 0
_TFD_NONBLOCK = 0o4000
_TFD_CLOEXEC = 0o2000000
_TFD_TIMER_ABSTIME = 1
_TFD_TIMER_CANCEL_ON_SET = 2


class EventWaiter:
    """Sleeps on a threading.Event. `wait` may be replaced (tests move a fake clock instead)."""

    max_sleep = EVENT_MAX_SLEEP_S
    watches_fds = False  # an Event cannot wait on a file descriptor

    def __init__(self, wait: Callable[[threading.Event, float], object] | None = None) -> None:
        self.event = threading.Event()
        self._wait = wait or (lambda event, seconds: event.wait(seconds))

    def clear(self) -> None:
        self.event.clear()

    def wait(self, seconds: float) -> None:
        self._wait(self.event, seconds)

    def wake(self) -> None:
        self.event.set()

    def watch(self, fd: int) -> None:
        raise NotImplementedError("an Event cannot wait on a file descriptor")

    def close(self) -> None:
        pass


class TimerfdWaiter:
    """Linux: a wall-clock timerfd the kernel cancels on clock set and on resume, plus an eventfd."""

    max_sleep = TIMERFD_MAX_SLEEP_S
    watches_fds = True

    def __init__(self) -> None:
        import ctypes

        class Timespec(ctypes.Structure):
            _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]

        class Itimerspec(ctypes.Structure):
            _fields_ = [("it_interval", Timespec), ("it_value", Timespec)]

        self._ctypes = ctypes
        self._itimerspec = Itimerspec
        self._libc = ctypes.CDLL(None, use_errno=True)
        self._settime = self._libc.timerfd_settime
        timer_fd = self._libc.timerfd_create(_CLOCK_REALTIME, _TFD_NONBLOCK | _TFD_CLOEXEC)
        if timer_fd < 0:
            raise OSError(ctypes.get_errno(), "timerfd_create failed")
        self._timer_fd = int(timer_fd)
        self._wake_fd = os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC)
        self._poll = select.poll()
        self._poll.register(self._timer_fd, select.POLLIN)
        self._poll.register(self._wake_fd, select.POLLIN)
        self._watched: set[int] = set()
        self._arm(time.time() + 1.0)  # fails here, not in the runner, if the kernel refuses the flags

    def _arm(self, deadline: float) -> None:
        seconds = int(deadline)
        spec = self._itimerspec()
        spec.it_value.tv_sec, spec.it_value.tv_nsec = seconds, int((deadline - seconds) * 1e9)
        flags = _TFD_TIMER_ABSTIME | _TFD_TIMER_CANCEL_ON_SET
        if self._settime(self._timer_fd, flags, self._ctypes.byref(spec), None) != 0:
            raise OSError(self._ctypes.get_errno(), "timerfd_settime failed")

    def clear(self) -> None:
        _drain(self._wake_fd)

    def wait(self, seconds: float) -> None:
        self._arm(time.time() + max(0.0, seconds))
        # The poll's own timeout is only a backstop (it runs on the monotonic clock, which stops in suspend).
        for fd, events in self._poll.poll(int((seconds + 1.0) * 1000)):
            if fd in self._watched and events & (select.POLLHUP | select.POLLERR | select.POLLNVAL):
                # A closed connection stays "ready" for ever: stop watching it rather than spin.
                log.info("stopped watching file descriptor %d: it was closed", fd)
                self._watched.discard(fd)
                self._poll.unregister(fd)
        _drain(self._timer_fd)

    def watch(self, fd: int) -> None:
        """End every sleep as soon as `fd` has data to read (its owner reads it; see Runner.add_reader)."""
        self._watched.add(fd)
        self._poll.register(fd, select.POLLIN)

    def wake(self) -> None:
        try:
            os.eventfd_write(self._wake_fd, 1)
        except OSError:  # closed at shutdown, or the counter is full: a wake-up is pending anyway
            pass

    def close(self) -> None:
        for fd in (self._timer_fd, self._wake_fd):
            try:
                os.close(fd)
            except OSError:
                pass


def _drain(fd: int) -> None:
    """Empty a non-blocking timerfd or eventfd; ECANCELED (clock set, resume) and EAGAIN are expected."""
    try:
        os.read(fd, 8)
    except OSError as exc:
        if exc.errno not in (errno.EAGAIN, errno.ECANCELED):
            raise


def best_waiter(platform: str = sys.platform) -> EventWaiter | TimerfdWaiter:
    """The timerfd waiter on Linux when the kernel and libc offer it, else the portable Event."""
    if platform.startswith("linux"):
        try:
            return TimerfdWaiter()
        except (OSError, AttributeError, ImportError) as exc:
            log.info("timerfd unavailable (%s); checking the clocks every minute instead", exc)
    return EventWaiter()
