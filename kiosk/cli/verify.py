"""``kiosk verify photo|video``: a given photo or clip through the kiosk's flow, as the GUI and
``kiosk demo`` run it (kiosk.flow): local checks, one call to the service, a verdict, its audit row.

The flow is handed what a camera would have made: in the video modes the clip and the digits read
in it (no code, guidance or recording step), in photo mode the photo or a URL the service fetches.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.cli import common, messages
from kiosk.cli.code import add_client_args, open_client
from kiosk.errors import KioskError, ServiceError, UsageError

if TYPE_CHECKING:
    import numpy as np

    from kiosk.api import CompareResult, LiveResult
    from kiosk.checks.card_frame import CardFeedback
    from kiosk.checks.findings import Finding
    from kiosk.checks.live import FrameFeedback
    from kiosk.flow import Details
    from kiosk.flow.ports import Progress

# The threshold of a run whose settings cannot be read (it ends in that error before a verdict).
DEFAULT_THRESHOLD = 70.0

EXIT_STATUS = ("Exit status: 0 verified: the call succeeded and the verdict is a pass; 1 not "
               "verified: the verdict failed, the service refused for a reason the person can "
               "change, or a local check blocked the upload; 2 could not check: usage, "
               "configuration (credentials, signature), file or network error, the service's "
               "own trouble (5xx, -5802), or the verdict (still printed) could not be recorded "
               "in the audit log.")


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
        "  kiosk verify photo --image face.jpg --id-number 11010519491231002X --name "
        f"{messages.SAMPLE_NAME.zh}\n"
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
        f"--name {messages.SAMPLE_NAME.zh} --json\n\n" + EXIT_STATUS)
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


def details_of(args: argparse.Namespace) -> Details:
    """The flow's Details, with usage errors for combinations argparse cannot express.

    Files are given as paths: the flow reads them, so an unreadable one ends in its error row.
    """
    from kiosk.flow import Details, Mode

    if args.mode == "photo":
        return Details(Mode.PHOTO, id_number=args.id_number.strip(), name=args.name.strip(),
                       photo=args.image, url=(args.url or "").strip())
    by_card = args.card is not None
    by_id = args.id_number is not None or args.name is not None
    if by_card == by_id:
        raise UsageError(messages.CARD_OR_IDENTITY())
    if by_id and not (args.id_number and args.name):
        raise UsageError(messages.IDENTITY_TOGETHER())
    from kiosk.api import is_four_digits  # the rule kiosk code holds the service's reply to

    code = args.code.strip()
    if not is_four_digits(code):
        raise UsageError(messages.NOT_FOUR_DIGITS(given=args.code))
    return Details(Mode.CARD if by_card else Mode.IDCARD,
                   id_number=(args.id_number or "").strip(), name=(args.name or "").strip(),
                   card=args.card, clip=args.video, code=code, seq=args.seq or "")


class Service:
    """The flow's client for one ``kiosk verify``.

    The command's client, or why it could not be made (settings, credentials, flags): then every
    call raises that, and the run ends in the flow's error row like any other failure. It sends
    the command's ``--session-id`` and keeps the service's last reply (``--json`` prints it) and
    refusal (printed as ``kiosk code`` prints one, with what the server said).
    """

    def __init__(self, client: Any = None, failure: KioskError | None = None,
                 session_id: str | None = None) -> None:
        self.client = client
        self.failure = failure
        self.session_id = session_id
        self.reply: dict[str, Any] | None = None
        self.refusal: ServiceError | None = None

    def _call(self, name: str, *args: Any, **kw: Any) -> Any:
        if self.client is None:
            raise self.failure or AssertionError("no client")
        try:
            result = getattr(self.client, name)(*args, **kw)
        except ServiceError as exc:
            self.refusal = exc
            self.reply = exc.reply if isinstance(exc.reply, dict) else None
            raise
        self.reply = result.raw
        return result

    def livegetfour(self, seq: str | None = None) -> str:
        """Never called: the digits come with the clip."""
        raise AssertionError("kiosk verify is given its digits")

    def idcardcompare(self, idcard_number: str, idcard_name: str, *,
                      image: bytes | Path | None = None,
                      url: str | None = None) -> CompareResult:
        """kiosk.api.Client.idcardcompare, with the command's session id."""
        return self._call("idcardcompare", idcard_number, idcard_name, image=image, url=url,
                          session_id=self.session_id)

    def livedetectfour(self, video: Path, validate_data: str, *, card: bytes | Path | None = None,
                       compare_flag: bool = True, seq: str | None = None,
                       progress: Progress | None = None) -> LiveResult:
        """kiosk.api.Client.livedetectfour."""
        return self._call("livedetectfour", video, validate_data, card=card,
                          compare_flag=compare_flag, seq=seq, progress=progress)

    def idcardlivedetectfour(self, video: Path, validate_data: str, idcard_number: str,
                             idcard_name: str, *, seq: str | None = None,
                             progress: Progress | None = None) -> LiveResult:
        """kiosk.api.Client.idcardlivedetectfour."""
        return self._call("idcardlivedetectfour", video, validate_data, idcard_number,
                          idcard_name, seq=seq, progress=progress)

    def abort(self) -> None:
        """Cut the call in flight (Ctrl-C)."""
        if self.client is not None:
            self.client.abort()

    def close(self) -> None:
        """Close the client, if one was made."""
        if self.client is not None:
            self.client.close()


