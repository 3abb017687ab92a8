"""Linux /proc figures for one process and its living descendants: CPU, context switches, threads, memory."""

from __future__ import annotations

import os
import re
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

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


def _memory_kib(pid: int) -> tuple[int, int]:
    text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    rss = re.search(r"^Rss:\s+(\d+)", text, re.M)
    pss = re.search(r"^Pss:\s+(\d+)", text, re.M)
    return int(rss.group(1)) if rss else 0, int(pss.group(1)) if pss else 0


def sample(pid: int) -> Sample:
    pids, cpu, switches, threads, rss, pss = [], 0.0, 0, 0, 0, 0
    for member in descendants(pid):
        with suppress(OSError):
            member_cpu = _cpu_s(member)
            member_switches, member_threads = _switches(member)
            member_rss, member_pss = _memory_kib(member)
            pids.append(member)
            cpu += member_cpu
            switches += member_switches
            threads += member_threads
            rss += member_rss
            pss += member_pss
    return Sample(tuple(pids), cpu, switches, threads, rss, pss)
