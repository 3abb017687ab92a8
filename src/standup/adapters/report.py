"""The summary as one self-contained HTML page: figures, the day's timeline, the week's bars, the reps.

No network and no external files: styles inline, charts as inline SVG. Light and dark mode follow
`prefers-color-scheme`; `@media print` gives a clean black-on-white page. Every text is escaped.
Pure: takes the summaries, returns the page as a string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from html import escape

from standup.core.summary import (
    DayStatus,
    DaySummary,
    GoalStatus,
    HourSlot,
    HourState,
    PeriodSummary,
    filled_steps,
    format_minutes,
    goal_met_words,
    percent,
)
from standup.core.words import counted

STATE_LABELS = {
    HourState.MOVED: "moved",
    HourState.MISSED: "skipped or missed",
    HourState.SITTING: "sitting",
    HourState.PAUSED: "paused",
    HourState.UNOBSERVED: "app off or asleep",
    HourState.FUTURE: "still to come",
    HourState.OFF: "outside work hours",
}

_WORDS = re.compile(r"([^\W\d_]+)")

_CSS = """
:root { color-scheme: light dark;
  --bg: #f7f7f5; --card: #ffffff; --ink: #1d2125; --muted: #5f6b76; --line: #d9dde1;
  --moved: #1f9d55; --missed: #d9822b; --sitting: #c5ccd3; --paused: #8e7cc3; --unobserved: #eceff1;
  --future: transparent; --off: transparent; --accent: #1f6feb; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15181c; --card: #1f2328; --ink: #e8eaed; --muted: #9aa4ae; --line: #3a4149;
    --moved: #3fbf74; --missed: #f0a050; --sitting: #4a525b; --paused: #a898e0; --unobserved: #2a2f35;
    --accent: #58a6ff; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: var(--bg); color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1040px; margin: 0 auto; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.1rem; margin: 0 0 12px; }
.sub { color: var(--muted); margin: 0 0 20px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px;
  margin: 0 0 16px; break-inside: avoid; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(118px, 1fr)); gap: 12px; }
