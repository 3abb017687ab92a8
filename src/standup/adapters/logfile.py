"""The log's file on disk: which file the store writes, and a fresh one when that file is gone.

SQLite keeps writing to a file it has open even after that file was deleted, renamed or replaced at
its path; the store asks `identity()` before it acknowledges a write, and `recreate()` puts everything
its connection still holds into a new file at the path.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

log = logging.getLogger(__name__)

Identity = tuple[int, int]  # (st_dev, st_ino)


def identity(path: Path) -> Identity | None:
    """The file at `path` now, or None when there is none."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino


def recreate(db: sqlite3.Connection, path: Path, now: datetime) -> tuple[Path | None, str]:
    """Copy all `db` holds into a new owner-only file at `path`; `db` is closed once that is done
    (on an OSError it stays open and nothing at `path` was lost).

    A file someone else put at `path` is renamed aside, byte for byte, never opened. Returns where
    that file went (or None) and the one-line message for the user."""
    fresh = path.with_name(f".{path.name}.fresh-{os.getpid()}")
    fresh.unlink(missing_ok=True)
    db.execute("VACUUM INTO ?", (str(fresh),))  # the whole log, the WAL's latest pages included
    os.chmod(fresh, 0o600)
    fd = os.open(fresh, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    kept: Path | None = None
    if os.path.lexists(path):
        stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        kept = path.with_name(f"{path.name}.replaced-{stamp}")
        os.rename(path, kept)
    os.link(fresh, path)  # fails rather than take the place of a file that appeared there meanwhile
    fresh.unlink()
    _sync_folder(path.parent)
    db.close()  # before anything opens the fresh file: the old -wal and -shm beside the path go with it
    if kept is None:
        message = (f"{path}: the log was deleted or moved while standup ran; a fresh log was started there "
                   f"with everything this run had written, the open prompt and every answer since")
    else:
        message = (f"{path}: the log was replaced by another file while standup ran; that file is kept "
                   f"untouched as {kept}, and a fresh log was started at {path} with everything this run had "
                   f"written, the open prompt and every answer since")
    return kept, message


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
