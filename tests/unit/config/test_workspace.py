"""The private session workspace: 0700, deleted on close, swept after a crash, clips kept on request."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import Workspace
from kiosk.config.workspace import MARKER, UNMARKED_GRACE_S

from .conftest import Clock

REPO = Path(__file__).resolve().parents[3]


def test_open_makes_a_private_folder_with_an_owner_marker(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "sessions").open()
    assert stat.S_IMODE(ws.path.stat().st_mode) == 0o700
    marker = json.loads((ws.path / MARKER).read_text())
    assert marker["pid"] == os.getpid()
    ws.file("clip.mp4").write_bytes(b"x")
    ws.close()
    assert not ws.root.joinpath(ws.root.name).exists() and list(ws.root.iterdir()) == []
    ws.close()  # twice is fine


@pytest.mark.parametrize("ending", ["pass", "fail", "cancel"])
def test_context_manager_deletes_whatever_the_outcome(tmp_path: Path, ending: str) -> None:
    from kiosk.errors import Cancelled

    root = tmp_path / "sessions"
    try:
        with Workspace(root) as ws:
            ws.file("clip.mp4").write_bytes(b"video")
            ws.file("card.jpg").write_bytes(b"photo")
            if ending == "fail":
                raise RuntimeError("service refused")
            if ending == "cancel":
                raise Cancelled()
    except (RuntimeError, Cancelled):
        pass
    assert list(root.iterdir()) == []


def test_file_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    with Workspace(tmp_path) as ws:
        for bad in ("../x", "a/b", "", ".."):
            with pytest.raises(ValueError):
                ws.file(bad)


def test_at_exit_deletes_an_unclosed_workspace(tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from kiosk.config import Workspace; "
            "ws = Workspace(Path(sys.argv[1])).open(); ws.file('c.mp4').write_bytes(b'x'); "
            "print(ws.path)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                          text=True, cwd=REPO, timeout=60, check=True)
    assert not Path(done.stdout.strip()).exists()


def _leftover(root: Path, name: str, marker: dict[str, object] | None) -> Path:
    folder = root / f"session-{name}"
    folder.mkdir(parents=True)
    (folder / "clip.mp4").write_bytes(b"face and voice")
    if marker is not None:
        (folder / MARKER).write_text(json.dumps(marker))
    return folder


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_sweep_deletes_folders_of_dead_owners_only(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    dead = _leftover(root, "dead", {"pid": _dead_pid()})
    broken = _leftover(root, "broken", None)
    (broken / MARKER).write_text("{not json")
    with Workspace(root) as mine:
        removed = Workspace.sweep_leftovers(root)
        assert mine.path.exists()
    assert set(removed) == {dead, broken}
    assert not dead.exists() and not broken.exists()


def test_sweep_sees_a_reused_pid(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    # Our own PID, but started at another time: the PID was reused after a crash.
    reused = _leftover(root, "reused", {"pid": os.getpid(), "start": "1"})
    if not Path(f"/proc/{os.getpid()}/stat").exists():
        pytest.skip("no /proc")
    assert Workspace.sweep_leftovers(root) == [reused]


def test_sweep_waits_before_deleting_an_unmarked_folder(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    fresh = _leftover(root, "fresh", None)
    clock = Clock(fresh.stat().st_mtime + 1)
    assert Workspace.sweep_leftovers(root, clock=clock) == []
    clock.advance(UNMARKED_GRACE_S)
    assert Workspace.sweep_leftovers(root, clock=clock) == [fresh]


def test_sweep_leaves_other_files_alone(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    root.mkdir()
    (root / "notes.txt").write_text("not ours")
    (root / "other").mkdir()
    assert Workspace.sweep_leftovers(root) == [] and len(list(root.iterdir())) == 2
    assert Workspace.sweep_leftovers(tmp_path / "missing") == []


def test_kept_clips_move_to_a_private_folder_and_expire(tmp_path: Path, clock: Clock) -> None:
    retained = tmp_path / "retained"
    with Workspace(tmp_path / "s", retained_dir=retained, keep_days=3, clock=clock) as ws:
        ws.file("clip.mp4").write_bytes(b"video")
        ws.file("card.jpg").write_bytes(b"photo")  # photos are never kept
    kept = list(retained.iterdir())
    assert len(kept) == 1 and kept[0].name.endswith("clip.mp4")
    assert stat.S_IMODE(retained.stat().st_mode) == 0o700
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    assert list((tmp_path / "s").iterdir()) == []
    os.utime(kept[0], (clock(), clock()))
    clock.advance(2 * 86400)
    assert Workspace.prune_retained(retained, 3, clock=clock) == []
    clock.advance(1 * 86400 + 1)
    assert Workspace.prune_retained(retained, 3, clock=clock) == kept
    assert not kept[0].exists()


def test_keeping_off_keeps_nothing_and_prunes_everything(tmp_path: Path, clock: Clock) -> None:
    retained = tmp_path / "retained"
    with Workspace(tmp_path / "s", retained_dir=retained, keep_days=0, clock=clock) as ws:
        ws.file("clip.mp4").write_bytes(b"video")
    assert not retained.exists()
    retained.mkdir()
    (retained / "old-clip.mp4").write_bytes(b"x")
    assert len(Workspace.prune_retained(retained, 0, clock=clock)) == 1


def test_an_unwritable_root_is_a_clear_media_error(tmp_path: Path) -> None:
    from kiosk.errors import MediaError

    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(MediaError, match="private session folder"):
        Workspace(blocker / "sessions").open()
