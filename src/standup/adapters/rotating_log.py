"""The app's own log file (standup.log): owner-only, never opened through a symlink planted in its
place, and rotated at a size into .1, .2, … (the oldest dropped).

Written here rather than with logging.handlers.RotatingFileHandler: that module brings pickle,
queue and the socket handlers' imports (about 0.5 MiB) into an app that only needs the one file.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TextIO

from standup.adapters.private import open_private


class RotatingPrivateFile(logging.StreamHandler):
    """Appends records to `path`; before a record would take the file past `max_bytes`, rotates."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        self.path, self.max_bytes, self.backups = path, max_bytes, backups
        super().__init__(self._open())

    def _open(self) -> TextIO:
        fd = open_private(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        return os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace")

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream.tell() + len(self.format(record).encode("utf-8", "replace")) + 1 > self.max_bytes:
                self._rotate()
        except (OSError, ValueError):  # a full disk or a deleted folder: the record still goes out below
            self.handleError(record)
        super().emit(record)

    def _rotate(self) -> None:
        self.stream.close()
        for number in range(self.backups - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{number}")
            if older.exists():
                os.replace(older, self.path.with_name(f"{self.path.name}.{number + 1}"))
        if self.path.exists():
            os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
        self.stream = self._open()

    def close(self) -> None:
        self.acquire()
        try:
            self.stream.close()
        finally:
            self.release()
        super().close()
