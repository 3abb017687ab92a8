"""Single instance and the control socket: owner-only, stale sockets, clear errors."""

from __future__ import annotations

import os
import stat

import pytest

from standup.adapters.control import ControlServer, InstanceLock, request
from standup.core.errors import AlreadyRunningError, ExitCode, NotRunningError, StandupError, UsageError


def test_second_lock_is_refused_with_the_holders_pid(tmp_path):
    first = InstanceLock(tmp_path / "run" / "standup.lock").acquire()
    try:
        with pytest.raises(AlreadyRunningError, match=f"pid {os.getpid()}"):
            InstanceLock(tmp_path / "run" / "standup.lock").acquire()
    finally:
        first.release()
    InstanceLock(tmp_path / "run" / "standup.lock").acquire().release()  # free again


def test_socket_and_its_dir_are_owner_only(tmp_path):
    path = tmp_path / "run" / "standup.sock"
    server = ControlServer(path, lambda command, args: {"echo": command})
    server.start()
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert request(path, "status") == {"echo": "status"}
    finally:
        server.close()
    assert not path.exists()


def test_a_stale_socket_from_a_crash_is_replaced(tmp_path):
    path = tmp_path / "standup.sock"
    path.write_text("left behind by a crashed standup")
    server = ControlServer(path, lambda command, args: args)
    server.start()
    try:
        assert request(path, "snooze", {"minutes": 5}) == {"minutes": 5}
    finally:
        server.close()


def test_errors_travel_back_with_their_exit_code(tmp_path):
    def handler(command, args):
        raise UsageError("no such thing")

    path = tmp_path / "standup.sock"
    server = ControlServer(path, handler)
    server.start()
    try:
        with pytest.raises(StandupError) as error:
            request(path, "frobnicate")
        assert str(error.value) == "no such thing"
        assert error.value.exit_code == ExitCode.USAGE
    finally:
        server.close()


def test_no_instance_means_not_running(tmp_path):
    with pytest.raises(NotRunningError, match="standup run"):
        request(tmp_path / "absent.sock", "status")
