"""Linux /proc figures for one process and its living descendants (CPU, context switches, threads,
memory), and what the idle benches share: sampling processes side by side and the table of them."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLOCK_TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Sample:
    """Counters summed over a process tree at one moment."""

    pids: tuple[int, ...]
    cpu_s: float  # user + system of every living process (and the children each has reaped)
    switches: int  # voluntary + involuntary, summed over every thread
    threads: int
    rss_kib: int
    pss_kib: int
    uss_kib: int = 0  # private pages only: what PSS would be if nothing else on the machine shared a page


def descendants(pid: int) -> list[int]:
    """`pid` and every living process below it."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError, IndexError, ValueError):
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    tree, frontier = [pid], {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        tree.extend(sorted(frontier))
    return tree


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / CLOCK_TICK  # utime stime cutime cstime


def _switches(pid: int) -> tuple[int, int]:
    total, threads = 0, 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        with suppress(OSError):
            threads += 1
            for line in status.read_text().splitlines():
                if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                    total += int(line.split()[1])
    return total, threads


def _memory_kib(pid: int) -> tuple[int, int, int]:
    text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    rss = re.search(r"^Rss:\s+(\d+)", text, re.M)
    pss = re.search(r"^Pss:\s+(\d+)", text, re.M)
    private = sum(int(kib) for kib in re.findall(r"^Private_(?:Clean|Dirty):\s+(\d+)", text, re.M))
    return int(rss.group(1)) if rss else 0, int(pss.group(1)) if pss else 0, private


def sample(pid: int) -> Sample:
    pids, cpu, switches, threads, rss, pss, uss = [], 0.0, 0, 0, 0, 0, 0
    for member in descendants(pid):
        with suppress(OSError):
            member_cpu = _cpu_s(member)
            member_switches, member_threads = _switches(member)
            member_rss, member_pss, member_uss = _memory_kib(member)
            pids.append(member)
            cpu += member_cpu
            switches += member_switches
            threads += member_threads
            rss += member_rss
            pss += member_pss
            uss += member_uss
    return Sample(tuple(pids), cpu, switches, threads, rss, pss, uss)


# ---- side by side: what the idle benches share ---------------------------------------------------

SETTLE_S = 20.0
# standup waits for its next prompt: a 60-minute interval and all-day work hours, never off hours.
CONFIG = 'interval_minutes = 60\nwork_hours = "00:00-24:00"\nworkdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n'
# GTK 3 caches the screen's GL visuals in a root-window property (_GDK_VISUALS): the first GTK process on a
# display loads Mesa (libLLVM, ~50 MiB) to fill it, every later one reads it. Pay that once, before measuring.
WARM_UP_GTK = ("import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk, Gdk; "
               "assert Gtk.init_check()[0] and Gdk.Screen.get_default()")
TABLE_HEAD = ("| process | processes | threads | RSS MiB | PSS MiB | PSS ÷ floor | USS MiB | CPU s | CPU s/h "
              "| context switches | per minute | start to icon s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
ACTIVE_EVERY_S = 30.0


@dataclass
class Subject:
    """One process measured: its start-to-icon time, and its counters at the start and end of the window."""

    name: str
    proc: subprocess.Popen[bytes]
    start_to_icon_s: float
    first: Sample | None = None
    last: Sample | None = None


def measure(subjects: list[Subject], seconds: float, touch: Callable[[], object] | None = None) -> ClockSets:
    """After a settle, sample every subject at the same moments, `seconds` apart; `touch()` (input at the
    desk) runs every 30 s in between when given. Returns the wall clock's settings in that window."""
    time.sleep(SETTLE_S)
    for subject in subjects:
        subject.first = sample(subject.proc.pid)
    clock_sets = ClockSets()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(min(ACTIVE_EVERY_S if touch else seconds, max(0.0, end - time.monotonic())))
        if touch is not None and time.monotonic() < end:
            touch()
    for subject in subjects:
        subject.last = sample(subject.proc.pid)
    return clock_sets


def row(subject: Subject, seconds: float, floor: Subject | None) -> str:
    """The subject's line of the Markdown table (TABLE_HEAD), with its PSS as a ratio to `floor`'s."""
    first, last = subject.first, subject.last
    assert first is not None and last is not None
    per_min = (last.switches - first.switches) * 60 / seconds
    cpu_h = (last.cpu_s - first.cpu_s) * 3600 / seconds
    ratio = f"{last.pss_kib / floor.last.pss_kib:.2f}×" if floor is not None and floor.last else ""
    return (f"| {subject.name} | {len(last.pids)} | {last.threads} | {last.rss_kib / 1024:.1f} | {last.pss_kib / 1024:.1f} "
            f"| {ratio} | {last.uss_kib / 1024:.1f} | {last.cpu_s - first.cpu_s:.2f} | {cpu_h:.2f} | {last.switches - first.switches} | "
            f"{per_min:.2f} | {subject.start_to_icon_s:.2f} |")


def table(subjects: list[Subject], seconds: float) -> str:
    """TABLE_HEAD and one row per subject; the first subject is the floor."""
    floor = subjects[0]
    return "\n".join([TABLE_HEAD, *(row(s, seconds, floor if s is not floor else None) for s in subjects)])


def runner_wakeups(log_text: str) -> str:
    """How many times standup's runner woke in its last run, from its log ('?' when it did not stop cleanly)."""
    found = re.findall(r"Runner stopped after (\d+) wake-ups", log_text)
    return found[-1] if found else "?"


class ClockSets:
    """Counts the times the wall clock is set while it runs (Linux): each one wakes standup's runner,
    by design (a CLOCK_REALTIME timerfd with TFD_TIMER_CANCEL_ON_SET), so a machine whose clock is set
    every few minutes adds wake-ups that are the machine's, not standup's. A daemon thread."""

    def __init__(self) -> None:
        self.count = 0
        self.available = True
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
        try:
            from standup.adapters.waiter import TimerfdWaiter

            self._waiter: Any = TimerfdWaiter()
        except (OSError, AttributeError, ImportError):
            self.available = False
            return
        threading.Thread(target=self._watch, name="clock-sets", daemon=True).start()

    def _watch(self) -> None:
        waiter = self._waiter
        while True:
            waiter._arm(time.time() + 86400)  # noqa: SLF001 - the bench reuses the app's timerfd as it is
            waiter._poll.poll()  # noqa: SLF001
            try:
                os.read(waiter._timer_fd, 8)  # noqa: SLF001
            except OSError as exc:
                if exc.errno == errno.ECANCELED:
                    self.count += 1

    def describe(self) -> str:
        if not self.available:
            return "the wall clock's settings were not counted here (no timerfd)"
        return (f"the wall clock was set {self.count} times meanwhile (by the machine; each one wakes standup's "
                "runner once, by design)")


def publish(lines: list[str], out: Path | None) -> None:
    """The report on stdout, and in `out` when given."""
    text = "\n".join(lines)
    print(text)
    if out:
        out.write_text(text + "\n")
