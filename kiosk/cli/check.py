"""``kiosk check``: run the local checks on a clip, a photo, or an ID number and name."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk import core_messages, inputs
from kiosk.cli import common, messages
from kiosk.cli.common import say
from kiosk.errors import UsageError


def register(sub: Any) -> None:
    """Add ``kiosk check``."""
    parser = common.command_parser(
        sub, "check", "check a clip, a photo, or an ID number and name locally, the way the "
        "service would judge them; nothing is uploaded",
        epilog="examples:\n"
        "  kiosk check assets/sample_clip.mp4\n"
        "  kiosk check card.jpg --role card --json\n"
        "  kiosk check clip.mp4 --card card.jpg        # the body livedetectfour would send\n"
        f"  kiosk check --id-number 11010519491231002X --name {messages.SAMPLE_NAME.zh}\n\n"
        "Exit status: 0 nothing blocks, 1 something blocks (a finding predicts a refusal), "
        "2 the file is missing or unreadable, or a usage error.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", nargs="?", type=Path,
                        help="a clip (MP4/AVI/FLV) or photo (JPEG/PNG); which one is told by content")
    parser.add_argument("--role", choices=("photo", "card"), default=None,
                        help="a photo's role: the idcardcompare image (photo) or a card photo "
                        "(card); they predict different codes (default: photo)")
    parser.add_argument("--card", type=Path,
                        help="with a clip: the card photo sent with it (checked, and counted in "
                        "the request size)")
    parser.add_argument("--id-number", help="ID number to check (GB 11643-1999)")
    parser.add_argument("--name", help="the name on the ID card")
    parser.add_argument("--json", action="store_true",
                        help='strict JSON: {"ok": bool, "findings": [...]}')
    parser.set_defaults(func=run)


def _read(path: Path, what: tuple[str, str] = common.label(core_messages.FILE)) -> bytes:
    """A photo's bytes, or InputError (exit 2) naming what is wrong (kiosk.inputs' rules)."""
    return inputs.read_input(path, limit=inputs.MEDIA_LIMIT, what=what)


def _head(path: Path) -> bytes:
    """The first bytes, to tell a photo from a clip; refuses what is not a regular file."""
    with inputs.open_input(path, limit=inputs.MEDIA_LIMIT) as opened:
        return opened.read(16)


def collect(args: argparse.Namespace) -> list[Any]:
    """The findings for everything the arguments name."""
    from kiosk.api.messages import CARD_PHOTO, PHOTO
    from kiosk.checks import check_clip, check_identity, check_image
    from kiosk.checks.sniff import sniff_kind

    if args.file is None and args.id_number is None and args.name is None:
        raise UsageError(messages.NOTHING_TO_CHECK())
    findings: list[Any] = []
    if args.id_number is not None or args.name is not None:
        findings += check_identity(args.id_number or "", args.name or "")
    if args.file is not None:
        kind = sniff_kind(_head(args.file), args.file.name)
        if kind == "photo":
            if args.card is not None:
                raise UsageError(messages.CARD_WITH_A_PHOTO())
            findings += check_image(_read(args.file, common.label(PHOTO)),
                                    role=args.role or "photo")
        else:
            if args.role is not None:
                raise UsageError(messages.ROLE_WITH_A_CLIP())
            extra = 0
            if args.card is not None:
                card = _read(args.card, common.label(CARD_PHOTO))
                extra = len(card)
                findings += [f for f in check_image(card, role="card") if f.code != 23]
            findings += check_clip(args.file, extra_body_bytes=extra)
    return sorted(findings, key=lambda f: f.severity != "block")


def finding_head(f: Any, lang: str) -> str:
    """A finding as one line: severity, code, what to do (``kiosk verify`` prints it too)."""
    severity = messages.SEVERITY_BLOCK if f.severity == "block" else messages.SEVERITY_WARN
    text = f.message_zh if lang == "zh" else f.message_en
    return f"{say(lang, severity):5} {f.code:>6}  {text}"


def run(args: argparse.Namespace) -> int:
    """Print the findings; 1 when any blocks."""
    from kiosk.checks import blocking

    findings = collect(args)
    ok = not blocking(findings)
    if args.json:
        common.emit_json({"ok": ok, "findings": [f.to_json() for f in findings]})
        return 0 if ok else 1
    lang = common.lang_of(args)
    measured, limit = say(lang, messages.MEASURED), say(lang, messages.LIMIT)
    for f in findings:
        print(f"{finding_head(f, lang)}  [{measured} {f.value}; {limit} {f.limit}]")
    if ok:
        passed = messages.CHECK_PASSED_ONE_WARNING if len(findings) == 1 else messages.CHECK_PASSED
        print(say(lang, passed(count=len(findings))))
    else:
        print(say(lang, messages.CHECK_BLOCKED))
    return 0 if ok else 1
