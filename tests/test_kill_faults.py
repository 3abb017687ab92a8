"""SIGKILL `standup run` at random moments of a scripted day driven through the control socket.

A real `standup run --no-tray` (headless, STANDUP_HOME in a temporary folder, work hours all day,
every day) answers a seeded script of `break`, `done`, `snooze N` and `skip` sent straight to its
control socket, as fast as it answers, while another thread SIGKILLs it at a random moment. After
each kill the log is read (read-only) and checked against every acknowledged reply; then the app is
started again on the same log and must resume exactly where the acknowledged answers left it: the
same open prompt (never a second one), its snoozes, and nothing written at start-up but `started`.

The interval is an hour, so the app never prompts on its own during the test: every prompt in the
log must come from a `break` the script sent. A reply is acknowledged only after the log committed,
so the one command in flight at the kill may or may not be in the log; everything before it must be.

Reproduce a run with STANDUP_KILL_SEED=<seed> (the seed is in every failure message).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from standup.adapters.control import request
from standup.core.errors import StandupError
from standup.adapters.paths import resolve_paths
from standup.adapters.store import parse_utc, utc_text
from tests.processes import noon_tz

INTERVAL = 60
CONFIG = (f'interval_minutes = {INTERVAL}\nwork_hours = "00:00-24:00"\n'
          'workdays = ["mon","tue","wed","thu","fri","sat","sun"]\n')
KILLS = 8  # rounds; rounds in STARTUP_KILLS kill the app while it starts, the others mid-burst
STARTUP_KILLS = (0, 4)
MAX_KILL_DELAY = 0.3  # seconds into a burst
MAX_BURST = 2000  # commands; a burst ends at the kill long before this
OUTCOME_KINDS = {"done", "skipped", "missed", "natural"}


# -- the app as a process ---------------------------------------------------------------------


def app_env(home: Path, tz: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "STANDUP_NOTIFIER")}
    env.update({"STANDUP_HOME": str(home), "TZ": tz})
    return env


class App:
    """`standup run --no-tray` on one STANDUP_HOME, started again and again."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.tz = noon_tz()
        self.env = app_env(home, self.tz)
        self.socket = resolve_paths({"STANDUP_HOME": str(home)}).socket
        self.database = home / "standup.db"
        self.process: subprocess.Popen[bytes] | None = None
        self._err = open(home / "app.stderr", "ab")  # noqa: SIM115 - closed in close()

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None
        self.process = subprocess.Popen([sys.executable, "-m", "standup", "run", "--no-tray"], env=self.env,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._err)

    def wait_ready(self, seconds: float = 15) -> dict[str, Any]:
        """Until the control socket answers (a killed app leaves a stale socket file behind)."""
        deadline = time.monotonic() + seconds
        while True:
            assert self.process is not None and self.process.poll() is None, f"standup exited: {self.stderr()}"
            try:
                return request(self.socket, "status", timeout=5)
            except StandupError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)

    def wait_dead(self) -> int:
        assert self.process is not None
        return self.process.wait(timeout=10)

    def cli(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "standup", *argv], capture_output=True, text=True, env=self.env,
                              stdin=subprocess.DEVNULL, timeout=30)

    def stderr(self) -> str:
        self._err.flush()
        return (self.home / "app.stderr").read_text(errors="replace")[-2000:]

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._err.close()


# -- the log, read-only -----------------------------------------------------------------------


@dataclass(frozen=True)
class Prompt:
    id: int
    prompted_at: str
    outcome: str | None
    answered_at: str | None


@dataclass(frozen=True)
class Event:
    id: int
    at: str
    kind: str
    prompt_id: int | None
    data: dict[str, Any]


@dataclass
class Log:
    integrity: list[str]
    foreign_key_problems: list[tuple[Any, ...]]
    prompts: dict[int, Prompt]
    events: list[Event]
    needed_recovery: bool = False  # read-only was refused until a writer recovers the file

    @property
    def open_ids(self) -> list[int]:
        return [p.id for p in self.prompts.values() if p.outcome is None]


