"""The system clock (the service's `Clock` port): the only caller of the real time functions."""

from __future__ import annotations

import logging
import os
import sys
import time
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TextIO

from standup.service.ports import Clock

__all__ = ["Clock", "SystemClock"]


log = logging.getLogger(__name__)
_told: list[str] = []  # the unusable zones already warned about in this process


def local_zone(warn_to: TextIO | None = None) -> tzinfo | None:
    """The system's local zone (None), or UTC when it cannot be used (an offset of a day or more, as
    TZ=XXX-25 gives): said once per process in one line on stderr, never a crash."""
    probe = datetime(2000, 1, 1, tzinfo=timezone.utc)
    try:
        for instant in (probe, probe + timedelta(days=182), datetime.now(timezone.utc)):
            instant.astimezone()
        return None
    except (ValueError, OverflowError, OSError):
        setting = os.environ.get("TZ")
        where = f"TZ={setting!r}" if setting is not None else "the system's time zone"
        if where not in _told:
            _told.append(where)
            line = f"standup: {where} is not a usable time zone (its UTC offset is a day or more); using UTC"
            try:
                (warn_to or sys.stderr).write(line + "\n")
            except (OSError, ValueError, AttributeError):
                pass
            log.info("%s", line)
        return timezone.utc


class SystemClock:
    """The real clock. On systems without CLOCK_BOOTTIME, suspend is reported as a clock step."""

    def __init__(self) -> None:
        self.tz: tzinfo | None = local_zone()

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        return time.monotonic()

    def boottime(self) -> float:
        boottime = getattr(time, "CLOCK_BOOTTIME", None)
        if boottime is None:
            return time.monotonic()
        return time.clock_gettime(boottime)
