"""A person's hour with standup, compressed to minutes, on a real (virtual) desktop.

One `standup run` with a minute-scale config on Xvfb with a private session bus, dunst and trayer.
The tests run in order and share the app, like a day: the icon docks, a break is taken from the
menu, answered from the notification, snoozed and skipped, the user walks away (a natural break),
and Quit ends everything. Screenshots go to test-artifacts/e2e/.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from tests.e2e.desktop import MINUTE_SCALE_CONFIG, Box, BusCall, Desktop, E2EError, Standup, alive, wait_for
from tests.processes import zone_of

BACKEND = os.environ.get("STANDUP_E2E_BACKEND", "appindicator")  # pinned: pystray silently falls back otherwise
CONFIG = MINUTE_SCALE_CONFIG
ORANGE = (244, 81, 30)  # the prompt-open icon's disc (standup.desktop.icon.ORANGE)


@pytest.fixture(scope="module")
def app(desktop: Desktop, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standup]:
    home = tmp_path_factory.mktemp("standup-home")
    env = {"PYSTRAY_BACKEND": BACKEND}  # presence at its own pace: the return from a walk must come from the input alarm
    with Standup(desktop, home, CONFIG, env).running_with_tray() as running:
        yield running


def icon(desktop: Desktop) -> Box:
    return wait_for("standup's icon docked in the tray", desktop.tray_icons, 10)[0]


def open_menu(desktop: Desktop) -> None:
    x, y = icon(desktop).centre
    button = "3" if BACKEND == "gtk" else "1"  # appindicator opens the menu on a left click
    desktop.xdotool("mousemove", str(x), str(y), "click", button)
    time.sleep(0.8)


def new_notification(desktop: Desktop, seen: int, timeout: float = 10) -> BusCall:
    calls = wait_for("a Notify call from standup on the bus", lambda: desktop.notifications()[seen:], timeout)
    return calls[0]


def mostly(image: Image.Image, colour: tuple[int, int, int]) -> float:
    """Share of pixels within a small distance of `colour`."""
    pixels = [image.getpixel((x, y)) for x in range(image.width) for y in range(image.height)]
    near = sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, colour, strict=True)) < 60)
    return near / len(pixels)


def difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def last_prompt(app: Standup) -> dict:
    prompts = app.prompts()
    return prompts[-1] if prompts else {}


def test_1_the_icon_is_docked_and_visible(desktop: Desktop, app: Standup) -> None:
    box = icon(desktop)
    backend = re.search(r"tray icon shown \(pystray backend (\w+)\)", app.log_text())
    assert backend and backend.group(1) == BACKEND
    desktop.screenshot("1-desktop")
    desktop.screenshot("1-tray-icon", box.grown(4), scale=4)
    image = desktop.grab(box)
    assert len(image.getcolors(maxcolors=1 << 16) or []) > 10, "the icon area is blank"
    assert mostly(image, ORANGE) < 0.05  # sitting, not prompting
    assert app.status()["natural_breaks"] == "on (x11-screensaver)"


def test_1b_the_start_prints_one_line_saying_where_and_when(app: Standup) -> None:
    from datetime import datetime

    zone = zone_of(app.env["TZ"])
    due = datetime.fromisoformat(app.status()["next_prompt_at"]).astimezone(zone)
    # stdout and stderr; GTK's own warnings ("(standup:123): Gdk-CRITICAL …") are not ours to word
    lines = [line for line in app.output.read_text().splitlines() if line.startswith(("[", "standup"))]
    assert len(lines) == 1, lines
    # a prompt due after local midnight names its day: "… at 00:30 (Wed)."
    day = rf" \({due:%a}\)" if due.date() != datetime.now(zone).date() else ""
    assert re.fullmatch(rf"\[\d\d:\d\d\] standup is running in the tray; the next prompt is at {due:%H:%M}{day}\.", lines[0])


def test_2_take_a_break_from_the_menu_shows_a_notification_with_buttons(desktop: Desktop, app: Standup) -> None:
    seen = len(desktop.notifications())
    desktop.touch()
    open_menu(desktop)
    desktop.screenshot("2-menu-open", Box(0, 0, 320, 340), scale=2)
    desktop.xdotool("key", "Down", "Return")  # the first enabled item: Take a break now
    toast = new_notification(desktop, seen)
    assert toast.summary == "Time to stand up and move"
    assert toast.button_labels == ["Start", "Done", "Snooze 1 min", "Skip"]
    assert app.status()["open_prompt"] is not None
    assert toast.body.strip()
    bubble = wait_for("the notification bubble on screen", desktop.bubble, 5)
    wait_for("the break window the menu's Take a break now opens", lambda: desktop.windows("standup-guide"), 10)
    # No window manager here keeps notifications above other windows, as every desktop does: the
    # break window, mapped last, would cover the toast. Raise the toast as a desktop would.
    for toast_window in desktop.windows("Dunst"):
        desktop.xdotool("windowraise", toast_window)
    time.sleep(0.3)
    desktop.screenshot("2-notification", bubble.grown(10), scale=2)
    assert mostly(desktop.grab(icon(desktop)), ORANGE) > 0.2, "the icon does not show the open prompt"


def test_2b_the_notification_names_the_routine(desktop: Desktop, app: Standup) -> None:
    toast = desktop.notifications()[-1]
    prompt = app.status()["open_prompt"]
    assert prompt is not None
    assert prompt["routine"], "the prompt suggests no routine (is the planner wired into `standup run`?)"
    headline = prompt["text"].split(". ")[0].rstrip(".")
    assert headline.replace("&", "&amp;").replace("<", "&lt;") in toast.body


def test_3_done_through_the_daemon_logs_done_and_changes_the_icon(desktop: Desktop, app: Standup) -> None:
    prompting = desktop.grab(icon(desktop))
    closes_before = len(desktop.bus_calls("CloseNotification")) + len(desktop.bus_calls("NotificationClosed"))
    desktop.press("Done")
    wait_for("the prompt logged as done", lambda: last_prompt(app).get("outcome") == "done", 10)
    assert any(c.args[-1:] == ("done",) for c in desktop.bus_calls("ActionInvoked"))
    wait_for("the toast closed", lambda: len(desktop.bus_calls("CloseNotification"))
             + len(desktop.bus_calls("NotificationClosed")) > closes_before, 5)
    wait_for("the icon to change", lambda: difference(desktop.grab(icon(desktop)), prompting) > 20, 5)
    assert mostly(desktop.grab(icon(desktop)), ORANGE) < 0.05
    wait_for("the break window to close on its own", lambda: not desktop.windows("standup-guide"), 8)
    desktop.screenshot("3-after-done", Box(0, 0, 1024, 140))
    assert app.status()["state"] == "sitting"


def test_4_snooze_brings_the_toast_back_then_skip(desktop: Desktop, app: Standup) -> None:
    seen = len(desktop.notifications())
    desktop.touch()
    open_menu(desktop)
    desktop.xdotool("key", "Down", "Return")
    new_notification(desktop, seen)
    desktop.press("Snooze")
    wait_for("the snooze", lambda: app.status()["state"] == "snoozed", 10)
    snoozed_at = time.monotonic()

    def returned() -> list[BusCall]:
        desktop.touch()  # the user is at the desk meanwhile
        return desktop.notifications()[seen + 1 :]

    again = wait_for("the toast to come back after the 1-minute snooze", returned, 80, interval=2)
    assert time.monotonic() - snoozed_at > 50
    assert again[0].summary == "Still sitting? Time to move"
    assert again[0].button_labels == ["Start", "Done", "Snooze 1 min", "Skip"]
    time.sleep(1)
    assert len(desktop.notifications()) == seen + 2, "duplicate toasts"
    desktop.press("Skip")
    wait_for("the prompt logged as skipped", lambda: last_prompt(app).get("outcome") == "skipped", 10)
    assert last_prompt(app)["snoozes"] == 1


def test_5_walking_away_is_a_natural_break(desktop: Desktop, app: Standup) -> None:
    seen = len(desktop.notifications())
    desktop.touch()
    open_menu(desktop)
    desktop.xdotool("key", "Down", "Return")  # a prompt opens… and the user leaves without answering
    new_notification(desktop, seen)
    left = time.monotonic()
    wait_for("standup to notice the user is away", lambda: app.status()["away"], 80, interval=1)
    assert time.monotonic() - left >= 55
    assert desktop.idle_ms() >= 59_000
    desktop.touch()
    back = time.monotonic()
    assert desktop.idle_ms() < 1_000, "xdotool input did not reset the idle time"
    wait_for("the prompt logged as natural", lambda: last_prompt(app).get("outcome") == "natural", 15, interval=0.1)
    # The idle time is next read only 5 minutes on (the backstop): this soon, only the first input can have told.
    assert time.monotonic() - back < 5
    assert not app.status()["away"]
    assert "input alarm on" in app.log_text()


def test_7_quit_from_the_menu_ends_the_process_and_every_child(desktop: Desktop, app: Standup) -> None:
    pid = app.pid
    children = app.descendants()
    on_bus = {name for name, owner in desktop.bus_client_pids().items() if owner == pid}
    assert on_bus, "standup is not on the session bus"
    open_menu(desktop)
    desktop.screenshot("7-menu-before-quit", Box(0, 0, 320, 340), scale=2)
    desktop.xdotool("key", "Up", "Return")  # the last item: Quit
    assert app.proc is not None
    try:
        code = app.proc.wait(15)
    except Exception as exc:  # subprocess.TimeoutExpired
        raise E2EError("standup did not exit after Quit") from exc
    assert code == 0
    assert not [child for child in children if alive(child)]
    assert not any(owner == pid for owner in desktop.bus_client_pids().values())
    wait_for("the icon to leave the tray", lambda: not desktop.tray_icons(), 5)
    assert "standup stopped" in app.log_text()
    assert app.status()["running"] is False


def test_artifacts_were_written() -> None:
    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
    for name in ("1-tray-icon", "2-menu-open", "2-notification", "3-after-done"):
        assert (folder / f"{name}.png").exists(), name