def read_log(path: Path) -> Log:
    """The whole log through a read-only connection (an absent or not yet migrated file is empty)."""
    if not path.exists():
        return Log(["ok"], [], {}, [])
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _read(db)
    except sqlite3.DatabaseError as exc:
        if not getattr(exc, "sqlite_errorname", "").startswith("SQLITE_READONLY_"):
            return Log([f"unreadable: {exc}"], [], {}, [])
    finally:
        db.close()
    # A hot journal (killed while the first start switched the new log to WAL) needs a writer to
    # roll it back: read a recovered copy, leaving the app's files as they are for its next start.
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / path.name
        for suffix in ("", "-journal", "-wal", "-shm"):
            if Path(f"{path}{suffix}").exists():
                shutil.copy(f"{path}{suffix}", f"{copy}{suffix}")
        db = sqlite3.connect(copy)
        try:
            log = _read(db)
        except sqlite3.DatabaseError as exc:
            log = Log([f"unreadable even as a writable copy: {exc}"], [], {}, [])
        finally:
            db.close()
    log.needed_recovery = True
    return log


def _read(db: sqlite3.Connection) -> Log:
    integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"prompts", "events"} <= tables:
        return Log(integrity, [], {}, [])
    foreign = db.execute("PRAGMA foreign_key_check").fetchall()
    prompts = {row[0]: Prompt(*row) for row in
               db.execute("SELECT id, prompted_at, outcome, answered_at FROM prompts ORDER BY id")}
    events = [Event(id_, at, kind, prompt_id, json.loads(data)) for id_, at, kind, prompt_id, data in
              db.execute("SELECT id, at, kind, prompt_id, data FROM events ORDER BY id")]
    return Log(integrity, foreign, prompts, events)


# -- the scripted day ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ack:
    """A command the app acknowledged, with the script's open prompt when it was sent."""

    command: str
    args: dict[str, Any]
    result: Any
    open_before: int | None


@dataclass(frozen=True)
class InFlight:
    """The command sent when the kill came: it may or may not be in the log."""

    command: str
    args: dict[str, Any]
    open_before: int | None


@dataclass
class Script:
    """A seeded day of answers, and what the app acknowledged of it."""

    rng: random.Random
    open: int | None = None
    snoozed_until: str | None = None  # of the open prompt
    acks: list[Ack] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    adopted: set[int] = field(default_factory=set)  # prompts opened by a `break` in flight at a kill

    def next_command(self) -> tuple[str, dict[str, Any]]:
        if self.open is None:
            return ("break", {}) if self.rng.random() < 0.75 else ("done", {})
        command = self.rng.choices(["snooze", "break", "done", "skip"], weights=[3, 1.5, 3, 2.5])[0]
        return command, ({"minutes": self.rng.randint(1, 30)} if command == "snooze" else {})

    def acknowledged(self, command: str, args: dict[str, Any], result: Any) -> None:
        ack = Ack(command, args, result, self.open)
        self.acks.append(ack)
        if command == "break":
            if self.open is not None and result["id"] != self.open:
                self.problems.append(f"`break` with prompt {self.open} open answered prompt {result['id']}: {result}")
            self.open, self.snoozed_until = result["id"], None
        elif command == "snooze":
            if result["action"] != "snoozed" or result["prompt"]["id"] != self.open:
                self.problems.append(f"`snooze` of prompt {self.open} answered {result}")
            self.snoozed_until = result["until"]
        elif command in ("done", "skip"):
            want = ("done" if command == "done" else "skipped") if self.open is not None else "self_break"
            got_id = (result.get("prompt") or {}).get("id")
            if result["action"] != want or got_id != self.open:
                self.problems.append(f"`{command}` with prompt {self.open} open answered {result}")
            self.open, self.snoozed_until = None, None

    def send(self, socket: Path, command: str, args: dict[str, Any]) -> Any:
        result = request(socket, command, args, timeout=10)
        self.acknowledged(command, args, result)
        return result

    @property
    def known_prompt_ids(self) -> set[int]:
        return {a.result["id"] for a in self.acks if a.command == "break"} | self.adopted


