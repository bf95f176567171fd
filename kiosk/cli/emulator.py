"""``kiosk emulator``: run the local emulator of the service; add accounts; enroll people."""

from __future__ import annotations

import argparse
import getpass
import logging
import secrets
import sys
from pathlib import Path
from typing import Any

from kiosk import inputs
from kiosk.cli import common, messages
from kiosk.cli.common import say
from kiosk.errors import UsageError
from kiosk.texts import pick

DEFAULT_PORT = 8787


def default_data_dir() -> Path:
    """``<user data dir>/emulator``, beside the kiosk's own data."""
    from kiosk.config import Paths

    return Paths.default().data_dir / "emulator"


def register(sub: Any) -> None:
    """Add ``kiosk emulator`` and its sub-commands."""
    parser = common.command_parser(
        sub, "emulator", "run a local emulator of the face-verification service (loopback only "
        "unless --host says otherwise); Ctrl-C stops it",
        epilog="examples:\n  kiosk emulator\n  kiosk emulator --port 9000 --data ./training\n"
        "  kiosk emulator account add --data ./training --appid 1250000 --secret-id AKIDroom1\n"
        "  kiosk emulator enroll --data ./training --id-number 11010519491231002X "
        f"--name {messages.SAMPLE_NAME.zh} --photo card.jpg\n"
        "  kiosk emulator people --data ./training\n\n"
        "A new data folder gets a demo account (a random key, printed at start) and, when its "
        "registry is empty, the sample people (they never replace anyone enrolled before). "
        "'account', 'enroll' and 'people' work on an existing folder only, so a mistyped --data "
        "cannot start a second registry.\n"
        "Exit status: 0 success; 2 usage, data folder, port or input errors.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)")
    _data_arg(parser, top=True)
    parser.set_defaults(func=run_server)
    cmds = parser.add_subparsers(dest="emulator_command", metavar="ACTION")

    account = common.command_parser(cmds, "account", "manage the credentials it accepts")
    acmds = account.add_subparsers(dest="account_command", metavar="ACTION")
    add = common.command_parser(
        acmds, "add", "add (or replace) an appid / secret id / secret key triple",
        epilog="Without --secret-key a random key is made and printed once. Give '-' to type it "
        "without echo (or pipe it on stdin): keys on a command line end up in process lists.")
    _data_arg(add)
    add.add_argument("--appid", required=True, help="project id the kiosk will send")
    add.add_argument("--secret-id", required=True, help="secret id the kiosk will sign with")
    add.add_argument("--secret-key", help="secret key ('-' to type it; default: a random one)")
    add.set_defaults(func=run_account_add)
    listing = common.command_parser(acmds, "list", "list appids and secret ids (never keys)")
    _data_arg(listing)
    listing.add_argument("--json", action="store_true", help="strict JSON")
    listing.set_defaults(func=run_account_list)
    account.set_defaults(func=lambda args: _need_action(account))

    enroll = common.command_parser(
        cmds, "enroll", "add (or replace) a person in the identity registry: ID number, name "
        "and portrait photo (the stand-in for the national database); it says which it did",
        epilog="A person already enrolled under the same ID number is replaced: the output says "
        "'replaced' with the masked name it had ('kiosk emulator people' lists the registry "
        "first).")
    _data_arg(enroll)
    enroll.add_argument("--id-number", required=True, help="18-character resident ID number")
    enroll.add_argument("--name", required=True, help="name as on the ID card")
    enroll.add_argument("--photo", required=True, type=Path,
                        help="portrait photo (JPEG/PNG) with one clear, frontal face")
    enroll.add_argument("--json", action="store_true",
                        help='strict JSON: {"added": true|false, "id_masked": ..., '
                        '"name_masked": ..., "replaced_name_masked": ...}')
    enroll.set_defaults(func=run_enroll)

    people = common.command_parser(
        cmds, "people", "list the identity registry: masked ID numbers and names, photo sizes, "
        "when each was enrolled (never a full ID number, name or photo)")
    _data_arg(people)
    people.add_argument("--json", action="store_true", help="strict JSON, a list")
    people.set_defaults(func=run_people)


