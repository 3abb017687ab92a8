"""One dose, one story: a prompt's dose text is written once, when the planner suggests it, and every
view shows it as stored: the toast, the tray, the terminal, `status`, `log`, the summary, the plan."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

from standup.adapters.store import Store
from standup.core.catalogue import load_catalogue
from standup.core.model import EventKind, Suggestion
from standup.core.planner import DEFAULT_SEED, Planner
from standup.desktop.menu import tooltip
from standup.desktop.notify.toast import toast_for
from standup.service.views import PromptView
from tests.day import Day, settings
from tests.fakes import BERLIN
from tests.processes import ALL_DAY, end, run_standup, start_app, wait_for


def standup_json(home: Path, *argv: str) -> dict:
    result = run_standup(home, *argv, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def stored_suggestion(home: Path, prompt_id: int) -> Suggestion:
    """The suggestion as the log stored it when the prompt opened: what the desktop builds its toast from."""
    store = Store.open(home / "standup.db", readonly=True)
    try:
        events = store.events_between(datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc))
    finally:
        store.close()
    [event] = [e for e in events if e.kind is EventKind.PROMPTED and e.prompt_id == prompt_id]
    suggestion = Suggestion.from_json(event.data.get("suggestion"))
    assert suggestion is not None
    return suggestion


def test_one_break_now_prompt_shows_the_same_dose_in_status_log_toast_terminal_and_summary(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(ALL_DAY)
    app = start_app(tmp_path)
    try:
        assert wait_for(lambda: run_standup(tmp_path, "status", "--json").returncode == 0
                        and json.loads(run_standup(tmp_path, "status", "--json").stdout)["running"], 15)
        assert run_standup(tmp_path, "break").returncode == 0
        prompt = standup_json(tmp_path, "status")["open_prompt"]
        assert prompt is not None
        dose = prompt["dose"]
        assert dose and prompt["why"] is not None

        suggestion = stored_suggestion(tmp_path, prompt["id"])
        view = PromptView(prompt["id"], datetime.fromisoformat(prompt["prompted_at"]), suggestion)
        toast = toast_for(view, break_minutes=5)
        assert f"— {dose}" in toast.body.splitlines()[0]
        assert prompt["text"].startswith(toast.body.splitlines()[0])  # the terminal's and status's line

        standup_json(tmp_path, "done")
        [row] = standup_json(tmp_path, "log")["prompts"]
        summary = standup_json(tmp_path, "summary")
        summary_text = run_standup(tmp_path, "summary").stdout
        run_standup(tmp_path, "quit")
        out, err = app.communicate(timeout=15)
    finally:
        end(app)
    assert row["id"] == prompt["id"] and row["dose"] == dose and row["why"] == prompt["why"]
    [exercise] = [e for e in summary["exercises"] if e["routine"] == row["routine"]]
    assert exercise["doses"] == [dose]
    assert f"({dose})" in next(line for line in summary_text.splitlines() if exercise["name"] in line)
    assert f"— {dose}" in next(line for line in out.splitlines() if "Time to stand up" in line), out


def test_a_day_that_goes_to_plan_shows_each_slots_dose_and_reason_word_for_word(tmp_path: Path) -> None:
    catalogue = load_catalogue(None)
    planner = Planner(catalogue, settings(), seed=DEFAULT_SEED, tz=BERLIN)
    monday = date(2026, 11, 23)
    slots = planner.plan_day(monday, []).slots
    day = Day(tmp_path, "2026-11-23 09:00", settings())
    day.suggest = planner.suggest_hook(lambda start, end: day.store.prompts_between(start, end))
    day.restart()
    shown = []
    for slot in slots:
        day.until_instant(slot.at)
        status = day.service.status()
        assert status.open_prompt is not None, slot.local_time
        view = status.open_prompt
        shown.append((view.suggestion.dose, view.suggestion.why, tooltip(status, day.clock.now(), BERLIN),
                      toast_for(view, 5).body.splitlines()[0]))
        day.service.done()
    for slot, (dose, why, tip, first_line) in zip(slots, shown, strict=True):
        assert (dose, why) == (slot.suggestion.dose, slot.suggestion.why), slot.local_time
        assert slot.suggestion.headline in tip and first_line == slot.suggestion.headline
    assert any(why.endswith("squats left today") for _, why, _, _ in shown)


def test_the_routines_listing_labels_the_base_dose_and_a_prompt_says_why_it_differs(tmp_path: Path) -> None:
    planner = Planner(load_catalogue(None), settings(), seed=DEFAULT_SEED, tz=BERLIN)
    for slot in planner.plan_day(date(2026, 11, 24), []).slots:
        base = (slot.routine.sets, slot.routine.reps, slot.routine.seconds)
        given = (slot.suggestion.sets, slot.suggestion.reps, slot.suggestion.seconds)
        assert (base != given) <= bool(slot.suggestion.why), (slot.routine.id, base, given)
    listing = run_standup(tmp_path, "routines")
    assert "BASE DOSE" in listing.stdout.splitlines()[0]


def test_older_logs_without_a_stored_dose_still_read_and_show_one() -> None:
    old = {"routine_id": "chair-squat", "name": "Chair squats", "sets": 3, "reps": 12, "minutes": 4.0,
           "first_cue": "Stand in front of a steady chair.", "squats": 36}
    suggestion = Suggestion.from_json(old)
    assert suggestion is not None and suggestion.dose == "3 × 12" and suggestion.cue == old["first_cue"]
    assert suggestion.headline == "Chair squats — 3 × 12 (about 4 min)"
    assert Suggestion.from_json("nonsense") is None
    assert Suggestion.from_json({"name": "no routine id"}) is None
