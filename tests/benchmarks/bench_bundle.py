"""Measure the PyInstaller bundle: its size, and the time from launch to the first window.

Run from the repository root after ``bash packaging/build.sh``::

    .venv/bin/python tests/benchmarks/bench_bundle.py              # 5 launches of each
    .venv/bin/python tests/benchmarks/bench_bundle.py --runs 9 --archive

Figures, each beside its baseline:
- size: the bundle folder, against what ``pip install`` of the same packages weighs in the clean
  build environment (its site-packages); the biggest parts are listed. ``--archive`` also times
  and weighs a ``tar.gz`` of the folder, the form it is copied to a counter PC in.
- launch to first window: ``kiosk gui --demo`` under ``QT_QPA_PLATFORM=offscreen``, from the
  moment the process is started to the moment its first window (the start-up screen,
  kiosk.ui.startup) has painted, and to the moment its main window has (the entry point's
  ``KIOSK_EXIT_AFTER_FIRST_WINDOW`` probe), against the same entry point run by the source
  install's Python (``.venv``). ``kiosk --version`` (imports Qt and OpenCV, runs ffmpeg) is timed
  the same way as a second start-up figure.

Every launch gets an empty temporary HOME, as a first start on a new machine would. Wall-clock
times swell on a busy machine; the load average is printed beside them for that reason.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "packaging" / "build"
BUNDLE = BUILD / "dist" / "kiosk"
ENTRY = REPO / "packaging" / "kiosk_entry.py"
PROBE_LINE = "first window painted"
MAIN_LINE = "main window painted"  # the window after the start-up screen (kiosk.ui.startup)
MIB = 1024 * 1024


def folder_bytes(folder: Path) -> int:
    """Bytes of every regular file under ``folder`` (symbolic links not followed)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def biggest_parts(internal: Path, count: int = 8) -> list[tuple[str, int]]:
    """The largest top-level entries of the bundle's ``_internal`` folder; not PyInstaller's
    links to libraries that live in a package's folder (listed there, not twice)."""
    sizes = [(p.name, folder_bytes(p) if p.is_dir() else p.stat().st_size)
             for p in internal.iterdir() if not p.is_symlink()]
    return sorted(sizes, key=lambda item: -item[1])[:count]


def site_packages_bytes() -> tuple[int, Path | None]:
    """Size of the build environment's site-packages (the pip-installed baseline)."""
    found = sorted(BUILD.glob("env-*/lib/python3*/site-packages"))
    if not found:
        return 0, None
    skip = {"pip", "PyInstaller", "pyinstaller", "_pyinstaller_hooks_contrib"}
    total = sum(folder_bytes(p) if p.is_dir() else p.stat().st_size
                for p in found[0].iterdir() if p.name.split("-")[0] not in skip)
    return total, found[0]


def archive(bundle: Path) -> tuple[int, float]:
    """Bytes and seconds of a tar.gz of the bundle."""
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        target = Path(tmp) / "kiosk.tar.gz"
        start = time.perf_counter()
        with tarfile.open(target, "w:gz", compresslevel=6) as tar:
            tar.add(bundle, arcname="kiosk")
        return target.stat().st_size, time.perf_counter() - start


def clean_env(home: Path) -> dict[str, str]:
    """An environment with no Python variables, no virtual environment on PATH, a fresh HOME."""
    keep = {"PATH", "LANG", "LC_ALL", "TZ"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and "venv" not in p)
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen",
               XDG_RUNTIME_DIR=str(home / "runtime"))
    (home / "runtime").mkdir(mode=0o700, exist_ok=True)
    return env


