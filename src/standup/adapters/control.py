"""One instance per user, and the owner-only local socket the CLI uses to talk to it.

The protocol is one JSON line each way: {"command": "done", "args": {}} →
{"ok": true, "result": {...}} or {"ok": false, "error": "one line", "exit_code": 7}; a server with
every connection slot taken answers {"ok": false, "busy": true}. Each connection has its own thread
and its own deadline, so a client that connects and says nothing delays nobody else.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from standup.adapters.private import open_private, private_dir
from standup.core.errors import AlreadyRunningError, BusyError, ExitCode, NotRunningError, StandupError

log = logging.getLogger(__name__)

Handler = Callable[[str, dict[str, object]], object]  # (command, args) → a JSON-ready result
_MAX_REQUEST = 64 * 1024
REQUEST_DEADLINE_S = 5.0  # a connection has this long to send its request line, and to take the reply
UNREACHABLE_RETRY_S = 5.0  # a lock held with no socket answering: a start under way, or a stuck app
MAX_CONNECTIONS = 32  # served at once; one more is told "busy" at once
_MAX_SOCKET_PATH = 100  # AF_UNIX paths are limited to about 107 bytes


class InstanceLock:
    """An exclusive lock on a file in the runtime dir; the OS drops it if the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        import fcntl  # POSIX only; the control socket needs AF_UNIX anyway

        private_dir(self.path.parent, "standup's socket and lock")
        fd = open_private(self.path, os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            pid = self.holder()
            who = f" (pid {pid})" if pid else ""
            raise AlreadyRunningError(f"standup is already running{who}; use `standup status` or `standup quit`") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def holder(self) -> str:
        """The pid the running instance wrote in the lock file, or ''."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return ""
        try:
            return os.read(fd, 32).decode("ascii", "replace").strip()
        finally:
            os.close(fd)

    def is_held(self) -> bool:
        """Whether a running standup holds the lock (without creating the file or taking the lock)."""
        with self.held_if_free() as free:
            return not free

    @contextmanager
    def held_if_free(self) -> Iterator[bool]:
        """Take the lock for a moment if nobody holds it: yields True while this process holds it, False
        when a running standup does. Used to write to the log directly only when no app is running."""
        import fcntl

        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            yield True  # never started here: nothing runs (a start now would create and take it)
            return
        except OSError as exc:
            raise StandupError(f"{self.path}: cannot check whether standup runs ({exc.strerror}); remove that "
                               f"file if it is not standup's lock") from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@contextmanager
def _socket_address(path: Path) -> Iterator[str]:
    """An address for `path` that fits AF_UNIX's limit: the path itself, or on Linux the same file
    reached through an fd of its folder (/proc/self/fd/N/standup.sock) when the path is too long."""
    if len(os.fsencode(path)) <= _MAX_SOCKET_PATH:
        yield str(path)
        return
    if not sys.platform.startswith("linux"):
        raise StandupError(f"{path}: the socket path is too long for this system; set STANDUP_HOME to a "
                           f"shorter folder")
    try:
        fd = os.open(path.parent, getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise NotRunningError("standup is not running; start it with `standup run`") from None
    try:
        yield f"/proc/self/fd/{fd}/{path.name}"
    finally:
        os.close(fd)


class ControlServer:
    """Serves commands on a Unix socket (0600, in a 0700 dir): one thread accepts, one per connection
    answers, each connection with its own deadline."""

    def __init__(self, path: Path, handler: Handler, *, deadline: float = REQUEST_DEADLINE_S,
                 max_connections: int = MAX_CONNECTIONS) -> None:
        self.path = path
        self._handler = handler
        self._deadline = deadline
        self._slots = threading.BoundedSemaphore(max_connections)
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()
        self.served = 0  # connections answered (for tests and benchmarks)

    def start(self) -> None:
        """Bind (replacing a stale socket: the caller holds the instance lock) and serve."""
        private_dir(self.path.parent, "standup's socket and lock")
        self.path.unlink(missing_ok=True)  # unlink never follows a symlink: a planted one just goes
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_umask = os.umask(0o177)
        try:
            with _socket_address(self.path) as address:
                listener.bind(address)
        finally:
            os.umask(old_umask)
        listener.listen(socket.SOMAXCONN)
        self._socket = listener
        self._thread = threading.Thread(target=self._serve, name="control", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._closing.set()
        if self._socket is not None:
            try:
                self._socket.shutdown(socket.SHUT_RDWR)  # wakes the accept() below on Linux
            except OSError:
                pass
            try:
                # Elsewhere accept() does not return when its socket is closed from another thread: knock.
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as knock, _socket_address(self.path) as a:
                    knock.settimeout(1)
                    knock.connect(a)
            except (OSError, StandupError):
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
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM) and not self._closing.is_set():
                    log.warning("Control socket: %s; waiting a moment", exc.strerror)
                    time.sleep(0.5)
                    continue
                break
            if self._closing.is_set():
                connection.close()
                break
            if not self._slots.acquire(blocking=False):
                self._refuse_busy(connection)
                continue
            threading.Thread(target=self._connection, args=(connection,), name="control-client", daemon=True).start()

    def _refuse_busy(self, connection: socket.socket) -> None:
        with connection:
            try:
                connection.setblocking(False)
                _send(connection, {"ok": False, "busy": True, "error": "standup is busy with other clients",
                                   "exit_code": int(ExitCode.BUSY)})
            except OSError:
                pass

    def _connection(self, connection: socket.socket) -> None:
        try:
            with connection:
                self._answer(connection)
        except Exception:  # the app must keep serving whatever one connection does
            log.exception("Control connection failed")
        finally:
            self._slots.release()
            self.served += 1

    def _answer(self, connection: socket.socket) -> None:
        deadline = time.monotonic() + self._deadline
        if not _same_user(connection):
            connection.settimeout(self._deadline)
            _send(connection, {"ok": False, "error": "refused: another user", "exit_code": int(ExitCode.ERROR)})
            return
        try:
            line = _read_line(connection, deadline)
        except OSError as exc:  # timed out, or gone: nothing to answer
            log.info("Control client sent no request in time (%s)", exc.strerror or exc.__class__.__name__)
            return
        try:
            command, args = parse_request(line)
        except ValueError as exc:
            log.warning("Bad control request: %s", exc)
            reply: dict[str, object] = {"ok": False, "error": f"bad request: {exc}", "exit_code": int(ExitCode.USAGE)}
        else:
            reply = self._reply(command, args)
        connection.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            _send(connection, reply)
        except OSError as exc:
            log.info("Could not reply to a control client: %s", exc)

    def _reply(self, command: str, args: dict[str, object]) -> dict[str, object]:
        try:
            return {"ok": True, "result": self._handler(command, args)}
        except StandupError as exc:
            return {"ok": False, "error": str(exc), "exit_code": int(exc.exit_code)}
        except Exception as exc:  # the app must keep running whatever one command does
            log.error("Control command %s failed: %s", command, exc, exc_info=True)
            return {"ok": False, "error": f"{command} failed inside standup: {exc}", "exit_code": int(ExitCode.ERROR)}


def parse_request(line: bytes) -> tuple[str, dict[str, object]]:
    """The command and arguments of one request line; ValueError (one line) when it is not one."""
    if not line:
        raise ValueError("empty request")
    try:
        request = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValueError(f"not a JSON line ({len(line)} bytes)") from None
    if not isinstance(request, dict) or not isinstance(request.get("command"), str):
        raise ValueError('expected {"command": NAME, "args": {...}}')
    args = request.get("args") or {}
    if not isinstance(args, dict) or not all(isinstance(key, str) for key in args):
        raise ValueError("args must be an object")
    return request["command"][:64], args


def request(path: Path, command: str, args: dict[str, object] | None = None, timeout: float = 15,
            lock: Path | None = None) -> object:
    """Send one command to the running instance and return its result, or raise its error.

    NotRunningError only when no standup holds the instance lock `lock` (when given); a running one
    that is busy or slow to accept is tried again until `timeout`, then BusyError."""
    deadline = time.monotonic() + timeout
    silent_deadline = time.monotonic() + min(timeout, UNREACHABLE_RETRY_S)
    pause = 0.05
    while True:
        try:
            reply = _exchange(path, command, args or {}, deadline)
        except _Unreachable as exc:
            if lock is None or not InstanceLock(lock).is_held():
                raise NotRunningError("standup is not running; start it with `standup run`") from None
            why = f"its socket does not answer: {exc}"
            if time.monotonic() + pause >= silent_deadline:
                deadline = silent_deadline
        else:
            if not reply.get("busy"):
                break
            why = "busy with other clients"
        if time.monotonic() + pause >= deadline:
            pid = InstanceLock(lock).holder() if lock else ""
            raise BusyError(f"standup is running{f' (pid {pid})' if pid else ''} but did not take the command "
                            f"in time ({why}); try again, or see its log file")
        time.sleep(pause)
        pause = min(pause * 2, 0.5)
    if reply.get("ok"):
        return reply.get("result")
    error = StandupError(str(reply.get("error", "unknown error")))
    code = reply.get("exit_code", ExitCode.ERROR)
    try:
        error.exit_code = ExitCode(int(code)) if isinstance(code, int | float | str) else ExitCode.ERROR
    except ValueError:
        error.exit_code = ExitCode.ERROR
    raise error


class _Unreachable(Exception):
    """Nothing accepted the connection (no socket, nobody listening, or its queue full)."""


def _exchange(path: Path, command: str, args: dict[str, object], deadline: float) -> dict[str, object]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(max(0.1, min(2.0, deadline - time.monotonic())))
        try:
            with _socket_address(path) as address:
                client.connect(address)
        except (FileNotFoundError, ConnectionRefusedError, BlockingIOError, TimeoutError, NotRunningError) as exc:
            raise _Unreachable(getattr(exc, "strerror", None) or "no answer") from None
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.ECONNREFUSED, errno.ENOENT, errno.ENOTDIR):
                raise _Unreachable(exc.strerror) from None
            raise NotRunningError(f"cannot reach standup at {path} ({exc.strerror}); start it with `standup run`") from None
        if not _same_user(client):
            raise StandupError(f"{path}: the socket belongs to another user's program; set STANDUP_HOME or "
                               f"XDG_RUNTIME_DIR to a folder of your own")
        try:
            client.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                _send(client, {"command": command, "args": args})
            except (BrokenPipeError, ConnectionResetError):
                pass  # a busy server replies and hangs up before reading: its reply is still there to read
            reply = json.loads(_read_line(client, deadline).decode("utf-8"))
        except (OSError, ValueError) as exc:
            raise StandupError(f"standup did not answer {command!r} ({exc}); see its log file") from exc
    if not isinstance(reply, dict):
        raise StandupError(f"standup answered {command!r} with something else than a reply; see its log file")
    return reply


def _send(connection: socket.socket, message: dict[str, object]) -> None:
    connection.sendall(json.dumps(message).encode() + b"\n")


def _read_line(connection: socket.socket, deadline: float) -> bytes:
    """One line, read before `deadline` (a client trickling bytes does not push it back)."""
    chunks = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("timed out")
        connection.settimeout(remaining)
        chunk = connection.recv(4096)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if b"\n" in chunk or size > _MAX_REQUEST:
            break
    return b"".join(chunks).split(b"\n", 1)[0]


def _same_user(connection: socket.socket) -> bool:
    """On Linux, check the peer's uid (the socket's 0600 mode already keeps others out)."""
    peercred = getattr(socket, "SO_PEERCRED", None)
    if peercred is None:
        return True
    raw = connection.getsockopt(socket.SOL_SOCKET, peercred, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", raw)
    return uid == os.getuid()
