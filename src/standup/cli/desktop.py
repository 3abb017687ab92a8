"""Desktop commands for the CLI: `standup autostart enable|disable|status`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from standup.adapters import autostart


def add_commands(subparsers: Any) -> None:
    parser = subparsers.add_parser("autostart", help="start standup at login: enable, disable or status")
    parser.add_argument("action", choices=["enable", "disable", "status"])
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=_autostart)


def _target() -> autostart.Target:
    return autostart.target_for(sys.platform, os.environ, Path.home())


def _autostart(args: argparse.Namespace, ctx: Any) -> int:
    target = _target()
    if args.action == "enable":
        autostart.enable(target)
        result: dict[str, Any] = {"enabled": True, "location": target.location, "command": autostart.describe_command(target)}
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
