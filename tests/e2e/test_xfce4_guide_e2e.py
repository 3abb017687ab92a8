"""The guided break on a real desktop: the toast shows the routine's figure (xfce4-notifyd draws
images and buttons), a real click on Start opens the break window, which shows the set in progress,
and real clicks on "Set done" and Done log `done` with the one set completed. No process is left.

Runs after test_xfce4_buttons_e2e (it uses xfce4-notifyd, swapping it in if dunst still runs).
Screenshots: test-artifacts/e2e/9-toast-with-figure.png, 10-break-window-mid-set.png; the time
from the click on Start to the window on screen goes to test-artifacts/e2e/guide-open-seconds.txt
(a figure for docs/benchmarks.md, not an assertion).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

from standup.core.words import counted
from tests.e2e.desktop import ARTIFACTS, MINUTE_SCALE_CONFIG, XFCE4_NOTIFYD, Box, Desktop, Standup, alive, wait_for
from tests.e2e.test_desktop_e2e import BACKEND

pytestmark = pytest.mark.skipif(shutil.which(XFCE4_NOTIFYD) is None, reason="xfce4-notifyd is not installed")

CONFIG = MINUTE_SCALE_CONFIG + 'suggest_only = ["chair-squat"]\n'
INK = (31, 78, 107)  # the figure's stroke colour (standup.adapters.figure.INK)


@pytest.fixture(scope="module")
def guided(desktop: Desktop, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standup]:
    if not any(proc.args[0] == XFCE4_NOTIFYD and proc.poll() is None for proc in desktop._procs):
        desktop.swap_to_xfce4_notifyd()
    home = tmp_path_factory.mktemp("standup-guide")
    with Standup(desktop, home, CONFIG, {"PYSTRAY_BACKEND": BACKEND}).running_with_tray() as running:
        yield running


def near(colour: tuple[int, ...], target: tuple[int, int, int], within: int = 40) -> bool:
    return sum(abs(a - b) for a, b in zip(colour[:3], target, strict=True)) < within


def window(desktop: Desktop) -> list[str]:
    return desktop.windows("standup-guide")


def window_box(desktop: Desktop) -> Box:
    wid = wait_for("the break window", lambda: window(desktop), 10)[0]
    shell = subprocess.run(["xdotool", "getwindowgeometry", "--shell", wid], env=desktop.env, capture_output=True,
                           text=True, timeout=10).stdout
    values = dict(line.split("=", 1) for line in shell.split())
    return Box(int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"]))


def buttons(app: Standup) -> dict[str, tuple[int, int]]:
    line = wait_for("the break window's buttons in guide.log",
                    lambda: re.findall(r"guide window shown for prompt \d+: (.*)", _guide_log(app)), 10)[-1]
    return {name.strip(): (int(x), int(y)) for name, x, y in re.findall(r"([\w ()]+?) at (\d+),(\d+)", line)}


def _guide_log(app: Standup) -> str:
    path = app.home / "guide.log"
    return path.read_text(errors="replace") if path.exists() else ""


def click(desktop: Desktop, x: int, y: int) -> None:
    desktop.xdotool("mousemove", str(x), str(y), "sleep", "0.2", "click", "1")


def test_9_the_toast_shows_the_figure_and_start_opens_the_break_window(desktop: Desktop, guided: Standup) -> None:
    seen = len(desktop.notifications())
    guided.cli("break")
    toast = wait_for("the toast", lambda: desktop.notifications()[seen:], 10)[0]
    assert toast.button_labels == ["Start", "Done", "Snooze 1 min", "Skip"]
    assert "image-path" in toast.raw and "chair-squat.png" in toast.raw
    bubble = wait_for("the xfce4-notifyd bubble", desktop.xfce4_bubble, 5)
    time.sleep(0.6)  # let it finish fading in
    desktop.screenshot("9-toast-with-figure", bubble.grown(10), scale=2)
    picture = desktop.grab(Box(bubble.x, bubble.y, min(bubble.width, 140), bubble.height))
    inked = sum(1 for x in range(picture.width) for y in range(picture.height) if near(picture.getpixel((x, y)), INK))
    assert inked > 60, "no figure drawn in the toast"
    start, _done, _snooze, _skip = desktop.xfce4_buttons(bubble, 4)
    clicked = time.monotonic()
    click(desktop, *start.centre)
    wait_for("the break window on screen", lambda: window(desktop), 10, interval=0.02)
    opened = time.monotonic() - clicked
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "guide-open-seconds.txt").write_text(f"{opened:.2f}\n")
    assert guided.prompts()[-1]["outcome"] is None  # Start answers nothing by itself


def test_10_the_window_guides_the_set_and_done_logs_the_sets_completed(desktop: Desktop, guided: Standup) -> None:
    places = buttons(guided)
    assert set(places) >= {"Set done", "Done", "Snooze", "Skip"}
    time.sleep(2.5)  # into the first set: the figure moves, the repetitions count
    box = window_box(desktop)
    desktop.screenshot("10-break-window-mid-set", box)
    frame = desktop.grab(box)
    assert sum(1 for px in range(0, frame.width, 2) for py in range(0, frame.height, 2)
               if near(frame.getpixel((px, py)), INK)) > 100, "no figure in the break window"
    click(desktop, *places["Set done"])  # the first set is done; the rest begins
    time.sleep(0.5)
    click(desktop, *places["Done"])
    wait_for("the prompt logged as done", lambda: guided.prompts()[-1]["outcome"] == "done", 10)
    row = guided.prompts()[-1]
    assert row["sets_completed"] == 1 and row["sets"] >= 1
    assert f"(1 of {counted(row['sets'], 'set')})" in guided.cli("log").stdout
    wait_for("the break window to close", lambda: not window(desktop), 5)
    guide_pids = [int(pid) for pid in re.findall(r"break window started \(pid (\d+)\)", guided.log_text())]
    assert guide_pids and not [pid for pid in guide_pids if alive(pid)]
    assert not [pid for pid in guided.descendants() if pid in guide_pids]
