"""`standup guide`: the break window for the open prompt, in a process of its own.

It asks the running app what to show (the read-only `prompt` command: routine, dose, cues, poses),
opens a prompt first if none is open, and answers through the same calls as the toast's buttons.
One break window at a time (a lock in the runtime dir). Without a display or without tkinter it
says so in one line: the toast and `standup done` still answer the prompt.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import TYPE_CHECKING, cast

from standup.cli.context import Context
from standup.core.errors import ExitCode, StandupError
from standup.desktop.launch import window_missing

if TYPE_CHECKING:
    from standup.desktop.guide import PromptReply

log = logging.getLogger(__name__)

NO_WINDOW = "no break window here ({why}); answer the toast, the tray menu or `standup done`"


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    guide = subparsers.add_parser("guide", help="open the break window for the open prompt (starts a break if none)")
    guide.add_argument("--prompt", type=int, metavar="ID", help="only if this prompt is still the open one")
    guide.set_defaults(handler=guide_command)


def guide_command(args: argparse.Namespace, ctx: Context) -> int:
    why = window_missing()
    if why is not None:
        raise StandupError(NO_WINDOW.format(why=why))
    settings = ctx.settings()
    current = _open_prompt(ctx)
    if current is None:
        if args.prompt is not None:
            ctx.err.write(f"standup: prompt {args.prompt} is no longer open\n")
            return int(ExitCode.NOTHING_TO_ANSWER)
        ctx.request("break")
        current = _open_prompt(ctx)
        if current is None:
            ctx.err.write("standup: the break was answered before its window opened\n")
            return int(ExitCode.NOTHING_TO_ANSWER)
    if args.prompt is not None and current["prompt"]["id"] != args.prompt:
        ctx.err.write(f"standup: prompt {args.prompt} is no longer open\n")
        return int(ExitCode.NOTHING_TO_ANSWER)
    lock = _single_window(ctx)
    if lock is None:
        ctx.out.write("a break window is already open\n")
        return int(ExitCode.OK)
    _log_to_stderr()
    try:
        from standup.desktop.guide import GuideWindow

        try:
            window = GuideWindow(current, lambda command, request_args: ctx.request(command, **request_args),
                                 sound=settings.break_sound, watch=lambda: _open_prompt_id(ctx))
        except Exception as exc:  # tkinter raises TclError (not importable without tkinter) when it cannot open
            raise StandupError(NO_WINDOW.format(why=f"the window cannot open: {exc}")) from exc
        window.run()
    finally:
        os.close(lock)
    return int(ExitCode.OK)


def _open_prompt(ctx: Context) -> PromptReply | None:
    """The running app's `prompt` answer while a prompt is open (app.Commands, the same version), else None."""
    reply = ctx.request("prompt")
    if not isinstance(reply, dict) or not isinstance(reply.get("prompt"), dict):
        return None
    return cast("PromptReply", reply)


def _open_prompt_id(ctx: Context) -> int | None:
    current = _open_prompt(ctx)
    return current["prompt"]["id"] if current is not None else None


def _single_window(ctx: Context) -> int | None:
    """An exclusive lock next to the control socket, or None if another break window holds it."""
    import fcntl

    path = ctx.paths.socket.parent / "guide.lock"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _log_to_stderr() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("standup guide: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