def check_log(log: Log, acks: list[Ack], known_prompt_ids: set[int], may_add_prompt: bool = False) -> list[str]:
    """Everything wrong with `log` given the acknowledged commands; empty when all is well.

    `may_add_prompt`: a `break` with no prompt open was in flight at the kill, so one prompt nobody
    acknowledged may exist.
    """
    problems: list[str] = []
    if log.integrity != ["ok"]:
        problems.append(f"PRAGMA integrity_check: {log.integrity}")
    if log.foreign_key_problems:
        problems.append(f"PRAGMA foreign_key_check: {log.foreign_key_problems}")
    if len(log.open_ids) > 1:
        problems.append(f"{len(log.open_ids)} open prompts: {log.open_ids}")

    # The log is consistent with itself: one `prompted` event per prompt, one outcome event per closed one.
    by_prompt: dict[int, list[Event]] = {}
    for event in log.events:
        if event.prompt_id is not None:
            by_prompt.setdefault(event.prompt_id, []).append(event)
    for prompt in log.prompts.values():
        events = by_prompt.get(prompt.id, [])
        prompted = [e for e in events if e.kind == "prompted"]
        if [e.at for e in prompted] != [prompt.prompted_at]:
            problems.append(f"prompt {prompt.id} (at {prompt.prompted_at}) has `prompted` events {prompted}")
        outcomes = [e for e in events if e.kind in OUTCOME_KINDS]
        if prompt.outcome is None:
            if outcomes or prompt.answered_at is not None:
                problems.append(f"open prompt {prompt.id} has an answer: {prompt}, {outcomes}")
        elif [(e.kind, e.at) for e in outcomes] != [(prompt.outcome, prompt.answered_at)]:
            problems.append(f"prompt {prompt.id} ended {prompt.outcome} at {prompt.answered_at}; outcome events {outcomes}")

    # Every acknowledged command is in the log.
    snoozes = Counter((e.prompt_id, e.at, e.data.get("minutes"), e.data.get("until"))
                      for e in log.events if e.kind == "snoozed")
    self_breaks = Counter(e.at for e in log.events if e.kind == "self_break" and e.prompt_id is None)
    reshows = Counter(e.prompt_id for e in log.events if e.kind == "reshown")
    acked_snoozes: Counter[tuple[Any, ...]] = Counter()
    acked_self_breaks: Counter[str] = Counter()
    acked_reshows: Counter[int] = Counter()
    for ack in acks:
        result = ack.result
        if ack.command == "break":
            prompt = log.prompts.get(result["id"])
            if prompt is None or prompt.prompted_at != result["prompted_at"]:
                problems.append(f"acknowledged prompt {result['id']} (at {result['prompted_at']}) is logged as {prompt}")
            if ack.open_before is not None:
                acked_reshows[result["id"]] += 1
        elif ack.command == "snooze":
            acked_snoozes[(result["prompt"]["id"], result["at"], ack.args["minutes"], result["until"])] += 1
        elif result["action"] == "self_break":
            acked_self_breaks[result["at"]] += 1
        else:
            prompt = log.prompts.get(result["prompt"]["id"])
            if prompt is None or (prompt.outcome, prompt.answered_at) != (result["action"], result["at"]):
                problems.append(f"acknowledged `{ack.command}` {result['action']} of prompt {result['prompt']['id']} "
                                f"at {result['at']} is logged as {prompt}")
    for name, acked, logged in (("snooze", acked_snoozes, snoozes), ("self-started break", acked_self_breaks,
                                                                      self_breaks), ("re-show", acked_reshows, reshows)):
        missing = acked - logged
        if missing:
            problems.append(f"acknowledged {name} not in the log: {dict(missing)}")

    # Every prompt was opened by a `break`: none duplicated, none opened twice for one command.
    unexplained = sorted(set(log.prompts) - known_prompt_ids)
    if len(unexplained) > (1 if may_add_prompt else 0):
        problems.append(f"prompts nobody asked for (duplicates?): {[log.prompts[i] for i in unexplained]}")
    return problems


