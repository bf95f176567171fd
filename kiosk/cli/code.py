"""``kiosk code``: fetch four digits (livegetfour) for a person to read aloud on video."""

from __future__ import annotations

import argparse
import math
from typing import Any

from kiosk.cli import common, messages
from kiosk.errors import UsageError


def register(sub: Any) -> None:
    """Add ``kiosk code``."""
    parser = common.command_parser(
        sub, "code", "fetch four digits from the service (livegetfour) for the person to read "
        "aloud while recording; give them to 'kiosk verify video --code'",
        epilog="examples:\n"
        "  kiosk code\n"
        "  kiosk code --seq counter-3-0001 --json\n"
        "  KIOSK_ENDPOINT=http://127.0.0.1:8765 kiosk code    # against 'kiosk emulator'\n\n"
        "Exit status: 0 digits printed; 1 the service refused for a reason the request can "
        "change; 2 usage, configuration (credentials, signature) or network error, or the "
        "service's own trouble.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seq", metavar="ID", help="request sequence id, sent as the service's "
                        "'seq' field (1-64 letters, digits, '-' or '_')")
    parser.add_argument("--json", action="store_true",
                        help='the service\'s reply as strict JSON: {"code":0,"message":"OK",'
                        '"data":{"validate_data":"1234"}}')
    add_client_args(parser)
    parser.set_defaults(func=run)


def add_client_args(parser: argparse.ArgumentParser) -> None:
    """Connection flags and the client's timeouts and retries (shared with ``kiosk verify``)."""
    common.add_connection_args(parser)
    g = parser.add_argument_group("network")
    g.add_argument("--connect-timeout", type=float, default=5.0, metavar="S",
                   help="seconds to wait for a connection (default 5)")
    g.add_argument("--read-timeout", type=float, default=60.0, metavar="S",
                   help="seconds to wait for the reply once sent (default 60)")
    g.add_argument("--retries", type=int, default=3, metavar="N",
                   help="extra attempts where a retry is safe (default 3; see docs/api.md)")


def open_client(args: argparse.Namespace) -> Any:
    """A ``kiosk.api.Client`` from the flags, KIOSK_* variables and settings."""
    from kiosk.api import Client

    for name in ("connect_timeout", "read_timeout"):
        value = getattr(args, name)
        if not (math.isfinite(value) and value > 0):
            flag = "--" + name.replace("_", "-")
            raise UsageError(messages.NOT_POSITIVE_SECONDS(flag=flag, value=value))
    if not 0 <= args.retries <= 10:
        raise UsageError(messages.RETRIES_OUT_OF_RANGE(retries=args.retries))
    conn = common.resolve_connection(args)
    _protect(conn.secret_key)
    return Client(conn.endpoint, conn.appid, conn.secret_id, conn.secret_key,
                  bucket=conn.bucket, host=conn.host, connect_timeout=args.connect_timeout,
                  read_timeout=args.read_timeout, retries=args.retries)


def _protect(secret: str) -> None:
    """Keep a key read from the settings store out of every later log line too."""
    from kiosk.config.logs import protect_secret

    protect_secret(secret)


def strict(value: Any) -> Any:
    """``value`` with non-finite numbers turned to null, so it prints as strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict(v) for v in value]
    return value


def reply_json(body: dict[str, Any]) -> dict[str, Any]:
    """The reply as the docs show it: code, message, data first; strict JSON values."""
    ordered: dict[str, Any] = {k: body[k] for k in ("code", "message", "data") if k in body}
    ordered.update((k, v) for k, v in body.items() if k not in ordered)
    return dict(strict(ordered))


def run(args: argparse.Namespace) -> int:
    """Print the four digits (or the reply as JSON)."""
    from kiosk.api import four_digits

    seq = common.run_id(args.seq, "--seq")  # the rule kiosk verify holds its ids to
    with open_client(args) as client:
        reply = client.send(client.build_request("livegetfour", seq=seq or None))
    digits = four_digits(reply.data.get("validate_data"))  # ProtocolError (exit 2) otherwise
    if args.json:
        common.emit_json(reply_json(reply.body))
    else:
        print(digits)
    return 0
