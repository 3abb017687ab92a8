"""Drawn buttons: with xfce4-notifyd the toast shows Start / Done / Snooze / Skip, and clicking Done answers.

Runs last: it replaces the session's dunst with xfce4-notifyd.
"""

from __future__ import annotations

import shutil
import signal
import time
from collections.abc import Iterator

import pytest

from tests.e2e.desktop import XFCE4_NOTIFYD, Desktop, Standup, wait_for
from tests.e2e.test_desktop_e2e import BACKEND, CONFIG

pytestmark = pytest.mark.skipif(shutil.which(XFCE4_NOTIFYD) is None, reason="xfce4-notifyd is not installed")


@pytest.fixture(scope="module")
def xfce_app(desktop: Desktop, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standup]:
    desktop.swap_to_xfce4_notifyd()
    home = tmp_path_factory.mktemp("standup-xfce")
    with Standup(desktop, home, CONFIG, {"PYSTRAY_BACKEND": BACKEND}).running_with_tray() as running:
        yield running


def test_8_clicking_the_drawn_done_button_answers_the_prompt(desktop: Desktop, xfce_app: Standup) -> None:
    seen = len(desktop.notifications())
    xfce_app.cli("break")
    toast = wait_for("the toast", lambda: desktop.notifications()[seen:], 10)[0]
    assert toast.button_labels == ["Start", "Done", "Snooze 1 min", "Skip"]  # Start: the break window
    bubble = wait_for("the xfce4-notifyd bubble", desktop.xfce4_bubble, 5)
    time.sleep(0.5)  # let it finish fading in
    desktop.screenshot("8-notification-with-buttons", bubble.grown(10), scale=2)
    _start, done, _snooze, _skip = desktop.xfce4_buttons(bubble, 4)
    x, y = done.centre
    desktop.xdotool("mousemove", str(x), str(y), "sleep", "0.2", "click", "1")
    wait_for("the prompt logged as done", lambda: xfce_app.prompts()[-1]["outcome"] == "done", 10)
    assert any(c.args[-1:] == ("done",) for c in desktop.bus_calls("ActionInvoked"))
    assert xfce_app.proc is not None
    xfce_app.proc.send_signal(signal.SIGINT)  # Ctrl-C in the terminal that started it: a clean stop
    assert xfce_app.proc.wait(15) == 0
    assert "standup stopped" in xfce_app.log_text()
