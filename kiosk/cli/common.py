"""What several commands share: language, logging, connection settings, output helpers."""

from __future__ import annotations

import argparse
import json
import locale
import logging
import os
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.cli import messages
from kiosk.endpoint import DEFAULT_ENDPOINT
from kiosk.errors import ConfigError, UsageError
from kiosk.texts import Message, Text, pick

if TYPE_CHECKING:
    from kiosk.flow import Details, Flow, Result

ENV_PREFIX = "KIOSK_"


def add_base_args(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """--lang and --verbose, accepted before or after the command name."""
    default = argparse.SUPPRESS if not top_level else None
    parser.add_argument("--lang", choices=("zh", "en"), default=default,
                        help="language of messages (default: from the locale)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        default=argparse.SUPPRESS if not top_level else False,
                        help="more detail in the log")


def command_parser(sub: Any, name: str, help_text: str, **kw: Any) -> argparse.ArgumentParser:
    """Add a command's parser with the shared base options."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text, **kw)
    add_base_args(parser)
    return parser


def lang_of(args: argparse.Namespace) -> str:
    """The language asked for, else the locale's (zh for Chinese locales), else English."""
    lang = getattr(args, "lang", None) or os.environ.get(ENV_PREFIX + "LANG")
    if lang in ("zh", "en"):
        return lang
    loc = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    if not loc:
        loc = locale.getlocale()[0] or ""
    return "zh" if loc.lower().startswith("zh") else "en"


def setup_logging(args: argparse.Namespace) -> None:
    """The rotating, masked log file; then the start-of-run housekeeping of private files."""
    from kiosk.config import logs

    # Values given on the command line are masked or removed from the first log line on.
    secrets = [getattr(args, "secret_key", None)]
    names = [getattr(args, attr, None) for attr in ("name", "idcard_name", "id_name")]
    logs.setup(verbose=bool(getattr(args, "verbose", False)),
               secrets=[s for s in secrets if isinstance(s, str) and s],
               names=[n for n in names if isinstance(n, str) and n])
    housekeeping()


def housekeeping() -> None:
    """Delete a crashed session's leftover media and kept clips past their days; never fails."""
    from kiosk.config.housekeeping import run

    run()


# Commands that judge input for the kiosk; the emulator stands for the service and keeps its own.
# ``gui`` applies them in the process that shows the window (kiosk.cli.gui), not in its supervisor,
# which must not load the checks (numpy, OpenCV, PyAV) to start and watch a child.
JUDGING_COMMANDS = ("check", "verify", "demo")


def apply_threshold_overrides(args: argparse.Namespace) -> dict[str, float]:
    """Put the operator's ``thresholds.<name>`` overrides into kiosk.checks; returns them.

    A damaged settings file is left for the command itself to report (``kiosk config`` must
    still run to repair it).
    """
    from kiosk.checks import thresholds
    from kiosk.config import Paths, Settings

    try:
        overrides = Settings(Paths.default()).threshold_overrides()
    except ConfigError:
        return {}
    try:
        applied = thresholds.apply_overrides(overrides)
    except KeyError as exc:
        raise ConfigError(messages.NOT_A_THRESHOLD(name=str(exc.args[0]).lower())) from None
    if applied:
        logging.getLogger("kiosk.cli").info("check thresholds overridden: %s", applied)
    return applied


def settings_of(args: argparse.Namespace) -> Any:
    """The effective settings (kiosk.config.Settings): flags in ``args``, KIOSK_*, the file.

    Made once per command, so the file is read once however many values the command asks for.
    """
    cached = getattr(args, "_settings", None)
    if cached is not None:
        return cached
    from kiosk.config import Paths, Settings
    from kiosk.config.schema import SETTINGS

    flags = {s.dest: getattr(args, s.dest) for s in SETTINGS if getattr(args, s.dest, None) is not None}
    args._settings = Settings(Paths.default(), flags=flags)
    return args._settings


def setting(args: argparse.Namespace, key: str) -> str | None:
    """A setting's value from the flag, else KIOSK_<KEY>, else the settings file (or the secret
    store); None when none of them sets it. ConfigError names a value that is not valid."""
    resolved = settings_of(args).resolve(key)
    if resolved.source == "default" or resolved.value in (None, ""):
        return None
    return str(resolved.value)


def add_setting_args(parser: argparse.ArgumentParser, *keys: str) -> None:
    """A flag per setting key (``--clip-seconds``...), help from the settings table."""
    from kiosk.config.schema import BY_KEY

    for key in keys:
        s = BY_KEY[key]
        parser.add_argument(s.flag, dest=s.dest, default=None,
                            choices=s.choices or None, help=f"{s.help_en} ({s.env})")


def print_version() -> int:
    """``kiosk --version``: versions of the kiosk, Qt, OpenCV and ffmpeg, and where files live."""
    from kiosk import about  # imported here: its probes load OpenCV and Qt, other commands need not

    return about.print_report()


def emit_json(data: Any) -> None:
    """Strict JSON on stdout, UTF-8, one document."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, allow_nan=False) + "\n")


def drive(flow: Flow, details: Details) -> Result:
    """Run the flow to its end on its worker; Ctrl-C cancels it cleanly (its row says so), then
    interrupts."""
    flow.start(details)
    try:
        while (result := flow.wait(0.2)) is None:
            pass
    except KeyboardInterrupt:
        flow.close()
        raise
    return result


def say(lang: str, message: Message | Text) -> str:
    """A message of a table in ``lang`` (one of its two texts, by kiosk.texts.pick)."""
    return pick(lang, message.zh, message.en)


def label(text: Text) -> tuple[str, str]:
    """A table's name for a file (``api.messages.PHOTO``) as kiosk.inputs takes it: (en, zh)."""
    return text.en, text.zh


def similarity_line(lang: str, similarity: float, threshold: float) -> str:
    """The similarity, the threshold and what the vendor's thresholds mean (api.limits)."""
    from kiosk.api.limits import FALSE_ACCEPT_RATE

    rates = pick(lang, "，", "; ").join(
        say(lang, messages.FALSE_ACCEPTS(threshold=t, rate=rate))
        for t, rate in FALSE_ACCEPT_RATE.items())
    return say(lang, messages.SIMILARITY_LINE(similarity=similarity, threshold=threshold,
                                              rates=rates))


@dataclass(frozen=True)
class Connection:
    """Where and as whom to call the service."""

    endpoint: str
    appid: str
    secret_id: str
    secret_key: str
    bucket: str
    host: str | None

    def __repr__(self) -> str:  # never print the key
        return (f"Connection(endpoint={self.endpoint!r}, appid={self.appid!r}, "
                f"secret_id={self.secret_id!r}, secret_key='***', bucket={self.bucket!r})")


def add_connection_args(parser: argparse.ArgumentParser) -> None:
    """Flags for the endpoint and credentials (each also from a KIOSK_* variable)."""
    g = parser.add_argument_group("service connection (flags win over KIOSK_* variables, "
                                  "which win over the settings file)")
    g.add_argument("--endpoint", help=f"base URL (KIOSK_ENDPOINT; default {DEFAULT_ENDPOINT})")
    g.add_argument("--appid", help="project id (KIOSK_APPID)")
    g.add_argument("--secret-id", help="secret id (KIOSK_SECRET_ID)")
    g.add_argument("--secret-key", help="secret key (KIOSK_SECRET_KEY; prefer the variable or "
                   "'kiosk config set secret_key', flags show up in process lists)")
    g.add_argument("--bucket", help="bucket, signed and sent as the SDK does (KIOSK_BUCKET)")
    g.add_argument("--host-header", help="Host header to send when it differs from the URL's host")


def resolve_connection(args: argparse.Namespace) -> Connection:
    """The connection from flags, environment and settings; ConfigError naming what is missing."""
    values = {k: setting(args, k) for k in ("appid", "secret_id", "secret_key")}
    missing = [k for k, v in values.items() if not v]
    if missing:
        names = ", ".join(f"--{k.replace('_', '-')} / KIOSK_{k.upper()}" for k in missing)
        raise ConfigError(messages.MISSING_CREDENTIALS(names=names))
    return Connection(
        endpoint=setting(args, "endpoint") or DEFAULT_ENDPOINT,  # checked by the settings' schema
        appid=values["appid"] or "",
        secret_id=values["secret_id"] or "",
        secret_key=values["secret_key"] or "",
        bucket=setting(args, "bucket") or "",
        host=getattr(args, "host_header", None) or os.environ.get(ENV_PREFIX + "HOST_HEADER"),
    )


# A run id given by hand: what kiosk.config.pending takes as a folder name.
RUN_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


def run_id(value: str | None, flag: str) -> str:
    """A run id given by hand (``--seq``, ``--session-id``); empty: the flow makes one.

    The audit log, the pending marker and the service's records all hold it, so it is kept to
    what a file name and a log line can carry safely.
    """
    if value is None:
        return ""
    text = value.strip()
    if not RUN_ID.fullmatch(text):
        raise UsageError(messages.BAD_RUN_ID(flag=flag, given=value))
    return text