def time_launch(command: list[str], *, first_window: bool,
                timeout: float = 180) -> tuple[float, float]:
    """Seconds from start to the first window and to the main one (both the exit of a command
    that just exits)."""
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-home-") as home:
        env = clean_env(Path(home))
        if first_window:
            env["KIOSK_EXIT_AFTER_FIRST_WINDOW"] = "1"
        start = time.perf_counter()
        proc = subprocess.Popen(command, env=env, cwd=home, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        seen: dict[str, float] = {}
        tail: list[str] = []
        try:
            assert proc.stderr is not None
            for line in proc.stderr:
                tail = (tail + [line])[-20:]
                if first_window and line.strip() in (PROBE_LINE, MAIN_LINE):
                    seen.setdefault(line.strip(), time.perf_counter() - start)
            status = proc.wait(timeout=timeout)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if status != 0 or (first_window and len(seen) < 2):
            raise SystemExit(f"{' '.join(command)} failed (exit status {status}):\n"
                             + "".join(tail))
        if not first_window:
            ended = time.perf_counter() - start
            return ended, ended
        return seen[PROBE_LINE], seen[MAIN_LINE]


def series(command: list[str], runs: int, *, first_window: bool) -> tuple[list[float], list[float]]:
    """``runs`` timings after one unmeasured warm-up (the page cache is warm for every row)."""
    time_launch(command, first_window=first_window)
    times = [time_launch(command, first_window=first_window) for _ in range(runs)]
    return [t[0] for t in times], [t[1] for t in times]


def row(label: str, times: list[float]) -> str:
    """``label  median  min  max`` in seconds."""
    return (f"  {label:<34} median {statistics.median(times):5.2f} s   "
            f"min {min(times):5.2f} s   max {max(times):5.2f} s")


def main() -> int:
    """Print the size and the start-up figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="launches of each command (default 5)")
    parser.add_argument("--archive", action="store_true", help="also measure a tar.gz of the bundle")
    parser.add_argument("--bundle", type=Path, default=BUNDLE, help="the bundle folder")
    args = parser.parse_args()
    exe = args.bundle / "kiosk"
    if not exe.is_file():
        print(f"error: no bundle at {args.bundle} — build it first: bash packaging/build.sh",
              file=sys.stderr)
        return 2
    if os.name == "posix":  # build.sh's lock, shared: no test run rebuilds the bundle meanwhile
        import fcntl

        lock = (BUILD / ".lock").open("a")
        fcntl.flock(lock, fcntl.LOCK_SH)
    source_python = REPO / ".venv" / "bin" / "python"
    print(f"machine: {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (figures are noisy when it is high)")

    size = folder_bytes(args.bundle)
    base, where = site_packages_bytes()
    print("\nsize")
    print(f"  bundle folder                      {size / MIB:7.0f} MiB   ({args.bundle})")
    if where is not None:
        print(f"  baseline: pip-installed packages   {base / MIB:7.0f} MiB   ({where})")
    for name, part in biggest_parts(args.bundle / "_internal"):
        print(f"    {name:<32} {part / MIB:7.1f} MiB")
    if args.archive:
        packed, seconds = archive(args.bundle)
        print(f"  tar.gz of the bundle               {packed / MIB:7.0f} MiB   "
              f"(packed in {seconds:.0f} s)")

    print(f"\nlaunch to first window (the start-up screen) and to the main window, "
          f"'kiosk gui --demo', offscreen ({args.runs} runs each)")
    first, main_window = series([str(exe), "gui", "--demo"], args.runs, first_window=True)
    print(row("bundle: first window", first))
    print(row("bundle: main window", main_window))
    if source_python.is_file() and shutil.which(str(source_python)):
        first, main_window = series([str(source_python), str(ENTRY), "gui", "--demo"], args.runs,
                                    first_window=True)
        print(row("baseline: source, first window", first))
        print(row("baseline: source, main window", main_window))
    print(f"\n'kiosk --version' to exit ({args.runs} runs each)")
    print(row("bundle", series([str(exe), "--version"], args.runs, first_window=False)[0]))
    if source_python.is_file():
        print(row("baseline: source install (.venv)",
                  series([str(source_python), str(ENTRY), "--version"], args.runs,
                         first_window=False)[0]))
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
