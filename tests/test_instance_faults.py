"""One instance per user and owner-only files, with real `standup run --no-tray` processes.

Covers what tests/test_control.py and tests/test_store.py do not: a second real `standup run` names the
running one's pid; the socket and lock a SIGKILLed app leaves behind are taken over by the next start and
the CLI works against it; a run's files (folder, socket, lock, log database with its WAL files, the log
file) and `config init`'s file are owner-only; and what happens when the runtime folder or the log
database already exists readable by others.
"""

from __future__ import annotations

import io
import json
import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pytest

from standup.cli.main import Context, main
from standup.adapters.control import ControlServer, InstanceLock, request
from standup.core.errors import ExitCode, StandupError
from standup.adapters.paths import Paths, resolve_paths
from standup.adapters.store import Store
from tests.processes import end, start_app, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets, flock and POSIX modes")


def paths_of(home: Path) -> Paths:
    return resolve_paths({"STANDUP_HOME": str(home)})


def standup(home: Path, *argv: str) -> tuple[int, str, str]:
    """`standup …` in-process against STANDUP_HOME=home (the real control socket, the real clock)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), ctx=Context(paths_of(home), out, err))
    return code, out.getvalue(), err.getvalue()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def others_can_read(path: Path, home: Path) -> bool:
    """Whether a user neither owner nor in the group could open `path`, given the folders from `home` down
    (the test's own temporary folders above `home` do not count)."""
    folders = [home, *(folder for folder in path.parents if home in folder.parents)]
    return bool(mode(path) & stat.S_IROTH) and all(mode(folder) & stat.S_IXOTH for folder in folders)


def is_running(home: Path) -> bool:
    code, out, _ = standup(home, "status", "--json")
    return code == 0 and json.loads(out)["running"]


def start(home: Path) -> subprocess.Popen[str]:
    return start_app(home, STANDUP_NOTIFIER="log")


@contextmanager
def running(home: Path) -> Iterator[subprocess.Popen[str]]:
    """A real `standup run --no-tray` answering on its socket; killed afterwards if still alive."""
    app = start(home)
    try:
        if not wait_for(lambda: app.poll() is not None or is_running(home)) or app.poll() is not None:
            out, err = app.communicate(timeout=5) if app.poll() is not None else ("", "")
            pytest.fail(f"standup run did not come up: {app.returncode} {out} {err}")
        yield app
    finally:
        end(app)


def quit_and_wait(home: Path, app: subprocess.Popen[str]) -> str:
    assert standup(home, "quit")[0] == ExitCode.OK
    _, err = app.communicate(timeout=15)
    assert app.returncode == 0, err
    return err


# -- a second instance ----------------------------------------------------------------------------


@pytest.mark.slow
def test_a_second_run_exits_already_running_and_names_the_first_ones_pid(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with running(home) as first:
        env = {**os.environ, "STANDUP_HOME": str(home)}
        second = subprocess.run([sys.executable, "-m", "standup", "run", "--no-tray"], env=env, capture_output=True,
                                text=True, stdin=subprocess.DEVNULL, timeout=30)
        assert second.returncode == ExitCode.ALREADY_RUNNING and second.stdout == ""
        assert second.stderr.count("\n") == 1 and second.stderr.startswith("standup: ")
        assert f"pid {first.pid}" in second.stderr and "Traceback" not in second.stderr
        assert is_running(home)  # the refused start left the first one's socket alone
        assert (paths_of(home).lock_file).read_text().strip() == str(first.pid)
        quit_and_wait(home, first)


# -- a stale socket after SIGKILL ------------------------------------------------------------------


@pytest.mark.slow
def test_the_socket_and_lock_of_a_sigkilled_app_are_taken_over_by_the_next_start(tmp_path: Path) -> None:
    home = tmp_path / "home"
    paths = paths_of(home)
    with running(home) as crashed:
        crashed.kill()  # SIGKILL: no cleanup at all
        crashed.communicate(timeout=10)
    assert stat.S_ISSOCK(paths.socket.stat().st_mode), "SIGKILL should leave the socket behind"
    assert paths.lock_file.read_text().strip() == str(crashed.pid)

    code, out, err = standup(home, "status", "--json")  # nobody listens on the stale socket
    assert code == ExitCode.OK and json.loads(out)["running"] is False and err == ""
    code, out, err = standup(home, "skip")
    assert code == ExitCode.NOT_RUNNING and out == "" and err.count("\n") == 1 and "not running" in err

    with running(home) as app:
        assert paths.lock_file.read_text().strip() == str(app.pid)
        assert stat.S_ISSOCK(paths.socket.stat().st_mode) and mode(paths.socket) == 0o600
        code, out, _ = standup(home, "break", "--json")
        assert code == ExitCode.OK
        prompt_id = json.loads(out)["id"]
        code, out, _ = standup(home, "done", "--json")
        assert code == ExitCode.OK and json.loads(out)["prompt"]["id"] == prompt_id
        [row] = json.loads(standup(home, "log", "--json")[1])["prompts"]
        assert (row["id"], row["outcome"]) == (prompt_id, "done")
        quit_and_wait(home, app)
    assert not paths.socket.exists()


# -- owner-only files -----------------------------------------------------------------------------


@pytest.mark.slow
def test_a_runs_files_are_owner_only_in_an_owner_only_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"  # created by standup itself
    paths = paths_of(home)
    with running(home) as app:
        assert standup(home, "break")[0] == ExitCode.OK  # something in the log, so the WAL files exist
        assert mode(home) == 0o700
        assert stat.S_ISSOCK(paths.socket.stat().st_mode) and mode(paths.socket) == 0o600
        assert mode(paths.lock_file) == 0o600
        database_files = [paths.database, *(Path(f"{paths.database}{suffix}") for suffix in ("-wal", "-shm"))]
        for path in database_files:
            if path.exists():
                assert mode(path) == 0o600, path
        assert not others_can_read(paths.log_file, home)
        quit_and_wait(home, app)
    assert mode(paths.database) == 0o600 and not others_can_read(paths.log_file, home)


def test_config_init_writes_an_owner_only_file_in_an_owner_only_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code, out, _ = standup(home, "config", "init")
    assert code == ExitCode.OK and str(paths_of(home).config_file) in out
    assert mode(paths_of(home).config_file) == 0o600 and mode(home) == 0o700


def test_config_init_is_owner_only_even_in_an_existing_open_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    assert standup(home, "config", "init")[0] == ExitCode.OK
    assert mode(paths_of(home).config_file) == 0o600


def test_the_log_file_itself_is_owner_only(tmp_path: Path) -> None:
    from standup.app import configure_logging

    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)  # e.g. an existing ~/.local/state/standup/log made by something else
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    try:
        configure_logging(paths_of(home))
        logging.getLogger("standup.test").info("a line")
    finally:  # configure_logging sets up the whole process: undo it for the tests that follow
        for handler in root.handlers[len(before):]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)
    assert mode(paths_of(home).log_file) & 0o077 == 0


