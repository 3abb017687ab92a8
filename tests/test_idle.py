"""Presence from idle time, fullscreen holds, and which idle source each platform gets."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import pytest

from standup.desktop import idle, presence
from standup.desktop.idle import IdleError, IdleSupport, choose_method
from standup.desktop.presence import FullscreenWatch, PresenceWatch
from tests.desktop_fakes import T0, FakeService
from tests.fakes import FakeClock


class FakeIdle:
    """Idle time that grows with the fake clock until `touch()` (input) resets it."""

    support = IdleSupport(idle.X11)

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.last_input = clock.monotonic()
        self.broken = False
        self.fullscreen = False

    def touch(self) -> None:
        self.last_input = self.clock.monotonic()

    def idle_seconds(self) -> float:
        if self.broken:
            raise IdleError("X connection closed")
        return self.clock.monotonic() - self.last_input

    def is_fullscreen(self) -> bool:
        return self.fullscreen

    def close(self) -> None:
        pass


class Runner:
    """Runs watches the way the runner does: each when it asked to, in order of time."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.watches: dict[str, Any] = {}
        self.when: dict[str, dict[str, bool]] = {}
        self.checks = 0

    def add_watch(self, name: str, check: Any, **when: bool) -> None:
        self.watches[name] = [check, 0.0]
        self.when[name] = when

    def run_for(self, seconds: float, during: Any = None) -> None:
        end = self.clock.monotonic() + seconds
        due = {name: self.clock.monotonic() for name in self.watches}
        while True:
            name = min(due, key=due.__getitem__)
            if due[name] > end:
                self.clock.advance(seconds=end - self.clock.monotonic())
                return
            self.clock.advance(seconds=due[name] - self.clock.monotonic())
            if during:
                during(self.clock)
            self.checks += 1
            due[name] = self.clock.monotonic() + self.watches[name][0]()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


def watched(clock: FakeClock, break_minutes: int = 5) -> tuple[PresenceWatch, FakeService, FakeIdle]:
    service, source = FakeService(), FakeIdle(clock)
    return PresenceWatch(service, clock, source, break_minutes), service, source


def test_the_next_check_is_when_idle_could_first_reach_the_break(clock: FakeClock) -> None:
    watch, service, source = watched(clock)
    assert watch.check() == 300  # 300 s away from the threshold
    clock.advance(seconds=270)
    assert watch.check() == pytest.approx(30)
    source.touch()
    clock.advance(seconds=299)
    assert watch.check() == pytest.approx(1)
    assert service.calls == []


def test_away_since_the_last_input_and_back_at_the_next_one(clock: FakeClock) -> None:
    watch, service, source = watched(clock)
    clock.advance(minutes=2)
    source.touch()  # last input at 09:02
    clock.advance(minutes=5, seconds=20)
    assert watch.check() == presence.AWAY_WAIT_S
    assert service.calls == [("user_away", (T0 + timedelta(minutes=2),))]
    clock.advance(minutes=10)
    source.touch()  # back at 09:17:20
    clock.advance(seconds=45)  # noticed late
    watch.check()
    assert service.calls[-1] == ("user_back", (T0 + timedelta(minutes=17, seconds=20),))
    assert not watch.away


def test_while_away_it_checks_every_ten_seconds_then_every_25_after_ten_minutes(clock: FakeClock) -> None:
    watch, _, _ = watched(clock)
    clock.advance(minutes=6)
    assert watch.check() == 10  # away since 09:00
    clock.advance(minutes=3, seconds=50)
    assert watch.check() == 10  # 9 min 50 s away
    clock.advance(seconds=10)
    assert watch.check() == 25  # 10 min away
    clock.advance(hours=2)
    assert watch.check() == 25


def test_at_the_desk_the_cadence_stays_as_slow_as_the_break_allows(clock: FakeClock) -> None:
    watch, _, source = watched(clock, break_minutes=10)
    assert watch.check() == presence.MAX_WAIT_S  # 600 s to the break: capped at five minutes
    clock.advance(minutes=5)
    source.touch()
    clock.advance(minutes=1)
    assert watch.check() == presence.MAX_WAIT_S


def test_a_source_that_spawns_a_process_is_read_no_faster_than_its_floor_while_away(clock: FakeClock) -> None:
    service, source = FakeService(), FakeIdle(clock)
    source.fastest_wait_s = 25.0
    watch = PresenceWatch(service, clock, source, 5)
    clock.advance(minutes=6)
    assert watch.check() == 25
    assert idle.MacSource.fastest_wait_s == 25


def test_a_brief_return_between_checks_is_seen(clock: FakeClock) -> None:
    watch, service, source = watched(clock, break_minutes=1)
    clock.advance(seconds=61)
    watch.check()  # away since 09:00
    clock.advance(seconds=20)
    source.touch()  # a key press at 09:01:21, then gone again
    clock.advance(seconds=62)
    watch.check()
    back = T0 + timedelta(seconds=81)
    assert service.calls[1:] == [("user_back", (back,)), ("user_away", (back,))]


