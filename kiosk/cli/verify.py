"""``kiosk verify photo|video``: local checks, then one call to the service, a verdict, an audit row."""

from __future__ import annotations

import argparse
import logging
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk import inputs
from kiosk.cli import common
from kiosk.cli.code import add_client_args, open_client, reply_json
from kiosk.errors import KioskError, NotRecorded, ServiceError, UsageError

log = logging.getLogger("kiosk.cli.verify")

EXIT_STATUS = ("Exit status: 0 the call succeeded and the verdict is a pass; 1 the service "
               "refused, the verdict failed or a local check blocked the upload; 2 usage, "
               "configuration, file or network error, or the verdict (still printed) could not "
               "be recorded in the audit log.")


def register(sub: Any) -> None:
    """Add ``kiosk verify photo`` and ``kiosk verify video``."""
    parser = common.command_parser(
        sub, "verify", "verify a person with one call to the service: a photo against the ID "
        "registry, or a recorded video against a card photo or the ID registry")
    kinds = parser.add_subparsers(dest="verify_kind", metavar="KIND")
    photo = common.command_parser(
        kinds, "photo", "compare a photo with the registry's photo of an ID number "
        "(idcardcompare)", formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  kiosk verify photo --image face.jpg --id-number 11010519491231002X --name 王芳\n"
        "  kiosk verify photo --url https://example.com/face.jpg --id-number ... --name ... "
        "--json\n\n" + EXIT_STATUS)
    source = photo.add_mutually_exclusive_group(required=True)
    source.add_argument("--image", type=Path, metavar="FILE", help="photo file (JPEG or PNG)")
    source.add_argument("--url", help="image URL the service fetches (not checked locally)")
    photo.add_argument("--id-number", required=True, metavar="N", help="18-character ID number")
    photo.add_argument("--name", required=True, help="the name on the ID card")
    photo.add_argument("--session-id", help="session id sent with the request, for lookups")
    _common_flags(photo)
    photo.set_defaults(func=run, mode="photo")

    video = common.command_parser(
        kinds, "video", "check a recorded clip for liveness and compare it with a card photo "
        "(livedetectfour) or with the registry's photo of an ID number (idcardlivedetectfour)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  CODE=$(kiosk code)   # the person reads these digits aloud while recording\n"
        "  kiosk verify video --video clip.mp4 --code $CODE --card card.jpg\n"
        "  kiosk verify video --video clip.mp4 --code $CODE --id-number 11010519491231002X "
        "--name 王芳 --json\n\n" + EXIT_STATUS)
    video.add_argument("--video", required=True, type=Path, metavar="FILE",
                       help="the clip (MP4, AVI or FLV), at most 6 MB with everything else")
    video.add_argument("--code", required=True, metavar="DIGITS",
                       help="the four digits from 'kiosk code' that the person read aloud")
    video.add_argument("--card", type=Path, metavar="FILE",
                       help="card photo to compare with (livedetectfour); or give --id-number "
                       "and --name")
    video.add_argument("--id-number", metavar="N", help="ID number (idcardlivedetectfour)")
    video.add_argument("--name", help="the name on the ID card (idcardlivedetectfour)")
    video.add_argument("--seq", help="request sequence id (default: a fresh random one, kept in "
                       "the audit log)")
    _common_flags(video)
    video.set_defaults(func=run, mode="video")
    parser.set_defaults(func=lambda args: _need_kind(parser))


def _common_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true",
                        help='strict JSON: the service\'s reply {"code":..,"message":..,'
                        '"data":{..}} (photo fields as base64); when a local check blocks, '
                        '{"ok": false, "findings": [...]}')
    parser.add_argument("--no-check", action="store_true",
                        help="skip the local checks and let the service judge (guards against "
                        "over-size bodies and GIFs still apply)")
    common.add_setting_args(parser, "threshold")
    add_client_args(parser)


