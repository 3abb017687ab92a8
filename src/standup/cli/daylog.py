"""`standup log`: one day's prompts and how each ended, with the natural breaks and breaks of one's own
between them, in time order (text), or as the `standup log --json` contract (README)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from standup.cli.context import Context
from standup.core import policy
from standup.core.breaks import NATURAL, Break, breaks_in, length_text
from standup.core.errors import ExitCode
from standup.core.model import EventKind, PromptRecord, Suggestion, utc_text
from standup.core.words import counted

LATE_ANSWERS = timedelta(hours=12)  # a prompt of the day may be answered after midnight


def show_log(day: date | None, as_json: bool, ctx: Context) -> int:
    day = day or policy.local_day(ctx.clock.now(), ctx.clock.tz)
    start, end = policy.day_bounds_utc(day, ctx.clock.tz)
    break_minutes = ctx.settings().break_minutes
    store = ctx.open_store(readonly=True)
    try:
        prompts = store.prompts_between(start, end)
        events = store.events_between(start, end)
        counted = {e.prompt_id: e.data.get("sets_completed") for e in store.events_between(start, end + LATE_ANSWERS)
                   if e.kind is EventKind.DONE and "sets_completed" in e.data}
    finally:
        store.close()
    shown = {e.prompt_id: Suggestion.from_json(e.data.get("suggestion")) for e in events if e.kind is EventKind.PROMPTED}
    rows = [_prompt_row(p, shown.get(p.id), counted.get(p.id)) for p in prompts]
    breaks = breaks_in(events, break_minutes)
    if as_json:
        ctx.print_json({"date": day.isoformat(), "prompts": rows, "breaks": [b.as_json() for b in breaks]})
        return int(ExitCode.OK)
    if not rows and not breaks:
        ctx.out.write(f"{day.isoformat()}: no prompts\n")
    # prompts and breaks by their start; a prompt before a break of the same instant
    lines = [(p.prompted_at, 0, _prompt_line(row, ctx)) for p, row in zip(prompts, rows)]
    lines += [(b.start, 1, _break_line(b, ctx)) for b in breaks]
    for _, _, line in sorted(lines, key=lambda item: (item[0], item[1])):
        ctx.out.write(line.rstrip() + "\n")
    return int(ExitCode.OK)


def _prompt_row(p: PromptRecord, s: Suggestion | None, sets_completed: object) -> dict[str, Any]:
    return {"id": p.id, "prompted_at": utc_text(p.prompted_at), "outcome": p.outcome.value if p.outcome else None,
            "snoozes": p.snoozes, "routine": p.routine,
            # the dose as the prompt showed it, from what the log stored when it opened
            "dose": s.dose if s else None, "why": s.why if s else None,
            "answered_at": utc_text(p.answered_at) if p.answered_at else None,
            "sets": p.sets, "sets_completed": sets_completed}


def _prompt_line(row: dict[str, Any], ctx: Context) -> str:
    answered = f" at {_local(ctx, row['answered_at'])}" if row["answered_at"] else ""
    snoozes = f", snoozed {row['snoozes']}×" if row["snoozes"] else ""
    sets = f" ({row['sets_completed']} of {counted(row['sets'], 'set')})" if row["sets_completed"] is not None else ""
    return (f"{_local(ctx, row['prompted_at'])}  #{row['id']:<4} {row['outcome'] or 'open':8}"
            f"{answered}{sets}{snoozes}  {row['routine'] or ''} {row['dose'] or ''}")


def _break_line(b: Break, ctx: Context) -> str:
    """'10:02  break natural  10:02:00–10:04:45, away 2 min 45 s (answered #1)' or
    '14:30  break own      logged 14:30:10, counted as 5 min'."""
    if b.kind == NATURAL:
        assert b.end is not None
        answered = f" (answered #{b.prompt_id})" if b.prompt_id is not None else ""
        return (f"{_local_time(ctx, b.start)}  break natural  {_local_time(ctx, b.start, '%H:%M:%S')}–"
                f"{_local_time(ctx, b.end, '%H:%M:%S')}, away {length_text(b.seconds)}{answered}")
    offline = " (written while standup was not running)" if b.offline else ""
    return (f"{_local_time(ctx, b.start)}  break own      logged {_local_time(ctx, b.start, '%H:%M:%S')}, "
            f"counted as {length_text(b.seconds)}{offline}")


def _local(ctx: Context, iso_text: str) -> str:
    from standup.core.model import parse_utc

    return _local_time(ctx, parse_utc(iso_text))


def _local_time(ctx: Context, instant: datetime, pattern: str = "%H:%M") -> str:
    return policy.to_local(instant, ctx.clock.tz).strftime(pattern)