.figure { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.figure .value { white-space: nowrap; font-size: 1.4rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.figure .label { color: var(--muted); font-size: .85rem; }
.breakdown { color: var(--muted); margin: 10px 0 0; }
.figure .value .unit { font-size: .7em; font-weight: 500; color: var(--muted); }
.figure .detail { color: var(--muted); font-size: .8rem; }
.meter { height: 6px; margin-top: 6px; border-radius: 3px; background: var(--sitting); overflow: hidden; }
.meter span { display: block; height: 100%; background: var(--moved); }
svg { display: block; width: 100%; height: auto; }
svg text { fill: var(--ink); font: 12px system-ui, sans-serif; }
svg .muted { fill: var(--muted); }
.s-moved { fill: var(--moved); } .s-missed { fill: var(--missed); } .s-sitting { fill: var(--sitting); }
.s-paused { fill: var(--paused); } .s-unobserved { fill: var(--unobserved); }
.s-future, .s-off { fill: var(--off); stroke: var(--line); stroke-dasharray: 3 3; }
.workband { fill: none; stroke: var(--accent); stroke-width: 2; }
.bar-moved { fill: var(--moved); } .bar-not { fill: var(--missed); } .bar-open { fill: var(--sitting); }
.selected { fill: none; stroke: var(--accent); stroke-width: 2; }
.bar-coming { fill: none; stroke: var(--line); stroke-dasharray: 3 3; }
.goal { fill: var(--moved); }
.legend { display: flex; flex-wrap: wrap; gap: 14px; color: var(--muted); font-size: .85rem; margin-top: 8px; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 5px;
  vertical-align: -1px; }
.legend .s-moved { background: var(--moved); } .legend .s-missed { background: var(--missed); }
.legend .s-sitting { background: var(--sitting); } .legend .s-paused { background: var(--paused); }
.legend .s-unobserved { background: var(--unobserved); border: 1px solid var(--line); }
.legend .bar-open { background: var(--sitting); }
.legend .coming-key { border: 1px dashed var(--muted); }
.legend .goal-dot { background: var(--moved); border-radius: 50%; width: 8px; height: 8px; vertical-align: 1px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); }
td.n, th.n { text-align: right; }
img.fig { vertical-align: middle; margin-right: 10px; border-radius: 6px; }
.empty { color: var(--muted); }
footer { color: var(--muted); font-size: .8rem; }
@media print {
  :root { --bg: #fff; --card: #fff; --ink: #000; --muted: #333; --line: #999; --sitting: #ccc;
    --unobserved: #eee; }
  body { padding: 0; font-size: 11pt; }
  section { border: 1px solid #999; box-shadow: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def render_report(day: DaySummary, period: PeriodSummary, *, generated_at: datetime | None = None,
                  pictures: Mapping[str, str] | None = None) -> str:
    """The whole page for `day`, with bars for each day of `period` (its week or month).

    `pictures`: a data: URI of each routine's figure by routine id, for the exercise table.
    """
    title = f"standup — {day.date.strftime('%A')} {day.date.day} {day.date.strftime('%B %Y')}"
    generated = f" · made {generated_at.strftime('%Y-%m-%d %H:%M')}" if generated_at else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta name=\"color-scheme\" content=\"light dark\">",
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}</style></head>",
        f'<body><main data-date="{escape(day.date.isoformat())}">',
        f"<h1>{escape(title)}</h1>",
        f'<p class="sub">{escape(_subtitle(day))}{escape(generated)}</p>',
        _figures(day),
        _timeline_section(day),
        _period_section(period, day),
        _exercises_section(day, pictures or {}),
        "<footer><p>Compliance = (done + natural) ÷ prompts that ended (open prompts are left out). "
        "A stand hour is a work hour with at least one movement. A day meets the goal when at least 75 % of "
        "its ended prompts were taken as breaks, or when its squats reach the day's squat goal; "
        "\u201cgoal met\u201d names which.</p></footer>",
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"


def _subtitle(day: DaySummary) -> str:
    if day.status is DayStatus.COMING:
        return "Still to come"
    if not day.workday:
        return "A day off"
    return "So far today" if day.in_progress else "Work day"


def _figure(name: str, label: str, value: str, detail: str = "", extra_html: str = "") -> str:
    detail_html = f'<div class="detail">{escape(detail)}</div>' if detail else ""
    # words ("of", "days", "h", "min") smaller than the numbers, so "10 h 45 min" fits its tile
    value_html = "".join(f'<span class="unit">{escape(part)}</span>' if part.isalpha() else escape(part)
                         for part in _WORDS.split(value) if part)
    return (
        f'<div class="figure" data-figure="{escape(name)}"><div class="label">{escape(label)}</div>'
        f'<div class="value" id="fig-{escape(name)}">{value_html}</div>{detail_html}{extra_html}</div>'
    )


def _squat_meter(day: DaySummary) -> str:
    """The squats' share of the goal as a bar, full only when the goal is reached."""
    if not day.squat_goal:
        return ""
    share = filled_steps(day.squats_done, day.squat_goal, 100)
    return (f'<div class="meter" id="squat-meter" data-percent="{share}" role="img" '
            f'aria-label="{share} % of the squat goal"><span style="width: {share}%"></span></div>')


def _figures(day: DaySummary) -> str:
    compliance = percent(day.compliance)
    breaks_detail = (
        f"{day.done} done · {day.natural} natural · {day.skipped} skipped · {day.missed} missed"
        f"{f' · {day.paused} paused' if day.paused else ''}{f' · {day.open} open' if day.open else ''}"
        f" · {counted(day.snoozes, 'snooze')}"
    )
    squats_detail = f"goal {day.squat_goal}" if day.squat_goal else "no squat goal"
    sit_detail = ""
    if day.longest_sitting_from and day.longest_sitting_to and day.timeline:
        zone = day.timeline[0].start.tzinfo
        sit_detail = (
            f"{day.longest_sitting_from.astimezone(zone):%H:%M}–{day.longest_sitting_to.astimezone(zone):%H:%M}"
        )
    tiles = [
        _figure("breaks", "Breaks taken", f"{day.moved} of {day.ended}"),
        _figure("compliance", "Compliance", compliance),
        _figure("moved", "Minutes moved", str(day.moved_minutes),
                f"+ {day.self_breaks} of your own" if day.self_breaks else ""),
        _figure("stand-hours", "Stand hours", f"{day.stand_hours} of {day.work_hour_slots}"),
        _figure("longest-sit", "Longest sit", format_minutes(day.longest_sitting_minutes), sit_detail),
        _figure("squats", "Squats", str(day.squats_done), squats_detail, _squat_meter(day)),
        _figure("streak", "Streak", counted(day.streak_days, "day"),
                goal_met_words(day)),
    ]
    hidden = "".join(
        f'<data id="fig-{name}" value="{value}"></data>'
        for name, value in (("done", day.done), ("skipped", day.skipped), ("missed", day.missed),
                            ("natural", day.natural), ("paused", day.paused), ("prompts", day.prompts),
                            ("snoozes", day.snoozes))
    )
    return (f'<section aria-label="Figures"><div class="figures">{"".join(tiles)}</div>'
            f'<p class="breakdown" id="breakdown">{escape(breaks_detail)}</p>{hidden}</section>')


def _visible_slots(day: DaySummary) -> list[HourSlot]:
    """Work hours plus any hour outside them where something happened; the whole day if neither."""
    keep = [i for i, slot in enumerate(day.timeline) if slot.work or slot.state in (HourState.MOVED, HourState.MISSED)]
    if not keep:
        return list(day.timeline)
    return list(day.timeline[min(keep): max(keep) + 1])


def _timeline_section(day: DaySummary) -> str:
    slots = _visible_slots(day)
    width, gap, top, height = 960, 4, 8, 44
    cell = min(72.0, (width - 40) / max(1, len(slots)) - gap)
    left = (width - len(slots) * (cell + gap)) / 2
    shapes = []
    for index, slot in enumerate(slots):
        x = round(left + index * (cell + gap), 1)
        tooltip = f"{slot.label}:00 — {STATE_LABELS[slot.state]}"
        if slot.prompts:
            tooltip += f"; {counted(slot.prompts, 'prompt')}"
        shapes.append(
            f'<g class="hour" data-hour="{escape(slot.label)}" data-state="{slot.state.value}">'
            f"<title>{escape(tooltip)}</title>"
            f'<rect class="s-{slot.state.value}" x="{x}" y="{top}" width="{cell:.1f}" height="{height}" rx="5"/>'
            + (f'<rect class="workband" x="{x}" y="{top + height + 5}" width="{cell:.1f}" height="1"/>'
               if slot.work else "")
            + f'<text class="muted" x="{x + cell / 2:.1f}" y="{top + height + 22}" text-anchor="middle">'
            f"{escape(slot.label)}</text></g>"
        )
    legend = "".join(
        f'<span><i class="s-{state.value}"></i>{escape(STATE_LABELS[state])}</span>'
        for state in (HourState.MOVED, HourState.MISSED, HourState.SITTING, HourState.PAUSED, HourState.UNOBSERVED)
    )
    return (
        '<section id="timeline" aria-label="The day hour by hour"><h2>The day, hour by hour</h2>'
        f'<svg viewBox="0 0 {width} {top + height + 30}" role="img" aria-label="Timeline of the day">'
        f"{''.join(shapes)}</svg>"
        f'<div class="legend">{legend}<span>underline: work hours</span></div></section>'
    )


def _period_section(period: PeriodSummary, selected: DaySummary) -> str:
    days = period.days
    count = max(1, len(days))
    slot = 880 / count
    bar = min(56.0, slot * 0.62)
    chart_top, chart_height = 24, 180
    most = max([d.prompts + d.self_breaks for d in days] + [4])
    shapes = []
    for index, day in enumerate(days):
        center = 60 + index * slot + slot / 2
        x = center - bar / 2
        base = float(chart_top + chart_height)
        coming = day.status is DayStatus.COMING
        if coming:  # not begun: a dashed outline instead of bars, and no figures
            shapes.append(f'<rect class="bar-coming" x="{x:.1f}" y="{base - 24:.1f}" width="{bar:.1f}" height="24"/>')
            if count <= 7:
                shapes.append(f'<text class="muted" x="{center:.1f}" y="{base - 30:.1f}" text-anchor="middle">coming</text>')
        segments = () if coming else (("bar-moved", day.moved + day.self_breaks), ("bar-not", day.skipped + day.missed),
                                      ("bar-open", day.open))
        for css, value in segments:
            if value <= 0:
                continue
            h = chart_height * value / most
            base -= h
            shapes.append(f'<rect class="{css}" x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}"/>')
        label = day.date.strftime("%a")[:2] if count <= 7 else str(day.date.day)
        figure = f"{day.moved}/{day.ended}" if day.ended else ("+" + str(day.self_breaks) if day.self_breaks else "")
        if count <= 7 and figure:
            shapes.append(f'<text x="{center:.1f}" y="{base - 6:.1f}" text-anchor="middle">{escape(figure)}</text>')
        if day.goal is GoalStatus.MET:
            shapes.append(f'<circle class="goal" cx="{center:.1f}" cy="{chart_top + chart_height + 36:.1f}" r="4">'
                          f"<title>{escape(goal_met_words(day))}</title></circle>")
        if day.date == selected.date:
            shapes.append(f'<rect class="selected" x="{center - slot / 2 + 2:.1f}" y="{chart_top - 18}" '
                          f'width="{slot - 4:.1f}" height="{chart_height + 62}" rx="6"/>')
        tooltip = f"{day.date.isoformat()}: " + (
            "coming" if coming else f"{day.done} done, {day.natural} natural, {day.skipped} skipped, {day.missed} missed, "
            f"{counted(day.self_breaks, 'own break')}, {counted(day.squats_done, 'squat')}")
        shapes.append(
            f'<g class="day" data-date="{day.date.isoformat()}" data-status="{day.status.value}" data-done="{day.done}">'
            f'<title>{escape(tooltip)}</title>'
            f'<text class="muted" x="{center:.1f}" y="{chart_top + chart_height + 20}" text-anchor="middle">'
            f"{escape(label)}</text></g>"
        )
    axis = (f'<line x1="56" x2="{60 + count * slot:.0f}" y1="{chart_top + chart_height}" '
            f'y2="{chart_top + chart_height}" stroke="currentColor" stroke-opacity=".3"/>')
    heading = "This week" if period.kind == "week" else "This month"
    compliance = percent(period.compliance)
    ended = period.done + period.natural + period.skipped + period.missed
    so_far = f"So far, {len(period.counted_days)} of {counted(len(days), 'day')}: " if period.coming_days else ""
    summary = (f"{so_far}{period.done + period.natural} of {counted(ended, 'break')} taken · compliance {compliance} · "
               f"{counted(period.days_meeting_goal, 'day')} met the goal · streak {counted(selected.streak_days, 'day')}")
    legend = ('<div class="legend"><span><i class="s-moved"></i>moved (done, natural, your own)</span>'
              '<span><i class="s-missed"></i>skipped or missed</span><span><i class="bar-open"></i>open</span>'
              '<span><i class="goal-dot"></i>goal met (breaks or squats)</span>'
              + ('<span><i class="coming-key"></i>coming</span>' if period.coming_days else "") + "</div>")
    return (
        f'<section id="period" data-period="{escape(period.kind)}" aria-label="{escape(heading)}">'
        f"<h2>{escape(heading)} · {period.first_day:%d %b} – {period.last_day:%d %b %Y}</h2>"
        f'<p class="sub" id="period-summary">{escape(summary)}</p>'
        f'<svg viewBox="0 0 960 {chart_top + chart_height + 48}" role="img" aria-label="Breaks per day">'
        f"{axis}{''.join(shapes)}</svg>{legend}</section>"
    )


def _picture(uri: str | None, name: str) -> str:
    if not uri or not uri.startswith("data:image/png;base64,"):
        return ""
    return f'<img class="fig" src="{escape(uri)}" width="48" height="48" alt="{escape(name)}: how it is done">'


def _exercises_section(day: DaySummary, pictures: Mapping[str, str]) -> str:
    if not day.exercises:
        body = '<p class="empty">No exercises recorded for this day.</p>'
    else:
        rows = "".join(
            f'<tr data-routine="{escape(e.routine)}"><td>{_picture(pictures.get(e.routine), e.name)}{escape(e.name)}</td>'
            f'<td class="n">{e.breaks}</td>'
            f'<td class="n">{e.sets}</td><td class="n">{e.reps or "–"}</td>'
            f'<td class="n">{format_seconds(e.seconds) if e.seconds else "–"}</td></tr>'
            for e in day.exercises
        )
        body = (
            '<table><thead><tr><th>Exercise</th><th class="n">Breaks</th><th class="n">Sets</th>'
            f'<th class="n">Reps</th><th class="n">Time</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    squats = (f"{day.squats_done} of {counted(day.squat_goal, 'squat')}" if day.squat_goal
              else counted(day.squats_done, "squat"))
    return (f'<section id="exercises" aria-label="Reps and sets"><h2>Reps and sets</h2>'
            f'<p class="sub" id="squats-line">{escape(squats)}</p>{body}</section>')


def format_seconds(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if minutes and rest else (f"{minutes} min" if minutes else f"{rest} s")
