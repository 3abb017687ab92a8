"""`standup run --no-tray` as a real process: prompts on a one-minute interval, answers from another shell."""

from __future__ import annotations

import json
import re

import pytest

from tests.processes import ALL_DAY, end, run_standup, start_app, wait_for

ALL_DAY_EVERY_MINUTE = "interval_minutes = 1\n" + ALL_DAY


def standup(home, *argv, check=True):  # noqa: ANN001, ANN201
    result = run_standup(home, *argv)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.mark.slow
def test_headless_run_prompts_within_75_seconds_and_takes_done_from_another_shell(tmp_path):
    (tmp_path / "config.toml").write_text(ALL_DAY_EVERY_MINUTE)
    app = start_app(tmp_path)
    try:
        assert wait_for(lambda: standup(tmp_path, "status", "--json", check=False).returncode == 0 and
                        json.loads(standup(tmp_path, "status", "--json").stdout)["running"], 10)
        second = standup(tmp_path, "run", "--no-tray", check=False)
        assert second.returncode == 5 and "already running" in second.stderr

        status = wait_for(lambda: (s := json.loads(standup(tmp_path, "status", "--json").stdout))["open_prompt"] and s,
                          75, interval=0.5)
        assert status, "no prompt within 75 s"
        assert status["state"] == "prompting"

        done = json.loads(standup(tmp_path, "done", "--json").stdout)
        assert done["action"] == "done" and done["prompt"]["id"] == status["open_prompt"]["id"]
        [row] = json.loads(standup(tmp_path, "log", "--json").stdout)["prompts"]
        assert row["outcome"] == "done" and row["answered_at"] is not None
        after = json.loads(standup(tmp_path, "status", "--json").stdout)
        assert after["state"] == "sitting" and after["sitting_since"] == done["at"]

        standup(tmp_path, "quit")
        out, err = app.communicate(timeout=10)
    finally:
        end(app)
    assert app.returncode == 0, err
    assert "Time to stand up" in out
    assert not (tmp_path / "standup.sock").exists()
    wakeups = int(re.search(r"Runner stopped after (\d+) wake-ups", (tmp_path / "standup.log").read_text()).group(1))
    assert wakeups <= 12  # ~70 s of running: woken by the prompt, the answers and the minute cap, never polling


def test_sigterm_stops_cleanly(tmp_path):
    app = start_app(tmp_path)
    try:
        assert wait_for(lambda: (tmp_path / "standup.sock").exists(), 10)
        app.terminate()
        app.communicate(timeout=10)
    finally:
        end(app)
    assert app.returncode == 0
    assert standup(tmp_path, "status", "--json").stdout and not (tmp_path / "standup.sock").exists()


@pytest.mark.parametrize(
    ("argv", "where"),
    [(["run"], "without a tray icon (no display): prompts appear here"),
     (["run", "--no-tray"], "in this terminal: prompts appear here")],
)
def test_every_start_prints_one_line_saying_where_and_when(tmp_path, argv, where):  # noqa: ANN001
    import subprocess
    import sys

    from tests.processes import env_for

    from datetime import datetime, timedelta

    workday = (datetime.now() + timedelta(days=3)).strftime("%a")  # today is off
    (tmp_path / "config.toml").write_text(f'workdays = ["{workday.lower()}"]\n')
    app = subprocess.Popen([sys.executable, "-m", "standup", *argv], env=env_for(tmp_path), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: (tmp_path / "standup.sock").exists(), 15)
        standup(tmp_path, "quit")
        out, err = app.communicate(timeout=10)
    finally:
        end(app)
    assert err == ""
    [line] = out.splitlines()
    assert re.fullmatch(
        rf"\[\d\d:\d\d\] standup is running {re.escape(where)}\. Outside work hours \(09:00-18:00 on workdays\): "
        rf"the next prompt is {workday} 10:00\. Set work_hours and workdays in config\.toml to be reminded at other "
        r"times\. Answer with `standup done`, `standup snooze` or `standup skip` from any shell\.", line), line
