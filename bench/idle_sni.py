"""Idle footprint of `standup run` with its StatusNotifierItem tray against the AppIndicator floor, on xfce4-panel.

usage: bench/idle_sni.py [--seconds N] [--out FILE]   (default 300 s)

One private desktop (Xvfb, a session bus, dunst) with xfce4-panel as the StatusNotifierItem host
(no trayer), the e2e suite's harness. On it: the floor (bench/floor_tray.py, a bare pystray +
schedule icon on pystray's AppIndicator backend, which registers its item with the same panel) and
`standup run` (its own D-Bus tray, no GTK), in a fresh STANDUP_HOME with a 60-minute interval and
all-day work hours. Each start is timed until its item is registered with the panel's watcher.
After a settle, both are sampled at the same moments over SECONDS (procstats: CPU, context
switches over all threads, threads, RSS, PSS). Prints a Markdown table with the ratio to the floor.
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

from idle_desktop import CONFIG, SETTLE_S, WARM_UP_GTK, Subject, row  # noqa: E402
from procstats import sample  # noqa: E402
from tests.e2e.desktop import STANDUP, Desktop, wait_for  # noqa: E402
from tests.e2e.panels import SniProbe, start_xfce4_panel  # noqa: E402


def launch(desktop: Desktop, probe: SniProbe, name: str, argv: list[str], env: dict[str, str]) -> Subject:
    started = time.monotonic()
    proc = desktop.spawn(name, argv, env=env)
    wait_for(f"{name}'s item registered with the panel", lambda: probe.item_of(proc.pid), 60, 0.02)
    return Subject(name, proc, time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="standup-idle-sni-"))
    desktop = Desktop(work / "desktop", tray="").start()
    home = work / "home"
    home.mkdir()
    (home / "config.toml").write_text(CONFIG)
    env = dict(desktop.env, PYSTRAY_BACKEND="")
    probe = None
    try:
        start_xfce4_panel(desktop)
        probe = SniProbe(desktop.env["DBUS_SESSION_BUS_ADDRESS"])
        subprocess.run([sys.executable, "-c", WARM_UP_GTK], env=desktop.env, check=True, timeout=60)
        floor = launch(desktop, probe, "floor (appindicator)", [sys.executable, str(BENCH / "floor_tray.py")],
                       dict(desktop.env, PYSTRAY_BACKEND="appindicator"))
        app = launch(desktop, probe, "standup run (sni)", [str(STANDUP), "run"], dict(env, STANDUP_HOME=str(home)))
        subjects = [floor, app]
        time.sleep(SETTLE_S)
        for subject in subjects:
            subject.first = sample(subject.proc.pid)
        time.sleep(args.seconds)
        for subject in subjects:
            subject.last = sample(subject.proc.pid)
        maps = Path(f"/proc/{app.proc.pid}/maps").read_text()
        gtk = "libgtk-3" in maps
        status = subprocess.run([str(STANDUP), "status"], env=dict(env, STANDUP_HOME=str(home)),
                                capture_output=True, text=True).stdout.strip()
        subprocess.run([str(STANDUP), "quit"], env=dict(env, STANDUP_HOME=str(home)), capture_output=True)
        app.proc.wait(15)
    finally:
        if probe is not None:
            probe.close()
        desktop.stop()
    log_text = (home / "standup.log").read_text(errors="replace")
    wakeups = re.search(r"Runner stopped after (\d+) wake-ups", log_text)
    lines = [
        f"Idle on one Xvfb desktop with xfce4-panel as the StatusNotifierItem host (dunst, private session bus), "
        f"no input, {args.seconds:.0f} s sampled after a {SETTLE_S:.0f} s settle, both at the same moments; "
        f"libgtk-3 in standup's process: {'yes' if gtk else 'no'}.",
        "",
        "| process | processes | threads | RSS MiB | PSS MiB | PSS ÷ floor | CPU s | CPU s/h | context switches "
        "| per minute | start to icon s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(row(subject, args.seconds, floor if subject is not floor else None) for subject in subjects),
        "",
        f"standup's runner woke {wakeups.group(1) if wakeups else '?'} times in all; its status at the end: "
        f"{' / '.join(status.splitlines()[:1] + [line for line in status.splitlines() if line.startswith('tray')])}",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
