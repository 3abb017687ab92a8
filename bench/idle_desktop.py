"""Idle footprint of `standup run` on a real desktop, side by side with a bare pystray + schedule floor.

usage: bench/idle_desktop.py [--seconds N] [--active] [--out FILE]   (default 600 s)

Starts one private desktop (Xvfb, a session bus, dunst, trayer; the e2e suite's harness), then on it
the floors (bench/floor_tray.py on the AppIndicator backend standup uses, and on the plain X backend
for scale) and `standup run` with its tray, notifier and idle detector, in a fresh STANDUP_HOME with
a 60-minute interval and all-day work hours (so it is waiting for its next prompt, not off hours).
Each start is timed until its icon is docked in the tray. After a settle, all of them are sampled at
the same moments over the same SECONDS (procstats: CPU, context switches over all threads, threads,
RSS and PSS, each summed over the process and its children). Prints a Markdown table with the ratios.
Nobody touches the keyboard unless --active: then the pointer moves every 30 s, so standup sees a
user at the desk (sitting, its ring moving) instead of one away after break_minutes.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH)]

from procstats import CONFIG, SETTLE_S, WARM_UP_GTK, Subject, measure, publish, runner_wakeups, table  # noqa: E402
from tests.e2e.desktop import STANDUP, Desktop, wait_for  # noqa: E402


def launch(desktop: Desktop, name: str, argv: list[str], env: dict[str, str]) -> Subject:
    before = len(desktop.tray_icons())
    started = time.monotonic()
    proc = desktop.spawn(name, argv, env=env)
    wait_for(f"{name}'s icon in the tray", lambda: len(desktop.tray_icons()) > before, timeout=60, interval=0.02)
    return Subject(name, proc, time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--active", action="store_true", help="move the pointer every 30 s (a user at the desk)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="standup-idle-desktop-"))
    desktop = Desktop(work / "desktop").start()
    home = work / "home"
    home.mkdir()
    (home / "config.toml").write_text(CONFIG)
    indicator = dict(desktop.env, PYSTRAY_BACKEND="appindicator")
    subjects: list[Subject] = []
    try:
        subprocess.run([sys.executable, "-c", WARM_UP_GTK], env=desktop.env, check=True, timeout=60)
        subjects.append(launch(desktop, "floor (appindicator)", [sys.executable, str(BENCH / "floor_tray.py")], indicator))
        subjects.append(launch(desktop, "floor (xorg)", [sys.executable, str(BENCH / "floor_tray.py")],
                               dict(desktop.env, PYSTRAY_BACKEND="xorg")))
        app = launch(desktop, "standup run", [str(STANDUP), "run"], dict(indicator, STANDUP_HOME=str(home)))
        subjects.append(app)
        clock_sets = measure(subjects, args.seconds, desktop.touch if args.active else None)
        status = subprocess.run([str(STANDUP), "status"], env=dict(indicator, STANDUP_HOME=str(home)),
                                capture_output=True, text=True).stdout.strip()
        subprocess.run([str(STANDUP), "quit"], env=dict(indicator, STANDUP_HOME=str(home)), capture_output=True)
        app.proc.wait(15)
    finally:
        desktop.stop()
    log_text = (home / "standup.log").read_text(errors="replace")
    backend = re.search(r"tray icon shown \(pystray backend (\w+)\)", log_text)
    lines = [
        f"Idle on one Xvfb desktop (dunst, trayer, private session bus), "
        f"{'the pointer moved every 30 s' if args.active else 'no input'}, {args.seconds:.0f} s sampled after a "
        f"{SETTLE_S:.0f} s settle, all at the same moments; standup's pystray backend: "
        f"{backend.group(1) if backend else '?'}.",
        "",
        table(subjects, args.seconds),
        "",
        f"standup's runner woke {runner_wakeups(log_text)} times in all; {clock_sets.describe()}; its status at the "
        f"end: {status.splitlines()[0] if status else '?'}",
    ]
    publish(lines, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
