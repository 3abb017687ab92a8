"""The exception tree and the exit codes the CLI maps them to."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Documented exit codes of the `standup` command (see README)."""

    OK = 0
    ERROR = 1  # anything not listed below
    USAGE = 2  # bad command-line arguments
    CONFIG = 3  # config.toml or a routines file is invalid
    NOT_RUNNING = 4  # the command needs a running `standup run`, and none is
    ALREADY_RUNNING = 5  # `standup run` while another instance runs
    STORE = 6  # the log database cannot be opened, read or written
    NOTHING_TO_ANSWER = 7  # snooze/skip with no open prompt
    BUSY = 8  # standup runs but did not take the command in time (every connection busy, or stuck)


class StandupError(Exception):
    """Base of every error standup reports as one line."""

    exit_code = ExitCode.ERROR


class ConfigError(StandupError):
    """config.toml is unreadable, unparsable or holds a wrong key or value."""

    exit_code = ExitCode.CONFIG


class CatalogueError(StandupError):
    """A routines file is unreadable or holds an invalid routine."""

    exit_code = ExitCode.CONFIG


class StoreError(StandupError):
    """The log database cannot be opened, migrated, read or written."""

    exit_code = ExitCode.STORE


class NotRunningError(StandupError):
    """No running instance answers on the control socket."""

    exit_code = ExitCode.NOT_RUNNING


class BusyError(StandupError):
    """A running instance holds the lock but did not take the command in time."""

    exit_code = ExitCode.BUSY


class AlreadyRunningError(StandupError):
    """Another instance already holds the single-instance lock."""

    exit_code = ExitCode.ALREADY_RUNNING


class NothingToAnswerError(StandupError):
    """An answer (snooze, skip) arrived while no prompt is open."""

    exit_code = ExitCode.NOTHING_TO_ANSWER


class UsageError(StandupError):
    """A command-line argument is malformed."""

    exit_code = ExitCode.USAGE
