"""Idle footprint of `standup run` with its StatusNotifierItem tray against the AppIndicator floor, on xfce4-panel.

usage: bench/idle_sni.py [--seconds N] [--active] [--starts N] [--out FILE]   (default 300 s, 3 starts)

One private desktop (Xvfb, a session bus, dunst) with xfce4-panel as the StatusNotifierItem host
(no trayer), the e2e suite's harness. On it: the floor (bench/floor_tray.py, a bare pystray +
schedule icon on pystray's AppIndicator backend, which registers its item with the same panel) and
`standup run` (its own D-Bus tray, no GTK), in a fresh STANDUP_HOME with a 60-minute interval and
all-day work hours. Each start is timed until its item is registered with the panel's watcher;
each is started STARTS times (quit in between, the last start is the one measured) and the median
is reported. After a settle, both are sampled at the same moments over SECONDS (procstats: CPU,
context switches over all threads, threads, RSS, PSS). Nobody touches the keyboard unless
--active: then the pointer moves every 30 s, a user at the desk (standup never counts them away).
Without --active standup has a 1-minute break and the sampling starts once it counts the user
away, so the whole window is "nobody at the keyboard"; after it, the pointer moves once and the
time until `standup status` says the user is back is reported. Prints a Markdown table with the
ratio to the floor.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH)]

from procstats import CONFIG, SETTLE_S, WARM_UP_GTK, Subject, measure, publish, runner_wakeups, table  # noqa: E402
from tests.e2e.desktop import STANDUP, Desktop, wait_for  # noqa: E402
from tests.e2e.panels import SniProbe, start_xfce4_panel  # noqa: E402


def launch(desktop: Desktop, probe: SniProbe, name: str, argv: list[str], env: dict[str, str],
           starts: int, stop: Callable[[subprocess.Popen[bytes]], object]) -> tuple[Subject, list[float]]:
    """Starts `argv` `starts` times, each until its item is registered; all but the last are stopped."""
    times = []
    for attempt in range(starts):
        started = time.monotonic()
        proc = desktop.spawn(name, argv, env=env)
        wait_for(f"{name}'s item registered with the panel", lambda: probe.item_of(proc.pid), 60, 0.02)
        times.append(time.monotonic() - started)
        if attempt < starts - 1:
            stop(proc)
            proc.wait(15)
            wait_for(f"{name}'s item gone", lambda: probe.item_of(proc.pid) is None, 15, 0.05)
    return Subject(name, proc, statistics.median(times)), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--active", action="store_true", help="move the pointer every 30 s (a user at the desk)")
    parser.add_argument("--starts", type=int, default=3, help="starts timed per process (median reported)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="standup-idle-sni-"))
    desktop = Desktop(work / "desktop", tray="").start()
    home = work / "home"
    home.mkdir()
    (home / "config.toml").write_text(CONFIG + ("" if args.active else "break_minutes = 1\n"))
    env = dict(desktop.env, PYSTRAY_BACKEND="", STANDUP_HOME=str(home))
    probe = None
    try:
        start_xfce4_panel(desktop)
        probe = SniProbe(desktop.env["DBUS_SESSION_BUS_ADDRESS"])
        subprocess.run([sys.executable, "-c", WARM_UP_GTK], env=desktop.env, check=True, timeout=60)
        floor, floor_times = launch(desktop, probe, "floor (appindicator)", [sys.executable, str(BENCH / "floor_tray.py")],
                                    dict(desktop.env, PYSTRAY_BACKEND="appindicator"), args.starts,
                                    lambda proc: proc.terminate())
        app, app_times = launch(desktop, probe, "standup run (sni)", [str(STANDUP), "run"], env, args.starts,
                                lambda proc: subprocess.run([str(STANDUP), "quit"], env=env, capture_output=True))
        subjects = [floor, app]

        def away() -> bool:
            status = subprocess.run([str(STANDUP), "status", "--json"], env=env, capture_output=True, text=True)
            return bool(json.loads(status.stdout or "{}").get("away"))

        if not args.active:
            wait_for("standup to count the user away", away, 150, 1)
        clock_sets = measure(subjects, args.seconds, desktop.touch if args.active else None)
        returned = ""
        if not args.active:
            still_away = away()
            touched = time.monotonic()
            desktop.touch()
            wait_for("standup to see the user back", lambda: not away(), 400, 0.05)
            returned = (f"; away all through the window: {'yes' if still_away else 'NO'}; after it the pointer moved "
                        f"and standup counted the user back {time.monotonic() - touched:.2f} s later")
        gtk = "libgtk-3" in Path(f"/proc/{app.proc.pid}/maps").read_text()
        status = subprocess.run([str(STANDUP), "status"], env=env, capture_output=True, text=True).stdout.strip()
        subprocess.run([str(STANDUP), "quit"], env=env, capture_output=True)
        app.proc.wait(15)
    finally:
        if probe is not None:
            probe.close()
        desktop.stop()
    log_text = (home / "standup.log").read_text(errors="replace")
    status_lines = status.splitlines()
    lines = [
        f"Idle on one Xvfb desktop with xfce4-panel as the StatusNotifierItem host (dunst, private session bus), "
        f"{'the pointer moved every 30 s' if args.active else 'no input'}, {args.seconds:.0f} s sampled after a "
        f"{SETTLE_S:.0f} s settle, both at the same moments; libgtk-3 in standup's process: {'yes' if gtk else 'no'}; "
        f"start to icon: the median of {args.starts} starts "
        f"(floor {', '.join(f'{t:.2f}' for t in floor_times)} s; standup {', '.join(f'{t:.2f}' for t in app_times)} s).",
        "",
        table(subjects, args.seconds),
        "",
        f"standup's runner woke {runner_wakeups(log_text)} times in its last run; {clock_sets.describe()}; "
        f"its status at the end: {' / '.join(status_lines[:1] + [line for line in status_lines if line.startswith('tray')])}"
        f"{returned}",
    ]
    publish(lines, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
