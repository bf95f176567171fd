"""Diagnostics for ``kiosk doctor``: each check says OK, WARN or FAIL, and how to fix it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from email.utils import parsedate_to_datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests

from kiosk.config import messages
from kiosk.config.consent import load_notice
from kiosk.config.schema import BY_KEY
from kiosk.config.store import Settings
from kiosk.display import display_answers, display_name
from kiosk.errors import KioskError
from kiosk.texts import Message

if TYPE_CHECKING:  # kiosk.media loads OpenCV: only the device check imports it, late
    from kiosk.media import Devices

OK, WARN, FAIL = "OK", "WARN", "FAIL"
CAMERA_FRAME = "camera frame"  # the check that opens the camera (kiosk.config.doctor_media)
SKEW_WARN_S = 5.0
# The kiosk signs for 60 s; a clock behind the server's by half that leaves too little margin.
SKEW_FAIL_S = 30.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Check:
    """One diagnostic: what was checked, the verdict, what was seen, how to fix it."""

    name: str
    status: str
    detail_en: str
    detail_zh: str = ""
    fix_en: str = ""
    fix_zh: str = ""

    @classmethod
    def of(cls, name: str, status: str, message: Message) -> Check:
        """A check whose texts are a catalog message (kiosk.config.messages)."""
        return cls(name, status, message.en, message.zh, message.fix_en, message.fix_zh)

    def to_json(self) -> dict[str, str]:
        """The check as ``kiosk doctor --json`` prints it."""
        return asdict(self)


def exit_status(checks: Iterable[Check]) -> int:
    """0 when all is OK, 1 when there are warnings only, 2 when anything failed."""
    statuses = {c.status for c in checks}
    return 2 if FAIL in statuses else 1 if WARN in statuses else 0


def check_ffmpeg(find: Callable[[], str] | None = None) -> Check:
    """An ffmpeg that runs (kiosk.media.find_ffmpeg: PATH, else imageio-ffmpeg's)."""
    if find is None:
        from kiosk.media import find_ffmpeg

        find = find_ffmpeg
    try:
        exe = find()
    except KioskError:
        exe = None
    if not exe:
        return Check.of("ffmpeg", FAIL, messages.FFMPEG_MISSING())
    try:
        done = subprocess.run([exe, "-hide_banner", "-version"], capture_output=True, text=True,
                              timeout=10, check=False)
        version = (done.stdout.splitlines() or [""])[0].split(" Copyright")[0]
    except (OSError, subprocess.SubprocessError) as exc:
        return Check.of("ffmpeg", FAIL,
                        messages.FFMPEG_DOES_NOT_RUN(exe=exe, kind=type(exc).__name__))
    return Check("ffmpeg", OK, f"{exe}: {version}", f"{exe}：{version}")


def _device_names(devices: Devices, kind: str) -> list[str]:
    """Names of the ``kind`` ("video"/"audio") devices."""
    found = devices.cameras if kind == "video" else devices.microphones
    return [d.name for d in found]


def _list_devices() -> Devices:
    from kiosk.media import list_devices  # late: OpenCV and PortAudio load only for this check

    return list_devices(probe_sizes=False)  # sizes take seconds per camera


def check_devices(settings: Settings, list_devices: Callable[[], Devices] = _list_devices,
                  ) -> list[Check]:
    """A camera and a microphone, or the configured file:/synthetic stand-ins."""
    checks = []
    devices: Devices | None = None
    error = ""
    try:
        devices = list_devices()
    except Exception as exc:  # a broken driver must not stop the other checks
        error = type(exc).__name__
    for kind, key, label in (("video", "camera", messages.CAMERAS),
                             ("audio", "mic", messages.MICROPHONES)):
        spec = str(settings.get(key))
        if spec.startswith("file:") or spec == "synthetic":
            exists = spec == "synthetic" or os.path.exists(spec[5:])
            fix = messages.DEVICE_FILE_MISSING(key=key)
            checks.append(Check(label.en, OK if exists else FAIL, f"{key} = {spec}", f"{key} = {spec}",
                                "" if exists else fix.en, "" if exists else fix.zh))
            continue
        if devices is None:
            checks.append(Check.of(label.en, WARN,
                                   messages.CANNOT_LIST_DEVICES(label=label, error=error)))
            continue
        names = _device_names(devices, kind)
        notes = "; ".join(devices.notes)
        if names:
            checks.append(Check(label.en, OK, ", ".join(names), "，".join(names)))
        else:
            seen = f" ({notes})" if notes else ""
            checks.append(Check.of(label.en, FAIL,
                                   messages.NO_DEVICES(label=label, seen=seen, key=key)))
    return checks


QUIET_DBFS = -60.0  # a working microphone in a room hears more than this


def _sample_level(spec: str) -> tuple[float, float, str]:
    from kiosk.media.microphone import sample_level  # late: PortAudio loads only for this check

    return sample_level(spec)


def check_mic_level(settings: Settings,
                    sample: Callable[[str], tuple[float, float, str]] = _sample_level) -> Check:
    """One second from the configured microphone: its level and input latency."""
    label = messages.MIC_LEVEL_CHECK
    spec = str(settings.get("mic")) or "default"
    if spec.startswith("file:") or spec == "synthetic":
        return Check(label.en, OK, f"mic = {spec}", f"mic = {spec}")
    try:
        level, latency, device = sample(spec)
    except KioskError as exc:
        return Check(label.en, FAIL, exc.en, exc.zh, exc.fix_en, exc.fix_zh)
    if level < QUIET_DBFS:
        return Check.of(label.en, WARN, messages.MIC_TOO_QUIET(spec=spec, device=device, level=level))
    return Check.of(label.en, OK, messages.MIC_LEVEL(spec=spec, device=device, level=level,
                                                   latency=latency * 1e3))


def check_display(env: dict[str, str] | None = None, platform: str = sys.platform) -> Check:
    """A display for the GUI (X11 or Wayland on Linux; always there on Windows and macOS)."""
    env = dict(os.environ) if env is None else env
    if not platform.startswith("linux"):
        return Check("display", OK, platform, platform)
    if env.get("QT_QPA_PLATFORM") == "offscreen":
        return Check.of("display", WARN, messages.DISPLAY_OFFSCREEN())
    shown = display_name(env)
    if shown and not display_answers(env):
        return Check.of("display", FAIL, messages.DISPLAY_NOT_ANSWERING(display=shown))
    if shown:
        return Check("display", OK, shown, shown)
    return Check.of("display", WARN, messages.NO_DISPLAY())


def check_settings(settings: Settings) -> Check:
    """The settings file reads and every value is valid."""
    try:
        settings.all()
    except KioskError as exc:
        return Check("settings", FAIL, exc.en, exc.zh, exc.fix_en, exc.fix_zh)
    where = settings.paths.settings_file
    if where.exists():
        return Check("settings", OK, str(where), str(where))
    return Check.of("settings", OK, messages.SETTINGS_NOT_CREATED(path=where))


def check_consent_notice(settings: Settings) -> Check:
    """The consent notice the GUI shows: the built-in one, or the operator's file and its version."""
    path = str(settings.get("consent_notice") or "")
    try:
        notice = load_notice(path)
    except KioskError as exc:
        return Check("consent notice", FAIL, exc.en, exc.zh, exc.fix_en, exc.fix_zh)
    return Check.of("consent notice", OK, messages.NOTICE_IN_USE(
        where=SimpleNamespace(en=path, zh=path) if path else messages.NOTICE_BUILT_IN_NAME(),
        version=notice.version))


def check_secret_store(settings: Settings) -> Check:
    """The secret key's store: the keyring, or the 0600 file (a warning)."""
    loc = settings.secrets.location()
    if settings.secrets.uses_keyring:
        return Check("secret store", OK, loc, loc)
    return Check.of("secret store", WARN, messages.NO_KEYRING(where=loc))


def check_service(
    settings: Settings,
    *,
    session: requests.Session | None = None,
    clock: Callable[[], float] = time.time,
    make_client: Callable[..., Any] | None = None,
) -> list[Check]:
    """Endpoint reachable (and its TLS), clock skew from its Date header, signature accepted."""
    endpoint = str(settings.get("endpoint"))
    session = session or requests.Session()
    checks: list[Check] = []
    host = urlsplit(endpoint).hostname or ""
    before = clock()
    try:
        reply = session.get(endpoint + "/", timeout=(5, 10), allow_redirects=False)
    except requests.exceptions.SSLError as exc:
        return [Check.of("endpoint", FAIL,
                         messages.ENDPOINT_TLS_FAILED(endpoint=endpoint, error=_short(exc)))]
    except requests.exceptions.RequestException as exc:
        return [Check.of("endpoint", FAIL,
                         messages.ENDPOINT_UNREACHABLE(endpoint=endpoint, kind=type(exc).__name__))]
    after = clock()
    answered = dict(endpoint=endpoint, status=reply.status_code)
    if endpoint.startswith("https://"):
        checks.append(Check.of("endpoint", OK, messages.ENDPOINT_HTTPS(**answered)))
    elif host in LOOPBACK:
        checks.append(Check.of("endpoint", OK, messages.ENDPOINT_LOOPBACK(**answered)))
    else:
        checks.append(Check.of("endpoint", WARN, messages.ENDPOINT_PLAIN_HTTP(**answered)))
    checks.append(_skew(reply.headers.get("Date"), (before + after) / 2))
    checks.append(_signature(settings, make_client))
    return checks


def _skew(date: str | None, local: float) -> Check:
    if not date:
        return Check.of("clock", WARN, messages.NO_DATE_HEADER())
    try:
        server = parsedate_to_datetime(date).timestamp()
    except (TypeError, ValueError):
        return Check.of("clock", WARN, messages.BAD_DATE_HEADER(date=date))
    skew = local - server
    off = dict(seconds=abs(skew), direction=messages.AHEAD_OF if skew > 0 else messages.BEHIND)
    if abs(skew) > SKEW_FAIL_S:
        return Check.of("clock", FAIL, messages.CLOCK_TOO_FAR_OFF(**off))
    if abs(skew) > SKEW_WARN_S:
        return Check.of("clock", WARN, messages.CLOCK_OFF(**off))
    return Check.of("clock", OK, messages.CLOCK_CLOSE(skew=skew, limit=SKEW_WARN_S))


def _signature(settings: Settings, make_client: Callable[..., Any] | None) -> Check:
    missing = [k for k in ("appid", "secret_id", "secret_key") if not settings.get(k)]
    if missing:
        return Check.of("signature", FAIL, messages.SIGNATURE_NOT_TESTED(
            names=", ".join(missing), key=missing[0], env=BY_KEY[missing[0]].env))
    if make_client is None:
        from kiosk.api import Client

        make_client = Client
    client = None
    try:
        client = make_client(str(settings.get("endpoint")), str(settings.get("appid")),
                             str(settings.get("secret_id")), str(settings.get("secret_key")),
                             bucket=str(settings.get("bucket")), retries=1)
        digits = client.livegetfour(seq="kiosk-doctor")
    except KioskError as exc:
        return Check.of("signature", FAIL, messages.SIGNATURE_REFUSED(error=exc))
    finally:
        if client is not None:
            client.close()
    return Check.of("signature", OK, messages.SIGNATURE_ACCEPTED(count=len(str(digits))))


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 160 else text[:157] + "..."


def groups(settings: Settings, **service: Any) -> list[tuple[str, Callable[[], Check | list[Check]]]]:
    """The checks in the order ``kiosk doctor`` prints them, each a call that may take seconds.

    The operator's self-test page runs them one by one off the GUI thread, showing each as it ends.
    """
    from kiosk.config import doctor_media  # it imports Check from here

    return [
        ("settings", lambda: check_settings(settings)),
        ("secret store", lambda: check_secret_store(settings)),
        ("consent notice", lambda: check_consent_notice(settings)),
        ("ffmpeg", check_ffmpeg),
        ("devices", lambda: check_devices(settings)),
        (CAMERA_FRAME, lambda: doctor_media.check_camera_frame(settings)),
        ("microphone level", lambda: check_mic_level(settings)),
        ("display", check_display),
        ("endpoint", lambda: check_service(settings, **service)),
    ]


def device_verdicts(checks: Iterable[Check]) -> dict[str, str]:
    """camera and microphone: the worst status among the checks about each (of those that ran)."""
    about = {messages.CAMERAS.en: "camera", CAMERA_FRAME: "camera",
             messages.MICROPHONES.en: "microphone", messages.MIC_LEVEL_CHECK.en: "microphone"}
    rank = {OK: 0, WARN: 1, FAIL: 2}
    found: dict[str, str] = {}
    for check in checks:
        device = about.get(check.name)
        if device is not None and rank.get(check.status, 1) >= rank.get(found.get(device, OK), 0):
            found[device] = check.status
    return found


def run_group(name: str, run: Callable[[], Check | list[Check]]) -> list[Check]:
    """One group's checks; a KioskError (an invalid KIOSK_* value, a damaged file) is its FAIL."""
    try:
        found = run()
    except KioskError as exc:
        found = Check(name, FAIL, exc.en, exc.zh, exc.fix_en, exc.fix_zh)
    return found if isinstance(found, list) else [found]


def run_all(settings: Settings, **service: Any) -> list[Check]:
    """Every check, in the order ``kiosk doctor`` prints them; one failing never stops the rest."""
    checks: list[Check] = []
    for name, run in groups(settings, **service):
        checks += run_group(name, run)
    return checks
