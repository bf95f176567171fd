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
from kiosk.cli import common, messages
from kiosk.cli.common import say
from kiosk.clip_length import CLIP_SECONDS_RANGE, DEFAULT_CLIP_SECONDS, clip_seconds_ok
from kiosk.errors import InputError, UsageError
from kiosk.resources import asset_path
from kiosk.texts import Message

if TYPE_CHECKING:
    from kiosk.flow import Details

# kiosk.flow (and with it numpy, OpenCV, PyAV) loads when the demo runs, not when the parser is
# built: every command builds it, the GUI's supervisor too, which should stay small.
MODES = ("idcard", "card", "photo", "live")  # = kiosk.flow.Mode's values (a test holds them equal)

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
                   "photo: a still from the camera vs ID number; live: video, liveness only "
                   "(compared with nobody)")
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
        raise InputError(messages.NO_SUCH_PERSON(key=exc.args[0], index=index)) from None
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(messages.PEOPLE_UNREADABLE(index=index,
                                                    error=type(exc).__name__)) from None


def details_for(args: argparse.Namespace, person: dict[str, Any]) -> Details:
    """The Details of the chosen mode for the person (image files read now: errors come first)."""
    from kiosk.flow import Details, Mode

    mode = Mode(args.mode)
    if mode is Mode.CARD:
        return Details(mode, card=read_image(args.card or asset_path(person["photo"]), "card"))
    if mode is Mode.LIVE:  # nobody to compare with: no ID, name or photo
        return Details(mode)
    photo = read_image(args.photo, "photo") if mode is Mode.PHOTO and args.photo else None
    return Details(mode, id_number=person["id_number"], name=person["name"], photo=photo)


def read_image(path: Path, role: str) -> bytes:
    """The bytes of a card photo or photo file; InputError naming the file."""
    from kiosk.api.messages import CARD_PHOTO, PHOTO

    what = CARD_PHOTO if role == "card" else PHOTO
    data = inputs.read_input(path, limit=inputs.MEDIA_LIMIT, what=common.label(what))
    if not data:
        raise InputError(messages.IMAGE_FILE_EMPTY(what=what, path=path, role=role))
    return data


def check_options(args: argparse.Namespace) -> None:
    """Numbers the flow cannot work with and an unwritable --save-frame, before anything starts."""
    bad: list[Message] = []
    if not 0 <= args.threshold <= 100:
        bad.append(messages.THRESHOLD_OUTSIDE(value=args.threshold))
    if not clip_seconds_ok(args.clip_seconds):  # the range the recorder and the settings take
        bad.append(messages.CLIP_SECONDS_OUTSIDE(value=args.clip_seconds,
                                                 range=CLIP_SECONDS_RANGE))
    if not 0 <= args.countdown <= 10:
        bad.append(messages.COUNTDOWN_OUTSIDE(value=args.countdown))
    folder = args.save_frame.parent if args.save_frame else None
    if folder is not None and not (folder.is_dir() and os.access(folder, os.W_OK)):
        bad.append(messages.FRAME_FOLDER_UNWRITABLE(folder=folder))
    if bad:
        fix = messages.FIX_DEMO_OPTIONS
        raise UsageError("; ".join(b.en for b in bad), "；".join(b.zh for b in bad),
                         fix_en=fix.en, fix_zh=fix.zh)


def save_frame(path: Path, data: bytes) -> None:
    """Write the best frame whole or not at all, readable by the user only (a face)."""
    from kiosk.config.atomic import write_atomic

    try:
        write_atomic(path, data, sync=False)
    except OSError as exc:
        raise InputError(messages.CANNOT_WRITE_FRAME(
            path=path, reason=exc.strerror or type(exc).__name__)) from None


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
    printer.line(say(lang, messages.STARTING_EMULATOR))
    paths = Paths.default()
    sessions = paths.sessions_dir
    # The emulator's data and upload folders are leased: a kill leaves them to the next start.
    with start_in_process(None, leases=Leases(paths.leases_dir)) as emu:
        client = Client(emu.base_url, emu.appid, emu.secret_id, emu.secret_key)
        printer.line(say(lang, messages.DEMO_SETUP(url=emu.base_url, camera=_short(camera),
                                                   mic=_short(mic))))
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
        printer.line(say(lang, messages.FRAME_SAVED(path=args.save_frame)))
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
