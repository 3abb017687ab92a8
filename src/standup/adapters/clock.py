"""The clock port and the system clock: the only caller of the real time functions."""

from __future__ import annotations

import time
from datetime import datetime, timezone, tzinfo
from typing import Protocol


class Clock(Protocol):
    """What the service and runner need to know about time."""

    tz: tzinfo | None  # the local zone for wall-clock rules; None = the system's

    def now(self) -> datetime:
        """The wall-clock instant, aware UTC."""

    def monotonic(self) -> float:
        """Seconds that never jump; stop while the machine is suspended."""

    def boottime(self) -> float:
        """Seconds that never jump; keep counting while the machine is suspended."""


class SystemClock:
    """The real clock. On systems without CLOCK_BOOTTIME, suspend is reported as a clock step."""

    tz: tzinfo | None = None

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        return time.monotonic()

    def boottime(self) -> float:
        boottime = getattr(time, "CLOCK_BOOTTIME", None)
        if boottime is None:
            return time.monotonic()
        return time.clock_gettime(boottime)
