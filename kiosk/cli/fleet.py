"""``kiosk fleet``: the fleet service (serve, migrate, token, user, revoke) and a kiosk's side
of it (join, status, send). docs/fleet.md explains the whole."""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kiosk.cli import common
from kiosk.errors import ConfigError, UsageError
from kiosk.fleet import messages

DEFAULT_PORT = 8765
EXAMPLES = """examples:
  kiosk fleet serve                               the service and its page on one SQLite file
  kiosk fleet migrate --db postgresql://fleet@db1/fleet
  kiosk fleet serve --db postgresql://fleet@db1/fleet --host 0.0.0.0 --workers 4
  kiosk fleet serve --tz Asia/Shanghai            the page's "today" and days from Shanghai's midnight
  kiosk fleet token --branch shanghai-01          a single-use enrolment token
  kiosk fleet user add alice --role auditor       a read-only account for the page
  kiosk fleet join https://fleet.example.com --token fleet-...   (on a kiosk)
  kiosk fleet status                              (on a kiosk) rows waiting to be sent
The database is --db, else KIOSK_FLEET_DB, else fleet.sqlite3 in the kiosk's data folder."""


def register(sub: Any) -> None:
    """Add ``kiosk fleet`` and its sub-commands."""
    parser = common.command_parser(sub, "fleet", "many kiosks, one record: the fleet service and "
                                   "joining it", epilog=EXAMPLES,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    cmds = parser.add_subparsers(dest="fleet_command", metavar="ACTION")
    serve = common.command_parser(cmds, "serve", "run the fleet service and the supervisor's page")
    _db(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this "
                       "machine only; 0.0.0.0 behind a load balancer)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument("--heartbeat", type=int, default=60, metavar="S",
                       help="seconds between a kiosk's heartbeats (default 60)")
    serve.add_argument("--offline-after", type=float, default=300, metavar="S",
                       help="a kiosk silent this long is offline and alerted (default 300)")
    serve.add_argument("--webhook", default=os.environ.get("KIOSK_FLEET_WEBHOOK", ""),
                       metavar="URL", help="POST each new alert here as JSON (KIOSK_FLEET_WEBHOOK)")
    serve.add_argument("--tz", default=os.environ.get("KIOSK_FLEET_TZ", ""), metavar="ZONE",
                       help="the page's days begin at midnight here, e.g. Asia/Shanghai "
                            "(KIOSK_FLEET_TZ; default: this server's zone)")
    serve.add_argument("--forwarded-allow-ips", default="127.0.0.1", metavar="IPS",
                       help="load balancers whose X-Forwarded-Proto/For are trusted")
    serve.set_defaults(func=run_serve)
    migrate = common.command_parser(cmds, "migrate", "create or upgrade the fleet database's schema")
    _db(migrate)
    migrate.set_defaults(func=run_migrate)
    token = common.command_parser(cmds, "token", "issue a single-use enrolment token for a branch")
    _db(token)
    token.add_argument("--branch", required=True, help="the branch the kiosk belongs to")
    token.add_argument("--hours", type=float, default=24, help="valid for (default 24)")
    token.set_defaults(func=run_token)
    user = common.command_parser(cmds, "user", "people who sign in to the page")
    ucmds = user.add_subparsers(dest="user_command", metavar="ACTION")
    add = common.command_parser(ucmds, "add", "add or replace a user (password from "
                                "KIOSK_FLEET_PASSWORD, else asked)")
    _db(add)
    add.add_argument("name")
    add.add_argument("--role", choices=("supervisor", "auditor"), default="supervisor",
                     help="auditor: read-only")
    add.set_defaults(func=run_user_add)
    revoke = common.command_parser(cmds, "revoke", "revoke a kiosk's key")
    _db(revoke)
    revoke.add_argument("kiosk")
    revoke.set_defaults(func=run_revoke)
    join = common.command_parser(cmds, "join", "(on a kiosk) join a fleet with a token")
    join.add_argument("url", help="the fleet service, https://...")
    join.add_argument("--token", required=True, help="from 'kiosk fleet token' on the service")
    join.set_defaults(func=run_join)
    status = common.command_parser(cmds, "status", "(on a kiosk) the fleet and the outbox")
    status.set_defaults(func=run_status)
    send = common.command_parser(cmds, "send", "(on a kiosk) send a heartbeat and every waiting "
                                 "row now (the GUI does this in the background)")
    send.set_defaults(func=run_send)
    for p in (user, parser):
        p.set_defaults(func=lambda args, p=p: _need_action(p))


def _need_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="sqlite:///PATH, a file path, or "
                        "postgresql://USER@HOST:PORT/DB (KIOSK_FLEET_DB)")


