"""``kiosk config show|set|unset|path``: the settings file, the secret store, where files live."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from kiosk.cli import common, messages
from kiosk.config import Paths, SecretStore, Settings
from kiosk.config.schema import SETTINGS, find
from kiosk.errors import UsageError
from kiosk.texts import pick


def register(sub: Any) -> None:
    """Add ``kiosk config`` and its sub-commands."""
    parser = common.command_parser(
        sub, "config", "show and change settings (flags win over KIOSK_* variables, which win "
        "over the settings file)")
    cmds = parser.add_subparsers(dest="config_command", metavar="ACTION")

    show = common.command_parser(cmds, "show", "every setting, its value and where it comes from "
                                 "(secrets are never shown)")
    show.add_argument("--json", action="store_true", help="strict JSON")
    for s in SETTINGS:  # so a flag's effect can be previewed
        show.add_argument(s.flag, dest=s.dest, default=None, help=argparse.SUPPRESS)
    show.set_defaults(func=run_show)

    keys = ", ".join(s.key for s in SETTINGS)
    put = common.command_parser(
        cmds, "set", "validate and store a setting; secret_key goes to the keyring (or a 0600 "
        "file), operator_pin is stored hashed",
        epilog=f"keys: {keys}, thresholds.<name>. Give '-' as VALUE to type it without echo "
        "(or pipe it on stdin): secret values on a command line end up in process lists and "
        "shell history.")
    put.add_argument("key", metavar="KEY")
    put.add_argument("value", metavar="VALUE")
    put.set_defaults(func=run_set)

    unset = common.command_parser(cmds, "unset", "remove a stored setting (back to its default)")
    unset.add_argument("key", metavar="KEY")
    unset.set_defaults(func=run_unset)

    where = common.command_parser(cmds, "path", "where settings, the secret, logs, the audit "
                                  "log and session folders live")
    where.add_argument("--json", action="store_true", help="strict JSON")
    where.set_defaults(func=run_path)
    parser.set_defaults(func=lambda args: _need_action(parser))


def _need_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _settings(args: argparse.Namespace) -> Settings:
    paths = Paths.default()
    lang = common.lang_of(args)

    def warn(en: str, zh: str) -> None:
        print("warning: " + pick(lang, zh, en), file=sys.stderr)

    flags = {s.dest: getattr(args, s.dest, None) for s in SETTINGS}
    return Settings(paths, flags=flags, secrets=SecretStore(paths.secret_file, warn=warn))


def shown(value: Any, secret: bool) -> Any:
    """What ``config show`` prints for a value: secrets only as set / not set."""
    if secret:
        return "(set)" if value else "(not set)"
    return value


def run_show(args: argparse.Namespace) -> int:
    """``kiosk config show``."""
    settings = _settings(args)
    rows = settings.all()
    if args.json:
        common.emit_json({r.key: {"value": shown(r.value, r.secret), "source": r.source}
                          for r in rows})
        return 0
    width = max(len(r.key) for r in rows)
    for r in rows:
        value = shown(r.value, r.secret)
        text = "" if value == "" else str(value)
        print(f"{r.key:<{width}}  {text:<36}  ({r.source})")
    return 0


def _read_value(key: str, value: str, lang: str) -> str:
    """VALUE, or for '-' a line typed without echo (a terminal) or read from stdin."""
    if value != "-":
        return value
    if sys.stdin.isatty():
        first = getpass.getpass(common.say(lang, messages.NOT_ECHOED(key=key)))
        if find(key).secret:
            again = getpass.getpass(common.say(lang, messages.AGAIN))
            if again != first:
                raise UsageError(messages.ENTRIES_DIFFER())
        return first
    return sys.stdin.readline().rstrip("\r\n")


def run_set(args: argparse.Namespace) -> int:
    """``kiosk config set KEY VALUE``."""
    lang = common.lang_of(args)
    setting = find(args.key)
    value = _read_value(setting.key, args.value, lang)
    settings = _settings(args)
    where = settings.assign(setting.key, value)
    if setting.secret:
        print(common.say(lang, messages.SECRET_STORED(key=setting.key, where=where)))
    else:
        stored = settings.stored()[setting.key]
        where = pick(lang, f"（{where}）", f" ({where})")  # no words: the brackets only
        print(f"{setting.key} = {stored!r}{where}")
    override = settings.resolve(setting.key)
    if override.source in ("env", "flag"):
        print(common.say(lang, messages.ENV_STILL_WINS(env=setting.env)), file=sys.stderr)
    return 0


def run_unset(args: argparse.Namespace) -> int:
    """``kiosk config unset KEY``."""
    lang = common.lang_of(args)
    setting = find(args.key)
    removed = _settings(args).unset(setting.key)
    if removed:
        print(common.say(lang, messages.SETTING_REMOVED(key=setting.key)))
    else:
        print(common.say(lang, messages.SETTING_WAS_NOT_SET(key=setting.key)))
    return 0


def run_path(args: argparse.Namespace) -> int:
    """``kiosk config path``."""
    paths = Paths.default()
    where = {
        "settings": str(paths.settings_file),
        "secret": SecretStore(paths.secret_file).location(),
        "log": str(paths.log_file),
        "audit": str(paths.audit_db),
        "sessions": str(paths.sessions_dir),
        "retained": str(paths.retained_dir),
    }
    if args.json:
        common.emit_json(where)
    else:
        for name, value in where.items():
            print(f"{name:<9} {value}")
    return 0
