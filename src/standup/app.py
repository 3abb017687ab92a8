"""The composition root: builds the running app from its parts and keeps it alive until asked to quit.

`standup run` comes here from the command line (which may import this module; this module imports
nothing of the command line). `build_planner` is the one way the planner is made, for the running
app's suggestions and for `standup plan` alike.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from standup.adapters.clock import Clock
from standup.adapters.control import ControlServer, InstanceLock
from standup.adapters.private import open_private, private_dir
from standup.adapters.rotating_log import RotatingPrivateFile
from standup.core.errors import NothingToAnswerError, StoreError, UsageError
from standup.adapters.paths import Paths
from standup.adapters.runner import Runner
from standup.service.evening import EveningNote
from standup.service.reminders import ReminderService
from standup.core.settings import Settings
from standup.adapters.store import Store, damaged_message
from standup.adapters.terminal import IN_TERMINAL, KeyReader, TerminalPrompter, where_without_tray
from standup.adapters.waiter import best_waiter

if TYPE_CHECKING:
    from standup.core.catalogue import Catalogue
    from standup.core.guide import PromptDetails
    from standup.core.planner import Planner
    from standup.core.poses import Figure
    from standup.service.views import PromptView

log = logging.getLogger(__name__)


class Commands:
    """Maps control-socket commands to service calls; returns JSON-ready results.

    `prompt` (read-only) is the open prompt with what the break window shows (`describe`). done,
    snooze and skip may name the prompt they answer (`"prompt": id`): if another one is open by then,
    they answer nothing. done may say how many sets were completed (`"sets": n`).
    """

    def __init__(self, service: ReminderService, quit_app: Callable[[], None],
                 describe: Callable[[PromptView], PromptDetails] | None = None) -> None:
        self._service = service
        self._quit = quit_app
        self._describe = describe

    def __call__(self, command: str, args: dict[str, object]) -> object:  # JSON-ready
        service = self._service
        if command == "status":
            return service.status().as_json()
        if command == "prompt":
            view = service.status().open_prompt
            if view is None or self._describe is None:
                return {"prompt": view.as_json() if view is not None else None}
            return {"prompt": view.as_json(), **self._describe(view)}
        if command == "break":
            return service.take_break().as_json()
        if command in ("done", "snooze", "skip") and args.get("prompt") is not None:
            _require_open(service, args["prompt"])
        if command == "done":
            return service.done(_sets_arg(args.get("sets"))).as_json()
        if command == "snooze":
            return service.snooze(_minutes(args, required=False)).as_json()
        if command == "skip":
            return service.skip().as_json()
        if command == "pause":
            return service.pause(minutes=_minutes(args, required=False),
                                 until_tomorrow=args.get("tomorrow") is True).as_json()
        if command == "resume":
            return service.resume().as_json()
        if command == "quit":
            status = service.status()
            if status.unsaved and not args.get("force"):
                raise StoreError(f"{status.unsaved} answers are not saved yet ({status.log_error}); "
                                 "free some space and try again, or `standup quit --force` to quit and lose them")
            self._quit()
            return {"quitting": True}
        raise UsageError(f"unknown command {command!r}")


def _require_open(service: ReminderService, prompt_id: object) -> None:
    view = service.status().open_prompt
    if view is None or view.id != prompt_id:
        raise NothingToAnswerError(f"prompt {prompt_id} is no longer open; nothing was answered")


def _sets_arg(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UsageError(f"sets must be a whole number of sets completed, 0 or more, got {value!r}")
    return value


def figure_lookup(catalogue: Catalogue) -> Callable[[str], Figure | None]:
    """A routine's figure by id, for the toast's picture (figures load when first asked)."""

    def figure_of(routine_id: str) -> Figure | None:
        from standup.core.figures import figure_for

        routine = catalogue.get(routine_id)
        return figure_for(routine) if routine is not None else None

    return figure_of


def describer(catalogue: Catalogue) -> Callable[[PromptView], PromptDetails]:
    """What the `prompt` command tells the break window about an open prompt (figures load when first asked)."""

    def describe(view: PromptView) -> PromptDetails:
        from standup.core.figures import figure_for
        from standup.core.guide import prompt_details

        suggestion = view.suggestion
        routine = catalogue.get(suggestion.routine_id) if suggestion is not None else None
        return prompt_details(suggestion, routine, figure_for(routine) if routine is not None else None)

    return describe


class _OneLine(logging.Formatter):
    """The terminal gets one line per record; tracebacks go to the log file only."""

    def format(self, record: logging.LogRecord) -> str:
        return "standup: " + record.getMessage().splitlines()[0] if record.getMessage() else "standup:"


def _minutes(args: dict[str, object], *, required: bool) -> int | None:
    """The request's `minutes`: a whole number (a malformed request is a usage error, not a crash)."""
    minutes = args.get("minutes")
    if minutes is None and not required:
        return None
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 24 * 60:
        raise UsageError(f"minutes must be a whole number from 1 to 1440, got {str(minutes)[:20]!r}")
    return minutes


def configure_logging(paths: Paths) -> None:
    """A rotating log file in the user log dir; warnings also go to stderr, one line each."""
    private_dir(paths.log_dir, "standup's log")
    os.close(open_private(paths.log_file, os.O_CREAT | os.O_WRONLY | os.O_APPEND))  # refuses a symlink in one line
    file_handler = RotatingPrivateFile(paths.log_file, max_bytes=512 * 1024, backups=3)
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    console.setFormatter(_OneLine())
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(file_handler)
    root.addHandler(console)
    if paths.runtime_note:
        log.info("%s", paths.runtime_note)