def _url(args: argparse.Namespace) -> str:
    from kiosk.fleet.service import db

    return db.normalise(args.db) if args.db else db.default_url()


@contextmanager
def _database(url: str, *, migrated: bool = True) -> Iterator[Any]:
    """An engine; ConfigError (one line) when the database cannot be reached or is too old."""
    from kiosk.fleet.service import db

    engine = db.make_engine(url, pool_size=1)
    try:
        if migrated and db.pending(engine):
            if url.startswith("sqlite"):
                db.migrate(engine)  # one file, one branch: nothing else to coordinate with
            else:
                raise ConfigError(messages.DB_NOT_MIGRATED(db=db.describe(url)))
        yield engine
    except db.UNAVAILABLE as exc:
        raise ConfigError(messages.DB_UNREACHABLE(db=db.describe(url),
                                                  kind=type(exc).__name__)) from None
    except Exception as exc:
        import sqlalchemy

        if isinstance(exc, sqlalchemy.exc.SQLAlchemyError):
            raise ConfigError(messages.DB_UNREACHABLE(db=db.describe(url),
                                                      kind=type(exc).__name__)) from None
        raise
    finally:
        engine.dispose()


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(tzinfo=None)


def run_migrate(args: argparse.Namespace) -> int:
    """``kiosk fleet migrate``."""
    from kiosk.fleet.service import db

    url = _url(args)
    with _database(url, migrated=False) as engine:
        before, now = db.migrate(engine)
    print(common.say(common.lang_of(args), messages.MIGRATED(db=db.describe(url),
                                                             before=before or "-", now=now)))
    return 0


def run_token(args: argparse.Namespace) -> int:
    """``kiosk fleet token --branch B``."""
    from kiosk.fleet.service import store

    branch = args.branch.strip()
    if not 1 <= len(branch) <= 100:
        raise UsageError(messages.BAD_BRANCH())
    with _database(_url(args)) as engine, engine.begin() as con:
        token = store.issue_token(con, branch, _now(), args.hours)
    print(common.say(common.lang_of(args), messages.TOKEN_ISSUED(branch=branch, hours=args.hours)))
    print(token)
    return 0


def _password(lang: str) -> str:
    value = os.environ.get("KIOSK_FLEET_PASSWORD", "")
    if not value and sys.stdin.isatty():
        value = getpass.getpass(common.say(lang, messages.PASSWORD_PROMPT()))
    elif not value:
        value = sys.stdin.readline().rstrip("\n")
    if len(value) < 8:
        raise UsageError(messages.NO_PASSWORD())
    return value


def run_user_add(args: argparse.Namespace) -> int:
    """``kiosk fleet user add NAME``."""
    from kiosk.fleet.service import users

    password = _password(common.lang_of(args))
    with _database(_url(args)) as engine, engine.begin() as con:
        users.add_user(con, args.name[:64], args.role, password, _now())
    print(common.say(common.lang_of(args), messages.USER_SAVED(name=args.name, role=args.role)))
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    """``kiosk fleet revoke KIOSK``."""
    from kiosk.fleet.service import store

    with _database(_url(args)) as engine, engine.begin() as con:
        if not store.revoke(con, args.kiosk, _now()):
            raise UsageError(messages.NO_SUCH_KIOSK(kiosk=args.kiosk))
    print(common.say(common.lang_of(args), messages.REVOKED(kiosk=args.kiosk)))
    return 0


