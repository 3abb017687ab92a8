"""The system clock (the service's `Clock` port): the only caller of the real time functions."""

from __future__ import annotations

import time
from datetime import datetime, timezone, tzinfo

from standup.service.ports import Clock

__all__ = ["Clock", "SystemClock"]


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
