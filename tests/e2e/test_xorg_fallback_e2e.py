"""The last tray fallback: pystray's plain X11 backend (no PyGObject) docked in trayer.

It has no menu: standup says so in one line, once, with how to get one, and a state change whose
tooltip holds non-Latin-1 text ("—", "…") no longer prints a traceback from the window title.
"""

from __future__ import annotations

import pytest

from tests.e2e.desktop import Desktop, Standup, wait_for

CONFIG = """\
interval_minutes = 30
break_minutes = 5
work_hours = "00:00-24:00"
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
"""


def test_the_xorg_icon_says_it_has_no_menu_once_and_never_tracebacks(
        desktop: Desktop, tmp_path_factory: pytest.TempPathFactory) -> None:
    home = tmp_path_factory.mktemp("standup-xorg")
    with Standup(desktop, home, CONFIG, {"PYSTRAY_BACKEND": "xorg"}).running_with_tray() as app:
        assert app.status()["tray"] == "xembed-xorg"
        for _ in range(2):
            app.cli("break")
            wait_for("the prompt's tooltip", lambda: app.status()["state"] == "prompting", 10)
            app.cli("done")
        app.cli("status")
    output = app.output.read_text(errors="replace")
    assert output.count("the tray icon has no menu on this desktop") == 1, output
    assert "python3-gi" in output and "StatusNotifierItem" in output
    assert "Traceback" not in output and "UnicodeEncodeError" not in output, output
    assert "Traceback" not in app.log_text()