def _first_user(engine: Any, lang: str) -> None:
    """With no user yet, a supervisor 'admin' with a random password, printed once."""
    import sqlalchemy as sa

    from kiosk.fleet.service import users
    from kiosk.fleet.service.tables import users as table

    with engine.begin() as con:
        if con.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            return
        password = secrets.token_urlsafe(12)
        users.add_user(con, "admin", "supervisor", password, _now())
    print(common.say(lang, messages.FIRST_USER(password=password)))


def run_serve(args: argparse.Namespace) -> int:
    """``kiosk fleet serve``: uvicorn with ``--workers`` processes of the app."""
    import uvicorn

    from kiosk.fleet.service import db

    url, lang = _url(args), common.lang_of(args)
    if args.tz:
        from kiosk.fleet.service import zone

        try:
            zone.named(args.tz)
        except ValueError:
            raise UsageError(messages.BAD_TZ(tz=args.tz)) from None
    with _database(url) as engine:
        _first_user(engine, lang)
    with socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((args.host, args.port))
        except OSError as exc:
            raise ConfigError(messages.PORT_IN_USE(host=args.host, port=args.port,
                                                   error=exc.strerror or exc)) from None
    os.environ.update({"KIOSK_FLEET_DB": url, "KIOSK_FLEET_HEARTBEAT": str(args.heartbeat),
                       "KIOSK_FLEET_OFFLINE_AFTER": str(args.offline_after),
                       "KIOSK_FLEET_STALE_AFTER": str(min(args.offline_after, 2.5 * args.heartbeat)),
                       "KIOSK_FLEET_WEBHOOK": args.webhook, "KIOSK_FLEET_TZ": args.tz})
    print(common.say(lang, messages.SERVING(url=f"http://{args.host}:{args.port}/",
                                            db=db.describe(url), workers=args.workers)), flush=True)
    uvicorn.run("kiosk.fleet.service.app:from_env", factory=True, host=args.host, port=args.port,
                workers=max(1, args.workers), proxy_headers=True,
                forwarded_allow_ips=args.forwarded_allow_ips, log_level="warning",
                timeout_graceful_shutdown=10)
    return 0


def run_join(args: argparse.Namespace) -> int:
    """``kiosk fleet join URL --token T``."""
    from kiosk.config import Paths
    from kiosk.fleet import membership

    lang = common.lang_of(args)

    def warn(en: str, zh: str) -> None:
        print("warning: " + (zh if lang == "zh" else en), file=sys.stderr)

    member = membership.join(Paths.default(), args.url, args.token, warn=warn)
    print(common.say(lang, messages.JOINED(url=member.url, kiosk=member.kiosk_id,
                                           branch=member.branch)))
    return 0


def _member() -> Any:
    from kiosk.config import Paths
    from kiosk.fleet import membership

    member = membership.load(Paths.default())
    if member is None:
        raise ConfigError(messages.NOT_JOINED())
    return member


def run_status(args: argparse.Namespace) -> int:
    """``kiosk fleet status``."""
    from kiosk.config import Paths
    from kiosk.fleet.outbox import Outbox

    member = _member()
    waiting, refused = Outbox(Paths.default().audit_db).counts()
    print(common.say(common.lang_of(args), messages.STATUS(
        url=member.url, kiosk=member.kiosk_id, branch=member.branch, waiting=waiting,
        refused=refused)))
    return 0


def run_send(args: argparse.Namespace) -> int:
    """``kiosk fleet send``: one heartbeat and one flush, in the foreground."""
    from kiosk.config import Paths
    from kiosk.fleet.sender import Sender

    sender = Sender(Paths.default(), _member())
    sender.heartbeat()
    done = sender.flush()
    waiting, _ = sender.outbox.counts()
    print(common.say(common.lang_of(args), messages.SENT(sent=done.sent, waiting=waiting)))
    return 1 if done.failed else 0
