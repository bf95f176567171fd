"""``kiosk gui`` (also ``kiosk`` with no command): the kiosk's window."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.cli import common


def register(sub: Any) -> None:
    """Add ``kiosk gui``."""
    p = common.command_parser(
        sub, "gui", "start the kiosk window (the default when no command is given)",
        epilog="Examples: 'kiosk' (windowed, demo mode until credentials are set); "
               "'kiosk gui --kiosk' (fullscreen, leaving needs the operator PIN); "
               "'kiosk gui --demo --camera synthetic'.")
    p.add_argument("--kiosk", action="store_true",
                   help="fullscreen that cannot be left without the operator PIN")
    p.add_argument("--demo", action="store_true",
                   help="use the local emulator even when credentials are set (a DEMO banner shows)")
    p.add_argument("--camera", metavar="SPEC",
                   help="camera for this run: name, index, /dev/v4l/by-id/ path, file:PATH or "
                        "synthetic (default: the one chosen in the operator panel)")
    p.add_argument("--mic", metavar="SPEC",
                   help="microphone for this run: default, name, index, file:PATH or synthetic")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Show the window until the operator quits; 0 on a normal exit."""
    from kiosk.ui.app import run_gui  # Qt loads only for this command

    lang = getattr(args, "lang", None)
    return run_gui(kiosk=args.kiosk, demo=args.demo, camera=args.camera, mic=args.mic,
                   lang=lang if lang in ("zh", "en") else None)
