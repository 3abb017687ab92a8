"""Answers the log refused are written on a timer, without waiting for the next prompt or answer:
an exclusive lock from a second process, a full disk (RLIMIT_FSIZE) and a read-only (immutable) log,
each cleared while the real app runs; then SIGKILL, and the answer must be in the log.
The three apps run side by side, so the suite waits one retry interval, not three."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from standup.service.saving import UNSAVED_RETRY
from tests.processes import ALL_DAY, run_standup, start_app, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform != "linux", reason="Linux prlimit, chattr, flock")]

HOLD_EXCLUSIVE = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
print("released", flush=True)
"""


def answer(home: Path, *argv: str) -> dict[str, Any]:
    result = run_standup(home, *argv, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class Fault:
    """One app, one way for its log to refuse writes, and how to end it."""

    def __init__(self, home: Path, name: str) -> None:
        self.home, self.name = home, name
        home.mkdir()
        (home / "config.toml").write_text(ALL_DAY)
        self.app = start_app(home, STANDUP_NOTIFIER="log")
        self.cleared_at: float | None = None
        self.saved_after: float | None = None
        self._clear: Callable[[], None] = lambda: None

    def started(self) -> bool:
        status = run_standup(self.home, "status", "--json")
        return status.returncode == 0 and json.loads(status.stdout)["running"]

    def begin(self) -> None:
        db = str(self.home / "standup.db")
        if self.name == "locked":
            holder = subprocess.Popen([sys.executable, "-c", HOLD_EXCLUSIVE, db], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"

            def release() -> None:
                assert holder.stdin is not None and holder.stdout is not None
                holder.stdin.write("\n")
                holder.stdin.flush()
                assert holder.stdout.readline().strip() == "released"
                holder.wait(10)
            self._clear = release
        elif self.name == "full":
            soft, hard = resource.prlimit(self.app.pid, resource.RLIMIT_FSIZE)
            resource.prlimit(self.app.pid, resource.RLIMIT_FSIZE, (1, hard))
            self._clear = lambda: resource.prlimit(self.app.pid, resource.RLIMIT_FSIZE, (soft, hard))
        else:
            files = [db, f"{db}-wal"]
            subprocess.run(["chattr", "+i", *files], check=True)
            self._clear = lambda: subprocess.run(["chattr", "-i", *files], check=True)

    def clear(self) -> None:
        self._clear()
        self.cleared_at = time.monotonic()

    def saved(self) -> bool:
        status = answer(self.home, "status")
        if status["unsaved"] == 0 and self.saved_after is None:
            assert self.cleared_at is not None
            self.saved_after = time.monotonic() - self.cleared_at
        return status["unsaved"] == 0 and status["log_error"] is None

    def stop(self) -> None:
        if self.app.poll() is None:
            self.app.kill()
        self.app.communicate(timeout=10)


def test_answers_kept_in_memory_are_written_within_a_retry_interval_of_the_log_taking_writes_again(tmp_path):
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("the read-only case needs root and chattr (root ignores file modes)")
    faults = [Fault(tmp_path / name, name) for name in ("locked", "full", "readonly")]
    try:
        assert wait_for(lambda: all(fault.started() for fault in faults), seconds=30), "an app did not start"
        prompts = {fault.name: answer(fault.home, "break")["id"] for fault in faults}
        for fault in faults:
            fault.begin()
        for fault in faults:
            done = answer(fault.home, "done")
            assert done["saved"] is False, fault.name
            assert answer(fault.home, "status")["unsaved"] >= 1
        for fault in faults:
            fault.clear()  # and nothing else: no prompt, no answer, no command that writes
        limit = UNSAVED_RETRY.total_seconds() + 15
        assert wait_for(lambda: all(fault.saved() for fault in faults), seconds=limit, interval=0.5), \
            {fault.name: answer(fault.home, "status")["unsaved"] for fault in faults}
        for fault in faults:
            fault.app.send_signal(signal.SIGKILL)  # nothing more may be needed to keep the answer
            out, _ = fault.app.communicate(timeout=10)
            assert out.count("The log can be written again") == 1, (fault.name, out)
            rows = {row["id"]: row["outcome"] for row in answer(fault.home, "log")["prompts"]}
            assert rows == {prompts[fault.name]: "done"}, fault.name
        waited = {fault.name: round(fault.saved_after or -1, 1) for fault in faults}
        print(f"seconds from the log taking writes again to the answer saved: {waited}")
    finally:
        for fault in faults:
            try:
                fault.clear()
            except Exception:  # noqa: BLE001 - already cleared
                pass
            fault.stop()