def open_service(args: argparse.Namespace) -> tuple[Service, float]:
    """The Service and the threshold; a failure to make them is kept for the run to end in."""
    try:
        threshold = float(common.settings_of(args).get("threshold"))
        service = Service(open_client(args), session_id=getattr(args, "session_id", None))
    except KioskError as exc:
        return Service(failure=exc), DEFAULT_THRESHOLD
    return service, threshold


class NoChecks:
    """The local checks of ``--no-check``, and of a run that cannot be sent: none.

    The service judges; the client's guards (body size, GIFs, required fields) still apply.
    """

    def identity(self, id_number: str, name: str) -> list[Finding]:
        """Nothing found."""
        return []

    def image(self, data: bytes, role: str) -> list[Finding]:
        """Nothing found."""
        return []

    def clip(self, path: Path, extra_body_bytes: int) -> list[Finding]:
        """Nothing found."""
        return []

    def frame(self, image: np.ndarray) -> FrameFeedback:
        """Never called: there is no preview."""
        raise AssertionError("kiosk verify shows no preview")

    def card_frame(self, image: np.ndarray) -> CardFeedback:
        """Never called: there is no preview."""
        raise AssertionError("kiosk verify shows no preview")


def _nothing_to_record() -> Any:
    raise AssertionError("kiosk verify records nothing: its photo or clip is given")


def run(args: argparse.Namespace) -> int:
    """Run the flow on the given media, print how it ended; the flow writes the one audit row."""
    details = details_of(args)  # a usage error is not a verification: no row
    from kiosk.cli.verify_output import Console
    from kiosk.config import AuditLog, Paths
    from kiosk.flow import Flow, FlowSettings
    from kiosk.flow.ports import RealChecks

    service, threshold = open_service(args)
    console = Console(common.lang_of(args), as_json=args.json,
                      bar=sys.stderr.isatty() and details.mode.uses_video)
    checked = not args.no_check and service.failure is None  # nothing to check when unsendable
    # No pending marker (kiosk.config.pending): nothing of the person is kept on disk, and a
    # marker that cannot be written (a full disk) would be one more line on stderr.
    flow = Flow(service, _nothing_to_record, _nothing_to_record, FlowSettings(threshold=threshold),
                console, checks_factory=RealChecks if checked else NoChecks,
                audit=AuditLog(Paths.default().audit_db))
    try:
        result = common.drive(flow, details)
    finally:
        console.close()
        service.close()
    return console.report(result, service)
