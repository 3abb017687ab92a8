"""The tray's menu model: what each line says and which can be clicked, in every state of the day."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from standup.core.model import State
from standup.desktop import menu
from tests.desktop_fakes import SQUATS, T0, FakeStatus, View

BERLIN = ZoneInfo("Europe/Berlin")  # T0 is 10:00 there


def entries(status: FakeStatus) -> tuple[menu.Entry, ...]:
    return menu.menu_entries(status, 10, BERLIN)


def shown(status: FakeStatus) -> str:
    """The menu as a user reads it: one line per entry, '(grey)' for what cannot be clicked."""
    lines = []
    for entry in entries(status):
        if entry is menu.SEPARATOR:
            lines.append("---")
            continue
        lines.append(entry.label + ("" if entry.enabled else " (grey)") + (" =>" if entry.children else ""))
    return "\n".join(lines)


SITTING_MENU = """\
Sitting since 10:00 · next break 11:00 (grey)
---
Take a break now
Done — I took a break
Snooze 10 min (grey)
Skip (grey)
---
Pause =>
Resume (grey)
---
Today's summary
Open settings
---
Quit"""


def test_sitting_the_first_line_says_since_when_and_the_next_break() -> None:
    assert shown(FakeStatus()) == SITTING_MENU


def test_done_while_sitting_logs_a_break_of_ones_own() -> None:
    done = next(e for e in entries(FakeStatus()) if e.action == menu.DONE)
    assert done.enabled and done.label == "Done — I took a break" and not done.default


def test_prompting_every_answer_is_offered_and_done_is_the_default() -> None:
    text = shown(FakeStatus(State.PROMPTING, open_prompt=View(1, T0, SQUATS)))
    assert text.splitlines()[:6] == [
        "Time to move: Chair squats — 3 × 12 (about 4 min) (grey)",
        "---",
        "Take a break now (grey)",
        "Done",
        "Snooze 10 min",
        "Skip",
    ]
    done = next(e for e in entries(FakeStatus(State.PROMPTING, open_prompt=View(1, T0))) if e.action == menu.DONE)
    assert done.default


def test_snoozed_says_until_when_and_offers_no_second_snooze() -> None:
    status = FakeStatus(State.SNOOZED, open_prompt=View(1, T0, SQUATS, snoozed_until=T0 + timedelta(minutes=12)))
    assert shown(status).splitlines()[:6] == [
        "Snoozed until 10:12 (grey)",
        "---",
        "Take a break now",  # shows the snoozed break again, now
        "Done",
        "Skip",
        "---",
    ]
    assert menu.SNOOZE not in {e.action for e in entries(status)}


def test_paused_says_until_when_and_resume_is_offered() -> None:
    text = shown(FakeStatus(State.PAUSED, paused_until=T0 + timedelta(hours=1)))
    assert text.splitlines()[0] == "Paused until 11:00 (grey)"
    assert "Resume" in text.splitlines()  # clickable
    assert "Done — I took a break" in text.splitlines()


def test_the_default_item_is_the_likely_answer() -> None:
    default = [e.action for e in entries(FakeStatus()) if e.default]
    assert default == [menu.TAKE_BREAK]


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (FakeStatus(next_prompt_at=T0 + timedelta(minutes=23)), "Sitting since 10:00 · next break 10:23"),
        (FakeStatus(sitting_since=T0 - timedelta(minutes=42), next_prompt_at=T0 + timedelta(minutes=18)),
         "Sitting since 09:18 · next break 10:18"),
        (FakeStatus(next_prompt_at=T0), "Sitting since 10:00 · break due now"),
        (FakeStatus(next_prompt_at=None), "Sitting since 10:00 · no break scheduled"),
        (FakeStatus(held=("fullscreen",)), "Sitting since 10:00 · prompts wait: a fullscreen window"),
        (FakeStatus(held=("notifications-paused",)), "Sitting since 10:00 · prompts wait: do not disturb"),
        (FakeStatus(away=True), "Away from the desk · prompts wait for your return"),
        (FakeStatus(State.PAUSED, paused_until=T0 + timedelta(hours=4)), "Paused until 14:00"),
        (FakeStatus(State.PAUSED, paused_until=T0 + timedelta(hours=14)), "Paused until tomorrow"),
        (FakeStatus(State.PROMPTING, open_prompt=View(1, T0, SQUATS)), "Time to move: Chair squats — 3 × 12 (about 4 min)"),
        (FakeStatus(State.PROMPTING, open_prompt=View(1, T0)), "Time to move"),
        (
            FakeStatus(State.SNOOZED, open_prompt=View(1, T0, SQUATS, snoozed_until=T0 + timedelta(minutes=10))),
            "Snoozed until 10:10",
        ),
        (FakeStatus(State.OFF_HOURS, next_prompt_at=T0 + timedelta(days=1)), "Off hours · next break tomorrow 10:00"),
        (FakeStatus(State.OFF_HOURS, next_prompt_at=T0 + timedelta(days=4)), "Off hours · next break Fri 10:00"),
        (FakeStatus(State.OFF_HOURS, next_prompt_at=T0 + timedelta(days=9)), "Off hours · next break 2 Dec 10:00"),
    ],
)
def test_state_line_and_tooltip(status: FakeStatus, text: str) -> None:
    assert menu.state_line(status, T0, BERLIN) == text
    assert menu.tooltip(status, T0, BERLIN) == text
    assert entries(status)[0].label == text and not entries(status)[0].enabled


def test_the_model_imports_no_gui_library() -> None:
    import subprocess
    import sys

    code = "import sys, standup.desktop.menu; print([m for m in ('pystray', 'gi', 'PIL') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
