"""kiosk record and kiosk devices from the command line: clips checked with ffprobe, every failure
a one-line error with its exit status and nothing left behind."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.media.probe import av_offsets

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "assets" / "sample_clip.mp4"
SYNC_TOLERANCE_S = 0.020


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Private XDG folders, no KIOSK_* from outside; the kiosk's log handlers removed afterwards."""
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR"):
        folder = tmp_path / "home" / var.lower()
        folder.mkdir(mode=0o700, parents=True)
        monkeypatch.setenv(var, str(folder))
    for var in list(os.environ):
        if var.startswith("KIOSK_"):
            monkeypatch.delenv(var)
    root = logging.getLogger()
    saved = list(root.handlers)
    yield
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    root.handlers[:] = saved


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "clips"
    folder.mkdir()
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ffprobe(path: Path) -> dict[str, object]:
    res = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json",
                          str(path)], capture_output=True, text=True, check=True)
    data: dict[str, object] = json.loads(res.stdout)
    return data


def streams(info: dict[str, object], kind: str) -> list[dict[str, object]]:
    return [s for s in info["streams"] if s["codec_type"] == kind]  # type: ignore[attr-defined,index]


def error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.startswith("error: ")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.slow
def test_record_synthetic_mp4_json(capsys: pytest.CaptureFixture[str], out_dir: Path) -> None:
    out = out_dir / "clip.mp4"
    out.write_bytes(b"old")  # replaced, because of --force
    code, stdout, _ = run(capsys, "record", "--out", str(out), "--camera", "synthetic",
                          "--seconds", "3", "--json", "--force")
    assert code == 0
    report = json.loads(stdout)
    assert report["path"] == str(out) and report["bytes"] == out.stat().st_size
    info = ffprobe(out)
    (video,), (audio,) = streams(info, "video"), streams(info, "audio")
    assert (video["codec_name"], video["pix_fmt"], video["width"], video["height"]) == (
        "h264", "yuv420p", 640, 480)
    assert audio["codec_name"] == "aac"
    assert "mp4" in info["format"]["format_name"]  # type: ignore[index]
    assert abs(float(info["format"]["duration"]) - 3.0) <= 0.2  # type: ignore[index]
    assert abs(report["seconds"] - 3.0) <= 0.2
    data = out.read_bytes()
    assert data.find(b"moov") < data.find(b"mdat")  # fast start: the index comes first
    offsets = av_offsets(out)
    assert offsets and max(abs(o) for o in offsets) <= SYNC_TOLERANCE_S, offsets
    assert sorted(p.name for p in out_dir.iterdir()) == ["clip.mp4"]


@pytest.mark.slow
def test_record_the_sample_file_as_flv(capsys: pytest.CaptureFixture[str], out_dir: Path) -> None:
    out = out_dir / "clip.flv"
    code, stdout, _ = run(capsys, "record", "--out", str(out), "--camera", f"file:{SAMPLE}")
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0] == str(out)
    assert f"({out.stat().st_size} bytes)" in lines[1] and "5.0" in lines[1]
    info = ffprobe(out)
    assert info["format"]["format_name"] == "flv"  # type: ignore[index]
    assert [s["codec_name"] for s in info["streams"]] == ["h264", "aac"]  # type: ignore[attr-defined]
    assert abs(float(info["format"]["duration"]) - 5.0) <= 0.2  # type: ignore[index]
    assert out.stat().st_size <= 1_000_000


@pytest.mark.parametrize("argv, words", [
    (["--seconds", "2"], "from 3 to 10"),
    (["--seconds", "11"], "from 3 to 10"),
    (["--seconds", "five"], "from 3 to 10"),
    (["--format", "flv"], "--format is flv"),  # with --out clip.mp4
    (["--camera", "synthetic", "--mic", "no such microphone xyz"], "no microphone available"),
    (["--camera", "/dev/video-that-is-not-there"], "no camera found"),
    (["--camera", "file:/no/such/clip.mp4"], "the file does not exist"),
])
def test_usage_and_device_errors(capsys: pytest.CaptureFixture[str], out_dir: Path,
                                 argv: list[str], words: str) -> None:
    code, _, err = run(capsys, "record", "--out", str(out_dir / "clip.mp4"), *argv)
    line = error_line(err)
    assert code == 2 and words in line and " — " in line
    assert list(out_dir.iterdir()) == []


def test_an_existing_file_is_kept_without_force(capsys: pytest.CaptureFixture[str], out_dir: Path) -> None:
    out = out_dir / "clip.mp4"
    out.write_bytes(b"keep me")
    code, _, err = run(capsys, "record", "--out", str(out), "--camera", "synthetic")
    assert code == 2 and "--force" in error_line(err)
    assert out.read_bytes() == b"keep me"


def test_a_missing_folder_and_a_folder_as_out(capsys: pytest.CaptureFixture[str], out_dir: Path) -> None:
    code, _, err = run(capsys, "record", "--out", str(out_dir / "no" / "clip.mp4"), "--camera", "synthetic")
    assert code == 2 and "folder does not exist" in error_line(err)
    code, _, err = run(capsys, "record", "--out", str(out_dir), "--camera", "synthetic")
    assert code == 2 and "is a folder" in error_line(err)


