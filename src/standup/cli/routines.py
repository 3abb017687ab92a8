"""The `standup routines` and `standup plan` commands: the catalogue and the day's plan.

`--json` output is a stable contract, documented in docs/cli-routines.md.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TextIO

from standup.cli.context import Context, date_arg
from standup.core import policy
from standup.core.catalogue import BUNDLED, Catalogue, Routine, check_file, load_bundled, load_catalogue, parse_file
from standup.core.dose import dose_text
from standup.core.errors import ExitCode, UsageError
from standup.core.figures import figure_for
from standup.core.planner import DayPlan
from standup.core.poses import Figure
from standup.core.seeds import read_source


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `routines [--json]`, `routines show ID`, `routines check FILE` and `plan`."""
    routines = subparsers.add_parser("routines", help="the exercise catalogue: list, show ID, check FILE")
    routines.add_argument("--json", action="store_true", help="machine-readable output")
    routines.set_defaults(handler=list_routines)
    actions = routines.add_subparsers(dest="routines_action", metavar="ACTION", parser_class=type(routines))
    show = actions.add_parser("show", help="one routine with its numbered cues")
    show.add_argument("routine_id", metavar="ID")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.add_argument("--image", type=Path, metavar="FILE", help="also write the routine's figure to FILE (PNG)")
    show.add_argument("--size", type=_size_arg, default=400, metavar="PX", help="the figure's size in pixels (default 400)")
    show.set_defaults(handler=show_routine)
    check = actions.add_parser("check", help="validate a routines file")
    check.add_argument("file", type=Path, metavar="FILE")
    check.set_defaults(handler=check_routines)

    plan = subparsers.add_parser("plan", help="the day's expected prompts and what each will suggest")
    plan.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="default: today")
    plan.add_argument("--json", action="store_true", help="machine-readable output")
    plan.set_defaults(handler=show_plan)


def list_routines(args: argparse.Namespace, ctx: Context) -> int:
    catalogue = _catalogue(ctx)
    if args.json:
        ctx.print_json(
            {
                "routines": [_routine_json(routine) for routine in catalogue],
                "disabled": list(catalogue.disabled),
                "warnings": [str(problem) for problem in catalogue.warnings],
            }
        )
        return int(ExitCode.OK)
    width = max((len(routine.id) for routine in catalogue), default=0)
    ctx.out.write(f"{'ID':<{width}}  {'KIND':<8}  {'POSTURE':<8}  {'BASE DOSE':<18}  {'TIME':<6}  {'FLAGS':<11}  SOURCE\n")
    for routine in catalogue:
        flags = " ".join(flag for flag, on in (("squat", routine.squat), ("noisy", not routine.quiet)) if on)
        ctx.out.write(
            f"{routine.id:<{width}}  {routine.kind.value:<8}  {routine.posture.value:<8}  {_base_dose(routine):<18}  "
            f"{f'~{max(1, round(routine.minutes()))} min':<6}  {flags:<11}  {read_source(routine.source).short}\n"
        )
    users = sum(1 for routine in catalogue if routine.origin != BUNDLED)
    ctx.out.write(
        f"{len(catalogue)} routines ({len(catalogue) - users} bundled, {users} from {ctx.paths.routines_dir}"
        f"{f', {len(catalogue.disabled)} disabled' if catalogue.disabled else ''}). "
        "`standup routines show ID` shows the cues and the source.\n"
        f"{_BASE_NOTE}\n"
    )
    return int(ExitCode.OK)


def show_routine(args: argparse.Namespace, ctx: Context) -> int:
    catalogue = _catalogue(ctx)
    routine = catalogue.get(args.routine_id)
    if routine is None:
        raise UsageError(f"no routine {args.routine_id!r}; {_did_you_mean(args.routine_id, [r.id for r in catalogue])}")
    figure = figure_for(routine)
    if args.image is not None:
        _write_image(routine, figure, args.image, args.size)
    if args.json:
        ctx.print_json({**_routine_json(routine), "figure": figure.as_json() if figure else None})
        return int(ExitCode.OK)
    out = ctx.out
    out.write(f"{routine.name} ({routine.id})\n")
    out.write(f"  {routine.kind.value}, {routine.posture.value}, intensity {routine.intensity}, "
              f"{', '.join(routine.muscles)}\n")
    out.write(f"  base dose: {_base_dose(routine)}, about {max(1, round(routine.minutes()))} min")
    out.write(f"; equipment: {routine.equipment.value}{'; quiet' if routine.quiet else '; not quiet (jumps)'}\n")
    if routine.squat:
        out.write("  counts towards the daily squat goal\n")
    if routine.posture.value != "standing":
        never = "never at a desk break" if routine.posture.value == "floor" else "only with allow_seated = true"
        out.write(f"  {routine.posture.value}: suggested {never}\n")
    for number, cue in enumerate(routine.cues, start=1):
        key = "  ← the key move" if number == routine.key_cue and len(routine.cues) > 1 else ""
        out.write(f"  {number}. {cue}{key}\n")
    if routine.caution:
        out.write(f"  Caution: {routine.caution}\n")
    source = read_source(routine.source)
    out.write(f"  Source: \"{source.title}\"{f': {source.fact}' if source.fact else ''}\n")
    if source.seed is not None:
        out.write(f"          (seed file {source.file})\n")
    if routine.evidence:
        out.write(f"  Evidence: {routine.evidence}\n")
    out.write(f"  {_BASE_NOTE}\n")
    if routine.origin != BUNDLED:
        out.write(f"  From: {routine.origin}\n")
    if args.image is not None:
        out.write(f"  Figure: {args.image}\n")
    return int(ExitCode.OK)


