"""``kiosk record``: record a clip from a camera and a microphone (or a file, or synthetic)."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.cli import common, messages
from kiosk.clip_length import (
    CLIP_SECONDS_RANGE,
    DEFAULT_CLIP_SECONDS,
    MAX_CLIP_SECONDS,
    MIN_CLIP_SECONDS,
    clip_seconds_ok,
)
from kiosk.errors import Cancelled, UsageError

FORMATS = ("mp4", "flv")


def register(sub: Any) -> None:
    """Add ``kiosk record``."""
    parser = common.command_parser(
        sub, "record", "record a clip the service accepts (H.264 + AAC, MP4 or FLV) from a "
        "camera and a microphone, a media file, or the synthetic test source",
        epilog="examples:\n"
        "  kiosk record --out clip.mp4                       # camera 0 and the default microphone\n"
        "  kiosk record --out clip.flv --seconds 4 --camera /dev/v4l/by-id/usb-Cam-video-index0\n"
        "  kiosk record --out demo.mp4 --camera file:assets/sample_clip.mp4\n"
        "  kiosk record --out test.mp4 --camera synthetic    # no hardware: flash + beep pattern\n\n"
        "With a synthetic or file:PATH camera and no --mic, the sound comes from the same source.\n"
        "Exit status: 0 the clip is written; 1 interrupted (nothing kept); 2 a usage error, or a "
        "camera, microphone, ffmpeg or disk problem (nothing kept).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", type=Path, required=True, help="the clip to write (.mp4 or .flv)")
    parser.add_argument("--seconds", type=str, default=None,
                        help=f"length, {CLIP_SECONDS_RANGE} s (default: the clip_seconds "
                        f"setting, else {DEFAULT_CLIP_SECONDS})")
    parser.add_argument("--camera", help="camera: index (0), /dev/... path, name, file:PATH or "
                        "synthetic (default: the camera setting, else 0)")
    parser.add_argument("--mic", help="microphone: default, name, index, file:PATH or synthetic "
                        "(default: the camera's file/synthetic source, else the mic setting)")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="container (default: from the --out suffix, else the clip_format "
                        "setting, else mp4)")
    parser.add_argument("--force", action="store_true", help="replace --out if it exists")
    parser.add_argument("--json", action="store_true",
                        help='strict JSON: {"path", "bytes", "seconds", "format", "width", ...}')
    parser.set_defaults(func=run)


def seconds_of(args: argparse.Namespace) -> float:
    """--seconds, else KIOSK_CLIP_SECONDS or the clip_seconds setting, else 5.

    UsageError for a --seconds outside kiosk.clip_length's range; the setting is checked against
    the same range where it is read (a ConfigError).
    """
    if args.seconds is None:
        return float(common.setting(args, "clip_seconds") or DEFAULT_CLIP_SECONDS)
    try:
        value = float(args.seconds)
    except ValueError:
        value = float("nan")
    if not clip_seconds_ok(value):
        raise UsageError(messages.SECONDS_OUTSIDE(
            given=args.seconds, low=MIN_CLIP_SECONDS, high=MAX_CLIP_SECONDS,
            default=DEFAULT_CLIP_SECONDS, range=CLIP_SECONDS_RANGE))
    return value


def format_of(args: argparse.Namespace, out: Path) -> str:
    """The container: --format, else the suffix, else the clip_format setting, else mp4."""
    suffix = out.suffix.lower().lstrip(".")
    if args.format and suffix in FORMATS and suffix != args.format:
        raise UsageError(messages.SUFFIX_NOT_FORMAT(suffix=suffix, format=args.format))
    if args.format:
        return str(args.format)
    if suffix in FORMATS:
        return suffix
    stored = common.setting(args, "clip_format")
    return stored if stored in FORMATS else "mp4"


def check_out(out: Path, force: bool) -> Path:
    """The absolute output path; UsageError when it is a folder or exists without --force."""
    from kiosk.media.errors import OutputUnwritable

    out = out.expanduser().absolute()
    if out.is_dir():
        raise UsageError(messages.OUT_IS_A_FOLDER(out=out))
    if out.exists() and not force:
        raise UsageError(messages.OUT_EXISTS(out=out))
    if not out.parent.is_dir():
        raise OutputUnwritable(str(out), "the folder does not exist")
    return out


def sources_of(args: argparse.Namespace) -> tuple[str, str]:
    """The camera and microphone specs from the flags, KIOSK_* and the settings."""
    from kiosk.media import resolve_sources

    camera = args.camera or common.setting(args, "camera") or "0"
    return resolve_sources(camera, args.mic, fallback_mic=common.setting(args, "mic") or "default")


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the recording the way Ctrl-C does: cleanly, nothing kept."""
    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (an embedding caller): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def record(out: Path, camera: str, mic: str, seconds: float, fmt: str, *, show: bool) -> Path:
    """Open the sources, record, release them; the finished clip's path.

    The staging folder next to ``out`` is leased (kiosk.config.leases): after a kill, the next
    start of any command deletes it.
    """
    from kiosk.config import Paths
    from kiosk.config.leases import Leases
    from kiosk.media import Capture, find_ffmpeg, open_audio, open_video

    ffmpeg = find_ffmpeg()  # before any device is opened: nothing to release if it is missing
    video = open_video(camera)
    audio = open_audio(mic)
    leases = Leases(Paths.default().leases_dir)
    with Capture(video, audio, ffmpeg=ffmpeg, folders=leases) as cap:
        rec = cap.record(out, seconds=seconds, fmt=fmt)
        while True:
            try:
                return rec.wait(timeout=0.25)
            except TimeoutError:
                if show:
                    print(f"\r{rec.elapsed:4.1f} / {seconds:g} s", end="", file=sys.stderr, flush=True)
            finally:
                if show and rec.done():
                    print("\r" + " " * 20 + "\r", end="", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    """Record, then print where the clip is, its size and its duration."""
    from kiosk.media.probe import clip_info

    lang = common.lang_of(args)
    seconds = seconds_of(args)
    out = check_out(args.out, args.force)
    fmt = format_of(args, out)
    camera, mic = sources_of(args)
    if not args.json:
        print(common.say(lang, messages.RECORDING(seconds=seconds, camera=camera, mic=mic)),
              file=sys.stderr)
    try:
        with sigterm_as_interrupt():
            path = record(out, camera, mic, seconds, fmt, show=not args.json and sys.stderr.isatty())
    except KeyboardInterrupt:
        raise Cancelled(messages.RECORDING_INTERRUPTED()) from None
    info = clip_info(path)
    if args.json:
        common.emit_json({
            "path": str(path), "bytes": info.size, "seconds": round(info.duration, 3),
            "format": fmt, "width": info.width, "height": info.height, "fps": info.fps,
            "video_codec": info.video_codec, "pix_fmt": info.pix_fmt,
            "audio_codec": info.audio_codec, "audio_rate": info.audio_rate,
            "camera": camera, "mic": mic,
        })
        return 0
    print(path)
    print(common.say(lang, messages.CLIP_WRITTEN(megabytes=info.size / 1e6, info=info,
                                                 format=fmt)))
    return 0
