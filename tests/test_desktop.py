"""The desktop composition's pure parts: when there is no tray, and the menu's summary line."""

from __future__ import annotations

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
