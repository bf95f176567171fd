"""Log setup: a rotating log file in the platform's log folder, masked, with no secret in it."""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sys
from collections.abc import Iterable
from typing import IO

from kiosk.config.masking import Redactor
from kiosk.config.paths import Paths, private_dir

FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(process)d:%(threadName)s] %(message)s"
MAX_BYTES = 1_000_000
BACKUPS = 5


class MaskingFilter(logging.Filter):
    """Rewrites each record: ID numbers and names masked, secrets removed, exception text too."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__("")
        self.redactor = redactor
        self._plain = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the formatted message in place; the record is always kept."""
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the line
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = self.redactor(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._plain.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redactor(record.stack_info)
        return True


class OneLineFormatter(logging.Formatter):
    """The terminal's format: one line per record, never a traceback or a stack.

    README promises users no traceback: ``log.exception`` keeps its traceback in the log file,
    and the terminal says only what failed.
    """

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            text = super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved
        return " ".join(text.split("\n"))


class _QuietFailures(logging.Handler):
    """A handler whose failures (full disk, read-only folder, closed terminal) never print a
    traceback: the first one is one warning line on stderr, the rest are silent.

    logging's own ``handleError`` prints ``--- Logging error ---`` and a traceback to stderr for
    every failed record, which buried the user's output when the log's disk was full. Writing is
    still tried for every record, so the log resumes when space is freed.
    """

    warn_about: str = ""  # what to name in the warning; "" for no warning at all
    _warned = False

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        if self._warned or not self.warn_about:
            return
        self._warned = True
        exc = sys.exc_info()[1]
        reason = (exc.strerror if isinstance(exc, OSError) and exc.strerror
                  else type(exc).__name__)
        try:
            sys.stderr.write(f"warning: cannot write {self.warn_about} ({reason}) — carrying on "
                             "without it; free space or check the folder's permissions\n")
            sys.stderr.flush()
        except Exception:  # noqa: S110 - no terminal either: nowhere left to say it
            pass

    def flush(self) -> None:
        try:
            super().flush()
        except (OSError, ValueError):
            self.handleError(_NO_RECORD)

    def close(self) -> None:
        # Closing flushes what a full disk refused; the stream is closed all the same.
        try:
            super().close()
        except (OSError, ValueError):
            self.handleError(_NO_RECORD)


_NO_RECORD = logging.LogRecord("kiosk", logging.INFO, "", 0, "", None, None)


class _QuietStreamHandler(_QuietFailures, logging.StreamHandler):
    """The terminal handler: a closed or broken terminal is ignored."""


class _PrivateRotatingFileHandler(_QuietFailures, logging.handlers.RotatingFileHandler):
    """A rotating file whose every generation is created readable by the user only."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "a", encoding=self.encoding or "utf-8")  # noqa: SIM115 - the handler closes it


def setup(
    verbose: bool = False,
    *,
    paths: Paths | None = None,
    secrets: Iterable[str] = (),
    names: Iterable[str] = (),
    stream: IO[str] | None = None,
) -> Redactor:
    """Install the file and terminal handlers (again, if called twice); returns their redactor.

    The file gets INFO (DEBUG with ``verbose``), the terminal WARNING (INFO with ``verbose``).
    The secret key is looked up here (variable, secret store) so it is removed even from lines
    logged before anyone reads it.
    """
    paths = paths or Paths.default()
    redactor = Redactor(secrets=[*secrets, *_known_secrets(paths)], names=names)
    masking = MaskingFilter(redactor)
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _QuietFailures)]:  # ours
        root.removeHandler(old)
        old.close()
    formatter = logging.Formatter(FORMAT)
    handlers: list[logging.Handler] = []
    try:
        private_dir(paths.log_dir)
        file_handler = _PrivateRotatingFileHandler(
            paths.log_file, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        file_handler.warn_about = f"the log file {paths.log_file}"
        file_handler.setLevel(logging.DEBUG if verbose else logging.INFO)
        handlers.append(file_handler)
        file_error = None
    except OSError as exc:
        file_error = exc
    terminal = _QuietStreamHandler(stream or sys.stderr)
    terminal.setLevel(logging.INFO if verbose else logging.WARNING)
    terminal.setFormatter(OneLineFormatter("%(levelname)s: %(message)s"))
    handlers.append(terminal)
    for handler in handlers:
        if handler is not terminal:
            handler.setFormatter(formatter)
        handler.addFilter(masking)
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.captureWarnings(True)
    if file_error is not None:
        logging.getLogger("kiosk.config").warning(
            "cannot write the log file in %s (%s); logging to the terminal only",
            paths.log_dir, type(file_error).__name__)
    return redactor


def active_redactors() -> list[Redactor]:
    """The redactors of the installed handlers (to register a name or secret learnt later)."""
    found: list[Redactor] = []
    for handler in logging.getLogger().handlers:
        for f in handler.filters:
            if isinstance(f, MaskingFilter) and f.redactor not in found:
                found.append(f.redactor)
    return found


def protect_name(name: str) -> None:
    """Mask ``name`` in every log line from now on (a session learns the person's name)."""
    for redactor in active_redactors():
        redactor.add_name(name)


def protect_secret(value: str) -> None:
    """Remove ``value`` from every log line from now on."""
    for redactor in active_redactors():
        redactor.add_secret(value)


def _known_secrets(paths: Paths) -> list[str]:
    """The secret key from KIOSK_SECRET_KEY and the secret store, when they can be read quietly."""
    found = [os.environ.get("KIOSK_SECRET_KEY", "")]
    try:
        from kiosk.config.secrets import SecretStore

        found.append(SecretStore(paths.secret_file, warn=lambda en, zh: None).get() or "")
    except Exception:  # a locked keyring or damaged file is reported by the command that needs it
        pass
    return [s for s in found if s]


def enable_faulthandler(paths: Paths | None = None) -> IO[str] | None:
    """Send Python's stack dump on a fatal signal (SIGSEGV, SIGABRT...) to the log file.

    Returns the open file, which the caller keeps for as long as the process runs (faulthandler
    writes to its descriptor). The dump holds file and function names only, never values, so it
    needs no masking. None when the log file cannot be opened (the dump then goes nowhere).
    """
    import faulthandler

    paths = paths or Paths.default()
    try:
        private_dir(paths.log_dir)
        fd = os.open(paths.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        out = open(fd, "a", encoding="utf-8")  # noqa: SIM115 - kept open on purpose
    except OSError:
        return None
    faulthandler.enable(file=out, all_threads=True)
    return out
