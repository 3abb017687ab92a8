"""Owner-only folders and files on a machine shared with other users: created 0700/0600, their owner
and mode checked, and never reached through a symlink someone planted in their place."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from standup.core.errors import StandupError

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def private_dir(path: Path, what: str = "standup's files") -> Path:
    """Make `path` an owner-only folder of this user: created 0700, or tightened if it is ours but open.

    A symlink, a file or another user's folder in its place is refused in one line, never used."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    try:
        fd = os.open(path, os.O_RDONLY | _DIRECTORY | NOFOLLOW | _CLOEXEC)
    except OSError as exc:
        raise StandupError(f"{path}: the folder for {what} is a symlink or not a folder ({exc.strerror}); "
                           f"remove it, or set STANDUP_HOME to a folder of your own") from None
    try:
        info = os.fstat(fd)
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise StandupError(f"{path}: the folder for {what} belongs to another user (uid {info.st_uid}); "
                               f"set STANDUP_HOME to a folder of your own")
        if stat.S_IMODE(info.st_mode) & 0o077:
            os.fchmod(fd, 0o700)
    finally:
        os.close(fd)
    return path


def open_private(path: Path, flags: int) -> int:
    """os.open(`path`) as an owner-only regular file of this user, never following a symlink."""
    try:
        fd = os.open(path, flags | NOFOLLOW | _CLOEXEC, 0o600)
    except OSError as exc:
        if os.path.islink(path):
            raise StandupError(f"{path}: is a symlink, which standup does not follow; remove it and try "
                               f"again") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise StandupError(f"{path}: is not a regular file; remove it and try again")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise StandupError(f"{path}: belongs to another user (uid {info.st_uid}); remove it and try again")
        if stat.S_IMODE(info.st_mode) & 0o077:
            os.fchmod(fd, 0o600)
    except BaseException:
        os.close(fd)
        raise
    return fd


def usable_runtime_dir(path: Path) -> str | None:
    """Why `path` (say $XDG_RUNTIME_DIR) is no place for standup's socket, or None if it is."""
    if not path.is_absolute():
        return "is not an absolute path"
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot be used ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return "is a symlink"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return f"belongs to uid {info.st_uid}"
    if stat.S_IMODE(info.st_mode) & 0o077:
        return f"has mode {stat.S_IMODE(info.st_mode):04o}, not 0700"
    return None
