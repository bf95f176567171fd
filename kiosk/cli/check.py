"""``kiosk check``: run the local checks on a clip, a photo, or an ID number and name."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk import inputs
from kiosk.cli import common
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
        "  kiosk check --id-number 11010519491231002X --name 王芳\n\n"
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


def _read(path: Path, what: tuple[str, str] = ("file", "文件")) -> bytes:
    """A photo's bytes, or InputError (exit 2) naming what is wrong (kiosk.inputs' rules)."""
    return inputs.read_input(path, limit=inputs.MEDIA_LIMIT, what=what)


def _head(path: Path) -> bytes:
    """The first bytes, to tell a photo from a clip; refuses what is not a regular file."""
    with inputs.open_input(path, limit=inputs.MEDIA_LIMIT) as opened:
        return opened.read(16)


def collect(args: argparse.Namespace) -> list[Any]:
    """The findings for everything the arguments name."""
    from kiosk.checks import check_clip, check_identity, check_image
    from kiosk.checks.sniff import sniff_kind

    if args.file is None and args.id_number is None and args.name is None:
        raise UsageError("nothing to check: give a FILE, or --id-number and --name",
                         "没有要检查的内容：请给出文件，或 --id-number 和 --name",
                         fix_en="see 'kiosk check --help'", fix_zh="参见 'kiosk check --help'")
    findings: list[Any] = []
    if args.id_number is not None or args.name is not None:
        findings += check_identity(args.id_number or "", args.name or "")
    if args.file is not None:
        kind = sniff_kind(_head(args.file), args.file.name)
        if kind == "photo":
            if args.card is not None:
                raise UsageError("--card goes with a clip, not a photo", "--card 只能与视频一起使用",
                                 fix_en="drop --card, or give a clip",
                                 fix_zh="请去掉 --card，或给出视频")
            findings += check_image(_read(args.file, ("photo", "照片")), role=args.role or "photo")
        else:
            if args.role is not None:
                raise UsageError("--role goes with a photo, not a clip", "--role 只能与照片一起使用",
                                 fix_en="drop --role, or give the card photo with --card",
                                 fix_zh="请去掉 --role，或用 --card 给出证件照")
            extra = 0
            if args.card is not None:
                card = _read(args.card, ("card photo", "证件照"))
                extra = len(card)
                findings += [f for f in check_image(card, role="card") if f.code != 23]
            findings += check_clip(args.file, extra_body_bytes=extra)
    return sorted(findings, key=lambda f: f.severity != "block")


def run(args: argparse.Namespace) -> int:
    """Print the findings; 1 when any blocks."""
    from kiosk.checks import blocking

    findings = collect(args)
    ok = not blocking(findings)
    if args.json:
        common.emit_json({"ok": ok, "findings": [f.to_json() for f in findings]})
        return 0 if ok else 1
    lang = common.lang_of(args)
    for f in findings:
        label = common.pick(lang, "阻止" if f.severity == "block" else "提醒", f.severity.upper())
        text = f.message_zh if lang == "zh" else f.message_en
        measured = common.pick(lang, "测得", "measured")
        limit = common.pick(lang, "限值", "limit")
        print(f"{label:5} {f.code:>6}  {text}  [{measured} {f.value}; {limit} {f.limit}]")
    if ok:
        warn = len(findings)
        print(common.pick(lang, f"通过：没有会被服务拒绝的问题（{warn} 条提醒）。",
                          f"OK: nothing the service would refuse ({warn} warning"
                          f"{'' if warn == 1 else 's'})."))
    else:
        print(common.pick(lang, "未通过：上传会被服务拒绝，请按上面的提示处理后重试。",
                          "BLOCKED: the service would refuse this; fix what is listed above and "
                          "try again."))
    return 0 if ok else 1
