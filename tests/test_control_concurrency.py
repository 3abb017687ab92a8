"""The control socket under load: quiet, trickling and many concurrent clients against a real
`standup run`; a CLI that tells a busy standup from one that is not running, and never writes a break
beside a running one."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from standup.adapters.control import ControlServer, InstanceLock, request
from standup.core.errors import BusyError, ExitCode, NotRunningError
from tests.processes import ALL_DAY, end, run_standup, start_app, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets and flock")


@contextmanager
def running(home: Path) -> Iterator[subprocess.Popen[str]]:
    (home / "config.toml").write_text(ALL_DAY)
    app = start_app(home, STANDUP_NOTIFIER="log")
    try:
        if not wait_for(lambda: app.poll() is not None
                        or json.loads(run_standup(home, "status", "--json").stdout or "{}").get("running")):
            pytest.fail("standup run did not come up")
        yield app
    finally:
        end(app)


def quiet_clients(path: Path, count: int) -> list[socket.socket]:
    """`count` clients that connect and then say nothing."""
    clients = []
    for _ in range(count):
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(str(path))
        clients.append(client)
    return clients


@pytest.mark.slow
def test_twenty_quiet_clients_do_not_delay_a_command(tmp_path):
    with running(tmp_path):
        idle = quiet_clients(tmp_path / "standup.sock", 20)
        try:
            # The server gives each connection 5 s to speak: served one at a time, this would wait 100 s.
            status = request(tmp_path / "standup.sock", "status", timeout=4, lock=tmp_path / "standup.lock")
            assert status["running"] is True
            done = run_standup(tmp_path, "done", "--json")
            assert done.returncode == 0 and json.loads(done.stdout)["action"] == "self_break"
        finally:
            for client in idle:
                client.close()


@pytest.mark.slow
def test_a_client_trickling_a_byte_every_second_is_cut_off_at_its_deadline_and_blocks_nobody(tmp_path):
    with running(tmp_path):
        trickler = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        trickler.connect(str(tmp_path / "standup.sock"))
        cut_off = threading.Event()

        def trickle() -> None:
            try:
                for _ in range(15):
                    trickler.sendall(b" ")
                    time.sleep(1)
            except OSError:
                cut_off.set()

        thread = threading.Thread(target=trickle, daemon=True)
        thread.start()
        for _ in range(3):
            assert run_standup(tmp_path, "status", "--json").returncode == 0
        thread.join(timeout=20)
        assert cut_off.is_set(), "the server kept a client that never finished its request past its deadline"
        trickler.close()


@pytest.mark.slow
def test_forty_clients_at_once_are_all_served(tmp_path):
    with running(tmp_path):
        answers: list[object] = []
        errors: list[BaseException] = []

        def client() -> None:
            try:
                answers.append(request(tmp_path / "standup.sock", "status", lock=tmp_path / "standup.lock"))
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        threads = [threading.Thread(target=client) for _ in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == [] and len(answers) == 40


def test_a_full_server_is_busy_to_the_cli_not_stopped_and_the_retry_gets_through(tmp_path):
    lock = InstanceLock(tmp_path / "standup.lock").acquire()
    server = ControlServer(tmp_path / "standup.sock", lambda command, args: {"pong": command}, max_connections=2)
    server.start()
    try:
        idle = quiet_clients(tmp_path / "standup.sock", 2)
        time.sleep(0.2)  # both taken by the server
        with pytest.raises(BusyError, match="running") as busy:
            request(tmp_path / "standup.sock", "status", timeout=1, lock=tmp_path / "standup.lock")
        assert busy.value.exit_code is ExitCode.BUSY and "\n" not in str(busy.value)
        threading.Timer(0.3, lambda: [client.close() for client in idle]).start()
        assert request(tmp_path / "standup.sock", "ping", timeout=5, lock=tmp_path / "standup.lock") == {"pong": "ping"}
    finally:
        server.close()
        lock.release()
    with pytest.raises(NotRunningError):  # lock released, socket gone: now it is not running
        request(tmp_path / "standup.sock", "status", timeout=1, lock=tmp_path / "standup.lock")


HOLD_LOCK = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, str(os.getpid()).encode())
print("held", flush=True)
time.sleep(60)
"""


@pytest.mark.slow
def test_done_beside_a_running_standup_that_does_not_answer_writes_no_break_of_its_own(tmp_path):
    tmp_path.chmod(0o700)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_path / "standup.lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        for argv in (("done",), ("status",)):
            result = run_standup(tmp_path, *argv)
            assert result.returncode == ExitCode.BUSY, (argv, result.stdout, result.stderr)
            [line] = result.stderr.splitlines()
            assert f"pid {holder.pid}" in line and "try again" in line
    finally:
        holder.kill()
        holder.wait()
    assert not (tmp_path / "standup.db").exists()  # nothing was written beside it
    assert run_standup(tmp_path, "done").returncode == 0  # and with nobody holding the lock, it is
    log = json.loads(run_standup(tmp_path, "status", "--json").stdout)
    assert log["running"] is False and log["today"]["self_breaks"] == 1


def test_a_malformed_request_is_answered_with_an_error_and_logged_in_one_line(tmp_path, caplog):
    lock = InstanceLock(tmp_path / "standup.lock").acquire()
    server = ControlServer(tmp_path / "standup.sock", lambda command, args: {"pong": command})
    server.start()
    try:
        for raw in (b"\xff\xfe\n", b"[1,2]\n", b'{"command": 5}\n', b'{"command": "x", "args": [1]}\n', b"{\n"):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.settimeout(5)
                client.connect(str(tmp_path / "standup.sock"))
                client.sendall(raw)
                reply = json.loads(client.makefile("rb").readline())
            assert reply["ok"] is False and reply["exit_code"] == ExitCode.USAGE and "bad request" in reply["error"]
    finally:
        server.close()
        lock.release()
    bad = [r for r in caplog.records if "Bad control request" in r.getMessage()]
    assert len(bad) == 5 and all(r.exc_info is None and "\n" not in r.getMessage() for r in bad)


@pytest.mark.slow
def test_malformed_arguments_to_the_running_app_are_a_usage_error_and_no_traceback(tmp_path):
    with running(tmp_path) as app:
        assert run_standup(tmp_path, "break").returncode == 0
        for args in ({"minutes": "ten"}, {"minutes": 1e308}, {"minutes": True}):
            with pytest.raises(Exception) as raised:
                request(tmp_path / "standup.sock", "snooze", args, lock=tmp_path / "standup.lock")
            assert getattr(raised.value, "exit_code", None) is ExitCode.USAGE, raised.value
        assert run_standup(tmp_path, "quit").returncode == 0
        _, err = app.communicate(timeout=15)
    assert "Traceback" not in err
