"""Reading the user's text files (config, routines): a regular file of sane size, UTF-8 with or
without the BOM Notepad writes. A FIFO, a device or a folder in its place is refused at once, never
waited on; the refusal is one line for the caller to put in its error."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_BYTES = 1024 * 1024  # a config or routines file is a few KiB; anything over this is not one


class UnreadableText(Exception):
    """Why a text file cannot be used, in words (no path: the caller names the file)."""


def read_user_text(path: Path, limit: int = MAX_BYTES) -> str:
    """The text of `path`. FileNotFoundError when absent; UnreadableText for anything else wrong."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise UnreadableText(f"cannot open it ({exc.strerror or exc}); fix its permissions") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode) else \
                "a device or socket"
            raise UnreadableText(f"is {kind}, not a regular file; put a text file there")
        if info.st_size > limit:
            raise UnreadableText(f"is {info.st_size} bytes, more than a text file of settings can be "
                                 f"({limit // 1024} KiB at most); check that it is the right file")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise UnreadableText(f"is more than {limit // 1024} KiB; check that it is the right file")
    except OSError as exc:
        raise UnreadableText(f"cannot read it ({exc.strerror or exc}); fix its permissions") from None
    finally:
        os.close(fd)
    try:
        text = b"".join(chunks).decode("utf-8-sig")  # a leading BOM is not part of the text
    except UnicodeDecodeError as exc:
        raise UnreadableText(f"is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # universal newlines, as open() reads text
