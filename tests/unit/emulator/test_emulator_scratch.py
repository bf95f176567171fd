"""Request folders are removed by paths alone, so running out of descriptors leaves none."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

# In a child process: fill every descriptor, then leave the block that removes the folder.
CHILD = """
import os, sys, tempfile
from pathlib import Path
from kiosk.emulator.scratch import RequestFolders

root = Path(sys.argv[1])
way = sys.argv[2]
held = []

def exhaust():
    try:
        while True:
            held.append(os.open(os.devnull, os.O_RDONLY))
    except OSError:
        pass

try:
    if way == "scratch":
        with RequestFolders(root).new() as folder:
            for i in range(3):
                path = folder.path / f"part{i}-video"
                folder.created.append(path)
                path.write_bytes(b"x" * 100)
            exhaust()
    else:  # what the emulator used before
        with tempfile.TemporaryDirectory(prefix="kiosk-emulator-", dir=root) as name:
            for i in range(3):
                Path(name, f"part{i}-video").write_bytes(b"x" * 100)
            exhaust()
except OSError as exc:
    print("cleanup failed:", exc.strerror)
listing_failed = True
try:
    os.listdir(root)
    listing_failed = False
except OSError:
    pass
for fd in held:
    os.close(fd)
print("listing failed while full:", listing_failed)
print("left:", len(os.listdir(root)))
"""


def run(tmp_path: Path, way: str) -> str:
    root = tmp_path / way
    root.mkdir()
    done = subprocess.run([sys.executable, "-c", CHILD, str(root), way], cwd=REPO,
                          capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_removal_needs_no_descriptor(tmp_path: Path) -> None:
    out = run(tmp_path, "scratch")
    assert "listing failed while full: True" in out  # the descriptors really were gone
    assert "left: 0" in out and "cleanup failed" not in out, out


def test_the_old_way_left_the_folder_behind(tmp_path: Path) -> None:
    # Why kiosk.emulator.scratch exists: rmtree opens the folder to list it.
    out = run(tmp_path, "tempfile")
    assert "cleanup failed" in out and "left: 1" in out, out