def has_display(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """A graphical session to put a tray icon in (Windows and macOS always have one)."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def run_app(paths: Paths, settings: Settings, clock: Clock, out: TextIO, err: TextIO, *, no_tray: bool,
            open_summary: Callable[[], object] | None = None) -> int:
    """Run until quit. Refuses to start when another instance runs or the log is damaged.

    `open_summary` is what the tray's summary entry does (the command line's report)."""
    os.umask(0o077)  # whatever the app creates from here on (rotated logs, reports) is the user's alone
    lock = InstanceLock(paths.lock_file).acquire()
    try:
        configure_logging(paths)
        store = Store.open(paths.database)
        verdict = store.quick_check()  # damage inside the file shows only when its pages are read
        if verdict != "ok":
            store.close()
            raise StoreError(damaged_message(paths.database, verdict))
        try:
            return _run(_Parts(paths, clock, out, err, open_summary), settings, store, no_tray=no_tray)
        finally:
            store.close()
    finally:
        lock.release()


class _Parts:
    def __init__(self, paths: Paths, clock: Clock, out: TextIO, err: TextIO,
                 open_summary: Callable[[], object] | None) -> None:
        self.paths, self.clock, self.out, self.err, self.open_summary = paths, clock, out, err, open_summary


def _run(ctx: _Parts, settings: Settings, store: Store, *, no_tray: bool) -> int:
    clock = ctx.clock
    planner = build_planner(ctx.paths.routines_dir, settings, clock.tz, lambda warning: log.warning("%s", warning))
    service = ReminderService(clock, store, settings, planner.suggest_hook(store.prompts_between))
    runner = Runner(service, clock, waiter=best_waiter())
    interactive = _stdin_is_terminal()
    terminal = TerminalPrompter(ctx.out, clock, interactive)
    evening = EveningNote(store, settings, clock.tz)
    evening.add_reader(terminal)
    service.subscribe(evening)
    server = ControlServer(ctx.paths.socket, Commands(service, runner.stop, describer(planner.catalogue)))
    for signum in (signal.SIGTERM, signal.SIGINT, getattr(signal, "SIGHUP", signal.SIGTERM)):
        signal.signal(signum, lambda *_: runner.stop())
    service.start()
    server.start()
    log.info("standup started (pid %d), log %s", os.getpid(), ctx.paths.database)
    desktop = None

    def ready(where: str) -> None:
        """The one start line, then prompts on the terminal (the one open since start first)."""
        now_status = service.status()
        terminal.started(now_status, settings.work_hours, where)
        service.subscribe(terminal)
        if now_status.open_prompt is not None:
            terminal.prompt_shown(now_status.open_prompt)

    try:
        if has_display():
            leave_out_tls()
            from standup.desktop.session import Desktop  # tray, notifications, natural breaks

            desktop = Desktop(service, runner, clock, settings, ctx.paths, quit_app=runner.stop, want_tray=not no_tray,
                              write_summary=ctx.open_summary, evening=evening, err=ctx.err,
                              figure_of=figure_lookup(planner.catalogue))
        if interactive:
            KeyReader(
                {"d": terminal.by_key(service.done), "s": terminal.by_key(service.snooze),
                 "k": terminal.by_key(service.skip), "b": terminal.by_key(service.take_break), "q": runner.stop},
                ctx.out,
            ).start()
        if desktop is None or desktop.run(on_ready=ready) is None:  # None: no tray here, carry on headless
            if desktop is None and not no_tray:
                ready(where_without_tray("no display"))
            elif no_tray:
                ready(IN_TERMINAL)
            runner.run()
    finally:
        if desktop is not None:
            desktop.close()
        server.close()
        lost = service.stop()
        if lost:
            ctx.err.write(f"standup: {len(lost)} writes could not be saved to {ctx.paths.database} and are lost: "
                          f"{'; '.join(lost)}\n")
        log.info("standup stopped")
    return 0


def leave_out_tls() -> None:
    """Keeps ssl (and libssl, libcrypto: about 0.8 MiB resident) out of the running app.

    asyncio imports ssl in case a loop serves TLS; the desktop's bus loop never does, and nothing
    else in `standup run` speaks TLS. Marking the module absent before asyncio first loads makes
    asyncio (and http.client, if anything ever imported it) take ssl as not installed. Only while
    neither is loaded yet, so a process that already has them keeps them."""
    if "asyncio" not in sys.modules and "ssl" not in sys.modules:
        sys.modules["ssl"] = None  # type: ignore[assignment]  # None in sys.modules: "import ssl" raises ImportError


def build_planner(routines_dir: Path | None, settings: Settings, tz: tzinfo | None,
                  warn: Callable[[str], None]) -> Planner:
    """The planner: the bundled catalogue plus the user's routine files, with the one seed, so a day
    that goes to plan suggests what `standup plan` showed. `warn` hears each routine file problem."""
    from standup.core.catalogue import load_catalogue  # loads when first needed: `done` and `status` never do
    from standup.core.planner import DEFAULT_SEED, Planner

    catalogue = load_catalogue(routines_dir)
    for warning in catalogue.warnings:
        warn(str(warning))
    return Planner(catalogue, settings, seed=DEFAULT_SEED, tz=tz)


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty() and threading.current_thread() is threading.main_thread()
    except ValueError:
        return False