def _write_image(routine: Routine, figure: Figure | None, path: Path, size: int) -> None:
    if figure is None:
        raise UsageError(f"routine {routine.id!r} has no figure to draw; give it a [routine.figure] table "
                         "(see `standup routines show bodyweight-squat --json`)")
    from standup.adapters.figure import png  # Pillow loads only for a picture

    data = png(figure, size)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write the figure ({exc.strerror}); choose another file") from None


def _routine_json(routine: Routine) -> dict[str, object]:
    """A routine's JSON with its source's title beside the source (an added field)."""
    return {**routine.as_json(), "source_title": read_source(routine.source).title}


def _did_you_mean(word: str, ids: list[str]) -> str:
    """'did you mean 'chair-squat', 'wall-squat' or 'sumo-squat'?' from close spellings and ids holding `word`."""
    import difflib

    hints = difflib.get_close_matches(word, ids, n=3, cutoff=0.6)
    hints += [i for i in ids if word and word.lower() in i.lower() and i not in hints]
    hints = hints[:3]
    if not hints:
        return "`standup routines` lists the ids"
    quoted = [repr(h) for h in hints]
    return f"did you mean {quoted[0] if len(quoted) == 1 else ', '.join(quoted[:-1]) + ' or ' + quoted[-1]}?"


def check_routines(args: argparse.Namespace, ctx: Context) -> int:
    path: Path = args.file
    problems = check_file(path)
    if problems:
        for problem in problems:
            ctx.err.write(f"standup: {problem}\n")
        ctx.err.write(f"standup: {path}: {len(problems)} problem(s); fix them and run `standup routines check {path}` "
                      "again\n")
        return int(ExitCode.CONFIG)
    parsed = parse_file(path)
    bundled = {routine.id for routine in load_bundled()}
    overrides = sum(1 for routine in parsed.routines if routine.id in bundled)
    ctx.out.write(
        f"{path}: OK — {len(parsed.routines) - overrides} new, {overrides} replacing bundled, "
        f"{len(parsed.disable)} disabled\n"
    )
    return int(ExitCode.OK)


def show_plan(args: argparse.Namespace, ctx: Context) -> int:
    settings = ctx.settings()
    tz = ctx.clock.tz
    day = args.date or policy.local_day(ctx.clock.now(), tz)
    from standup.app import build_planner  # the one the running app suggests with

    planner = build_planner(ctx.paths.routines_dir, settings, tz,
                            lambda problem: _warn(ctx, problem))
    store = ctx.open_store(readonly=True)
    try:
        history = store.prompts_between(planner.history_start(day), policy.day_bounds_utc(day, tz)[0])
    finally:
        store.close()
    plan = planner.plan_day(day, history)
    if args.json:
        ctx.print_json(plan.as_json())
    else:
        _print_plan(plan, ctx.out)
    return int(ExitCode.OK)


def _print_plan(plan: DayPlan, out: TextIO) -> None:
    out.write(f"Plan for {plan.day.strftime('%A')} {plan.day.isoformat()}")
    if not plan.slots:
        out.write(": no prompts (not a workday, or work hours shorter than the interval)\n")
        return
    out.write(f": {plan.squat_total} of {plan.squat_goal} squats ({plan.goal.reason})\n")
    for slot in plan.slots:
        out.write(f"  {slot.local_time}  {slot.suggestion.headline}\n")
    out.write("`standup routines show ID` shows a routine's cues.\n")


def _warn(ctx: Context, problem: str) -> None:
    ctx.err.write(f"warning: {problem} (skipped)\n")


def _catalogue(ctx: Context) -> Catalogue:
    catalogue = load_catalogue(ctx.paths.routines_dir)
    for problem in catalogue.warnings:
        _warn(ctx, str(problem))
    return catalogue


_BASE_NOTE = ("Base doses: a prompt adapts them to the squats left today, your level and the break length, "
              "and says why.")


def _base_dose(routine: Routine) -> str:
    return dose_text(routine.sets, routine.reps, routine.seconds, routine.per_side)


def _size_arg(text: str) -> int:
    try:
        size = int(text)
    except ValueError:
        size = 0
    if not 32 <= size <= 2000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size; give pixels from 32 to 2000, e.g. 400")
    return size
