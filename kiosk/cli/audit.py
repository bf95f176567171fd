"""``kiosk audit list|export``: the record of verifications (masked; no names, no media)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.cli import common, messages
from kiosk.config import AuditLog, AuditRecord, Paths
from kiosk.errors import UsageError


def register(sub: Any) -> None:
    """Add ``kiosk audit`` and its sub-commands."""
    parser = common.command_parser(sub, "audit", "the audit log: one row per verification, "
                                   "ID numbers masked, no names, no media")
    cmds = parser.add_subparsers(dest="audit_command", metavar="ACTION")
    listing = common.command_parser(cmds, "list", "print the rows")
    listing.add_argument("--since", type=since_date, metavar="DATE",
                         help="only rows from DATE on (YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time)")
    listing.add_argument("--json", action="store_true", help="strict JSON, one list")
    listing.set_defaults(func=run_list)
    export = common.command_parser(cmds, "export", "write the rows to a CSV file")
    export.add_argument("--csv", required=True, type=Path, metavar="FILE", help="output file")
    export.add_argument("--since", type=since_date, metavar="DATE", help="only rows from DATE on")
    export.set_defaults(func=run_export)
    parser.set_defaults(func=lambda args: _need_action(parser))


def _need_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def since_date(text: str) -> datetime:
    """A date or date-time in local time (argparse type), as an aware datetime."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        said = messages.DATE_FORMAT
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: {said.en} ({said.zh})") from None
    return value if value.tzinfo else value.astimezone()


def _log() -> AuditLog:
    return AuditLog(Paths.default().audit_db)


def run_list(args: argparse.Namespace) -> int:
    """``kiosk audit list``."""
    rows = _log().rows(args.since)
    if args.json:
        common.emit_json([r.to_json() for r in rows])
        return 0
    lang = common.lang_of(args)
    if not rows:
        print(common.say(lang, messages.NO_ROWS))
        return 0
    header = ("time", "mode", "outcome", "demo", "code", "sim", "live", "cmp", "id", "session/seq", "seconds")
    table = [header, *(_cells(r) for r in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def _cells(r: AuditRecord) -> tuple[str, ...]:
    local = datetime.fromisoformat(r.time).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    code = "" if r.code is None else f"{r.code}{'*' if r.predicted else ''}"
    sim = "" if r.similarity is None else f"{r.similarity:g}"
    steps = " ".join(f"{k}={v:g}" for k, v in r.durations.items())
    return (local, r.mode, r.outcome, "demo" if r.demo else "", code, sim, _opt(r.live_status), _opt(r.compare_status),
            r.id_masked, r.session_id or r.seq, steps)


def _opt(value: int | None) -> str:
    return "" if value is None else str(value)


def run_export(args: argparse.Namespace) -> int:
    """``kiosk audit export --csv FILE``."""
    out: Path = args.csv
    if out.is_dir():
        raise UsageError(messages.EXPORT_IS_A_FOLDER(out=out))
    count = _log().export_csv(out, args.since)
    lang = common.lang_of(args)
    print(common.say(lang, messages.ROWS_EXPORTED(count=count, out=out)))
    return 0