def _data_arg(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # SUPPRESS on sub-commands, so a --data given before the action name is not reset.
    parser.add_argument("--data", type=Path, metavar="DIR",
                        default=None if top else argparse.SUPPRESS,
                        help=f"data folder: accounts and registry (default {default_data_dir()})")


def _need_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _store(args: argparse.Namespace, *, create: bool = False) -> Any:
    """The data folder's store; a folder named with --data must exist unless ``create``."""
    from kiosk.emulator.store import Store

    given = getattr(args, "data", None)
    # The default folder is the emulator's own and made on first use; a folder given by hand
    # must exist, so a typo does not quietly start a second, empty registry.
    return Store(Path(given or default_data_dir()), create=create or given is None)


def run_server(args: argparse.Namespace) -> int:
    """Serve in the foreground until Ctrl-C."""
    from kiosk.config import Paths
    from kiosk.config.leases import Leases
    from kiosk.emulator.demo import ensure_demo
    from kiosk.emulator.facework import PooledFaceWork
    from kiosk.emulator.server import (
        UPLOADS_PREFIX,
        base_url_of,
        bind,
        default_assets,
        scratch_folder,
        serve_forever,
    )

    lang = common.lang_of(args)
    if not 0 <= args.port <= 65535:
        raise UsageError(messages.NOT_A_PORT(port=args.port))
    store = _store(args, create=True)  # a fresh folder gets the demo account and people
    account = ensure_demo(store, default_assets())
    # Uploads wait in a leased folder while judged: a killed emulator leaves them to the next start.
    leases = Leases(Paths.default().leases_dir)
    scratch = scratch_folder(UPLOADS_PREFIX, leases)
    try:
        sock = bind(args.host, args.port)
    except BaseException:
        leases.release(scratch)
        raise
    url = base_url_of(sock)
    _request_log()
    print(say(lang, messages.EMULATOR_LISTENING(url=url)))
    print(say(lang, messages.DATA_FOLDER_LABEL) + str(store.data_dir))
    print(say(lang, messages.DEMO_ACCOUNT_LABEL) +
          f"appid {account.appid}, secret id {account.secret_id}, secret key {account.secret_key}")
    print(say(lang, messages.PEOPLE_ENROLLED_LABEL) + str(store.people_count()))
    # Started now, so the workers load their models while the rest of the banner prints.
    faces = PooledFaceWork()
    print(say(lang, messages.FACE_WORKERS_LABEL(workers=faces.workers)))
    print(say(lang, messages.DIGITS_NOT_CHECKED))
    print(f"  KIOSK_ENDPOINT={url} KIOSK_APPID={account.appid} "
          f"KIOSK_SECRET_ID={account.secret_id} KIOSK_SECRET_KEY=<key above> kiosk code")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(say(lang, messages.REACHABLE_BY_OTHERS))
    print(say(lang, messages.PRESS_CTRL_C), flush=True)
    try:
        serve_forever(store, sock, scratch_dir=scratch, faces=faces)
    except KeyboardInterrupt:
        pass  # Ctrl-C is how it is meant to stop
    finally:
        sock.close()
        leases.release(scratch)
    print(say(lang, messages.EMULATOR_STOPPED))
    return 0


def _request_log() -> None:
    # One line per request on the console (ID numbers masked, no secrets: see kiosk.emulator.app).
    log = logging.getLogger("kiosk.emulator")
    if log.level == logging.NOTSET or log.level > logging.INFO:
        log.setLevel(logging.INFO)
    from kiosk.config.logs import OneLineFormatter

    handler = logging.StreamHandler(sys.stderr)
    # One line per record, never a traceback (those stay in the log file); warnings and errors
    # reach the terminal through the root logger's handler already, so only the rest here.
    handler.setFormatter(OneLineFormatter("%(asctime)s %(message)s", "%H:%M:%S"))
    handler.addFilter(lambda record: record.levelno < logging.WARNING)
    log.addHandler(handler)


def _read_key(value: str | None) -> tuple[str, bool]:
    """The secret key to store and whether it was generated here."""
    if value is None:
        return secrets.token_hex(16), True
    if value == "-":
        value = getpass.getpass("secret key: ") if sys.stdin.isatty() else sys.stdin.readline()
    value = value.strip()
    if not value:
        raise UsageError(messages.EMPTY_SECRET_KEY())
    return value, False


def run_account_add(args: argparse.Namespace) -> int:
    """Add or replace an account."""
    lang = common.lang_of(args)
    for flag, value in (("--appid", args.appid), ("--secret-id", args.secret_id)):
        if not value.strip() or any(c in value for c in "&= \t"):
            raise UsageError(messages.BAD_ACCOUNT_VALUE(flag=flag, value=value))
    store = _store(args)  # before asking for a key: a wrong --data fails first
    key, generated = _read_key(args.secret_key)
    new = store.add_account(args.appid.strip(), args.secret_id.strip(), key)
    what = say(lang, messages.ACCOUNT_ADDED if new else messages.ACCOUNT_REPLACED)
    print(f"{what}: appid {args.appid.strip()}, secret id {args.secret_id.strip()} ({store.data_dir})")
    if generated:
        print(say(lang, messages.GENERATED_KEY(key=key)))
    return 0


def run_account_list(args: argparse.Namespace) -> int:
    """List accounts without their keys."""
    rows = [{"appid": a.appid, "secret_id": a.secret_id} for a in _store(args).accounts()]
    if args.json:
        common.emit_json(rows)
    else:
        for row in rows:
            print(f"{row['appid']}\t{row['secret_id']}")
    return 0


def run_enroll(args: argparse.Namespace) -> int:
    """Check the ID number, name and photo, then add the person to the registry."""
    from kiosk.api.messages import PHOTO
    from kiosk.config.masking import mask_id, mask_name
    from kiosk.emulator.enrollment import check_enrollment

    lang = common.lang_of(args)
    store = _store(args)
    photo = inputs.read_input(args.photo, limit=inputs.MEDIA_LIMIT, what=common.label(PHOTO))
    number, name = check_enrollment(args.id_number, args.name, photo)
    before = next((p for p in store.people() if p.id_number == number), None)
    new = store.enroll(number, name, photo)
    if args.json:
        common.emit_json({"added": new, "id_masked": mask_id(number), "name_masked": mask_name(name),
                          "replaced_name_masked": mask_name(before.name) if before else None,
                          "data": str(store.data_dir)})
        return 0
    what = say(lang, messages.ENROLLED) if before is None else say(
        lang, messages.RE_ENROLLED(before=mask_name(before.name), when=_when(before.enrolled)))
    print(f"{what}: {mask_id(number)} {mask_name(name)} ({store.data_dir})")
    return 0


def _when(stamp: float) -> str:
    """A registry time as the person reads it: local date and minute."""
    import datetime as dt

    return dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")


def run_people(args: argparse.Namespace) -> int:
    """List the registry, masked: who, the photo's size, when."""
    from kiosk.config.masking import mask_id, mask_name

    store = _store(args)
    rows = [{"id_masked": mask_id(p.id_number), "name_masked": mask_name(p.name),
             "photo_bytes": p.photo_bytes, "enrolled": _when(p.enrolled)}
            for p in store.people()]
    if args.json:
        common.emit_json(rows)
        return 0
    if not rows:
        none = messages.NOBODY_ENROLLED(folder=store.data_dir)
        lang = common.lang_of(args)
        print(f"{say(lang, none)} — {pick(lang, none.fix_zh, none.fix_en)}")
        return 0
    for row in rows:
        print(f"{row['id_masked']}\t{row['name_masked']}\t{row['photo_bytes']} B\t{row['enrolled']}")
    return 0