def burst(app: App, script: Script, delay: float) -> InFlight | None:
    """Send the script's commands as fast as they are answered; SIGKILL the app `delay` s in."""
    killed = threading.Event()

    def kill() -> None:
        killed.set()  # before the signal: any failure the driver sees after this may be the kill
        app.kill()

    timer = threading.Timer(delay, kill)
    timer.start()
    in_flight = None
    try:
        for _ in range(MAX_BURST):
            command, args = script.next_command()
            if killed.is_set():
                break
            try:
                script.send(app.socket, command, args)
            except StandupError as exc:
                if not killed.is_set():
                    raise AssertionError(f"`{command} {args}` failed before the kill: {exc}\n{app.stderr()}") from exc
                in_flight = InFlight(command, args, script.open)
                break
    finally:
        timer.join()
    app.wait_dead()
    return in_flight


def expected_open(script: Script, in_flight: InFlight | None, log: Log) -> set[int | None]:
    """The open prompts the log may hold after a kill: the script's, or what the command in flight made of it."""
    allowed: set[int | None] = {script.open}
    if in_flight is not None and in_flight.command in ("done", "skip") and in_flight.open_before is not None:
        allowed.add(None)
    if in_flight is not None and in_flight.command == "break" and in_flight.open_before is None:
        allowed |= set(log.prompts) - {a.result["id"] for a in script.acks if a.command == "break"}
    return allowed


def committed(log: Log, script: Script, in_flight: InFlight) -> bool:
    """Whether the command in flight at the kill made it into the log (for the report only)."""
    prompt_id = in_flight.open_before
    acked = [a for a in script.acks if a.command == in_flight.command and a.open_before == prompt_id]
    if in_flight.command == "break" and prompt_id is None:
        return bool(set(log.prompts) - script.known_prompt_ids)
    if in_flight.command in ("done", "skip") and prompt_id is not None:
        return log.prompts[prompt_id].outcome is not None
    kind = {"break": "reshown", "snooze": "snoozed", "done": "self_break", "skip": "skipped"}[in_flight.command]
    if in_flight.command == "done":
        acked = [a for a in script.acks if a.command == "done" and a.open_before is None]
    return sum(1 for e in log.events if e.kind == kind and e.prompt_id == prompt_id) > len(acked)


