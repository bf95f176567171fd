"""``kiosk doctor``: is this machine ready? ffmpeg, devices, display, endpoint, signature, clock."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.cli import common, messages
from kiosk.config.doctor import FAIL, OK, WARN, exit_status, run_all
from kiosk.texts import pick


def register(sub: Any) -> None:
    """Add ``kiosk doctor``."""
    parser = common.command_parser(
        sub, "doctor", "check ffmpeg, cameras, microphones, display, the endpoint (reachable, "
        "TLS), the signature (a livegetfour call) and the clock; says how to fix each problem",
        epilog="Exit status: 0 all OK; 1 warnings only; 2 at least one check failed.")
    parser.add_argument("--json", action="store_true", help="strict JSON, one object per check")
    common.add_connection_args(parser)
    common.add_setting_args(parser, "camera", "mic")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run every check, print them, exit 0/1/2."""
    settings = common.settings_of(args)
    checks = run_all(settings)
    if args.json:
        common.emit_json([c.to_json() for c in checks])
        return exit_status(checks)
    lang = common.lang_of(args)
    marks = {OK: "OK  ", WARN: "WARN", FAIL: "FAIL"}
    width = max(len(c.name) for c in checks)
    for c in checks:
        print(f"{marks[c.status]}  {c.name:<{width}}  {pick(lang, c.detail_zh or c.detail_en, c.detail_en)}")
        fix = pick(lang, c.fix_zh or c.fix_en, c.fix_en)
        if c.status != OK and fix:
            print(f"      {'':<{width}}  {common.say(lang, messages.FIX_LABEL)}{fix}")
    return exit_status(checks)
