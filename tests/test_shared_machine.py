"""standup on a machine shared with other users: runtime and state folders owner-only and checked,
nothing opened through a symlink someone planted, a runtime dir not fit for a socket replaced by a
private one without a warning on every command. Real processes; a real second user where root."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import ALL_DAY, end, env_for, run_standup, start_app, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX owners, modes and symlinks")
OTHER = "standup-other"


@pytest.fixture(scope="module")
def other_uid() -> Iterator[int]:
    """A second real user (created with useradd, removed afterwards); needs root."""
    if os.geteuid() != 0:
        pytest.skip("needs root to create a second user")
    if shutil.which("useradd") is None:
        pytest.skip("useradd is not installed")
    created = False
    try:
        uid = pwd.getpwnam(OTHER).pw_uid
    except KeyError:
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER], check=True)
        created = True
        uid = pwd.getpwnam(OTHER).pw_uid
    yield uid
    if created:
        subprocess.run(["userdel", OTHER], check=False)


def platform_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment with platformdirs' places under tmp_path (no STANDUP_HOME)."""
    env = {key: value for key, value in env_for(tmp_path).items() if key not in ("STANDUP_HOME", "XDG_RUNTIME_DIR")}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_STATE_HOME=str(tmp_path / "state"),
               TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env.update(extra)
    return env


def standup(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "standup", *argv], env=env, capture_output=True, text=True,
                          timeout=30, stdin=subprocess.DEVNULL)


def test_another_users_runtime_folder_in_tmp_and_an_open_xdg_runtime_dir_give_no_traceback_nor_warning(
        tmp_path, other_uid):
    xdg = tmp_path / "xdg"
    xdg.mkdir()
    os.chmod(xdg, 0o755)  # not 0700: platformdirs would fall back to $TMPDIR/runtime-UID
    env = platform_env(tmp_path, XDG_RUNTIME_DIR=str(xdg))
    planted = tmp_path / "tmp" / f"runtime-{os.getuid()}"
    planted.mkdir(mode=0o700)
    os.chown(planted, other_uid, other_uid)  # another user got there first
    for argv in (("status",), ("done",), ("log",), ("config", "path", "--json")):
        result = standup(env, *argv)
        assert result.returncode == 0, (argv, result.stderr)
        assert "Traceback" not in result.stderr and "Warning" not in result.stderr, (argv, result.stderr)
        assert result.stderr in ("", "standup: not running; the break was written to the log directly\n"), result.stderr
    socket = Path(json.loads(standup(env, "config", "path", "--json").stdout)["socket"])
    assert planted not in socket.parents and xdg not in socket.parents
    assert list(planted.iterdir()) == []  # nothing of ours went into the other user's folder


def _run_briefly(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "standup", "run", "--no-tray"], env=env, capture_output=True,
                          text=True, timeout=30, stdin=subprocess.DEVNULL)


def test_a_fallback_runtime_dir_is_logged_once_in_the_apps_log_not_on_every_command(tmp_path):
    xdg = tmp_path / "xdg"
    xdg.mkdir()
    os.chmod(xdg, 0o777)
    env = platform_env(tmp_path, XDG_RUNTIME_DIR=str(xdg))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "standup").mkdir()
    (tmp_path / "config" / "standup" / "config.toml").write_text(ALL_DAY)
    app = subprocess.Popen([sys.executable, "-m", "standup", "run", "--no-tray"], env=env, text=True,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert wait_for(lambda: json.loads(standup(env, "status", "--json").stdout or "{}").get("running")), \
            "the app did not come up"
        assert standup(env, "status").stderr == ""
        assert standup(env, "quit").returncode == 0
        _, err = app.communicate(timeout=15)
    finally:
        end(app)
    assert "XDG_RUNTIME_DIR" not in err  # not a warning on the terminal
    log = (tmp_path / "state" / "standup" / "log" / "standup.log").read_text()
    assert log.count("XDG_RUNTIME_DIR") == 1 and "0777" in log


@pytest.mark.parametrize("planted", ["standup.lock", "standup.log"])
def test_a_symlink_planted_for_the_lock_or_the_log_file_is_refused_in_one_line_and_not_followed(tmp_path, planted):
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    target = tmp_path / "victim"
    target.write_text("someone else's file\n")
    (home / planted).symlink_to(target)
    (home / "config.toml").write_text(ALL_DAY)
    result = subprocess.run([sys.executable, "-m", "standup", "run", "--no-tray"], env=env_for(home),
                            capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert str(home / planted) in line and "symlink" in line
    assert target.read_text() == "someone else's file\n"


def test_another_users_folder_as_the_home_is_refused_in_one_line(tmp_path, other_uid):
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    os.chown(home, other_uid, other_uid)
    result = run_standup(home, "run", "--no-tray")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert str(home) in line and "another user" in line


def test_a_symlink_in_place_of_the_runtime_folder_is_refused(tmp_path):
    env = platform_env(tmp_path)  # no XDG_RUNTIME_DIR: the socket goes in DATA/standup/run
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (tmp_path / "data" / "standup").mkdir(parents=True)
    (tmp_path / "data" / "standup" / "run").symlink_to(elsewhere)
    (tmp_path / "config" / "standup").mkdir(parents=True)
    (tmp_path / "config" / "standup" / "config.toml").write_text(ALL_DAY)
    result = _run_briefly(env)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert "symlink" in line and str(tmp_path / "data" / "standup" / "run") in line
    assert list(elsewhere.iterdir()) == []


@pytest.mark.slow
def test_a_home_too_deep_for_a_socket_path_keeps_its_socket_there_not_in_tmp(tmp_path):
    home = tmp_path / ("d" * 70) / ("e" * 70)
    home.mkdir(parents=True)
    (home / "config.toml").write_text(ALL_DAY)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    app = start_app(home, TMPDIR=str(scratch), STANDUP_NOTIFIER="log")
    try:
        status = wait_for(lambda: run_standup(home, "status", "--json"))
        assert wait_for(lambda: json.loads(run_standup(home, "status", "--json").stdout).get("running")), \
            app.stderr.read() if app.poll() is not None else "did not start"
        assert json.loads(run_standup(home, "break", "--json").stdout)["id"] == 1
        assert (home / "standup.sock").is_socket() and list(scratch.iterdir()) == []
        assert status is not None
        assert run_standup(home, "quit").returncode == 0
        app.wait(15)
    finally:
        end(app)
