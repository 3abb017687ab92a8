"""The `standup` command: parses arguments, wires adapters, prints results; errors as one line."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from types import ModuleType
from typing import TYPE_CHECKING, cast

from standup.cli.encoding import safe_standard_streams
from standup import __version__
from standup.core import policy
from standup.core.errors import ConfigError, ExitCode, NotRunningError, StandupError, StoreError, UsageError
from standup.core.model import EventKind
from standup.adapters.paths import resolve_paths
from standup.cli.context import Context, date_arg
from standup.core.settings import DEFAULT_CONFIG_TEXT, describe, origins
from standup.core.model import utc_text
from standup.core.words import counted

if TYPE_CHECKING:
    from standup.service.views import AnswerJSON, PromptJSON, StatusJSON


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        command = self.prog if self.prog == "standup-tray" else f"standup {self.prog.partition(' ')[2]}".strip()
        raise UsageError(f"{_with_hint(message)} (see `{command} --help`)")


def _with_hint(message: str) -> str:
    """argparse's "invalid choice: 'stauts' (choose from …)" as "invalid choice 'stauts'; did you mean 'status'?"."""
    import difflib

    found = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if not found:
        return message
    choices = re.findall(r"'([^']*)'", found.group(2)) or [c.strip() for c in found.group(2).split(",")]
    hint = difflib.get_close_matches(found.group(1), choices, n=1)
    if not hint:
        return message
    return f"{message[: found.start()]}invalid choice {found.group(1)!r}; did you mean {hint[0]!r}?"


