"""The ``kiosk`` command line: parses, calls the layers below, prints. No logic of its own.

Each command lives in a module of this package with ``register(subparsers)``, which adds its
parser and sets ``func`` to a ``run(args) -> int``. Exit status: 0 success and a pass; 1 a refusal,
a failed verdict or a blocking finding; 2 usage, configuration or environment errors.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from kiosk import __version__
from kiosk.cli import common, messages
from kiosk.errors import KioskError

# Order is the order of ``kiosk --help``.
COMMANDS = (
    "demo",
    "gui",
    "code",
    "verify",
    "check",
    "record",
    "devices",
    "emulator",
    "config",
    "audit",
    "doctor",
    "fleet",
)

log = logging.getLogger("kiosk.cli")


def build_parser(commands: Sequence[str] = COMMANDS) -> argparse.ArgumentParser:
    """The whole parser, one sub-parser per command module (or only ``commands``' sub-parsers:
    ``kiosk gui`` needs no other, and importing them all costs its start ~0.1 s)."""
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Face-verification kiosk for the v1 face-verification API "
        f"({messages.API_NAME.zh}). Without a command, starts the GUI.",
        epilog="Exit status: 0 success and a pass (verified); 1 not verified: a failed verdict, a "
        "refusal the person can change, a blocking finding; 2 could not check: usage, "
        "configuration, network or the service's own trouble (docs/outcomes.md).",
    )
    parser.add_argument("--version", action="store_true", help="print versions and paths, then exit")
    common.add_base_args(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in commands:
        importlib.import_module(f"kiosk.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    given = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(("gui",) if given[:1] == ["gui"] else COMMANDS)
    args = parser.parse_args(argv)
    _startup_screen(args)
    lang = common.lang_of(args)
    try:
        common.setup_logging(args)
        if args.version:
            return common.print_version()
        if not getattr(args, "func", None):  # no command: the GUI, as `kiosk --help` says
            args = parser.parse_args(["gui", *(sys.argv[1:] if argv is None else argv)])
        if args.command in common.JUDGING_COMMANDS:
            common.apply_threshold_overrides(args)
        return int(args.func(args))
    except KioskError as exc:
        # The log keeps what the user was told (masked by the log's filter), for support.
        log.info("%s ended: %s (exit %d)", getattr(args, "command", None) or "kiosk",
                    exc.text("en"), exc.exit_code)
        print(f"error: {exc.text(lang)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted — nothing was sent after the interruption", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception:  # the last line of defence: a log entry for us, one line for the user
        log.exception("unexpected error")
        said = messages.INTERNAL_ERROR  # in both languages: the choice may be what failed
        print(f"error: {said.en} ({said.zh}) — {said.fix_en}", file=sys.stderr)
        return 2


def _startup_screen(args: argparse.Namespace) -> None:
    """The window's process shows its start-up screen first, once its command line is known to
    be valid and before the GUI's modules are imported (kiosk.ui.startup says why)."""
    if startup_wanted(args):
        from kiosk.ui import startup

        startup.show(fullscreen=bool(args.kiosk))


def startup_wanted(args: argparse.Namespace) -> bool:
    """Whether ``args`` show the window in this process (kiosk.ui.startup.window_process)."""
    if args.command != "gui":
        return False  # no GUI package for the other commands (kiosk --version imports little)
    from kiosk import supervisor
    from kiosk.ui.startup import window_process

    return window_process(no_supervisor=bool(args.no_supervisor),
                          child=supervisor.supervisor_pid() is not None,
                          can_supervise=supervisor.supported())


__all__ = ["main", "build_parser", "__version__"]
