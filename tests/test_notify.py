"""Notifications: toast text, one toast per prompt, answers back to the service, and the fallback chain."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from standup.desktop import notify
from standup.core.errors import NothingToAnswerError
from standup.core.model import State
from standup.desktop.notify import ANSWER_ELSEWHERE, Capabilities, LogToaster, Notifier, Toast, build_chain, toast_for
from tests.desktop_fakes import SQUATS, T0, FakeService, FakeStatus, View


class FakeToaster:
    """Keeps what is on screen; `fail=True` makes every show raise like a broken library."""

    def __init__(self, name: str, actions: bool = True, can_close: bool = True, fail: bool = False) -> None:
        self.caps = Capabilities(name, supports_actions=actions, can_close=can_close, markup=True)
        self.fail = fail
        self.on_screen: list[Toast] = []
        self.history: list[Toast] = []
        self.answer: Any = None
        self.shut = False

    def show(self, toast: Toast, answer: Any) -> None:
        if self.fail:
            raise OSError("org.freedesktop.Notifications went away")
        if self.caps.can_close:
            self.on_screen.clear()  # replaces its previous toast
        self.on_screen.append(toast)
        self.history.append(toast)
        self.answer = answer

    def close(self) -> None:
        self.on_screen.clear()

    def message(self, title: str, body: str) -> None:
        if self.fail:
            raise OSError("no server")
        self.history.append(Toast(0, title, body, ()))

    def shutdown(self) -> None:
        self.shut = True


def open_prompt(service: FakeService, view: View) -> None:
    service.current = FakeStatus(State.PROMPTING, open_prompt=view)


def test_toast_carries_the_routine_name_dose_key_cue_and_where_the_rest_is() -> None:
    toast = toast_for(View(7, T0, SQUATS), break_minutes=5)
    assert toast.prompt_id == 7
    assert toast.title == "Time to stand up and move"
    assert toast.body.splitlines() == ["Chair squats — 3 × 12 (about 4 min)", SQUATS.cue,
                                       "All steps: standup guide, or standup routines show chair-squat"]
    assert [label for _, label in toast.buttons] == ["Done", "Snooze", "Skip"]


def test_the_toasts_snooze_says_how_long() -> None:
    toast = toast_for(View(7, T0, SQUATS), break_minutes=5, snooze_minutes=15)
    assert toast.buttons == (("done", "Done"), ("snooze", "Snooze 15 min"), ("skip", "Skip"))
    toaster = FakeToaster("desktop-notifier", actions=True)
    service = FakeService()
    notifier = Notifier(service, [toaster], 5, snooze_minutes=10)
    notifier.prompt_shown(View(8, T0, SQUATS))
    assert [label for _, label in toaster.history[-1].buttons] == ["Done", "Snooze 10 min", "Skip"]


def test_toast_without_a_suggestion_and_a_reshown_one() -> None:
    toast = toast_for(View(7, T0, None, reshown=True), break_minutes=5)
    assert toast.title == "Still sitting? Time to move"
    assert toast.body == "Get up and move for 5 minutes."


def test_markup_servers_get_an_escaped_body() -> None:
    toast = toast_for(View(7, T0, SQUATS), 5)
    escaped = notify.body_text(toast, Capabilities("x", markup=True))
    assert "&lt;lightly&gt; &amp; stand" in escaped and "<lightly>" not in escaped
    assert "<lightly> & stand" in notify.body_text(toast, Capabilities("x", markup=False))


def test_one_toast_per_prompt_replaced_then_closed() -> None:
    service, toaster = FakeService(), FakeToaster("desktop-notifier")
    notifier = Notifier(service, [toaster], 5)
    notifier.prompt_shown(View(1, T0, SQUATS))
    notifier.prompt_shown(View(1, T0, SQUATS, reshown=True))
    assert [t.title for t in toaster.on_screen] == ["Still sitting? Time to move"]
    notifier.prompt_closed(View(1, T0), None)
    assert toaster.on_screen == []


def test_closing_another_prompt_leaves_the_toast() -> None:
    toaster = FakeToaster("desktop-notifier")
    notifier = Notifier(FakeService(), [toaster], 5)
    notifier.prompt_shown(View(2, T0, SQUATS))
    notifier.prompt_closed(View(1, T0), None)
    assert len(toaster.on_screen) == 1


def test_a_snoozed_prompt_takes_its_toast_away() -> None:
    toaster = FakeToaster("desktop-notifier")
    notifier = Notifier(FakeService(), [toaster], 5)
    notifier.prompt_shown(View(1, T0, SQUATS))
    notifier.prompt_snoozed(View(1, T0, SQUATS, snoozes=1))
    assert toaster.on_screen == []


@pytest.mark.parametrize(("button", "call"), [("done", "done"), ("snooze", "snooze"), ("skip", "skip")])
def test_buttons_answer_through_the_service(button: str, call: str) -> None:
    service, toaster = FakeService(), FakeToaster("desktop-notifier")
    notifier = Notifier(service, [toaster], 5)
    open_prompt(service, View(1, T0, SQUATS))
    notifier.prompt_shown(View(1, T0, SQUATS))
    toaster.answer(button)
    assert service.names() == [call]


def test_a_press_on_a_stale_toast_is_ignored() -> None:
    service, toaster = FakeService(), FakeToaster("desktop-notifier")
    notifier = Notifier(service, [toaster], 5)
    notifier.prompt_shown(View(1, T0, SQUATS))
    open_prompt(service, View(2, T0, SQUATS))  # prompt 1 was answered elsewhere; 2 is open now
    toaster.answer("done")
    assert service.calls == []  # not a self-started break, not an answer to prompt 2


def test_a_refused_answer_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    service, toaster = FakeService(), FakeToaster("desktop-notifier")
    notifier = Notifier(service, [toaster], 5)
    view = View(1, T0, SQUATS)
    service.current = FakeStatus(State.PROMPTING, open_prompt=view)
    notifier.prompt_shown(view)

    def refuse(minutes: int | None = None) -> None:
        raise NothingToAnswerError("the prompt closed meanwhile")

    service.snooze = refuse  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING):
        toaster.answer("snooze")
    assert "closed meanwhile" in caplog.text


def test_a_failing_toaster_hands_over_to_the_next(caplog: pytest.LogCaptureFixture) -> None:
    broken, plain = FakeToaster("desktop-notifier", fail=True), FakeToaster("plyer", actions=False, can_close=False)
    notifier = Notifier(FakeService(), [broken, plain], 5)
    with caplog.at_level(logging.ERROR):
        notifier.prompt_shown(View(1, T0, SQUATS))
    assert "desktop-notifier failed" in caplog.text
    assert len(plain.history) == 1
    assert notifier.caps.name == "plyer" and not notifier.supports_actions
    notifier.prompt_shown(View(2, T0, SQUATS))
    assert len(plain.history) == 2  # the broken one is not tried again


def test_without_buttons_the_user_is_told_once_how_to_answer() -> None:
    plain = FakeToaster("plyer", actions=False, can_close=False)
    notifier = Notifier(FakeService(), [plain], 5)
    notifier.prompt_shown(View(1, T0, SQUATS))
    notifier.prompt_shown(View(2, T0, SQUATS))
    assert plain.history[0].body.endswith(ANSWER_ELSEWHERE)
    assert ANSWER_ELSEWHERE not in plain.history[1].body


def test_when_everything_fails_the_log_still_gets_the_prompt() -> None:
    last = LogToaster()
    notifier = Notifier(FakeService(), [FakeToaster("desktop-notifier", fail=True), FakeToaster("plyer", fail=True), last], 5)
    notifier.prompt_shown(View(1, T0, SQUATS))
    assert [t.prompt_id for t in last.shown] == [1]


def test_a_late_failure_moves_down_the_chain_and_shows_again() -> None:
    first, second = FakeToaster("desktop-notifier"), FakeToaster("plyer", actions=False, can_close=False)
    notifier = Notifier(FakeService(), [first, second], 5)
    notifier.prompt_shown(View(1, T0, SQUATS))
    notifier.failed(first, first.history[0])
    assert notifier.caps.name == "plyer"
    assert [t.prompt_id for t in second.history] == [1]


def factories(**overrides: Any) -> dict[str, Any]:
    made = {
        "desktop-notifier": lambda: FakeToaster("desktop-notifier"),
        "plyer": lambda: FakeToaster("plyer", actions=False),
        "pystray": lambda: FakeToaster("pystray", actions=False),
        "log": LogToaster,
    }
    made.update(overrides)
    return made


def names(report: notify.ChainReport) -> list[str]:
    return [t.caps.name for t in report.toasters]


def test_full_chain_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(notify.ENV_NOTIFIER, raising=False)
    assert names(build_chain(factories=factories())) == ["desktop-notifier", "plyer", "pystray", "log"]


def test_desktop_notifier_is_skipped_when_the_server_shows_no_buttons(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(notify.ENV_NOTIFIER, raising=False)
    buttonless = FakeToaster("desktop-notifier", actions=False)
    report = build_chain(factories=factories(**{"desktop-notifier": lambda: buttonless}))
    assert names(report)[0] == "plyer"
    assert buttonless.shut
    assert report.skipped == ["desktop-notifier: the notification server shows no buttons"]


def test_a_library_that_is_not_installed_is_skipped_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(notify.ENV_NOTIFIER, raising=False)

    def missing() -> Any:
        raise ImportError("No module named 'desktop_notifier'")

    report = build_chain(factories=factories(**{"desktop-notifier": missing}))
    assert names(report) == ["plyer", "pystray", "log"]
    assert "No module named" in report.skipped[0]


def test_the_environment_can_start_the_chain_lower(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(notify.ENV_NOTIFIER, "plyer")
    assert names(build_chain(factories=factories())) == ["plyer", "pystray", "log"]
    monkeypatch.setenv(notify.ENV_NOTIFIER, "nonsense")
    assert names(build_chain(factories=factories()))[0] == "desktop-notifier"


def test_without_a_tray_there_is_no_pystray_toaster(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(notify.ENV_NOTIFIER, raising=False)
    report = build_chain(factories={k: v for k, v in factories().items() if k != "pystray"})
    assert names(report) == ["desktop-notifier", "plyer", "log"]


def test_the_bundled_app_icon_is_found() -> None:
    path = notify.app_icon_path()
    assert path is not None and path.name == "standup-64.png"


def test_messages_go_beside_the_prompt_toast_and_fall_back() -> None:
    broken, plain = FakeToaster("desktop-notifier", fail=True), FakeToaster("plyer", actions=False, can_close=False)
    notifier = Notifier(FakeService(), [broken, plain], 5)
    notifier.message("Today so far", "2 done")
    assert [(t.title, t.body) for t in plain.history] == [("Today so far", "2 done")]


def test_the_evening_note_becomes_a_message() -> None:
    toaster = FakeToaster("desktop-notifier")
    notifier = Notifier(FakeService(), [toaster], 5)
    notifier.evening_note("6 of 8 breaks · 92 squats · longest sit 1 h 40 min")
    assert [(t.title, t.body) for t in toaster.history] == [
        ("standup: your day", "6 of 8 breaks · 92 squats · longest sit 1 h 40 min")]


def test_a_log_that_cannot_be_written_is_told_once_and_so_is_its_end() -> None:
    toaster = FakeToaster("desktop-notifier")
    notifier = Notifier(FakeService(), [toaster], 5)
    notifier.log_unwritable("/home/a/standup.db: cannot write to the log (database or disk is full)")
    notifier.log_writable()
    assert [t.title for t in toaster.history] == ["standup cannot save your answers", "standup saved your answers"]
    assert "disk is full" in toaster.history[0].body
