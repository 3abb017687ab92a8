"""The tray: menu and tooltip as pure functions over the status, and a live icon kept in step."""

from __future__ import annotations

import logging
import math
import sys
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from standup.desktop import tray
from standup.desktop.icon import STEPS, Look
from standup.core.model import State
from standup.core.settings import Settings
from tests.desktop_fakes import SQUATS, T0, FakeService, FakeStatus, View

BERLIN = ZoneInfo("Europe/Berlin")
SETTINGS = Settings(snooze_minutes=10)


@pytest.fixture(autouse=True)
def dummy_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYSTRAY_BACKEND", "dummy")
    if "pystray" in sys.modules and tray.backend_name(sys.modules["pystray"].Icon) != "dummy":
        pytest.skip("pystray was already imported with a real backend in this process")


class Clock:
    tz = BERLIN

    def __init__(self) -> None:
        self.instant = T0

    def now(self) -> Any:
        return self.instant


class FakeIcon:
    """Records what the tray sets, like pystray.Icon's properties."""

    def __init__(self, name: str, icon: Any, title: str, menu: Any) -> None:
        self.name, self.icon, self.title, self.menu = name, icon, title, menu
        self.images = [icon]
        self.titles = [title]
        self.stopped = False

    def __setattr__(self, key: str, value: Any) -> None:
        if key == "icon" and hasattr(self, "images"):
            self.images.append(value)
        if key == "title" and hasattr(self, "titles"):
            self.titles.append(value)
        object.__setattr__(self, key, value)

    def stop(self) -> None:
        self.stopped = True


def menu_for(status: FakeStatus, on_action: Any = lambda key: None) -> Any:
    return tray.build_menu(tray.menu_entries(status, SETTINGS.snooze_minutes, BERLIN), on_action)


def item(menu: Any, *path: str) -> Any:
    for label in path:
        found = next(i for i in menu.items if i.text == label)
        menu = found.submenu or found
    return found


def enabled(menu: Any) -> dict[str, bool]:
    return {i.text: i.enabled for i in menu.items if i.text}


EXPECTED_MENU = """\
    Sitting since 10:00 · next break 11:00
    - - - -
    Take a break now
    Done — I took a break
    Snooze 10 min
    Skip
    - - - -
    Pause =>
        30 min
        1 hour
        Until tomorrow
    Resume
    - - - -
    Today's summary
    Open settings
    - - - -
    Quit"""


def test_pystray_menu_shows_every_entry_of_the_model() -> None:
    assert str(menu_for(FakeStatus())) == EXPECTED_MENU
    sitting = enabled(menu_for(FakeStatus()))
    assert not sitting["Sitting since 10:00 · next break 11:00"]  # a line to read, not to click
    assert sitting["Done — I took a break"] and not sitting["Skip"]
    assert item(menu_for(FakeStatus()), "Take a break now").default


def test_clicks_become_action_keys() -> None:
    clicked: list[str] = []
    menu = menu_for(FakeStatus(State.PAUSED), clicked.append)
    item(menu, "Pause", "1 hour")(None)
    item(menu, "Resume")(None)
    item(menu, "Quit")(None)
    assert clicked == [tray.PAUSE_60, tray.RESUME, tray.QUIT]


def make_tray(service: FakeService, clock: Clock, **actions: Any) -> tuple[tray.Tray, FakeIcon]:
    live = tray.Tray(service, clock, SETTINGS, actions)
    service.subscribe(live)
    fake = live.create(FakeIcon)
    return live, fake


def test_menu_actions_call_the_service() -> None:
    service, clock = FakeService(), Clock()
    quits: list[str] = []
    live, _ = make_tray(service, clock, quit=lambda: quits.append("quit"))
    for action in (tray.TAKE_BREAK, tray.SNOOZE, tray.DONE, tray.PAUSE_30, tray.PAUSE_TOMORROW, tray.RESUME, tray.QUIT):
        live.dispatch(action)
    assert service.calls == [
        ("take_break", ()),
        ("snooze", (None,)),
        ("done", ()),
        ("pause", (30, False)),
        ("pause", (None, True)),
        ("resume", ()),
    ]
    assert quits == ["quit"]


def test_a_refused_answer_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    live, _ = make_tray(FakeService(), Clock())
    with caplog.at_level(logging.WARNING):
        live.dispatch(tray.SKIP)
    assert "no open prompt" in caplog.text


def test_icon_title_and_menu_follow_the_state() -> None:
    service, clock = FakeService(), Clock()
    live, fake = make_tray(service, clock)
    assert live.look is Look.SITTING and fake.title == "Sitting since 10:00 · next break 11:00"
    live.dispatch(tray.TAKE_BREAK)
    assert live.look is Look.PROMPT
    assert len(fake.images) == 2
    assert fake.title.startswith("Time to move: Chair squats")
    assert enabled(fake.menu)["Done"]
    live.dispatch(tray.DONE)
    assert live.look is Look.SITTING and enabled(fake.menu)["Done — I took a break"]


def test_the_ring_timer_redraws_only_when_the_ring_moves() -> None:
    service, clock = FakeService(), Clock()
    live, fake = make_tray(service, clock)
    wait = live.refresh()
    assert wait == 60 * 60 / STEPS  # one step of the ring: a quarter of the hour, no sooner
    assert len(fake.images) == 1  # nothing moved yet
    titles = len(fake.titles)
    clock.instant = T0 + timedelta(minutes=30)
    live.refresh()
    assert len(fake.images) == 2
    assert fake.title == "Sitting since 10:00 · next break 11:00" and len(fake.titles) == titles  # unchanged text is not sent again


def test_while_away_the_ring_stands_still_until_the_return() -> None:
    service, clock = FakeService(), Clock()
    live, fake = make_tray(service, clock)
    clock.instant = T0 + timedelta(minutes=20)
    live.refresh()
    drawn = len(fake.images)
    service.set(away=True)
    clock.instant = T0 + timedelta(minutes=50)
    assert live.refresh() == math.inf  # no timer while away
    assert len(fake.images) == drawn
    service.set(away=False)
    live.refresh()
    assert len(fake.images) == drawn + 1  # back: the ring catches up at once


def test_paused_tray_leaves_the_ring_to_the_next_change_of_state() -> None:
    service, clock = FakeService(FakeStatus(State.PAUSED, paused_until=T0 + timedelta(hours=1))), Clock()
    live, _ = make_tray(service, clock)
    assert live.refresh() == math.inf