# -- pre-existing files readable by others ---------------------------------------------------------


def test_an_existing_open_runtime_folder_still_gets_an_owner_only_socket_and_lock(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    folder.mkdir()
    os.chmod(folder, 0o755)
    lock = InstanceLock(folder / "standup.lock").acquire()
    server = ControlServer(folder / "standup.sock", lambda command, args: {"pong": command})
    server.start()
    try:
        assert mode(folder / "standup.sock") == 0o600 and mode(folder / "standup.lock") == 0o600
        assert request(folder / "standup.sock", "ping") == {"pong": "ping"}
    finally:
        server.close()
        lock.release()


@pytest.mark.parametrize("folder_mode", [0o755, 0o777], ids=["0755", "0777"])
def test_an_existing_open_runtime_folder_is_made_owner_only_or_refused(tmp_path: Path, folder_mode: int) -> None:
    folder = tmp_path / "run"
    folder.mkdir()
    os.chmod(folder, folder_mode)
    lock, server = InstanceLock(folder / "standup.lock"), ControlServer(folder / "standup.sock", lambda c, a: None)
    try:
        lock.acquire()
        server.start()
    except StandupError as refused:  # refusing, in one line naming the folder, would do too
        assert str(folder) in str(refused) and "\n" not in str(refused)
        return
    finally:
        server.close()
        lock.release()
    assert mode(folder) & 0o077 == 0


def test_an_existing_log_readable_by_others_is_made_owner_only_on_open(tmp_path: Path) -> None:
    path = tmp_path / "standup.db"
    Store.open(path).close()
    os.chmod(path, 0o644)
    store = Store.open(path)
    try:
        store.add_prompt(datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc), None)
        files = [path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm"))]
        assert [f.name for f in files if f.exists() and mode(f) & 0o077] == []
    finally:
        store.close()


def test_a_folder_the_os_refuses_is_named_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As root the tests cannot make a folder unwritable; the OS's refusal is stood in for.
    def refused(self: InstanceLock) -> InstanceLock:
        raise PermissionError(13, "Permission denied", str(self.path))

    monkeypatch.setattr(InstanceLock, "acquire", refused)
    code, out, err = standup(tmp_path, "run", "--no-tray")
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith(f"standup: {paths_of(tmp_path).lock_file}: Permission denied; ") and "Traceback" not in err
