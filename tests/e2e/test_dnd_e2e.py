"""Do-not-disturb and screen lock, read from the real session bus by a running standup.

`dunstctl set-paused true` holds a prompt that comes due meanwhile; `set-paused false` delivers it
once. A stand-in org.freedesktop.ScreenSaver on the bus (a few lines of dbus-fast) locks and
unlocks the "screen": standup counts the user away, then back. About 30 s in all.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from standup.core.model import EventKind
from standup.adapters.paths import resolve_paths
from standup.adapters.store import Store
from tests.e2e.desktop import Desktop, Standup, wait_for
from tests.e2e.test_desktop_e2e import BACKEND

CONFIG = """\
interval_minutes = 1
break_minutes = 1
snooze_minutes = 1
work_hours = "00:00-24:00"
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
"""
SAT_DOWN_S = 40  # the log says standup started this long ago: the first prompt is due ~20 s after launch

SCREENSAVER = '''\
import asyncio
import sys

from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method

STATE = sys.argv[1]


class ScreenSaver(ServiceInterface):
    def __init__(self):
        super().__init__("org.freedesktop.ScreenSaver")

    @method()
    def GetActive(self) -> "b":
        with open(STATE) as f:
            return f.read().strip() == "locked"


async def main():
    bus = await MessageBus().connect()
    bus.export("/org/freedesktop/ScreenSaver", ScreenSaver())
    await bus.request_name("org.freedesktop.ScreenSaver")
    await bus.wait_for_disconnect()


asyncio.run(main())
'''


@pytest.fixture(scope="module")
def dnd_app(desktop: Desktop, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standup]:
    home = tmp_path_factory.mktemp("standup-dnd")
    store = Store.open(resolve_paths({"STANDUP_HOME": str(home)}).database)
    store.add_event(datetime.now(timezone.utc) - timedelta(seconds=SAT_DOWN_S), EventKind.STARTED)
    store.close()
    env = {"PYSTRAY_BACKEND": BACKEND, "STANDUP_PRESENCE_POLL_SECONDS": "1"}
    running = Standup(desktop, home, CONFIG, env)
    try:
        desktop.touch()
        running.start().wait_log(r"tray icon shown", 30)
        yield running
    finally:
        desktop.run("dunstctl", "set-paused", "false", check=False)
        running.stop()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


def mine(desktop: Desktop, app: Standup) -> list:
    """Notify calls sent by this standup (other tests' apps share the bus and the daemon)."""
    names = {name for name, pid in desktop.bus_client_pids().items() if pid == app.pid}
    return [call for call in desktop.notifications() if call.sender in names]


def test_a_paused_dunst_holds_the_due_prompt_and_resuming_delivers_it_once(desktop: Desktop, dnd_app: Standup) -> None:
    status = dnd_app.status()
    assert status["open_prompt"] is None and status["held"] == []
    due = utc(status["next_prompt_at"])
    desktop.run("dunstctl", "set-paused", "true")

    def held_past_due() -> bool:
        desktop.touch()  # at the desk all along: only the pause holds the prompt
        return utc(dnd_app.status()["now"]) > due + timedelta(seconds=3)

    wait_for("the prompt to come due during the pause", held_past_due, SAT_DOWN_S, interval=1)
    status = dnd_app.status()
    # The pause is asked about when the prompt comes due, not on a timer before.
    assert status["held"] == ["notifications-paused"]
    assert status["open_prompt"] is None, "a prompt opened while the notification server was paused"
    assert mine(desktop, dnd_app) == []

    desktop.run("dunstctl", "set-paused", "false")
    wait_for("the hold to clear", lambda: dnd_app.status()["held"] == [], 10, interval=0.5)
    toast = wait_for("one Notify from standup after the pause", lambda: mine(desktop, dnd_app), 10)[0]
    assert toast.button_labels == ["Start", "Done", "Snooze 1 min", "Skip"]
    assert dnd_app.status()["open_prompt"] is not None
    time.sleep(2)
    assert len(mine(desktop, dnd_app)) == 1, "more than one toast after the pause"


@pytest.fixture
def screensaver(desktop: Desktop, tmp_path: Path) -> Iterator[Path]:
    state, script = tmp_path / "screen", tmp_path / "screensaver.py"
    state.write_text("unlocked")
    script.write_text(SCREENSAVER)
    proc = desktop.spawn("fake-screensaver", [sys.executable, str(script), str(state)])
    try:
        wait_for("the stand-in screensaver on the bus", lambda: desktop.name_has_owner("org.freedesktop.ScreenSaver"))
        yield state
    finally:
        proc.terminate()
        proc.wait(5)


def test_a_locked_screen_counts_as_away_until_unlocked(desktop: Desktop, dnd_app: Standup, screensaver: Path) -> None:
    desktop.touch()
    assert not dnd_app.status()["away"]
    screensaver.write_text("locked")
    wait_for("standup to count the locked screen as away", lambda: dnd_app.status()["away"], 10, interval=0.5)
    desktop.touch()  # typing the password
    screensaver.write_text("unlocked")
    wait_for("standup to see the user back", lambda: not dnd_app.status()["away"], 10, interval=0.5)