def _need_kind(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


@dataclass
class Job:
    """One verification as the arguments describe it."""

    mode: str  # the audit's and flow's mode: photo | card | idcard
    id_number: str = ""
    name: str = ""
    image: bytes | None = None
    url: str = ""
    video: Path | None = None
    card: bytes | None = None
    code: str = ""
    seq: str = ""
    durations: dict[str, float] = field(default_factory=dict)


def _usage(en: str, zh: str) -> UsageError:
    return UsageError(en, zh, fix_en="see 'kiosk verify video --help'",
                      fix_zh="参见 'kiosk verify video --help'")


def job_of(args: argparse.Namespace) -> Job:
    """The job, with usage errors for combinations argparse cannot express."""
    if args.mode == "photo":
        return Job("photo", id_number=args.id_number.strip(), name=args.name.strip(),
                   url=(args.url or "").strip())
    by_card = args.card is not None
    by_id = args.id_number is not None or args.name is not None
    if by_card == by_id:
        raise _usage("give either --card FILE, or --id-number and --name (not both, not neither)",
                     "请给出 --card 文件，或 --id-number 和 --name（二选一）")
    if by_id and not (args.id_number and args.name):
        raise _usage("--id-number and --name go together", "--id-number 和 --name 需同时给出")
    from kiosk.api import is_four_digits  # the rule kiosk code holds the service's reply to

    code = args.code.strip()
    if not is_four_digits(code):
        raise UsageError(f"--code {args.code!r} is not the digits 'kiosk code' printed",
                         f"--code {args.code!r} 不是 'kiosk code' 给出的数字",
                         fix_en="run 'kiosk code' and give its four digits",
                         fix_zh="请运行 'kiosk code' 并填入它给出的四位数字")
    return Job("card" if by_card else "idcard", id_number=(args.id_number or "").strip(),
               name=(args.name or "").strip(), video=args.video, code=code,
               seq=args.seq or uuid.uuid4().hex)


def read_file(path: Path, what_en: str, what_zh: str) -> bytes:
    """A file's bytes, or InputError (exit 2) naming which file and why (kiosk.inputs' rules)."""
    return inputs.read_input(path, limit=inputs.MEDIA_LIMIT, what=(what_en, what_zh),
                             empty_ok=False)


def readable(path: Path, what_en: str, what_zh: str) -> None:
    """InputError unless ``path`` is a non-empty regular file this user may read (not loaded)."""
    inputs.check_input(path, limit=inputs.MEDIA_LIMIT, what=(what_en, what_zh), empty_ok=False)


def load_inputs(job: Job, args: argparse.Namespace) -> None:
    """Read the photo files and make sure the video can be read, before any network or check."""
    if job.mode == "photo" and args.image is not None:
        job.image = read_file(args.image, "photo", "照片")
    if job.mode == "card":
        job.card = read_file(args.card, "card photo", "证件照")
    if job.video is not None:
        readable(job.video, "video", "视频")


def local_findings(job: Job) -> list[Any]:
    """kiosk.checks over what will be sent; blocking findings first."""
    from kiosk.checks import check_clip, check_identity, check_image

    findings: list[Any] = []
    if job.mode in ("photo", "idcard"):
        findings += check_identity(job.id_number, job.name)
    if job.image is not None:
        findings += check_image(job.image, role="photo")
    if job.card is not None:
        # The card's size is counted once, with the clip's, as one request body.
        findings += [f for f in check_image(job.card, role="card") if f.code != 23]
    if job.video is not None:
        fields = job.code + job.id_number + job.name + job.seq
        extra = len(job.card or b"") + len(fields.encode("utf-8"))
        findings += check_clip(job.video, extra_body_bytes=extra)
    return sorted(findings, key=lambda f: f.severity != "block")


def upload_progress(enabled: bool) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A progress callback drawing a bar on stderr once an upload has taken a second; its closer."""
    bars: list[Any] = []
    if not enabled:
        return (lambda sent, total: None), (lambda: None)
    from tqdm import tqdm

    def progress(sent: int, total: int) -> None:
        if not bars or bars[-1].total != total or sent < bars[-1].n:  # a retry starts over
            if bars:
                bars[-1].close()
            bars.append(tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024,
                             file=sys.stderr, delay=1.0, leave=False, desc="upload"))
        bars[-1].update(sent - bars[-1].n)

    def close() -> None:
        for bar in bars:
            bar.close()

    return progress, close


def call_service(client: Any, job: Job, progress: Callable[[int, int], None]) -> Any:
    """The one API call the job needs; its typed result."""
    if job.mode == "photo":
        return client.idcardcompare(job.id_number, job.name, image=job.image,
                                    url=job.url or None)
    assert job.video is not None
    if job.mode == "card":
        return client.livedetectfour(job.video, job.code, card=job.card, compare_flag=True,
                                     seq=job.seq, progress=progress)
    return client.idcardlivedetectfour(job.video, job.code, job.id_number, job.name,
                                       seq=job.seq, progress=progress)


@contextmanager
def timed(job: Job, step: str, clock: Callable[[], float]) -> Iterator[None]:
    """Add the block's duration to the job's ``step``, even when it raises."""
    start = clock()
    try:
        yield
    finally:
        job.durations[step] = round(job.durations.get(step, 0.0) + clock() - start, 3)


def _verify(job: Job, args: argparse.Namespace, client: Any, audit: Any,
            threshold: float) -> int:
    """Read, check, call and report; the exit status."""
    from kiosk.cli import verify_output as out

    lang = common.lang_of(args)
    with timed(job, "read", time.monotonic):
        load_inputs(job, args)
    if not args.no_check:
        with timed(job, "checks", time.monotonic):
            findings = local_findings(job)
        if out.blocks(findings):
            audit.blocked(findings)  # the record first, then what is shown
            out.print_findings(findings, lang, as_json=args.json)
            audit.check()
            return 1
        if not args.json:
            out.print_warnings(findings, lang)
    progress, close_bar = upload_progress(sys.stderr.isatty() and job.video is not None)
    try:
        with timed(job, "upload", time.monotonic):
            result = call_service(client, job, progress)
    finally:
        close_bar()
    verdict = out.verdict_of(job, result, threshold)
    audit.finished(verdict, result)
    if args.json:
        common.emit_json(reply_json(result.raw))
    else:
        out.print_verdict(verdict, lang)
    audit.check()
    return 0 if verdict.passed else 1


def run(args: argparse.Namespace) -> int:
    """Check, call, print the verdict; write one audit row whatever happens."""
    from kiosk.cli import verify_output as out

    job = job_of(args)
    audit = out.Audit(job)
    try:
        threshold = float(common.settings_of(args).get("threshold"))
        client = open_client(args)  # configuration errors show before any slow work
        try:
            return _verify(job, args, client, audit, threshold)
        finally:
            client.close()
    except ServiceError as exc:
        audit.refused(exc)
        if args.json and isinstance(exc.reply, dict):
            common.emit_json(reply_json(exc.reply))
        audit.reraise(exc, common.lang_of(args))
        raise
    except NotRecorded:
        raise
    except KioskError as exc:
        audit.error(exc)
        audit.reraise(exc, common.lang_of(args))
        raise
    except KeyboardInterrupt:
        audit.cancelled()
        raise
    except BaseException:
        audit.error(None)
        raise