def build_parser(with_features: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(prog="standup", description="Reminds you to get up and move, and logs what you did.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    run = sub.add_parser("run", help="run the reminder (tray icon, or headless with --no-tray)")
    run.add_argument("--no-tray", action="store_true", help="no tray icon: prompts go to this terminal")
    run.set_defaults(handler=_run)

    status = sub.add_parser("status", help="where you stand: state, next prompt, today's counts")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)

    for name, help_text in (("break", "prompt now"), ("done", "answer done (or log a break you took yourself)"),
                            ("skip", "skip the open prompt"), ("resume", "resume after a pause"),
                            ("quit", "stop the running standup")):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--json", action="store_true")
        if name == "quit":
            command.add_argument("--force", action="store_true",
                                 help="quit even if answers are kept in memory because the log cannot be written")
        if name == "done":
            command.add_argument("--sets", type=_sets_arg, metavar="N", help="the sets you completed (fewer than suggested)")
        command.set_defaults(handler=_answer)
    snooze = sub.add_parser("snooze", help="snooze the open prompt (default: snooze_minutes)")
    snooze.add_argument("minutes", nargs="?", type=_minutes_arg, help="minutes, e.g. 10")
    snooze.add_argument("--json", action="store_true")
    snooze.set_defaults(handler=_answer)
    pause = sub.add_parser("pause", help="pause reminders: 30m, 1h, 2h, 1h30m or tomorrow")
    pause.add_argument("duration", type=_duration_arg)
    pause.add_argument("--json", action="store_true")
    pause.set_defaults(handler=_answer)

    log = sub.add_parser("log", help="the day's prompts and how each ended, and the breaks besides them")
    log.add_argument("--date", type=date_arg, help="YYYY-MM-DD (default: today)")
    log.add_argument("--json", action="store_true")
    log.set_defaults(handler=_log)

    repair = sub.add_parser("repair", help="keep a damaged log aside and start a fresh one with what can be read")
    repair.set_defaults(handler=_repair)

    config = sub.add_parser("config", help="the config file: path, init, show, check")
    config.add_argument("action", choices=["path", "init", "show", "check"])
    config.add_argument("--json", action="store_true")
    config.set_defaults(handler=_config)

    for module in _feature_modules() if with_features else []:
        module.add_commands(sub)
    return parser


def _parser_for(argv: list[str]) -> argparse.ArgumentParser:
    """The feature commands import their modules (report, export, planner…) just to be listed: a core
    command, `standup run` above all, parses without them (less to load, less memory all day)."""
    words = [word for word in argv if not word.startswith("-")]
    core = build_parser(with_features=False)
    subcommands = next(a for a in core._actions if isinstance(a, argparse._SubParsersAction))
    return core if words and words[0] in subcommands.choices else build_parser()


def _feature_modules() -> list[ModuleType]:
    import importlib

    modules = []
    for name in ("routines", "summary", "desktop", "guide"):
        try:
            modules.append(importlib.import_module(f"standup.cli.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"standup.cli.{name}":
                raise
    return modules


def main(argv: list[str] | None = None, *, ctx: Context | None = None) -> int:
    """Run one command; returns its exit code (see errors.ExitCode)."""
    if ctx is None:
        safe_standard_streams()
        ctx = Context(resolve_paths(), sys.stdout, sys.stderr)
    try:
        args = _parser_for(sys.argv[1:] if argv is None else argv).parse_args(argv)
        if args.version:
            ctx.out.write(f"standup {__version__}\n")
            return int(ExitCode.OK)
        if not getattr(args, "handler", None):
            build_parser().print_help(ctx.out)
            return int(ExitCode.USAGE)
        return int(args.handler(args, ctx))
    except StandupError as exc:
        ctx.err.write(f"standup: {exc}\n")
        return int(exc.exit_code)
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except BrokenPipeError:
        return int(ExitCode.OK)
    except OSError as exc:  # a folder or file the OS refuses: say which, in one line
        where = f"{exc.filename}: " if exc.filename else ""
        ctx.err.write(f"standup: {where}{exc.strerror or exc}; check that file's folder, its permissions and free "
                      "space\n")
        return int(ExitCode.ERROR)


def tray_main(argv: list[str] | None = None) -> int:
    """The `standup-tray` GUI entry point: `standup run` with its tray; `--help` and `--version` only print."""
    parser = _Parser(prog="standup-tray", description="Runs standup with its tray icon, as `standup run` does "
                     "(the entry point for menus, autostart and Windows).")
    parser.add_argument("--version", action="version", version=f"standup {__version__}")
    try:
        parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:  # --help, --version
        return int(exc.code or 0)
    except UsageError as exc:
        if sys.stderr is not None:  # pythonw on Windows has none
            sys.stderr.write(f"standup: {exc}\n")
        return int(exc.exit_code)
    return main(["run"])


# -- argument types ---------------------------------------------------------------------------

_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m?)?$")


def _duration_arg(text: str) -> dict[str, bool | int]:
    if text.strip().lower() == "tomorrow":
        return {"tomorrow": True}
    match = _DURATION.match(text.strip().lower())
    if not match or not any(match.groups()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration; use 30m, 1h, 2h, 1h30m or tomorrow")
    minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if not 1 <= minutes <= 24 * 60:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range; pause for 1 minute to 24 hours, or tomorrow")
    return {"minutes": minutes}


def _minutes_arg(text: str) -> int:
    match = _DURATION.match(text.strip().lower())
    minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0) if match and any(match.groups()) else 0
    if not 1 <= minutes <= 240:
        raise argparse.ArgumentTypeError(f"{text!r} is not a snooze length; use 1 to 240 minutes, e.g. 10")
    return minutes


# -- handlers ---------------------------------------------------------------------------------

def _run(args: argparse.Namespace, ctx: Context) -> int:
    from standup.app import run_app

    return run_app(ctx.paths, ctx.settings(), ctx.clock, ctx.out, ctx.err, no_tray=args.no_tray,
                   open_summary=lambda: _open_report(ctx))


def _open_report(ctx: Context) -> object:
    from standup.cli.summary import write_report  # the report and its figures load when first asked for

    return write_report(ctx)


def _status(args: argparse.Namespace, ctx: Context) -> int:
    try:
        status = cast("StatusJSON", ctx.request("status"))  # Status.as_json(), from the same version
    except NotRunningError:
        status = _offline_status(ctx)
    if args.json:
        ctx.print_json(status)
    else:
        ctx.out.write(_status_text(status, ctx) + "\n")
    return int(ExitCode.OK)


def _offline_status(ctx: Context) -> StatusJSON:
    from standup.service.views import offline_status_json, today_counts

    now = ctx.clock.now()
    store = ctx.open_store(readonly=True)
    try:
        counts = today_counts(store, now, ctx.clock.tz)
    finally:
        store.close()
    return offline_status_json(now, counts)


def _local(ctx: Context, iso_text: str | None, pattern: str = "%H:%M") -> str:
    if not iso_text:
        return "—"
    from standup.adapters.store import parse_utc

    return policy.to_local(parse_utc(iso_text), ctx.clock.tz).strftime(pattern)


def _status_text(status: StatusJSON, ctx: Context) -> str:
    today = status["today"]
    counts = (f"today: {counted(today['prompts'], 'prompt')} · {today['done']} done · {today['natural']} natural · "
              f"{today['skipped']} skipped · {today['missed']} missed · {counted(today['self_breaks'], 'own break')}")
    if not status["running"]:
        return f"standup is not running (start it with `standup run`)\n{counts}"
    lines = [f"state: {(status['state'] or 'unknown').replace('_', ' ')}"]
    if status["open_prompt"]:
        lines.append(f"prompt: {status['open_prompt']['text']}")
    if status["paused_until"]:
        lines.append(f"paused until {_local(ctx, status['paused_until'], '%a %H:%M')}")
    lines.append(f"sitting for {status['sitting_minutes']} min; next prompt at "
                 f"{_local(ctx, status['next_prompt_at'], '%a %H:%M')}")
    lines.append(f"natural breaks: {status['natural_breaks']}")
    if status.get("tray"):
        lines.append(f"tray: {status['tray']}")
    if status.get("unsaved"):
        lines.append(f"not saved yet: {status['unsaved']} writes kept in memory — {status['log_error']}")
    lines.append(counts)
    return "\n".join(lines)


def _answer(args: argparse.Namespace, ctx: Context) -> int:
    command = args.command
    request_args: dict[str, object] = {}
    if command == "snooze" and args.minutes is not None:
        request_args["minutes"] = args.minutes
    if command == "pause":
        request_args.update(args.duration)
    if command == "quit" and args.force:
        request_args["force"] = True
    if command == "done" and args.sets is not None:
        request_args["sets"] = args.sets
    try:
        result = ctx.request(command, **request_args)
    except NotRunningError:
        if command != "done":
            raise
        result = _record_break_offline(ctx)
    if args.json:
        ctx.print_json(result)
    else:
        ctx.out.write(_answer_text(command, result, ctx) + "\n")
    return int(ExitCode.OK)


def _record_break_offline(ctx: Context) -> AnswerJSON:
    """`standup done` while standup is not running: the break still goes into the log — written only
    while this process holds the instance lock, so never beside a running standup's open prompt."""
    from standup.adapters.control import InstanceLock

    now = ctx.clock.now()
    with InstanceLock(ctx.paths.lock_file).held_if_free() as free:
        if not free:
            return cast("AnswerJSON", ctx.request("done"))  # it started meanwhile: it answers its own prompt
        store = ctx.open_store()
        try:
            if not store.add_event(now, EventKind.SELF_BREAK, data={"offline": True}):
                raise StoreError(store.write_error or f"{store.path}: cannot write to the log")
        finally:
            store.close()
    ctx.err.write("standup: not running; the break was written to the log directly\n")
    return {"action": "self_break", "at": utc_text(now), "prompt": None, "until": None, "saved": True}


def _answer_text(command: str, result: object, ctx: Context) -> str:
    """The running app's answer to `command` (see app.Commands) in words."""
    text = _answer_words(command, result, ctx)
    if isinstance(result, dict) and result.get("saved") is False:
        text += " — not saved yet: the log cannot be written; kept in memory until it can"
    return text


def _answer_words(command: str, result: object, ctx: Context) -> str:
    if command in ("pause", "resume"):
        status = cast("StatusJSON", result)
        if status["paused_until"]:
            return f"paused until {_local(ctx, status['paused_until'], '%a %H:%M')}"
        return f"resumed; next prompt at {_local(ctx, status['next_prompt_at'], '%a %H:%M')}"
    if command == "quit":
        return "standup is stopping"
    if command == "break":
        prompt = cast("PromptJSON", result)
        return f"prompt {prompt['id']}: {prompt['text']}"
    answer = cast("AnswerJSON", result)
    action = answer["action"]
    if action == "self_break" or answer["prompt"] is None:
        return f"break logged at {_local(ctx, answer['at'])}; the sitting clock starts again"
    if action == "snoozed":
        return f"snoozed until {_local(ctx, answer['until'])}"
    return f"prompt {answer['prompt']['id']} {action} at {_local(ctx, answer['at'])}"


def _repair(args: argparse.Namespace, ctx: Context) -> int:
    from standup.adapters.repair import repair_log

    try:
        ctx.request("status")
    except NotRunningError:
        pass
    else:
        raise StoreError("standup is running; quit it first (`standup quit`), then run `standup repair`")
    ctx.out.write(repair_log(ctx.paths.database, ctx.clock.now()).describe(ctx.paths.database) + "\n")
    return int(ExitCode.OK)


def _log(args: argparse.Namespace, ctx: Context) -> int:
    from standup.cli.daylog import show_log

    return show_log(args.date, args.json, ctx)


def _sets_arg(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 10:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of sets; give 0 to 10")
    return int(text)


def _config(args: argparse.Namespace, ctx: Context) -> int:
    path = ctx.paths.config_file
    if args.action == "path":
        if args.json:
            ctx.print_json(ctx.paths.as_json())
        else:
            ctx.out.write(f"{path}\n")
        return int(ExitCode.OK)
    if args.action == "init":
        return _config_init(ctx)
    settings = ctx.settings()
    if args.action == "check":
        where = path if path.exists() else f"{path} (absent: defaults apply)"
        ctx.out.write(f"ok: {where}\n")
        return int(ExitCode.OK)
    shown, origin = describe(settings), origins(settings)
    if args.json:
        ctx.print_json({**shown, "from": origin})
    else:
        width = min(40, max(len(f"{key} = {json.dumps(value, ensure_ascii=False)}") for key, value in shown.items()))
        for key, value in shown.items():
            line = f"{key} = {json.dumps(value, ensure_ascii=False)}"
            ctx.out.write(f"{line:<{width}}  # {origin[key]}\n")
    return int(ExitCode.OK)


def _config_init(ctx: Context) -> int:
    path = ctx.paths.config_file
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConfigError(f"{path} already exists and was left as it is; edit it, or delete it to start over") from None
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(DEFAULT_CONFIG_TEXT)
    ctx.out.write(f"wrote {path}\n")
    return int(ExitCode.OK)


