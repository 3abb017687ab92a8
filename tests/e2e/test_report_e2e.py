"""The HTML report as a user opens it: `standup summary --out` over days of real history, in Chromium.

Four days of use are written into a STANDUP_HOME by the real service on a fake clock
(tests/e2e/history.py), the installed `standup` writes the report of yesterday — a whole day, with
breaks done, snoozed, skipped, missed, taken by walking away, one of the user's own, and a lunch
pause — and headless Chromium renders it: test-artifacts/e2e/report.png, for review.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from PIL import Image

from tests.e2e.desktop import ARTIFACTS, STANDUP
from tests.e2e.history import fixed_zone, write_history
from tests.processes import noon_tz
from tests.test_report import CHROMIUM, parse, run_chromium

WIDTH, HEIGHT = 1200, 1500  # the page is about 1300 px tall at this width


def standup(home: Path, zone: str, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(STANDUP_HOME=str(home), TZ=zone)
    return subprocess.run([str(STANDUP), *argv], env=env, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, check=False)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (scripts/setup.sh test)")
def test_the_report_of_a_real_day_is_legible_in_chromium(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    zone = noon_tz()  # local time is near noon: today's morning is over, its afternoon to come
    tz = fixed_zone(zone)
    today = datetime.now(tz).date()
    yesterday = today - timedelta(days=1)
    answered = write_history(home, tz, today, days=4, until=time(11, 50))[yesterday]

    page = tmp_path / "report.html"
    wrote = standup(home, zone, "summary", "--yesterday", "--out", str(page))
    assert wrote.returncode == 0, wrote.stderr
    assert wrote.stdout == f"Wrote the report: {page}\n"

    dumped = run_chromium(tmp_path / "profile-dom", "--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = parse(dumped.stdout)
    outcomes = {name: dom.by_id[f"fig-{name}"][0]["value"] for name in ("done", "skipped", "missed", "natural")}
    assert outcomes == {name: str(answered[name]) for name in ("done", "skipped", "missed", "natural")}
    assert answered["done"] and answered["skipped"] and answered["missed"] and answered["natural"]
    assert answered["self_breaks"] == 1
    days = {d["data-date"]: d for d in dom.attrs("g", **{"class": "day"})}
    assert days[yesterday.isoformat()]["data-done"] == str(answered["done"])
    hours = {a["data-hour"]: a["data-state"] for a in dom.attrs("g", **{"class": "hour"})}
    assert {"moved", "missed", "paused"} <= set(hours.values()), hours
    assert dom.attrs("tr"), "no exercise rows"

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    done = run_chromium(tmp_path / "profile-shot", f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}",
                        page.as_uri())
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    with Image.open(shot) as image:
        assert image.size == (WIDTH, HEIGHT)
        rgb = image.convert("RGB")
        # dark text on the light page: enough ink to be words, not a blank or a broken page
        colours = rgb.getcolors(maxcolors=1 << 24) or []
        ink = sum(count for count, (r, g, b) in colours if r + g + b < 200)
        assert ink > 5000, ink
        greens = sum(count for count, (r, g, b) in colours if g > 130 and r < 80 and b < 120)
        assert greens > 2000, "the 'moved' green of the timeline and the bars is not drawn"
