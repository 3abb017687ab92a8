"""Desktop commands for the CLI: `standup autostart enable|disable|status` and
`standup desktop install|uninstall` (menu entry, metainfo and icons in the XDG data dir)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from standup.adapters import autostart, desktop_files
from standup.cli.context import Context
from standup.core.errors import UsageError


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("autostart", help="start standup at login: enable, disable or status")
    parser.add_argument("action", choices=["enable", "disable", "status"])
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=_autostart)

    desktop = subparsers.add_parser("desktop", help="add standup to the applications menu (install) or take it away "
                                                    "(uninstall)")
    desktop.add_argument("action", choices=["install", "uninstall"])
    desktop.add_argument("--force", action="store_true", help="install: replace files standup did not write")
    desktop.add_argument("--json", action="store_true")
    desktop.set_defaults(handler=_desktop)


def _target() -> autostart.Target:
    return autostart.target_for(sys.platform, os.environ, Path.home())


def _autostart(args: argparse.Namespace, ctx: Context) -> int:
    target = _target()
    if args.action == "enable":
        autostart.enable(target)
        result: dict[str, object] = {"enabled": True, "location": target.location, "command": autostart.describe_command(target)}
        text = f"standup will start at login ({target.location})"
    elif args.action == "disable":
        existed = autostart.disable(target)
        result = {"enabled": False, "location": target.location, "removed": existed}
        text = f"standup will not start at login (removed {target.location})" if existed else "autostart was not enabled"
    else:
        state = autostart.status(target)
        result = state.as_json() | {"command": autostart.describe_command(target)}
        if not state.enabled:
            text = "autostart: off (`standup autostart enable` turns it on)"
        elif state.current:
            text = f"autostart: on ({state.location})"
        else:
            text = f"autostart: on, but {state.location} starts another installation; `standup autostart enable` updates it"
    if args.json:
        ctx.print_json(result)
    else:
        ctx.out.write(text + "\n")
    return 0


def _desktop(args: argparse.Namespace, ctx: Context) -> int:
    if sys.platform in ("win32", "darwin"):
        raise UsageError("`standup desktop` installs a menu entry on Linux and BSD desktops (XDG); on Windows and "
                         "macOS use `standup autostart enable`")
    data_dir = desktop_files.data_home(os.environ, Path.home())
    placements = desktop_files.plan(autostart.launch_command())
    if args.action == "install":
        outcome = desktop_files.install(data_dir, placements, force=args.force)
        if outcome.written:
            text = (f"standup is in the applications menu: {len(outcome.written)} files written under {data_dir} "
                    f"({_first_entry(outcome.written)} …)")
        else:
            text = f"standup was already in the applications menu; nothing changed under {data_dir}"
        if not autostart.status(_target()).enabled:
            text += "\nto start it at login too: standup autostart enable"
    else:
        outcome = desktop_files.uninstall(data_dir, placements)
        text = (f"removed {len(outcome.removed)} files standup had put under {data_dir}" if outcome.removed
                else f"nothing to remove: standup had put no files under {data_dir}")
        for kept in outcome.kept:
            text += f"\nkept {kept}: it changed since standup wrote it"
        if autostart.status(_target()).enabled:
            text += "\nstandup still starts at login (`standup autostart disable` stops that)"
    if args.json:
        ctx.print_json(outcome.as_json())
    else:
        ctx.out.write(text + "\n")
    return 0


def _first_entry(paths: list[str]) -> str:
    return next((p for p in paths if p.endswith(".desktop")), paths[0])