def restart_and_check(app: App, script: Script, in_flight: InFlight | None, before: Log, why: str) -> dict[str, int]:
    """Start again on the killed app's log: it resumes the same day, writing nothing but `started`."""
    notes = {"open": 0}
    app.start()
    app.wait_ready()
    status_run = app.cli("status", "--json")
    assert status_run.returncode == 0, f"{why}: {status_run.stderr}"
    status = json.loads(status_run.stdout)
    after = read_log(app.database)
    assert status["running"] is True, why
    assert after.prompts == before.prompts, f"{why}: the restart changed prompts: {before.prompts} -> {after.prompts}"
    new_events = after.events[len(before.events):]
    assert after.events[:len(before.events)] == before.events, f"{why}: the restart rewrote events"
    # `started`, and nothing about prompts or breaks: the day goes on where the acknowledged answers left it.
    assert [e.kind for e in new_events].count("started") == 1, f"{why}: the restart wrote {new_events}"
    assert not [e for e in new_events if e.prompt_id is not None or e.kind in OUTCOME_KINDS | {"self_break"}], (
        f"{why}: the restart wrote {new_events}")

    open_ids = before.open_ids
    open_status = status["open_prompt"]
    assert (open_status or {}).get("id") == (open_ids[0] if open_ids else None), (
        f"{why}: status shows {open_status}, the log has open prompts {open_ids}")
    assert (open_ids[0] if open_ids else None) in expected_open(script, in_flight, before), (
        f"{why}: open prompt {open_ids} after the kill; the script had {script.open}, in flight {in_flight}")
    if open_status is None:
        assert status["state"] == "sitting", f"{why}: {status}"
        script.open, script.snoozed_until = None, None
        return notes
    prompt_id = open_status["id"]
    logged_snoozes = sum(1 for e in before.events if e.kind == "snoozed" and e.prompt_id == prompt_id)
    assert open_status["snoozes"] == logged_snoozes, f"{why}: {open_status} but {logged_snoozes} snoozes logged"
    assert open_status["prompted_at"] == before.prompts[prompt_id].prompted_at, why
    # Snoozed or shown again: as the script left it, or as the command in flight (if it committed) left it.
    allowed_until = {script.snoozed_until if prompt_id == script.open else None}
    if in_flight is not None and in_flight.open_before == prompt_id:
        if in_flight.command == "break":
            allowed_until.add(None)
        if in_flight.command == "snooze":
            allowed_until |= {e.data["until"] for e in before.events if e.kind == "snoozed" and e.prompt_id == prompt_id}
    assert open_status["snoozed_until"] in allowed_until, (
        f"{why}: recovered {open_status}, expected snoozed_until in {allowed_until}")
    expected_state = "snoozed" if open_status["snoozed_until"] else "prompting"
    assert status["state"] == expected_state, f"{why}: {status}"
    script.open, script.snoozed_until = prompt_id, open_status["snoozed_until"]
    notes["open"] = 1
    return notes


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_acknowledged_answer_and_restarts_cleanly(tmp_path):
    seed = int(os.environ.get("STANDUP_KILL_SEED") or random.SystemRandom().randrange(1_000_000))
    rng = random.Random(seed)
    (tmp_path / "config.toml").write_text(CONFIG)
    app = App(tmp_path)
    script = Script(rng)
    in_flight: InFlight | None = None
    restarts: Counter[str] = Counter()  # restarts that found a prompt open, and that met the same-second bug
    hot_journals = 0  # round 0 killed while the new log switched to WAL: see test_..._killed_while_created
    mid_command: Counter[bool] = Counter()  # kills with a command in flight: committed or not
    started = time.monotonic()
    try:
        for round_ in range(KILLS):
            why = f"seed {seed}, round {round_}"
            if round_ in STARTUP_KILLS:
                # While it starts: a fresh log (migration) in round 0, the recovery of the day later.
                app.start()
                time.sleep(rng.uniform(0.0, 0.25))
                app.kill()
                app.wait_dead()  # the last burst's command in flight stays as uncertain as it was
            else:
                restarts.update(restart_and_check(app, script, in_flight, read_log(app.database), why))
                # The first command after a restart works, through the real CLI.
                command, args = script.next_command()
                argv = [command, str(args["minutes"])] if command == "snooze" else [command]
                run = app.cli(*argv, "--json")
                assert run.returncode == 0, f"{why}: `standup {' '.join(argv)}`: {run.stderr}"
                script.acknowledged(command, args, json.loads(run.stdout))
                in_flight = burst(app, script, rng.uniform(0.0, MAX_KILL_DELAY))
            log = read_log(app.database)
            # Only the first start writes through a rollback journal (until the log is in WAL mode).
            assert not log.needed_recovery or round_ == 0, f"{why}: read-only access refused after the kill"
            hot_journals += log.needed_recovery
            may_add = in_flight is not None and in_flight.command == "break" and in_flight.open_before is None
            problems = script.problems + check_log(log, script.acks, script.known_prompt_ids, may_add)
            assert not problems, f"{why}, in flight {in_flight}:\n" + "\n".join(problems)
            if in_flight is not None and round_ not in STARTUP_KILLS:
                mid_command[committed(log, script, in_flight)] += 1
            script.adopted |= set(log.prompts) - script.known_prompt_ids

        restarts.update(restart_and_check(app, script, in_flight, read_log(app.database), f"seed {seed}, last"))
        # A clean stop at the end, and the whole day once more.
        quit_run = app.cli("quit")
        assert quit_run.returncode == 0, quit_run.stderr
        assert app.wait_dead() == 0, app.stderr()
        log = read_log(app.database)
        problems = script.problems + check_log(log, script.acks, script.known_prompt_ids)
        assert not problems, f"seed {seed}, after the clean stop:\n" + "\n".join(problems)
        starts = [e.kind for e in log.events].count("started")
        assert KILLS + 1 - len(STARTUP_KILLS) <= starts <= KILLS + 1
        assert [e.kind for e in log.events][-1] == "stopped"
    finally:
        app.close()
    answers = Counter(a.command for a in script.acks)
    print(f"seed {seed}: {KILLS} kills, {len(script.acks)} acknowledged commands {dict(answers)}, "
          f"{len(log.prompts)} prompts, kills mid-command {mid_command[True]} committed + "
          f"{mid_command[False]} not, restarts {KILLS - len(STARTUP_KILLS) + 1} "
          f"({restarts['open']} with a prompt open), "
          f"hot journals {hot_journals}, "
          f"{time.monotonic() - started:.1f} s")
    assert len(script.acks) >= 20, "the bursts were too short to test anything"


