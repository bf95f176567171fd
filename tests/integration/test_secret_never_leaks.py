"""Issue 7: a full session with --verbose never writes the secret key anywhere, nor a full ID or name.

The session: settings and the secret stored with ``kiosk config set``, ``kiosk code``, a photo
that passes, a refusal, a video that passes, a wrong key, a network failure, ``kiosk doctor``,
``kiosk config show`` and the audit log listed and exported. Every stdout and stderr, every log
file, every exception the kiosk made (message, both languages, repr, formatted traceback) and the
audit database and CSV are searched. The emulator runs in the same process, so its log lines go
through the same masking filter and are searched too.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.api import Client
from kiosk.cli import main
from kiosk.config import Paths
from kiosk.errors import KioskError

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "assets"
PEOPLE = json.loads((ASSETS / "people.json").read_text(encoding="utf-8"))
SAMPLE = next(p for p in PEOPLE["people"] if p["key"] == "sample")
ID_NUMBER, NAME = SAMPLE["id_number"], SAMPLE["name"]
CARD, CLIP = ASSETS / SAMPLE["photo"], ASSETS / PEOPLE["clip"]["file"]
BAD_ID = "110110199909090909"
WRONG_KEY = "WrongKey-NeverPrint-5e2b9c"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Paths]:
    """Fresh XDG folders (a file-backed secret store), no KIOSK_*; log handlers removed after."""
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR"):
        folder = tmp_path / var.lower()
        folder.mkdir(mode=0o700)
        monkeypatch.setenv(var, str(folder))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for var in list(os.environ):
        if var.startswith("KIOSK_"):
            monkeypatch.delenv(var)
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    yield Paths.default()
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)


@pytest.fixture
def made_errors(monkeypatch: pytest.MonkeyPatch) -> list[KioskError]:
    """Every KioskError constructed during the test."""
    made: list[KioskError] = []
    original = KioskError.__init__

    def recording(self: KioskError, *args: Any, **kw: Any) -> None:
        original(self, *args, **kw)
        made.append(self)

    monkeypatch.setattr(KioskError, "__init__", recording)
    return made


def exception_texts(errors: list[KioskError]) -> list[str]:
    """What anyone could see of an error: both languages, repr, the formatted chain."""
    texts = []
    for exc in errors:
        texts += [exc.text("en"), exc.text("zh"), repr(exc), str(exc.args),
                  "".join(traceback.format_exception(exc))]
        texts += [str(getattr(exc, "reply", "") or "")]
    return texts


@pytest.mark.slow
def test_a_verbose_session_never_shows_the_secret(home: Paths, tmp_path: Path,
                                                  made_errors: list[KioskError],
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.emulator import start_in_process

    outputs: list[tuple[str, str]] = []

    def kiosk(*argv: str, expect: int | None = None) -> str:
        code = main(["--verbose", *argv])
        out, err = capsys.readouterr()
        outputs.append((out, err))
        assert "Traceback" not in err
        if expect is not None:
            assert code == expect, (argv, out, err)
        return out

    with start_in_process(tmp_path / "emulator") as emu:
        secret = emu.secret_key
        assert len(secret) >= 16  # long enough that a chance match is impossible

        # The operator stores the settings; the key goes to the (file) secret store.
        kiosk("config", "set", "endpoint", emu.base_url, expect=0)
        kiosk("config", "set", "appid", emu.appid, expect=0)
        kiosk("config", "set", "secret_id", emu.secret_id, expect=0)
        kiosk("config", "set", "secret_key", secret, expect=0)

        digits = kiosk("code", expect=0).strip()
        kiosk("verify", "photo", "--image", str(CARD), "--id-number", ID_NUMBER,
              "--name", NAME, expect=0)
        kiosk("verify", "photo", "--image", str(CARD), "--id-number", BAD_ID, "--name", NAME,
              "--no-check", expect=1)
        # The key from the environment this time, and a video naming the person.
        monkeypatch.setenv("KIOSK_SECRET_KEY", secret)
        kiosk("verify", "video", "--video", str(CLIP), "--code", digits, "--id-number",
              ID_NUMBER, "--name", NAME, "--json", expect=0)
        monkeypatch.delenv("KIOSK_SECRET_KEY")
        kiosk("verify", "video", "--video", str(CLIP), "--code", "0000", "--id-number",
              ID_NUMBER, "--name", NAME, "--secret-key", WRONG_KEY, expect=2)
        kiosk("code", "--secret-key", WRONG_KEY, expect=2)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            kiosk("code", "--endpoint", f"http://127.0.0.1:{sock.getsockname()[1]}",
                  "--retries", "0", expect=2)
        kiosk("doctor", "--camera", "synthetic", "--mic", "synthetic")
        kiosk("doctor", "--json", "--camera", "synthetic", "--mic", "synthetic",
              "--secret-key", WRONG_KEY, expect=2)
        # The client's own errors, made directly, must not carry the key either.
        with Client(emu.base_url, emu.appid, emu.secret_id, secret) as client:
            assert secret not in repr(client)
    shown = kiosk("config", "show", expect=0) + kiosk("config", "show", "--json", expect=0)
    assert "(set)" in shown
    kiosk("audit", "list", expect=0)
    kiosk("audit", "list", "--json", expect=0)
    csv_file = tmp_path / "audit.csv"
    kiosk("audit", "export", "--csv", str(csv_file), expect=0)

    logs = sorted(p for p in home.log_dir.rglob("*") if p.is_file())
    assert logs, "the session wrote no log file"
    log_text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in logs)
    assert "idcardlivedetectfour" in log_text  # the log really holds the session, verbosely
    audit_bytes = home.audit_db.read_bytes() + csv_file.read_bytes()
    assert audit_bytes.count(b"110105********002X") >= 3

    printed = [text for pair in outputs for text in pair]
    everything = {"output": "\n".join(printed), "log": log_text,
                  "exceptions": "\n".join(exception_texts(made_errors)),
                  "audit": audit_bytes.decode("utf-8", errors="replace")}
    assert len(made_errors) >= 4  # refusal, wrong key twice, refused connection at least
    # Only labels go into the assertion, so a failure never prints the key it found.
    leaks = [f"{label} in the {where}"
             for where, text in everything.items()
             for label, value in (("the secret key", secret), ("the wrong key", WRONG_KEY))
             if value in text]
    leaks += [f"{label} in the {where}"
              for where in ("log", "audit")
              for label, value in (("a full ID number", ID_NUMBER), ("a full ID number", BAD_ID),
                                   ("a full name", NAME))
              if value in everything[where]]
    assert leaks == []
    # The secret store file holds it, readable by the user only: the one place it may be.
    store = home.secret_file
    if store.exists():
        assert store.stat().st_mode & 0o077 == 0