def test_a_day_with_a_coffee_break(clock: FakeClock) -> None:
    watch, service, source = watched(clock)
    runner = Runner(clock)
    runner.add_watch("presence", watch.check)

    def typing(c: FakeClock) -> None:
        source.touch()

    runner.run_for(30 * 60, during=typing)  # 30 minutes of work
    runner.run_for(12 * 60)  # coffee
    runner.run_for(10 * 60, during=typing)
    assert [name for name, _ in service.calls] == ["user_away", "user_back"]
    (_, (away,)), (_, (back,)) = service.calls
    assert back - away >= timedelta(minutes=12)
    assert runner.checks < 52 * 60 / 30  # never anything like a busy loop


def test_a_broken_idle_source_backs_off_and_recovers(clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    watch, service, source = watched(clock)
    source.broken = True
    assert watch.check() == presence.MAX_WAIT_S
    assert watch.check() == presence.MAX_WAIT_S
    assert caplog.text.count("idle time unavailable") == 1
    source.broken = False
    clock.advance(minutes=6)
    watch.check()
    assert [name for name, _ in service.calls] == ["user_away"]


def test_poll_cap_from_the_environment() -> None:
    assert presence.poll_cap({}) == 300
    assert presence.poll_cap({presence.ENV_POLL: "5"}) == 5
    assert presence.poll_cap({presence.ENV_POLL: "600"}) == 300
    assert presence.poll_cap({presence.ENV_POLL: "soon"}) == 300


def test_fullscreen_holds_and_releases_once(clock: FakeClock) -> None:
    service, source = FakeService(), FakeIdle(clock)
    watch = FullscreenWatch(service, source)
    assert watch.check() == math.inf  # nothing to watch until the next due decision
    source.fullscreen = True
    assert watch.check() == presence.FULLSCREEN_WAIT_S  # held: look again soon for its end
    watch.check()
    source.fullscreen = False
    assert watch.check() == math.inf
    assert service.calls == [("hold", ("fullscreen",)), ("release", ("fullscreen",))]


@pytest.mark.parametrize(
    ("platform", "env", "method"),
    [
        ("linux", {"DISPLAY": ":0"}, idle.X11),
        ("linux", {"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, idle.X11),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}, idle.GNOME_WAYLAND),
        ("linux", {"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "KDE"}, idle.KDE_WAYLAND),
        ("linux", {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "sway"}, idle.NONE),
        ("linux", {}, idle.NONE),
        ("freebsd13", {"DISPLAY": ":0"}, idle.X11),
        ("win32", {}, idle.WINDOWS),
        ("darwin", {}, idle.MACOS),
    ],
)
def test_each_platform_gets_its_idle_source(platform: str, env: dict[str, str], method: str) -> None:
    assert choose_method(platform, env).method == method


def test_without_a_source_status_says_why() -> None:
    support = choose_method("linux", {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "sway"})
    assert not support.available
    assert support.describe().startswith("off: sway offers no idle time over D-Bus")
    assert "GNOME and KDE Plasma do" in support.describe()
    assert choose_method("linux", {"DISPLAY": ":1"}).describe() == "on (x11-screensaver)"


def test_open_source_without_a_display_is_a_null_source() -> None:
    source = idle.open_source("linux", {})
    assert not source.support.available
    with pytest.raises(IdleError):
        source.idle_seconds()


class IdleBus:
    """Answers `SessionBus.value` for one idle query; None (unknown) when `idle_ms` is None."""

    def __init__(self, idle_ms: int | None) -> None:
        self.idle_ms = idle_ms
        self.asked: list[str] = []

    def value(self, query: Any) -> Any:
        self.asked.append(query.method)
        return self.idle_ms

    def why_not(self, query: Any) -> str:
        return f"{query.name} is not on the session bus"


@pytest.mark.parametrize(("method", "member", "desktop"), [(idle.GNOME_WAYLAND, "GetIdletime", "GNOME"),
                                                           (idle.KDE_WAYLAND, "GetSessionIdleTime", "KDE")])
def test_wayland_idle_time_over_the_bus_in_milliseconds(method: str, member: str, desktop: str) -> None:
    bus = IdleBus(90_500)
    source = idle.open_source("linux", {"WAYLAND_DISPLAY": "wayland-1", "XDG_CURRENT_DESKTOP": desktop}, bus=bus)
    assert source.support.method == method
    assert source.idle_seconds() == 90.5
    assert bus.asked == [member, member]  # once to see that it answers, once now


def test_a_wayland_desktop_whose_bus_does_not_answer_says_why() -> None:
    env = {"WAYLAND_DISPLAY": "wayland-1", "XDG_CURRENT_DESKTOP": "KDE"}
    source = idle.open_source("linux", env, bus=IdleBus(None))
    assert not source.support.available
    assert "org.freedesktop.ScreenSaver is not on the session bus" in source.support.describe()
    assert "no session bus" in idle.open_source("linux", env, bus=None).support.describe()


def test_windows_tick_counts_wrap() -> None:
    assert idle.windows_idle(5_000, 2_000) == 3.0
    assert idle.windows_idle(1_000, 0xFFFFFFFF - 999) == 2.0


def test_mac_idle_from_ioreg_output() -> None:
    text = '    |   "HIDIdleTime" = 12500000000\n    |   "HIDKeyboardModifierMapping" = ()\n'
    assert idle.mac_idle(text) == 12.5
    assert idle.MacSource(run=lambda argv: text).idle_seconds() == 12.5
    with pytest.raises(IdleError):
        idle.mac_idle("nothing here")


def test_register_watches_reports_and_adds(clock: FakeClock) -> None:
    service, runner, source = FakeService(), Runner(clock), FakeIdle(clock)

    class Settings:
        break_minutes = 5

    support = presence.register_watches(runner, service, clock, Settings().break_minutes, source)
    assert support.available
    assert service.natural_breaks == "on (x11-screensaver)"
    assert set(runner.watches) == {"presence", "fullscreen"}

    off = presence.register_watches(Runner(clock), service, clock, Settings().break_minutes, idle.NullSource("no display"))
    assert service.natural_breaks == "off: no display" and not off.available


# ---- screen lock and notification pause --------------------------------------------------------


class FakeLock:
    """A screen lock the test flips; counts how often it is asked."""

    def __init__(self) -> None:
        self.locked: bool | None = False
        self.asked = 0

    def __call__(self) -> bool | None:
        self.asked += 1
        return self.locked


def locking(clock: FakeClock, source: Any = None, break_minutes: int = 5
            ) -> tuple[PresenceWatch, FakeService, FakeIdle, FakeLock]:
    service, lock = FakeService(), FakeLock()
    source = source if source is not None else FakeIdle(clock)
    return PresenceWatch(service, clock, source, break_minutes, 60, lock), service, source, lock


def test_locking_the_screen_is_away_from_the_last_input_until_the_unlock(clock: FakeClock) -> None:
    watch, service, source, lock = locking(clock)
    watch.check()
    clock.advance(minutes=1)
    source.touch()  # Super+L at 09:01
    lock.locked = True
    clock.advance(seconds=40)
    assert watch.check() == presence.AWAY_WAIT_S
    assert service.calls == [("user_away", (T0 + timedelta(minutes=1),))]
    clock.advance(minutes=1)
    watch.check()
    clock.advance(seconds=30)
    source.touch()  # typing the password at 09:03:10
    lock.locked = False
    clock.advance(seconds=30)
    watch.check()
    assert service.calls[1:] == [("user_back", (T0 + timedelta(minutes=3, seconds=10),))]
    assert not watch.away


def test_a_lock_without_idle_time_is_away_from_the_first_check_that_sees_it(clock: FakeClock) -> None:
    watch, service, _, lock = locking(clock, idle.NullSource("this Wayland desktop offers no idle time"))
    assert watch.check() == 60
    lock.locked = True
    clock.advance(minutes=1)
    watch.check()
    clock.advance(minutes=7)
    lock.locked = False
    clock.advance(minutes=1)
    watch.check()
    assert service.calls == [("user_away", (T0 + timedelta(minutes=1),)), ("user_back", (T0 + timedelta(minutes=9),))]


def test_locking_while_already_idle_changes_nothing_until_input(clock: FakeClock) -> None:
    watch, service, source, lock = locking(clock)
    clock.advance(minutes=6)
    watch.check()  # idle past the break: away since 09:00
    lock.locked = True  # the screen locks itself after idling
    for _ in range(5):
        clock.advance(minutes=1)
        watch.check()
    lock.locked = False  # unlocked with no input (e.g. loginctl): still idle past the break
    clock.advance(minutes=1)
    watch.check()
    assert service.calls == [("user_away", (T0,))]
    clock.advance(seconds=10)
    source.touch()
    clock.advance(seconds=5)
    watch.check()
    assert [name for name, _ in service.calls] == ["user_away", "user_back"]


def test_unlocked_with_the_input_before_our_last_look_is_back_when_last_seen_locked(clock: FakeClock) -> None:
    watch, service, source, lock = locking(clock)
    lock.locked = True
    watch.check()  # away since 09:00
    clock.advance(minutes=2)
    source.touch()  # the password, typed at 09:02 just before we looked again
    watch.check()
    lock.locked = False
    clock.advance(minutes=1)
    watch.check()
    assert service.calls == [("user_away", (T0,)), ("user_back", (T0 + timedelta(minutes=2),))]


def test_an_unknown_lock_is_never_away(clock: FakeClock) -> None:
    watch, service, source, lock = locking(clock)
    lock.locked = None
    for _ in range(10):
        source.touch()
        clock.advance(minutes=1)
        watch.check()
    assert service.calls == []


def test_an_afternoon_of_locks_and_idling_never_contradicts_itself(clock: FakeClock) -> None:
    watch, service, source, lock = locking(clock)
    runner = Runner(clock)
    runner.add_watch("presence", watch.check)

    def typing(c: FakeClock) -> None:
        source.touch()

    def unlock_and_type(c: FakeClock) -> None:
        lock.locked = False
        source.touch()

    runner.run_for(20 * 60, during=typing)
    lock.locked = True
    runner.run_for(3 * 60)  # a short lock: away, back
    runner.run_for(20 * 60, during=unlock_and_type)
    runner.run_for(8 * 60)  # idle past the break, then the screen locks itself
    lock.locked = True
    runner.run_for(15 * 60)
    runner.run_for(10 * 60, during=unlock_and_type)
    names = [name for name, _ in service.calls]
    assert names == ["user_away", "user_back", "user_away", "user_back"]
    (_, (away1,)), (_, (back1,)), (_, (away2,)), (_, (back2,)) = service.calls
    assert timedelta(minutes=2) < back1 - away1 <= timedelta(minutes=4)
    assert back2 - away2 >= timedelta(minutes=23)
    assert lock.asked <= 96 + 1  # never more than once a minute


def test_the_lock_is_asked_at_most_once_per_poll(clock: FakeClock) -> None:
    watch, _, source, lock = locking(clock, break_minutes=1)
    for _ in range(10):
        watch.check()
        clock.advance(seconds=20)
    assert lock.asked == 4  # at 0, 60, 120 and 180 s: checks in between reuse the last answer


class FakePause:
    def __init__(self) -> None:
        self.paused: bool | None = None

    def __call__(self) -> bool | None:
        return self.paused


def test_a_paused_notification_server_holds_prompts_until_it_resumes(clock: FakeClock) -> None:
    service, pause = FakeService(), FakePause()
    watch = presence.HoldWatch(service, presence.NOTIFICATIONS_PAUSED, pause, wait=10)
    assert watch.check() == math.inf
    pause.paused = True
    assert watch.check() == 10
    watch.check()
    pause.paused = False
    watch.check()
    watch.check()
    assert service.calls == [("hold", ("notifications-paused",)), ("release", ("notifications-paused",))]


def test_a_notification_server_that_goes_away_releases_the_hold(clock: FakeClock) -> None:
    service, pause = FakeService(), FakePause()
    watch = presence.HoldWatch(service, presence.NOTIFICATIONS_PAUSED, pause)
    watch.check()  # unknown from the start: never held
    assert service.calls == []
    pause.paused = True
    watch.check()
    pause.paused = None  # dunst quit while paused
    watch.check()
    assert service.calls == [("hold", ("notifications-paused",)), ("release", ("notifications-paused",))]


class FakeBus:
    """Answers `presence_dbus`'s two questions from plain attributes."""

    def __init__(self) -> None:
        self.locked: bool | None = None
        self.paused: bool | None = None

    def first(self, queries: Any) -> bool | None:
        return self.locked

    def any(self, queries: Any) -> bool | None:
        return self.paused


class Settings:
    break_minutes = 5


def test_register_watches_with_a_session_bus(clock: FakeClock) -> None:
    service, runner, source, bus = FakeService(), Runner(clock), FakeIdle(clock), FakeBus()
    presence.register_watches(runner, service, clock, Settings().break_minutes, source, bus)
    assert set(runner.watches) == {"presence", "fullscreen", "notifications-paused"}
    # Do-not-disturb only matters when a prompt is due: asked then, not on a timer.
    assert runner.when["fullscreen"] == runner.when["notifications-paused"] == {"before_decisions": True}
    assert service.natural_breaks == "on (x11-screensaver)"
    bus.paused = True
    bus.locked = True
    runner.run_for(90)
    assert ("hold", ("notifications-paused",)) in service.calls
    assert ("user_away", (T0,)) in service.calls


def test_without_idle_time_a_session_bus_still_brings_the_lock(clock: FakeClock) -> None:
    service, runner = FakeService(), Runner(clock)
    presence.register_watches(runner, service, clock, Settings().break_minutes, idle.NullSource("no idle here"), FakeBus())
    assert set(runner.watches) == {"presence", "notifications-paused"}
    assert service.natural_breaks.startswith("off: no idle here; a locked screen counts as away")