# -- a prompt that expired while the app was down is resolved by the rules ---------------------------


def shift_log(path: Path, delta: timedelta) -> None:
    """Move every instant in the log by `delta`: as if the app had been down that much longer."""
    def shift(text: str) -> str:
        return utc_text(parse_utc(text) + delta)

    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        for id_, prompted_at, answered_at in db.execute("SELECT id, prompted_at, answered_at FROM prompts").fetchall():
            db.execute("UPDATE prompts SET prompted_at = ?, answered_at = ? WHERE id = ?",
                       (shift(prompted_at), answered_at and shift(answered_at), id_))
        for id_, at, data in db.execute("SELECT id, at, data FROM events").fetchall():
            values = json.loads(data)
            if isinstance(values.get("until"), str):
                values["until"] = shift(values["until"])
            db.execute("UPDATE events SET at = ?, data = ? WHERE id = ?", (shift(at), json.dumps(values), id_))
        db.execute("COMMIT")
    finally:
        db.close()


@pytest.mark.slow
@pytest.mark.parametrize("snooze", [None, 3])
def test_a_prompt_that_expired_while_killed_is_missed_once_and_one_new_prompt_follows(tmp_path, snooze):
    (tmp_path / "config.toml").write_text(CONFIG)
    app = App(tmp_path)
    script = Script(random.Random(0))
    try:
        app.start()
        app.wait_ready()
        first = script.send(app.socket, "break", {})
        if snooze:
            script.send(app.socket, "snooze", {"minutes": snooze})
        app.kill()
        app.wait_dead()
        assert check_log(read_log(app.database), script.acks, script.known_prompt_ids) == []
        shift_log(app.database, -timedelta(hours=2))
        shifted = read_log(app.database)
        anchor = parse_utc(shifted.events[-1].data["until"]) if snooze else parse_utc(shifted.prompts[first["id"]].prompted_at)

        app.start()
        app.wait_ready()
        status = json.loads(app.cli("status", "--json").stdout)
        log = read_log(app.database)
        old = log.prompts[first["id"]]
        assert (old.outcome, old.answered_at) == ("missed", utc_text(anchor + timedelta(minutes=INTERVAL)))
        assert [e.kind for e in log.events if e.prompt_id == old.id].count("missed") == 1
        [new_id] = log.open_ids
        assert new_id != old.id and len(log.prompts) == 2, log.prompts
        assert status["state"] == "prompting" and status["open_prompt"]["id"] == new_id
        assert status["open_prompt"]["snoozes"] == 0 and status["today"]["missed"] == 1

        script.open = new_id
        done = script.send(app.socket, "done", {})
        assert done["action"] == "done" and done["prompt"]["id"] == new_id
        assert app.cli("quit").returncode == 0
        assert app.wait_dead() == 0, app.stderr()
        log = read_log(app.database)
        # The acknowledgements before the shift name the old times: check the answer after it.
        assert check_log(log, script.acks[-1:], {old.id, new_id}) == [] and not script.problems
        assert [(p.id, p.outcome) for p in log.prompts.values()] == [(old.id, "missed"), (new_id, "done")]
    finally:
        app.close()


