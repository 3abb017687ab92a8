"""Helpers for tests that run the real `standup` as processes against a STANDUP_HOME folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

# Every hour of every day is work time: a run prompts whenever the test needs it to.
ALL_DAY = 'work_hours = "00:00-24:00"\nworkdays = ["mon","tue","wed","thu","fri","sat","sun"]\n'


def noon_tz() -> str:
    """A POSIX TZ whose local time is near noon now, so no run crosses local midnight (a new day,
    the end of work hours) whenever the suite happens to run; its local date is today's UTC date."""
    offset = 12 - datetime.now(timezone.utc).hour  # -11 … +12 hours
    return f"NOON{-offset:+d}"  # POSIX signs are inverted: NOON-3 is UTC+3


def zone_of(noon: str) -> timezone:
    """The fixed zone a `noon_tz()` text names, to read a child's local times in the test."""
    return timezone(-timedelta(hours=int(noon.removeprefix("NOON"))))


def env_for(home: Path) -> dict[str, str]:
    """This process's environment without a display, with STANDUP_HOME=home, local time near noon."""
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(STANDUP_HOME=str(home), TZ=noon_tz())
    return env


def run_standup(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """`standup …` as its own process; returns its exit code and output."""
    return subprocess.run([sys.executable, "-m", "standup", *argv], capture_output=True, text=True, timeout=30,
                          env=env_for(home), stdin=subprocess.DEVNULL)


def start_app(home: Path, **env: str) -> subprocess.Popen[str]:
    """`standup run --no-tray` in the background; stdout and stderr are pipes."""
    return subprocess.Popen([sys.executable, "-m", "standup", "run", "--no-tray"], env={**env_for(home), **env},
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def end(app: subprocess.Popen[Any]) -> None:
    """Kills the app if the test left it running (a failed assertion), and reaps it either way."""
    if app.poll() is None:
        app.kill()
    app.communicate(timeout=10)


def wait_for(predicate: Callable[[], Any], seconds: float = 15, interval: float = 0.1) -> Any:
    """The first truthy value `predicate` returns within `seconds`, or None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None
