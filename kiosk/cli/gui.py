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
               "'kiosk gui --demo --camera synthetic'. A supervisor process restarts the window "
               "within seconds after a crash or a hang (--no-supervisor: no restarts).")
    p.add_argument("--kiosk", action="store_true",
                   help="fullscreen that cannot be left without the operator PIN")
    p.add_argument("--demo", action="store_true",
                   help="use the local emulator even when credentials are set (a DEMO banner shows)")
    p.add_argument("--camera", metavar="SPEC",
                   help="camera for this run: name, index, /dev/v4l/by-id/ path, file:PATH or "
                        "synthetic (default: the one chosen in the operator panel)")
    p.add_argument("--mic", metavar="SPEC",
                   help="microphone for this run: default, name, index, file:PATH or synthetic")
    p.add_argument("--no-supervisor", action="store_true",
                   help="run the window in this process, without the supervisor that restarts it "
                        "after a crash or a hang (for debugging)")
    p.set_defaults(func=run)


def child_args(args: argparse.Namespace) -> list[str]:
    """The command line of the supervised window: this one's options, ``gui`` spelt out."""
    argv = ["gui"]
    argv += ["--kiosk"] if args.kiosk else []
    argv += ["--demo"] if args.demo else []
    argv += ["--camera", args.camera] if args.camera else []
    argv += ["--mic", args.mic] if args.mic else []
    argv += ["--lang", args.lang] if getattr(args, "lang", None) else []
    argv += ["--verbose"] if getattr(args, "verbose", False) else []
    return argv


def run(args: argparse.Namespace) -> int:
    """Show the window until the operator quits; 0 on a normal exit.

    By default the window runs in a child process under kiosk.supervisor, which starts it again
    after a crash or a hang; that child (``KIOSK_SUPERVISED`` set) and ``--no-supervisor`` run it
    here.
    """
    from kiosk import supervisor

    parent = supervisor.supervisor_pid()
    if parent is None and not args.no_supervisor and supervisor.supported():
        return supervisor.supervise(child_args(args))
    if parent is not None:
        supervisor.die_with_parent(parent)  # no window outlives a killed supervisor
    common.apply_threshold_overrides(args)  # the window's checks judge with the operator's values
    from kiosk.fleet.sender import start_background

    # Audit rows and heartbeats to the fleet, on their own thread, once joined; the desk's
    # self-test and a device failing a session reach the next heartbeat through its reports.
    sender = start_background()
    reported = sender.reported if sender is not None else None
    from kiosk.ui.app import run_gui  # Qt loads only for this command

    lang = getattr(args, "lang", None)
    return run_gui(kiosk=args.kiosk, demo=args.demo, camera=args.camera, mic=args.mic,
                   lang=lang if lang in ("zh", "en") else None,
                   on_self_test=reported.self_test if reported is not None else None,
                   on_session_failed=reported.session_failed if reported is not None else None)
