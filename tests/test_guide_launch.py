"""How the app reaches the break window: a Start on the toast, the toast's picture, the launcher."""

from __future__ import annotations

import sys
from datetime import datetime, timezone

from PIL import Image

from standup.core.figures import figure_by_id
from standup.core.model import Suggestion
from standup.desktop.launch import GuideLauncher, window_missing
from standup.desktop.notify.notifier import Notifier
from standup.desktop.notify.toast import toast_for
from standup.desktop.pictures import ToastPictures
from standup.service.views import PromptView

SQUATS = Suggestion("chair-squat", "Chair squats", sets=2, reps=10, cue="Sit back.", squats=20)
VIEW = PromptView(7, datetime(2026, 11, 23, 9, tzinfo=timezone.utc), SQUATS)


class Shown:
    """A toaster that keeps what it was asked to show."""

    def __init__(self) -> None:
        from standup.desktop.notify.toast import Capabilities

        self.caps = Capabilities("fake", supports_actions=True, can_close=True)
        self.toasts = []
        self.answer = None

    def show(self, toast, answer):
        self.toasts.append(toast)
        self.answer = answer

    def close(self):
        pass

    def message(self, title, body):
        pass

    def shutdown(self):
        pass


class Service:
    def __init__(self) -> None:
        self.calls = []

    def status(self):
        return type("S", (), {"open_prompt": VIEW})()

    def done(self):
        self.calls.append("done")

    def snooze(self):
        self.calls.append("snooze")

    def skip(self):
        self.calls.append("skip")


def test_with_a_window_the_toast_offers_start_first_and_clicking_it_opens_the_window(tmp_path):
    opened = []
    toaster, service = Shown(), Service()
    pictures = ToastPictures(tmp_path, figure_by_id)
    notifier = Notifier(service, [toaster], 5, 10, picture=pictures.path_for, start_guide=opened.append)
    notifier.prompt_shown(VIEW)
    [toast] = toaster.toasts
    assert [label for _, label in toast.buttons] == ["Start", "Done", "Snooze 10 min", "Skip"]
    assert toast.start is True
    assert toast.image == tmp_path / "chair-squat.png" and Image.open(toast.image).size == (128, 128)
    toaster.answer("start")
    assert opened == [7] and service.calls == []  # Start answers nothing: the window will
    toaster.answer("done")
    assert service.calls == ["done"]


def test_without_a_window_the_toast_is_as_before():
    toast = toast_for(VIEW, 5, 10)
    assert [key for key, _ in toast.buttons] == ["done", "snooze", "skip"]
    assert toast.image is None and toast.start is False


def test_a_routine_without_a_figure_gets_no_picture(tmp_path):
    pictures = ToastPictures(tmp_path, lambda routine_id: None)
    assert pictures.path_for(VIEW) is None and list(tmp_path.iterdir()) == []


def test_no_display_or_no_tkinter_means_no_window_and_one_line_why():
    assert window_missing({}, "linux") == "no display"
    assert "python3-tk" in window_missing({"DISPLAY": ":5"}, "linux", find_spec=lambda name: None)
    assert window_missing({"DISPLAY": ":5"}, "linux", find_spec=lambda name: object()) is None
    launcher = GuideLauncher(__import__("pathlib").Path("/nonexistent"), environ={})
    assert not launcher.available and launcher.open(3) is False


def test_the_launcher_starts_the_window_process_and_reaps_it(tmp_path):
    launcher = GuideLauncher(tmp_path, environ={"DISPLAY": ":99"}, missing="",
                             command=[sys.executable, "-c", "import sys; print(sys.argv[1:])"])
    assert launcher.open(12)
    child = launcher._children[0] if launcher._children else None
    if child is not None:
        child.wait(10)
    import time

    for _ in range(100):
        if not launcher._children:
            break
        time.sleep(0.05)
    assert launcher._children == []
    assert "--prompt=12" in (tmp_path / "guide.log").read_text()


def test_standup_guide_without_a_display_says_so_in_one_line(tmp_path, monkeypatch):
    from tests.test_cli_routines import Run

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    code, out, err = Run(tmp_path)("guide")
    assert code == 1 and out == ""
    assert err == ("standup: no break window here (no display); answer the toast, the tray menu or `standup done`\n")
