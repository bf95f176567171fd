"""``kiosk demo``: one full verification against the in-process emulator with the sample media.

Starts the emulator on a free loopback port, films ``assets/sample_clip.mp4`` as camera and
microphone (or real devices with ``--camera/--mic``), runs the flow for the sample person of
``assets/people.json`` and prints each step and the result. Nothing leaves this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kiosk import inputs
from kiosk.cli import common
from kiosk.clip_length import CLIP_SECONDS_RANGE, DEFAULT_CLIP_SECONDS, clip_seconds_ok
from kiosk.errors import InputError, UsageError
from kiosk.resources import asset_path

if TYPE_CHECKING:
    from kiosk.flow import Details

# kiosk.flow (and with it numpy, OpenCV, PyAV) loads when the demo runs, not when the parser is
# built: every command builds it, the GUI's supervisor too, which should stay small.
MODES = ("idcard", "card", "photo")  # = kiosk.flow.Mode's values (a test holds them equal)

# How long the demo waits for the face checker before recording anyway (a demo never hangs).
GUIDE_CAP_S = 5.0


def register(sub: Any) -> None:
    """Add ``kiosk demo``."""
    p = common.command_parser(
        sub, "demo", "run one full verification against the built-in emulator with the sample "
        "clip as camera and microphone (no account, camera or network needed)",
        epilog="Exit status: 0 the verification passed; 1 it did not (a no, a refusal, a blocking "
        "local check, a cancel); 2 an environment error (ffmpeg, devices, disk), or the result "
        "(still printed) could not be recorded in the audit log. Its audit row is marked demo.")
    p.add_argument("--mode", choices=MODES, default="idcard",
                   help="idcard: video vs ID number (default); card: video vs card photo; "
                   "photo: a still from the camera vs ID number")
    p.add_argument("--camera", help="camera instead of the sample clip: index, name, "
                   "/dev/v4l/by-id/ path, file:PATH or synthetic")
    p.add_argument("--mic", help="microphone instead of the sample clip's sound: default, name, "
                   "index, file:PATH or synthetic (default: the sound of a file:PATH or synthetic "
                   "camera, else 'default')")
    p.add_argument("--person", default=None, help="key of the person in assets/people.json "
                   "(default: the person filmed in the sample clip; 'other' shows a failed "
                   "verification, exit 1)")
    p.add_argument("--card", type=Path, help="card photo for --mode card (default: the person's)")
    p.add_argument("--photo", type=Path, help="photo for --mode photo (default: taken with the camera)")
    p.add_argument("--threshold", type=float, default=70.0,
                   help="similarity needed to pass, 0-100 (default 70: about 1 in 1,000 false "
                   "accepts; 80: about 1 in 10,000)")
    p.add_argument("--clip-seconds", type=float, default=float(DEFAULT_CLIP_SECONDS),
                   help=f"clip length in seconds, {CLIP_SECONDS_RANGE} (default {DEFAULT_CLIP_SECONDS})")
    p.add_argument("--format", dest="clip_format", choices=("mp4", "flv"), default="mp4")
    p.add_argument("--countdown", type=int, default=3, help="countdown seconds, 0-10 (default 3)")
    p.add_argument("--save-frame", type=Path, help="write the best frame the service returned here")
    p.add_argument("--json", action="store_true",
                   help="the result as strict JSON on stdout (steps go to stderr)")
    p.set_defaults(func=run)


def load_person(key: str | None) -> tuple[dict[str, Any], str]:
    """The person's entry from assets/people.json and the sample clip's file name."""
    index = asset_path("people.json")
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
        people = {p["key"]: p for p in data["people"]}
        clip = data["clip"]
        person = people[key or clip["person"]]
        return person, str(clip["file"])
    except KeyError as exc:
        raise InputError(
            f"no person {exc.args[0]!r} in {index}", f"{index} 中没有 {exc.args[0]!r}",
            fix_en="use one of the keys in assets/people.json (sample, other)",
            fix_zh="请使用 assets/people.json 中的 key（sample、other）") from None
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(
            f"{index} is not readable ({type(exc).__name__})", f"无法读取 {index}",
            fix_en="restore assets/people.json from the source checkout",
            fix_zh="请从源码恢复 assets/people.json") from None


def details_for(args: argparse.Namespace, person: dict[str, Any]) -> Details:
    """The Details of the chosen mode for the person (image files read now: errors come first)."""
    from kiosk.flow import Details, Mode

    mode = Mode(args.mode)
    if mode is Mode.CARD:
        return Details(mode, card=read_image(args.card or asset_path(person["photo"]), "card"))
    photo = read_image(args.photo, "photo") if mode is Mode.PHOTO and args.photo else None
    return Details(mode, id_number=person["id_number"], name=person["name"], photo=photo)


def read_image(path: Path, role: str) -> bytes:
    """The bytes of a card photo or photo file; InputError naming the file."""
    what_en, what_zh = ("card photo", "证件照") if role == "card" else ("photo", "照片")
    data = inputs.read_input(path, limit=inputs.MEDIA_LIMIT, what=(what_en, what_zh))
    if not data:
        raise InputError(f"the {what_en} {path} is empty", f"{what_zh} {path} 是空文件",
                         fix_en=f"give a JPEG or PNG file with --{role}",
                         fix_zh=f"请用 --{role} 指定 JPEG 或 PNG 文件")
    return data


def check_options(args: argparse.Namespace) -> None:
    """Numbers the flow cannot work with and an unwritable --save-frame, before anything starts."""
    bad: list[tuple[str, str]] = []
    if not 0 <= args.threshold <= 100:
        bad.append((f"--threshold {args.threshold:g} is outside 0-100", "--threshold 须在 0-100 之间"))
    if not clip_seconds_ok(args.clip_seconds):  # the range the recorder and the settings take
        bad.append((f"--clip-seconds {args.clip_seconds:g} is outside {CLIP_SECONDS_RANGE}",
                    f"--clip-seconds 须在 {CLIP_SECONDS_RANGE} 之间"))
    if not 0 <= args.countdown <= 10:
        bad.append((f"--countdown {args.countdown} is outside 0-10", "--countdown 须在 0-10 之间"))
    folder = args.save_frame.parent if args.save_frame else None
    if folder is not None and not (folder.is_dir() and os.access(folder, os.W_OK)):
        bad.append((f"--save-frame: the folder {folder} does not exist or is not writable",
                    f"--save-frame：文件夹 {folder} 不存在或不可写"))
    if bad:
        raise UsageError("; ".join(b[0] for b in bad), "；".join(b[1] for b in bad),
                         fix_en="correct it; 'kiosk demo --help' lists the ranges",
                         fix_zh="请修正；取值范围见 'kiosk demo --help'")


def save_frame(path: Path, data: bytes) -> None:
    """Write the best frame whole or not at all, readable by the user only (a face)."""
    from kiosk.config.atomic import write_atomic

    try:
        write_atomic(path, data, sync=False)
    except OSError as exc:
        raise InputError(
            f"cannot write the best frame to {path} ({exc.strerror or type(exc).__name__})",
            f"无法将最佳帧写入 {path}",
            fix_en="give --save-frame a path in a writable folder",
            fix_zh="请为 --save-frame 指定可写文件夹中的路径") from None


def run(args: argparse.Namespace) -> int:
    """Start the emulator, run the flow, print it; the exit status of the result."""
    from kiosk.api import Client
    from kiosk.cli.demo_printer import Printer
    from kiosk.config import AuditLog, Paths, Workspace
    from kiosk.config.leases import Leases
    from kiosk.config.pending import PendingRuns
    from kiosk.emulator import start_in_process
    from kiosk.flow import Flow, FlowSettings, GuidancePolicy
    from kiosk.media import Capture, open_audio, open_video, resolve_sources

    lang = common.lang_of(args)
    check_options(args)
    person, clip_name = load_person(args.person)
    details = details_for(args, person)
    sample = f"file:{asset_path(clip_name)}"
    camera, mic = resolve_sources(args.camera or sample, args.mic)
    preflight(camera, mic, open_video, open_audio)
    out: TextIO = sys.stderr if args.json else sys.stdout
    printer = Printer(lang, out)
    printer.line(common.pick(lang, "启动本地模拟服务…", "starting the local emulator…"))
    paths = Paths.default()
    sessions = paths.sessions_dir
    # The emulator's data and upload folders are leased: a kill leaves them to the next start.
    with start_in_process(None, leases=Leases(paths.leases_dir)) as emu:
        client = Client(emu.base_url, emu.appid, emu.secret_id, emu.secret_key)
        printer.line(common.pick(lang, f"模拟服务：{emu.base_url}；摄像头：{_short(camera)}；"
                                 f"麦克风：{_short(mic)}", f"emulator at {emu.base_url}; camera "
                                 f"{_short(camera)}; microphone {_short(mic)}"))
        settings = FlowSettings(
            clip_seconds=args.clip_seconds, clip_format=args.clip_format,
            threshold=args.threshold, countdown_seconds=args.countdown,
            guidance=GuidancePolicy.headless(max_wait=GUIDE_CAP_S))
        # One audit row, marked demo, like every verification (and a crash still leaves one).
        flow = Flow(client, lambda: Capture(open_video(camera), open_audio(mic)),
                    lambda: Workspace(sessions).open(), settings, printer,
                    audit=AuditLog(paths.audit_db), pending=PendingRuns.of(paths), demo=True)
        try:
            result = common.drive(flow, details)
        finally:
            client.close()
    if args.save_frame and result.best_frame:
        save_frame(args.save_frame, result.best_frame)
        printer.line(common.pick(lang, f"最佳帧已保存：{args.save_frame}",
                                 f"best frame saved to {args.save_frame}"))
    if args.json:
        common.emit_json(result.to_json())
    return result.exit_code


def preflight(camera: str, mic: str, open_video: Any, open_audio: Any) -> None:
    """Wrong sources fail here, as one line, before the emulator starts.

    Files and microphones are opened and closed again; a camera is only resolved (by name,
    index or path) and its device looked for, because reopening one right after closing it can
    find it busy.
    """
    from kiosk.media import is_played

    video = open_video(camera)
    if is_played(camera):
        video.start()
        video.stop()
    elif hasattr(video, "check_present"):
        video.check_present()  # a missing camera is named before the microphone is tried
    audio = open_audio(mic)
    audio.start()
    audio.stop()


def _short(spec: str) -> str:
    return f"file:{Path(spec[5:]).name}" if spec.startswith("file:") else spec
