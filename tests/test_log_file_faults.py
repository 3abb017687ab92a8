"""The log's file changes under a running app: deleted, moved or replaced by another file, read-only.

Real `standup run --no-tray` processes and real unlink/rename: an answer acknowledged as saved is in the
file at the log's path, the user is told once, and a file put in the log's place is kept untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from standup.adapters.store import Store
from standup.core.errors import StoreError
from standup.core.model import EventKind, Outcome
from tests.processes import ALL_DAY, end, run_standup, start_app, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX unlink and rename semantics")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def answer(home: Path, *argv: str) -> dict[str, Any]:
    result = run_standup(home, *argv, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def started(home: Path) -> subprocess.Popen[str]:
    (home / "config.toml").write_text(ALL_DAY)
    app = start_app(home, STANDUP_NOTIFIER="log")
    if not wait_for(lambda: app.poll() is not None or (run_standup(home, "status", "--json").returncode == 0
                                                        and answer(home, "status")["running"])) or app.poll():
        pytest.fail(f"standup run did not come up: {app.communicate(timeout=5)}")
    return app


def stopped(home: Path, app: subprocess.Popen[str]) -> str:
    """Quits the app; returns what it said on its terminal (stdout and stderr)."""
    assert run_standup(home, "quit").returncode == 0
    out, err = app.communicate(timeout=15)
    assert app.returncode == 0, err
    return out + err


def outcomes(home: Path) -> dict[int, str | None]:
    return {row["id"]: row["outcome"] for row in answer(home, "log")["prompts"]}


@pytest.mark.slow
def test_a_log_deleted_while_the_app_runs_is_started_again_with_the_open_prompt_and_the_answer(tmp_path):
    app = started(tmp_path)
    try:
        first = answer(tmp_path, "break")
        assert answer(tmp_path, "done")["saved"] is True
        second = answer(tmp_path, "break")  # open when the log goes
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp_path / 'standup.db'}{suffix}").unlink(missing_ok=True)  # rm standup.db*
        done = answer(tmp_path, "done")
        assert done["saved"] is True and done["prompt"]["id"] == second["id"]
        assert outcomes(tmp_path) == {first["id"]: "done", second["id"]: "done"}  # read from the path, now
        third = answer(tmp_path, "break")
        answer(tmp_path, "skip")
        err = stopped(tmp_path, app)
    finally:
        end(app)
    assert err.count("was deleted or moved") == 1, err  # told once
    assert outcomes(tmp_path) == {first["id"]: "done", second["id"]: "done", third["id"]: "skipped"}


@pytest.mark.slow
def test_a_log_replaced_by_another_file_keeps_that_file_untouched_and_the_answers_at_the_path(tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    stranger = Store.open(other / "standup.db")
    stranger.add_event(T0, EventKind.STARTED)
    stranger.close()
    stranger_bytes = (other / "standup.db").read_bytes()
    app = started(tmp_path)
    try:
        prompt = answer(tmp_path, "break")
        os.replace(other / "standup.db", tmp_path / "standup.db")  # mv over the running app's log
        assert answer(tmp_path, "done")["saved"] is True
        err = stopped(tmp_path, app)
    finally:
        end(app)
    [kept] = tmp_path.glob("standup.db.replaced-*")
    assert kept.read_bytes() == stranger_bytes
    assert err.count("was replaced by another file") == 1 and str(kept) in err
    assert outcomes(tmp_path) == {prompt["id"]: "done"}


@pytest.mark.slow
def test_a_log_renamed_away_goes_on_at_its_path_and_the_renamed_file_is_not_written_again(tmp_path):
    app = started(tmp_path)
    try:
        prompt = answer(tmp_path, "break")
        (tmp_path / "standup.db").rename(tmp_path / "moved.db")
        moved = (tmp_path / "moved.db").read_bytes()
        answer(tmp_path, "snooze", "5")
        answer(tmp_path, "done")
        stopped(tmp_path, app)
    finally:
        end(app)
    assert outcomes(tmp_path) == {prompt["id"]: "done"}
    assert (tmp_path / "moved.db").read_bytes() == moved  # nothing written into it after the move


def test_a_store_notices_its_file_was_deleted_before_it_acknowledges_a_write(tmp_path):
    store = Store.open(tmp_path / "standup.db")
    prompt = store.add_prompt(T0, None)
    (tmp_path / "standup.db").unlink()
    assert store.close_prompt(prompt.id, Outcome.DONE, T0 + timedelta(minutes=3)) is True
    assert len(store.notices) == 1 and "deleted or moved" in store.notices[0]
    fresh = Store.open(tmp_path / "standup.db", readonly=True)
    [record] = fresh.prompts_between(T0, T0 + timedelta(hours=1))
    assert (record.id, record.outcome) == (prompt.id, Outcome.DONE)
    assert store.add_event(T0 + timedelta(minutes=4), EventKind.SELF_BREAK) is True
    assert len(store.notices) == 1  # the fresh file is the store's own now


def test_a_log_whose_folder_cannot_take_a_fresh_file_keeps_the_answers_in_memory(tmp_path, monkeypatch):
    store = Store.open(tmp_path / "standup.db")
    prompt = store.add_prompt(T0, None)
    (tmp_path / "standup.db").unlink()

    def refused(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "link", refused)
    assert store.close_prompt(prompt.id, Outcome.DONE, T0) is False
    assert store.unsaved == 1 and "fresh one cannot be made" in (store.write_error or "")
    monkeypatch.undo()
    assert store.flush() is True and store.unsaved == 0
    record = Store.open(tmp_path / "standup.db", readonly=True).prompt(prompt.id)
    assert record is not None and record.outcome is Outcome.DONE


# -- read-only is not damaged ------------------------------------------------------------------------


def _read_only(folder: Path, *files: Path) -> None:
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("root ignores file modes, and chattr is not installed")
        for path in (*files, folder):
            if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
                pytest.skip("this file system has no immutable attribute")
    else:
        for path in files:
            os.chmod(path, 0o444)
        os.chmod(folder, 0o555)


def _writable(folder: Path, *files: Path) -> None:
    for path in (folder, *files):
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        else:
            os.chmod(path, 0o700)


def test_a_healthy_log_on_a_read_only_file_is_called_read_only_not_damaged(tmp_path):
    home = tmp_path / "home"
    assert run_standup(home, "done").returncode == 0  # a healthy log with a break in it
    database = home / "standup.db"
    _read_only(home, database)
    try:
        for argv in (("log",), ("status",), ("done",), ("run", "--no-tray")):
            result = run_standup(home, *argv)
            assert "damaged" not in result.stderr and "repair" not in result.stderr, (argv, result.stderr)
            assert "Traceback" not in result.stderr
            if argv in (("log",), ("status",)):
                assert result.returncode == 0, result.stderr  # reading needs no writing
            else:
                [line] = result.stderr.splitlines()[-1:]
                assert result.returncode != 0 and ("read-only" in line or "not permitted" in line), line
    finally:
        _writable(home, database)
    assert json.loads(run_standup(home, "status", "--json").stdout)["today"]["self_breaks"] == 1


def test_the_store_says_read_only_for_a_read_only_log(tmp_path):
    Store.open(tmp_path / "standup.db").close()
    _read_only(tmp_path, tmp_path / "standup.db")
    try:
        assert Store.open(tmp_path / "standup.db", readonly=True).open_prompt() is None
        with pytest.raises(StoreError, match="read-only") as raised:
            Store.open(tmp_path / "standup.db")
        assert "damaged" not in str(raised.value)
    finally:
        _writable(tmp_path, tmp_path / "standup.db")