def test_no_ffmpeg(capsys: pytest.CaptureFixture[str], out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_FFMPEG", str(out_dir / "ffmpeg-not-here"))
    code, _, err = run(capsys, "record", "--out", str(out_dir / "clip.mp4"), "--camera", "synthetic",
                       "--lang", "zh")
    line = error_line(err)
    assert code == 2 and "KIOSK_FFMPEG" in line and "不存在" in line
    assert list(out_dir.iterdir()) == []


def test_this_machine_without_camera_or_microphone(capsys: pytest.CaptureFixture[str], out_dir: Path) -> None:
    from kiosk.media import list_devices

    found = list_devices(probe_sizes=False)
    if found.cameras or found.microphones:
        pytest.skip("this machine has a camera or a microphone")
    code, _, err = run(capsys, "record", "--out", str(out_dir / "clip.mp4"))
    line = error_line(err)
    assert code == 2 and "no camera found at '0'" in line and "synthetic" in line
    code, _, err = run(capsys, "record", "--out", str(out_dir / "clip.mp4"), "--camera", "synthetic",
                       "--mic", "default", "--lang", "zh")
    line = error_line(err)
    assert code == 2 and "麦克风" in line and "synthetic" in line
    code, stdout, _ = run(capsys, "devices")
    assert code == 0 and "no camera found" in stdout and "no microphone found" in stdout
    assert f"file:{SAMPLE}" in stdout and "synthetic" in stdout
    code, stdout, _ = run(capsys, "devices", "--json")
    data = json.loads(stdout)
    assert code == 0 and data["cameras"] == [] and data["microphones"] == []
    assert data["always"] == ["synthetic", f"file:{SAMPLE}"]
    assert list(out_dir.iterdir()) == []


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 40 KiB tmpfs (root only; skipped elsewhere): a 3 s synthetic clip is ~60 kB."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if shutil.which("mount") is None or subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=40k", "tmpfs", str(mnt)], capture_output=True
    ).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.mark.slow
def test_a_full_disk(capsys: pytest.CaptureFixture[str], tiny_disk: Path) -> None:
    code, _, err = run(capsys, "record", "--out", str(tiny_disk / "clip.mp4"), "--camera", "synthetic",
                       "--seconds", "3")
    assert code == 2 and "no space left" in error_line(err)
    assert list(tiny_disk.iterdir()) == []


def processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in cmd:
                found.append(cmd)
    return found


@pytest.mark.slow
def test_sigterm_mid_recording_keeps_nothing_and_leaves_no_ffmpeg(out_dir: Path) -> None:
    out = out_dir / "clip.mp4"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "record", "--out", str(out),
                             "--camera", "synthetic", "--seconds", "10"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        while not any(p.name.startswith(".kiosk-rec-") and any(p.glob("clip.mp4"))
                      for p in out_dir.iterdir()):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.05)  # polling another process: nothing to wait on
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1 and "interrupted" in error_line(err)
    assert list(out_dir.iterdir()) == []
    assert processes_mentioning(str(out_dir)) == []


@pytest.mark.parametrize(("env", "argv", "expected"), [
    ({"KIOSK_CAMERA": "synthetic", "KIOSK_MIC": "USB Mic"}, [], ("synthetic", "synthetic")),
    ({"KIOSK_MIC": "USB Mic"}, ["--camera", "file:a.mp4"], ("file:a.mp4", "file:a.mp4")),
    ({"KIOSK_MIC": "USB Mic"}, ["--camera", "synthetic", "--mic", "default"], ("synthetic", "default")),
    ({"KIOSK_MIC": "USB Mic"}, ["--camera", "2"], ("2", "USB Mic")),
])
def test_sources_follow_the_one_rule(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                                     argv: list[str], expected: tuple[str, str]) -> None:
    # A played camera brings its own sound unless a microphone is chosen for this run, whether
    # the camera comes from --camera or from the camera setting (kiosk.media.resolve_sources).
    from kiosk.cli import build_parser
    from kiosk.cli.record import sources_of

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    args = build_parser().parse_args(["record", "--out", "clip.mp4", *argv])
    assert tuple(sources_of(args)) == expected


def test_clip_length_from_the_environment_is_checked_too(
    capsys: pytest.CaptureFixture[str], out_dir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KIOSK_CLIP_SECONDS", "30")
    code, _, err = run(capsys, "record", "--out", str(out_dir / "clip.mp4"), "--camera", "synthetic")
    line = error_line(err)
    assert code == 2 and "KIOSK_CLIP_SECONDS" in line and "30" in line


@pytest.mark.slow
def test_a_file_size_limit_is_named_not_an_unrelated_ffmpeg_line(out_dir: Path, tmp_path: Path) -> None:
    """``kiosk record`` under RLIMIT_FSIZE (issue 14): ffmpeg dies of SIGXFSZ at 30 kB (a 3 s
    synthetic clip is ~60 kB since issue 20)."""
    import resource

    limit = 30_000

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / "child" / var.lower())
    proc = subprocess.run([sys.executable, "-m", "kiosk", "record", "--out", str(out_dir / "clip.mp4"),
                           "--camera", "synthetic", "--seconds", "3"], preexec_fn=small_files,
                          capture_output=True, text=True, env=env, timeout=120, cwd=REPO)
    line = error_line(proc.stderr)
    assert proc.returncode == 2, proc.stderr
    assert "file-size limit" in line and "Guessed Channel Layout" not in line, line
    assert list(out_dir.iterdir()) == []
