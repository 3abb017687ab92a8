"""The desktop composition's pure parts: when there is no tray, and the menu's summary line."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from standup.desktop import session as desktop
from standup.desktop.session import Desktop, summary_text


def make() -> Desktop:
    return Desktop(None, None, None, None, None, quit_app=lambda: None)


def test_no_display_means_no_tray() -> None:
    assert make()._no_tray_reason("linux", {}) == "no display"


def test_no_tray_host_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desktop.tray, "tray_host", lambda platform, env, **kw: None)
    assert make()._no_tray_reason("linux", {"DISPLAY": ":9"}) == "no system tray on this desktop"
    monkeypatch.setattr(desktop.tray, "tray_host", lambda platform, env, **kw: "xembed")
    assert make()._no_tray_reason("linux", {"DISPLAY": ":9"}) is None


def test_summary_text() -> None:
    assert summary_text({"prompts": 0, "self_breaks": 0}) == "No breaks yet today."
    counts = {"prompts": 5, "done": 3, "natural": 1, "skipped": 0, "missed": 1, "self_breaks": 2}
    assert summary_text(counts) == "Breaks: 3 done, 1 natural, 1 missed, 2 on your own."


def test_settings_open_with_the_platform_opener(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[list[str]] = []

    class Popen:
        def __init__(self, argv: list[str], **kwargs: Any) -> None:
            assert kwargs["start_new_session"]
            started.append(argv)

    monkeypatch.setattr(desktop.subprocess, "Popen", Popen)
    desktop.open_with_default_app("/c/config.toml", "linux")
    desktop.open_with_default_app("/c/config.toml", "darwin")
    assert started == [["xdg-open", "/c/config.toml"], ["open", "/c/config.toml"]]


class Opener:
    """Stands in for subprocess.Popen: an opener that exits with `code`, or keeps running (None)."""

    code: int | None = None
    started: list[list[str]] = []

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        Opener.started.append(argv)

    def wait(self, timeout: float) -> int:
        if Opener.code is None:
            raise desktop.subprocess.TimeoutExpired("xdg-open", timeout)
        return Opener.code


class Told:
    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    def message(self, title: str, body: str) -> None:
        self.messages.append((title, body))


class Today:
    today = {"prompts": 2, "done": 1, "missed": 1, "self_breaks": 0}


def summary_desktop(write: Any) -> tuple[Desktop, Told]:
    told = Told()
    service = type("Service", (), {"status": lambda self: Today()})()
    made = Desktop(service, None, None, None, None, quit_app=lambda: None, write_summary=write)
    made._notifier = told  # type: ignore[assignment]
    return made, told


def test_todays_summary_that_no_browser_opens_says_where_the_report_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desktop.subprocess, "Popen", Opener)
    monkeypatch.setattr(Opener, "code", 3)  # xdg-open: no method available for opening
    made, told = summary_desktop(lambda: "/home/u/.local/state/standup/report-2026-11-23.html")
    made._show_summary()
    assert told.messages == [(
        "standup: today's summary",
        "Breaks: 1 done, 1 missed. No browser opened the report (xdg-open exited with 3); "
        "it is at /home/u/.local/state/standup/report-2026-11-23.html",
    )]


def test_todays_summary_in_a_browser_needs_no_toast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desktop.subprocess, "Popen", Opener)
    monkeypatch.setattr(Opener, "code", None)  # the browser is up and xdg-open waits for it
    made, told = summary_desktop(lambda: "/r.html")
    made._show_summary()
    assert told.messages == [] and Opener.started[-1] == ["xdg-open", "/r.html"]


def test_a_report_that_cannot_be_written_is_said_with_todays_counts() -> None:
    def refuse() -> str:
        raise desktop.StandupError("cannot write /ro/report.html: read-only file system")

    made, told = summary_desktop(refuse)
    made._show_summary()
    assert told.messages == [("standup: today so far", "Breaks: 1 done, 1 missed. The report could not be written: "
                              "cannot write /ro/report.html: read-only file system")]


def in_fresh_python(code: str) -> list[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60).stdout.split()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_the_desktop_leaves_tls_out_and_its_asyncio_loop_still_runs() -> None:
    assert in_fresh_python(
        "import sys; from standup.app import leave_out_tls; leave_out_tls(); "
        "import asyncio, http.client; from standup.desktop import session; "
        "print(asyncio.new_event_loop().run_until_complete(asyncio.sleep(0, 'ran')), sys.modules['ssl'], "
        "'libssl' in open('/proc/self/maps').read())") == ["ran", "None", "False"]


def test_a_process_that_has_asyncio_already_keeps_its_tls() -> None:
    assert in_fresh_python("import asyncio; from standup.app import leave_out_tls; leave_out_tls(); import ssl; "
                           "print(ssl.PROTOCOL_TLS_CLIENT is not None)") == ["True"]
