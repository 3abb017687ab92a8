"""`standup run --no-tray` as a real process: prompts on a one-minute interval, answers from another shell."""

from __future__ import annotations

import json
import re

import pytest

from tests.processes import ALL_DAY, run_standup, start_app, wait_for

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
        if app.poll() is None:
            app.kill()
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
        if app.poll() is None:
            app.kill()
    assert app.returncode == 0
    assert standup(tmp_path, "status", "--json").stdout and not (tmp_path / "standup.sock").exists()