# -- killed while the log is first created ----------------------------------------------------------

KILLED_WHILE_CREATING = textwrap.dedent(
    """
    import os, signal, sqlite3, sys
    from standup.adapters.store import MIGRATIONS

    # A fresh log is written through a rollback journal until it is switched to WAL; die mid-write.
    path = sys.argv[1]
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA cache_size = 2")  # spill pages into the file before the commit
    db.execute("BEGIN IMMEDIATE")
    for statement in filter(str.strip, MIGRATIONS[0].split(";")):
        db.execute(statement)
    for _ in range(3000):
        db.execute("INSERT INTO events (at, kind, data) VALUES ('2026-11-23T09:00:00+00:00', 'started', ?)", ("x" * 200,))
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def _killed_while_created(home: Path) -> App:
    (home / "config.toml").write_text(CONFIG)
    app = App(home)
    subprocess.run([sys.executable, "-c", KILLED_WHILE_CREATING, str(app.database)], env=app.env, timeout=30)
    if not Path(f"{app.database}-journal").exists():
        raise RuntimeError("no hot journal: the set-up did not die mid-write")
    return app


@pytest.mark.slow
def test_a_log_killed_while_created_is_recovered_by_the_next_run(tmp_path):
    app = _killed_while_created(tmp_path)
    try:
        assert read_log(app.database).needed_recovery
        app.start()
        assert app.wait_ready()["open_prompt"] is None
        log = read_log(app.database)
        assert not log.needed_recovery and log.integrity == ["ok"]
        assert [e.kind for e in log.events] == ["started"] and log.prompts == {}
        assert app.cli("quit").returncode == 0 and app.wait_dead() == 0
    finally:
        app.close()


def test_read_only_commands_do_not_call_a_log_killed_while_created_damaged(tmp_path):
    app = _killed_while_created(tmp_path)
    try:
        for argv in (["log", "--json"], ["status", "--json"]):
            result = app.cli(*argv)
            assert "damaged" not in result.stderr and "standup repair" not in result.stderr, (argv, result.stderr)
    finally:
        app.close()


# -- the checker can fail ---------------------------------------------------------------------------


def _recorded_day(tmp_path: Path) -> tuple[Path, Script]:
    """A short day through the real service and store (no process), with the replies it acknowledged."""
    from standup.adapters.clock import SystemClock
    from standup.service.reminders import ReminderService
    from standup.core.settings import load_settings
    from standup.adapters.store import Store

    (tmp_path / "config.toml").write_text(CONFIG)
    path = tmp_path / "standup.db"
    store = Store.open(path)
    service = ReminderService(SystemClock(), store, load_settings(tmp_path / "config.toml"))
    service.start()
    script = Script(random.Random(0))
    calls = {"break": lambda _: service.take_break().as_json(), "done": lambda _: service.done().as_json(),
             "skip": lambda _: service.skip().as_json(), "snooze": lambda a: service.snooze(a["minutes"]).as_json()}
    for command, args in [("done", {}), ("break", {}), ("snooze", {"minutes": 5}), ("break", {}), ("done", {}),
                          ("break", {}), ("skip", {}), ("break", {}), ("skip", {})]:
        script.acknowledged(command, args, calls[command](args))
    store.close()
    return path, script


SABOTAGE = {
    "a self-started break lost": "DELETE FROM events WHERE kind = 'self_break'",
    "a snooze lost": "DELETE FROM events WHERE kind = 'snoozed'",
    "a re-show lost": "DELETE FROM events WHERE kind = 'reshown'",
    "a done lost": "UPDATE prompts SET outcome = NULL, answered_at = NULL WHERE outcome = 'done'; "
                   "DELETE FROM events WHERE kind = 'done'",
    "a skip turned into a miss": "UPDATE prompts SET outcome = 'missed' WHERE outcome = 'skipped'; "
                                 "UPDATE events SET kind = 'missed' WHERE kind = 'skipped'",
    "an outcome without its event": "DELETE FROM events WHERE kind = 'skipped'",
    "an acknowledged prompt lost": "DELETE FROM events WHERE prompt_id = (SELECT max(id) FROM prompts); "
                                   "DELETE FROM prompts WHERE id = (SELECT max(id) FROM prompts)",
    "a duplicated prompt": "INSERT INTO prompts (prompted_at, outcome, answered_at) "
                           "SELECT prompted_at, 'missed', prompted_at FROM prompts WHERE id = 1; "
                           "INSERT INTO events (at, kind, prompt_id) SELECT prompted_at, 'prompted', max(id) FROM prompts; "
                           "INSERT INTO events (at, kind, prompt_id) SELECT prompted_at, 'missed', max(id) FROM prompts",
    "two open prompts": "DROP INDEX one_open_prompt; UPDATE prompts SET outcome = NULL, answered_at = NULL "
                        "WHERE outcome = 'skipped'; DELETE FROM events WHERE kind = 'skipped'",
}


@pytest.mark.parametrize("damage", list(SABOTAGE))
def test_the_checker_catches_a_damaged_copy_of_the_log(tmp_path, damage):
    path, script = _recorded_day(tmp_path)
    assert check_log(read_log(path), script.acks, script.known_prompt_ids) == [] and not script.problems
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    db = sqlite3.connect(copy)
    db.executescript(SABOTAGE[damage])
    db.close()
    assert check_log(read_log(copy), script.acks, script.known_prompt_ids), f"{damage} went unnoticed"
    assert check_log(read_log(path), script.acks, script.known_prompt_ids) == []  # the original is untouched


def test_the_checker_catches_a_corrupt_page(tmp_path):
    path, script = _recorded_day(tmp_path)
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    db = sqlite3.connect(copy)
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    [root] = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'events_by_time'").fetchone()
    db.close()
    data = bytearray(copy.read_bytes())
    end_of_index_page = root * page_size
    data[end_of_index_page - 40:end_of_index_page - 30] = b"9" * 10  # inside the last cell's key (a timestamp)
    copy.write_bytes(bytes(data))
    problems = check_log(read_log(copy), script.acks, script.known_prompt_ids)
    assert any("integrity_check" in problem for problem in problems), problems


# -- a case the kill test can run into --------------------------------------------------------


def test_recovery_orders_a_snooze_and_a_reshow_of_one_second(tmp_path):
    from tests.day import Day

    day = Day(tmp_path)
    day.minutes(10)
    day.service.take_break()
    day.service.snooze(5)
    day.service.take_break()  # shown again at once: no longer snoozed
    live = day.service.status().as_json()
    if live["state"] != "prompting":
        raise RuntimeError(f"the set-up went wrong: {live}")
    day.restart()  # the same instant, as after a SIGKILL
    recovered = day.service.status().as_json()
    assert (recovered["state"], recovered["open_prompt"]["snoozed_until"], recovered["next_prompt_at"]) == (
        live["state"], live["open_prompt"]["snoozed_until"], live["next_prompt_at"])
