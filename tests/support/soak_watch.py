"""What the soak measures of the kiosk's process after each session (tests/benchmarks/soak.py)."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MEDIA_SUFFIXES = {".mp4", ".flv", ".wav", ".jpg", ".jpeg", ".png", ".h264", ".aac", ".raw", ".yuv"}
# Flat means: after the warm-up, never more than this above the warm-up's sample.
RSS_TOLERANCE_KB = 48 * 1024
THREAD_TOLERANCE = 2
FD_TOLERANCE = 4
REFCOUNT_TOLERANCE = 1000


@dataclass
class Sample:
    """The process's measures on the welcome screen after a session."""

    rss_kb: int
    threads: int
    fds: int
    children: int
    refs: dict[str, int]

    @staticmethod
    def now(exclude_children: set[int]) -> Sample:
        status = Path("/proc/self/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
        kids = children_of(os.getpid()) - exclude_children
        return Sample(rss, threads_now(), len(os.listdir("/proc/self/fd")),
                      len(kids - resource_trackers(kids)),
                      {"True": sys.getrefcount(True), "False": sys.getrefcount(False),
                       "None": sys.getrefcount(None)})


@dataclass
class Session:
    """One customer's visit and what was seen after it."""

    n: int
    customer: str
    expected: tuple[str, ...]
    outcome: str | None = None
    final_screen: str = ""
    headline: str = ""  # the result screen's verdict line, when the session ended there
    seconds: float = 0.0
    longest_stall_ms: float = 0.0
    stall_where: str = ""
    audit_rows_added: int = 0
    media_left: list[str] = field(default_factory=list)
    sample: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    ended_at: str = ""  # wall-clock time, to set a stall beside what else the machine was doing


def threads_now() -> int:
    return len(os.listdir("/proc/self/task"))


def thread_names() -> list[str]:
    """The kernel's names of this process's threads (Python's and Qt's), for a report."""
    names = []
    for task in os.listdir("/proc/self/task"):
        with contextlib.suppress(OSError):
            names.append(Path(f"/proc/self/task/{task}/comm").read_text().strip())
    return sorted(names)


def children_of(pid: int) -> set[int]:
    """PIDs whose parent is ``pid`` (zombies included: an un-reaped ffmpeg is a leak too)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry))
    return found


def resource_trackers(pids: set[int]) -> set[int]:
    """At most one of ``pids``: multiprocessing's resource tracker, a live helper the standard
    library starts once per process at the first spawned child (the clip check's) and keeps
    for the process's life; it does not grow with sessions, so it is no leak. Two would be."""
    found = set()
    for pid in pids:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"multiprocessing.resource_tracker" in cmdline:
            found.add(pid)
    return found if len(found) == 1 else set()


def media_below(root: Path, skip: tuple[Path, ...]) -> list[str]:
    """Clips, sound and pictures below ``root`` outside the soak's own inputs."""
    left = []
    for p in root.rglob("*"):
        if any(p.is_relative_to(s) for s in skip):
            continue
        if p.is_file() and (p.suffix.lower() in MEDIA_SUFFIXES or p.name.startswith(".kiosk-rec")):
            left.append(str(p.relative_to(root)))
    return left


def flat(base: Sample, now: Sample) -> list[str]:
    """What grew past its tolerance since the warm-up."""
    problems = []
    if now.rss_kb - base.rss_kb > RSS_TOLERANCE_KB:
        problems.append(f"memory grew {(now.rss_kb - base.rss_kb) / 1024:.0f} MiB since warm-up")
    if now.threads - base.threads > THREAD_TOLERANCE:
        problems.append(f"threads {base.threads} -> {now.threads}: {thread_names()}")
    if now.fds - base.fds > FD_TOLERANCE:
        problems.append(f"file descriptors {base.fds} -> {now.fds}")
    for name, count in now.refs.items():
        moved = count - base.refs[name]
        # None only grows: PyAV takes a reference to None at every export of a frame's buffer
        # (docs/endurance.md). An extra reference can never free None; a lost one would.
        if moved < -REFCOUNT_TOLERANCE or (name != "None" and moved > REFCOUNT_TOLERANCE):
            problems.append(f"refcount of {name} {base.refs[name]} -> {count}")
    return problems
