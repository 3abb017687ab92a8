"""One instance per user, and the owner-only local socket the CLI uses to talk to it.

The protocol is one JSON line each way: {"command": "done", "args": {}} →
{"ok": true, "result": {...}} or {"ok": false, "error": "one line", "exit_code": 7}.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import struct
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from standup.core.errors import AlreadyRunningError, ExitCode, NotRunningError, StandupError

log = logging.getLogger(__name__)

Handler = Callable[[str, dict[str, Any]], Any]
_MAX_REQUEST = 64 * 1024


def _private_dir(path: Path) -> None:
    """Make `path` an owner-only folder: created 0700, or tightened to 0700 if it is ours but open."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = path.stat()
    if info.st_uid != os.getuid():
        raise StandupError(f"{path}: the folder for standup's socket belongs to another user; set XDG_RUNTIME_DIR "
                           f"or STANDUP_HOME to a folder of your own")
    if info.st_mode & 0o077:
        os.chmod(path, 0o700)


class InstanceLock:
    """An exclusive lock on a file in the runtime dir; the OS drops it if the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        import fcntl  # POSIX only; the control socket needs AF_UNIX anyway

        _private_dir(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            pid = self._holder()
            who = f" (pid {pid})" if pid else ""
            raise AlreadyRunningError(f"standup is already running{who}; use `standup status` or `standup quit`") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def _holder(self) -> str:
        try:
            return self.path.read_text().strip()
        except OSError:
            return ""

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class ControlServer:
    """Serves commands on a Unix socket (0600, in a 0700 dir) in a background thread."""

    def __init__(self, path: Path, handler: Handler) -> None:
        self.path = path
        self._handler = handler
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()

    def start(self) -> None:
        """Bind (replacing a stale socket: the caller holds the instance lock) and serve."""
        _private_dir(self.path.parent)
        self.path.unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_umask = os.umask(0o177)
        try:
            listener.bind(str(self.path))
        finally:
            os.umask(old_umask)
        os.chmod(self.path, 0o600)
        listener.listen(8)
        self._socket = listener
        self._thread = threading.Thread(target=self._serve, name="control", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._closing.set()
        if self._socket is not None:
            try:
                # accept() does not return when its socket is closed from another thread: knock first.
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as knock:
                    knock.settimeout(1)
                    knock.connect(str(self.path))
            except OSError:
                pass
            self._socket.close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self.path.unlink(missing_ok=True)

    def _serve(self) -> None:
        assert self._socket is not None
        while not self._closing.is_set():
            try:
                connection, _ = self._socket.accept()
            except OSError:
                break
            with connection:
                if self._closing.is_set():
                    break
                self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        connection.settimeout(5)
        try:
            if not _same_user(connection):
                _send(connection, {"ok": False, "error": "refused: another user", "exit_code": int(ExitCode.ERROR)})
                return
            request = json.loads(_read_line(connection))
            command, args = str(request["command"]), dict(request.get("args") or {})
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("Bad control request: %s", exc)
            return
        try:
            reply = {"ok": True, "result": self._handler(command, args)}
        except StandupError as exc:
            reply = {"ok": False, "error": str(exc), "exit_code": int(exc.exit_code)}
        except Exception as exc:  # the app must keep running whatever one command does
            log.exception("Control command %s failed", command)
            reply = {"ok": False, "error": f"{command} failed inside standup: {exc}", "exit_code": int(ExitCode.ERROR)}
        try:
            _send(connection, reply)
        except OSError as exc:
            log.warning("Could not reply to %s: %s", command, exc)


def request(path: Path, command: str, args: dict[str, Any] | None = None, timeout: float = 15) -> Any:
    """Send one command to the running instance and return its result, or raise its error."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        try:
            client.connect(str(path))
        except (FileNotFoundError, ConnectionRefusedError):
            raise NotRunningError("standup is not running; start it with `standup run`") from None
        except OSError as exc:
            raise NotRunningError(f"cannot reach standup at {path} ({exc.strerror}); start it with `standup run`") from None
        try:
            _send(client, {"command": command, "args": args or {}})
            reply = json.loads(_read_line(client))
        except (OSError, ValueError) as exc:
            raise StandupError(f"standup did not answer {command!r} ({exc}); see its log file") from exc
    if reply.get("ok"):
        return reply.get("result")
    error = StandupError(str(reply.get("error", "unknown error")))
    error.exit_code = ExitCode(int(reply.get("exit_code", ExitCode.ERROR)))
    raise error


def _send(connection: socket.socket, message: dict[str, Any]) -> None:
    connection.sendall(json.dumps(message).encode() + b"\n")


def _read_line(connection: socket.socket) -> str:
    chunks = []
    size = 0
    while True:
        chunk = connection.recv(4096)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if b"\n" in chunk or size > _MAX_REQUEST:
            break
    return b"".join(chunks).split(b"\n", 1)[0].decode()


def _same_user(connection: socket.socket) -> bool:
    """On Linux, check the peer's uid (the socket's 0600 mode already keeps others out)."""
    peercred = getattr(socket, "SO_PEERCRED", None)
    if peercred is None:
        return True
    raw = connection.getsockopt(socket.SOL_SOCKET, peercred, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", raw)
    return uid == os.getuid()
