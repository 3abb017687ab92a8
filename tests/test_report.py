"""The HTML report: self-contained, escaped, and rendered by a real headless Chromium.

The Chromium test saves screenshots (light and dark) under test-artifacts/ and checks the DOM
Chromium produced for the day's figures, the timeline and the week's bars.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from standup.core.model import Outcome
from standup.adapters.report import render_report
from standup.core.settings import Settings
from standup.core.summary import summarize_day, summarize_period
from tests.test_summary import BERLIN, DAY, Log, at, scripted_day, scripted_week

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def week_with_scripted_tuesday() -> Log:
    """The scripted week, with its Tuesday (17 November) replaced by the scripted day."""
    week, day = scripted_week(), scripted_day()
    tuesday = lambda instant: instant.astimezone(BERLIN).date() == DAY  # noqa: E731
    return Log(
        [p for p in week.prompts if not tuesday(p.prompted_at)] + day.prompts,
        [e for e in week.events if not tuesday(e.at)] + day.events,
    )


def report_page(**changes: object) -> str:
    log = week_with_scripted_tuesday()
    settings = Settings()
    day = summarize_day(DAY, log.prompts, log.events, settings, BERLIN, streak_days=3)
    week = summarize_period("week", DAY, log.prompts, log.events, settings, BERLIN)
    return render_report(day, week, **changes)


class Elements(HTMLParser):
    """Collects every element's attributes and its direct text, by id and by tag."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, tuple[dict[str, str], str]] = {}
        self.all: list[tuple[str, dict[str, str]]] = []
        self._stack: list[tuple[str, dict[str, str], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.all.append((tag, attributes))
        if tag in ("rect", "circle", "line", "meta", "data", "i", "br"):
            if "id" in attributes:
                self.by_id[attributes["id"]] = (attributes, "")
            return
        self._stack.append((tag, attributes, []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.all.append((tag, attributes))
        if "id" in attributes:
            self.by_id[attributes["id"]] = (attributes, "")

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            open_tag, attributes, text = self._stack.pop()
            if "id" in attributes:
                self.by_id[attributes["id"]] = (attributes, "".join(text))
            if self._stack:
                self._stack[-1][2].extend(text)
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._stack:
            self._stack[-1][2].append(data)

    def text(self, element_id: str) -> str:
        return self.by_id[element_id][1].strip()

    def attrs(self, tag: str, **match: str) -> list[dict[str, str]]:
        return [a for t, a in self.all if t == tag and all(a.get(k) == v for k, v in match.items())]


def parse(page: str) -> Elements:
    elements = Elements()
    elements.feed(page)
    return elements


def check_day_figures(dom: Elements) -> None:
    """The scripted Tuesday: 4 of 6 breaks, 5 of 9 stand hours, 2 h 5 min, 72 squats, 3-day streak."""
    assert dom.text("fig-breaks") == "4 of 6"
    assert dom.text("fig-compliance") == "67 %"
    assert dom.text("fig-moved") == "70"
    assert dom.text("fig-stand-hours") == "5 of 9"
    assert dom.text("fig-longest-sit") == "2 h 5 min"
    assert dom.text("fig-squats") == "72"
    assert dom.text("fig-streak") == "3 days"
    values = {name: dom.by_id[f"fig-{name}"][0]["value"] for name in ("done", "skipped", "missed", "natural")}
    assert values == {"done": "3", "skipped": "1", "missed": "1", "natural": "1"}
    hours = {a["data-hour"]: a["data-state"] for a in dom.attrs("g", **{"class": "hour"})}
    assert [hours[f"{h:02d}"] for h in range(9, 18)] == [
        "sitting", "moved", "moved", "missed", "moved", "missed", "moved", "sitting", "moved",
    ]
    days = dom.attrs("g", **{"class": "day"})
    assert [d["data-date"] for d in days] == [(date(2026, 11, 16) + timedelta(days=n)).isoformat() for n in range(7)]
    assert [d["data-done"] for d in days] == ["4", "3", "3", "0", "2", "0", "0"]
    assert len(dom.attrs("rect", **{"class": "bar-moved"})) == 5  # Mon, Tue, Wed, Fri and Saturday's own break
    assert {a["data-routine"] for a in dom.attrs("tr") if "data-routine" in a} == {"chair-squats", "calf-raises"}
    assert "72 of 100 squats" in dom.text("squats-line")


def test_page_holds_the_figures():
    check_day_figures(parse(report_page()))


def test_page_is_self_contained_with_dark_and_print_styles():
    page = report_page()
    assert "prefers-color-scheme: dark" in page
    assert "@media print" in page
    assert not re.search(r"\b(src|href)\s*=", page)
    assert "http://" not in page and "https://" not in page
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert "<svg" in page


def test_all_text_is_escaped():
    log = Log()
    log.prompt(at(DAY, "10:00"), Outcome.DONE, at(DAY, "10:05"), routine='<script>alert("x")</script>&', sets=1,
               reps=5)
    day = summarize_day(DAY, log.prompts, log.events, Settings(), BERLIN)
    week = summarize_period("week", DAY, log.prompts, log.events, Settings(), BERLIN)
    page = render_report(day, week)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in page


def test_empty_day_renders():
    day = summarize_day(DAY, [], [], Settings(), BERLIN)
    week = summarize_period("week", DAY, [], [], Settings(), BERLIN)
    dom = parse(render_report(day, week))
    assert dom.text("fig-breaks") == "0 of 0"
    assert dom.text("fig-compliance") == "–"
    assert "No exercises" in render_report(day, week)


def run_chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
        "--hide-scrollbars", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (scripts/setup.sh test)")
def test_report_in_headless_chromium(tmp_path: Path):
    page = tmp_path / "summary.html"
    page.write_text(report_page(), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)

    dumped = run_chromium(tmp_path / "profile-dom", "--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    assert "<svg" in dumped.stdout
    check_day_figures(parse(dumped.stdout))

    screenshots = {}
    for scheme, extra in (("light", ()), ("dark", ("--force-dark-mode", "--blink-settings=preferredColorScheme=0"))):
        shot = ARTIFACTS / f"summary-report-{scheme}.png"
        shot.unlink(missing_ok=True)
        done = run_chromium(tmp_path / f"profile-{scheme}", f"--screenshot={shot}", "--window-size=1200,1600",
                            *extra, page.as_uri())
        assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
        screenshots[scheme] = shot

    from PIL import Image  # Pillow is a runtime dependency (tray icons)

    with Image.open(screenshots["light"]) as light, Image.open(screenshots["dark"]) as dark:
        assert light.size == (1200, 1600)
        light_rgb, dark_rgb = light.convert("RGB"), dark.convert("RGB")
        # the page background follows the colour scheme
        assert sum(light_rgb.getpixel((5, 5))) > 600
        assert sum(dark_rgb.getpixel((5, 5))) < 150
        # the "moved" green of the timeline and the week's bars is drawn
        colours = light_rgb.getcolors(maxcolors=1 << 24) or []
        greens = sum(count for count, (r, g, b) in colours if g > 130 and r < 80 and b < 120)
        assert greens > 2000


@pytest.mark.skipif(shutil.which("chromium") is None and not CHROMIUM.exists(), reason="no chromium")
def test_print_preview_pdf(tmp_path: Path):
    """Printing works: Chromium's print-to-PDF of the report gives a non-trivial PDF."""
    page = tmp_path / "summary.html"
    page.write_text(report_page(), encoding="utf-8")
    pdf = ARTIFACTS / "summary-report.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf.unlink(missing_ok=True)
    done = run_chromium(tmp_path / "profile-pdf", f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5000


def test_counts_at_one_and_a_squat_bar_short_of_the_goal():
    log = Log()
    log.prompt(at(DAY, "10:00"), Outcome.DONE, at(DAY, "10:05"), snoozes=1, routine="chair-squats", sets=1, reps=96,
               squats=96)
    day = summarize_day(DAY, log.prompts, log.events, Settings(), BERLIN, streak_days=1)
    week = summarize_period("week", DAY, log.prompts, log.events, Settings(), BERLIN, streak_days=1)
    dom = parse(render_report(day, week))
    assert dom.by_id["squat-meter"][0]["data-percent"] == "96"
    assert dom.text("fig-streak") == "1 day"
    assert dom.text("breakdown").endswith("· 1 snooze")
    assert dom.text("period-summary").startswith("1 of 1 break taken · compliance 100 % · 1 day met the goal · streak 1 day")
    assert dom.text("squats-line") == "96 of 100 squats"
    hundred = summarize_day(DAY, log.prompts, log.events, Settings(), BERLIN, squat_goal=96)
    assert parse(render_report(hundred, week)).by_id["squat-meter"][0]["data-percent"] == "100"


def test_a_week_in_progress_shows_the_days_to_come_as_coming():
    from tests.test_summary import TUESDAY, log_until

    now = at(TUESDAY, "20:00")
    log = log_until(scripted_week(), now)
    day = summarize_day(TUESDAY, log.prompts, log.events, Settings(), BERLIN, now=now)
    week = summarize_period("week", TUESDAY, log.prompts, log.events, Settings(), BERLIN, now=now)
    page = render_report(day, week)
    dom = parse(page)
    days = dom.attrs("g", **{"class": "day"})
    assert [d["data-status"] for d in days] == ["past", "today"] + ["coming"] * 5
    assert len(dom.attrs("rect", **{"class": "bar-coming"})) == 5
    assert len(dom.attrs("rect", **{"class": "bar-moved"})) == 2
    assert dom.text("period-summary").startswith("So far, 2 of 7 days: 6 of 8 breaks taken · compliance 75 %")
    tomorrow = summarize_day(TUESDAY + timedelta(days=1), log.prompts, log.events, Settings(), BERLIN, now=now)
    assert "Still to come" in render_report(tomorrow, week)


def test_goal_met_names_the_goal_in_the_tile_and_the_bars():
    log = scripted_week()
    settings = Settings()
    monday = summarize_day(date(2026, 11, 16), log.prompts, log.events, settings, BERLIN, streak_days=1)
    week = summarize_period("week", monday.date, log.prompts, log.events, settings, BERLIN)
    page = render_report(monday, week)
    streak = re.search(r'id="fig-streak">.*?</div><div class="detail">([^<]*)<', page)
    assert streak is not None and streak.group(1) == "goal met: 4 of 4 breaks (100 %) and 100 squats"
    assert re.findall(r'<circle class="goal"[^>]*><title>([^<]*)</title>', page) == [
        "goal met: 4 of 4 breaks (100 %) and 100 squats", "goal met: 3 of 4 breaks (75 %)", "goal met: 100 squats"]
    assert "goal met (breaks or squats)" in page
    tuesday = summarize_day(date(2026, 11, 17), log.prompts, log.events, settings, BERLIN)
    assert re.search(r'id="fig-streak">0 <span class="unit">days</span></div></div>', render_report(tuesday, week))  # nothing met, nothing said
