"""Render every screen of the kiosk GUI into docs/screenshots/ (offscreen, no camera, no service).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py [--out DIR]

Each screen is filled with the data a real session shows (a frame of the sample clip, the sample
person's details, a finding, a result) and grabbed at 1366x768 and 1920x1080, in Chinese and in
English.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import av  # noqa: E402
import numpy as np  # noqa: E402

from kiosk.api import LiveResult  # noqa: E402
from kiosk.checks.findings import Finding  # noqa: E402
from kiosk.checks.live import MESSAGES  # noqa: E402
from kiosk.config.audit import AuditRecord  # noqa: E402
from kiosk.config.consent import BUILT_IN  # noqa: E402
from kiosk.config.doctor import FAIL, OK, WARN, Check  # noqa: E402
from kiosk.flow import verdict  # noqa: E402
from kiosk.flow.card_reader import Card, CardReaderError, SimulatedReader  # noqa: E402
from kiosk.flow.events import Details, Mode, Result  # noqa: E402
from kiosk.media.errors import MicrophoneFault  # noqa: E402
from kiosk.ui.app import make_app  # noqa: E402
from kiosk.ui.i18n import Languages  # noqa: E402
from kiosk.ui.widgets import bgr_to_qimage  # noqa: E402
from kiosk.ui.window import MainWindow  # noqa: E402

SIZES = ((1366, 768), (1920, 1080))
ID_NUMBER, NAME = "11010519491231002X", "王芳"
SEQ = "3f9c2a1b-5d7e-4c21-9a0b-6e8f1d2c3b4a"  # the run's id: the clerk's reference is its start
# The screens also grabbed in English: welcome, the results, the operator panel and every screen from
# 17 on (consent, the result's states, the service status).
class _NoFlow:
    """The screenshots fill the screens directly; no verification runs."""

    step = None
    running = False

    def __getattr__(self, name: str) -> Callable[..., None]:
        return lambda *a, **k: None


class _Settings:
    def values(self) -> dict[str, Any]:
        return {"mode": "idcard", "camera": "USB Camera", "mic": "default",
                "endpoint": "https://service.image.myqcloud.com", "appid": "1000001",
                "secret_id": "AKIDexample", "has_secret_key": True}

    def value(self, key: str) -> Any:
        return self.values().get(key)

    def save(self, changes: dict[str, str]) -> None:
        pass

    def has_pin(self) -> bool:
        return True

    def check_pin(self, pin: str) -> bool:
        return False


class _Audit:
    """A day at the counter as the audit log holds it (masked; no names)."""

    def rows(self) -> list[AuditRecord]:
        now = datetime.now(UTC).replace(microsecond=0)
        day = [("idcard", "pass", None, "yes"), ("idcard", "fail", None, "yes"),
               ("idcard", "refused", -5011, "yes"), ("photo", "error", -5802, "yes"),
               ("idcard", "declined", None, "no"), ("card", "pass", None, "guardian"),
               ("idcard", "limited", None, "yes"), ("idcard", "pass", None, "yes")]
        return [AuditRecord(mode=mode, outcome=outcome, code=code, consent=consent,
                            id_masked="110105********002X" if mode != "card" else "",
                            seq=f"{i:02x}3f9c2a1b7e", id=i + 1,
                            time=(now - timedelta(minutes=7 * (len(day) - i))).isoformat())
                for i, (mode, outcome, code, consent) in enumerate(day)]

    def export_csv(self, out: Path) -> int:
        return 0


class _Devices:
    def cameras(self) -> list[str]:
        return ["USB Camera", "Integrated Camera"]

    def mics(self) -> list[str]:
        return ["default", "USB Microphone"]


def sample_checks() -> list[Check]:
    """A self-test as a counter PC might show it: two things to fix, each with its fix."""
    from kiosk.config import messages as cm

    endpoint = "https://service.image.myqcloud.com"
    return [
        Check("settings", OK, "/home/kiosk/.config/kiosk/settings.toml"),
        Check.of("secret store", WARN, cm.NO_KEYRING(where="/home/kiosk/.config/kiosk/secret")),
        Check.of("consent notice", OK, cm.NOTICE_IN_USE(where=cm.NOTICE_BUILT_IN_NAME(),
                                                        version="kiosk-2026-12")),
        Check("ffmpeg", OK, "/usr/bin/ffmpeg: ffmpeg version 5.1.6"),
        Check("cameras", OK, "USB Camera, Integrated Camera"),
        Check("microphones", OK, "default, USB Microphone"),
        Check.of("camera frame", OK, cm.CAMERA_FRAME(camera="USB Camera", width=640, height=480,
                                                     luma=121)),
        Check.of("microphone level", WARN, cm.MIC_TOO_QUIET(spec="USB Microphone",
                                                            device="USB Audio", level=-72)),
        Check("display", OK, ":0"),
        Check.of("endpoint", OK, cm.ENDPOINT_HTTPS(endpoint=endpoint, status=404)),
        Check.of("clock", FAIL, cm.CLOCK_TOO_FAR_OFF(seconds=94, direction=cm.BEHIND)),
        Check.of("signature", OK, cm.SIGNATURE_ACCEPTED(count=4)),
    ]


def sample_frame(index: int = 45) -> np.ndarray:
    """One BGR frame of the bundled sample clip."""
    with av.open(str(REPO / "assets" / "sample_clip.mp4")) as c:
        for i, frame in enumerate(c.decode(video=0)):
            if i >= index:
                return frame.to_ndarray(format="bgr24")
    raise RuntimeError("sample clip too short")


def jpeg(image: np.ndarray) -> bytes:
    import cv2

    ok, buf = cv2.imencode(".jpg", image)
    assert ok
    return buf.tobytes()


def states(w: MainWindow, frame: np.ndarray) -> list[tuple[str, Callable[[], None]]]:
    """(name, put the window in that state) for every screen."""
    qframe = bgr_to_qimage(frame, mirror=True)
    card = (REPO / "assets" / "card_photo.jpg").read_bytes()

    def details() -> None:
        w.details.set_card_reader(None)  # the default: no card reader
        w.begin()
        w.details.id_number.set_number(ID_NUMBER)
        w.details.name.setText(NAME)

    def details_error() -> None:
        w.details.set_card_reader(None)
        w.begin()
        w.details.id_number.set_number("110105194912310021")
        w.details.name.setText(NAME)

    def keypad(mode: str = "idcard", typed: str = "11010519491231") -> Callable[[], None]:
        def go() -> None:
            w.details.set_card_reader(None)
            w.settings.values = lambda: dict(_Settings().values(), mode=mode)  # type: ignore[method-assign]
            w.begin()
            w.settings.values = _Settings().values  # type: ignore[method-assign]
            for key in typed:  # as a finger on the keypad types it
                w.details.keypad.press(key)
        return go

    def card_reader(outcome: Card | CardReaderError) -> Callable[[], None]:
        def go() -> None:
            w.details.set_card_reader(SimulatedReader())
            w.begin()
            w.details.show_card_outcome(outcome)
        return go

    def details_card() -> None:
        w.settings.values = lambda: dict(_Settings().values(), mode="card")  # type: ignore[method-assign]
        w.begin()
        w.details.set_photo(card)
        w.settings.values = _Settings().values  # type: ignore[method-assign]

    def guide(fits: bool, voice: str = "", waited: float = 2.0,
              skipped: bool = False) -> Callable[[], None]:
        """The preview; ``voice``: the voice test's state (default: passed if fits, else silent)."""
        def go() -> None:
            w.capture.clear()
            w.capture.show_guide()
            w.show_screen("capture")
            w.capture.set_frame(qframe)
            w.capture.set_voice(voice or ("passed" if fits else "silent"), waited)
            if skipped:
                w.capture.skip_voice.click()
            zh, en = MESSAGES["too_far"]  # what the checker says of a face too far away
            w.capture.set_feedback(fits, "" if fits else (zh if w.lang() == "zh" else en))
            w.capture.set_level(-22.0 if fits else -45.0)
        return go

    mic_gone = MicrophoneFault("default", "gone", "USB Mic Mono")

    def mic_stopped() -> None:  # the microphone removed while the voice test listens
        guide(True, "passed")()
        w.capture.set_voice("failed", 3.0, mic_gone.zh if w.lang() == "zh" else mic_gone.en)
        w.capture.set_level(-100.0)

    def countdown() -> None:
        guide(True)()
        w.capture.show_digits("1357")
        w.capture.show_countdown(3)

    def recording() -> None:
        guide(True)()
        w.capture.show_digits("1357")
        w.capture.show_recording(2.2, 5.0)

    def photo() -> None:
        guide(True)()
        w.capture.show_photo("face")

    def card_camera() -> None:  # card mode, no file: the camera films the card after Continue
        w.settings.values = lambda: dict(_Settings().values(), mode="card")  # type: ignore[method-assign]
        w.begin()
        w.settings.values = _Settings().values  # type: ignore[method-assign]

    def card_live(glare: bool) -> Callable[[], None]:
        def go() -> None:
            from kiosk.checks.card_frame import CardFrameChecker
            from tests.support.card_scene import card_frame

            shot = card_frame(t=0.3, glare=glare)
            fb = CardFrameChecker().check(shot)  # the checker's own words for this picture
            w.capture.clear()
            w.capture.show_photo("card")
            w.show_screen("capture")
            w.capture.set_frame(bgr_to_qimage(shot, mirror=True))
            w.capture.set_feedback(fb.ok, "" if fb.ok else (
                fb.message_zh if w.lang() == "zh" else fb.message_en))
        return go

    def card_still(refused: bool) -> Callable[[], None]:
        def go() -> None:
            from kiosk.checks import check_image
            from kiosk.checks.card_frame import CardFrameChecker, crop_card
            from kiosk.ui.run_screens import still_image
            from tests.support.card_scene import card_frame

            # Refused: the still caught only the background (the card moved away), -4017.
            shot = card_frame(t=0.3, card=not refused)
            still = jpeg(crop_card(shot, CardFrameChecker().check(shot)))
            found = check_image(still, role="card")
            card_live(False)()
            w.capture.show_still(still_image(still), [
                f.message_zh if w.lang() == "zh" else f.message_en for f in found], bool(found))
        return go

    def checks() -> None:
        w.checks.show_findings([
            Finding(-5013, "block", -41.0, -35.0, "声音太小：请靠近麦克风，清晰大声地读出数字",
                    "The voice is too quiet: come closer to the microphone and read the digits clearly"),
            Finding(-5009, "block", 0.2, 0.6, "画面中大部分时间没有检测到人脸：请正对摄像头",
                    "No face was seen for most of the clip: face the camera"),
        ])
        w.show_screen("checks")

    def upload() -> None:
        w.busy.show_step("upload")
        now = [0.0]
        w.busy.clock = lambda: now[0]
        w.busy.show_upload(0, 986_000)
        now[0] = 12.0  # a field agent's link: 412 kB in 12 s, so about 17 s left
        w.busy.show_upload(412_000, 986_000)
        w.busy.clock = time.monotonic
        w.show_screen("busy")

    person = Details(Mode.IDCARD, id_number=ID_NUMBER, name=NAME)

    def result(r: Result, reveal: bool = False) -> Callable[[], None]:
        def go() -> None:
            w._details = person
            w.runs.show_result(r, details=person)
            if reveal:  # staff entered the PIN
                w.result.reveal()
        return go

    passed = Result("passed", Mode.IDCARD, "核验通过", "verified", similarity=91.0,
                    live_status=0, compare_status=0, best_frame=jpeg(frame), exit_code=0, seq=SEQ)
    refused = Result("refused", Mode.IDCARD, "服务返回错误码 -5011（活体检测失败）",
                     "The service refused with code -5011 (liveness check failed)",
                     "请正对摄像头，清晰读出数字后重试",
                     "face the camera, read the digits clearly and try again",
                     code=-5011, live_status=-5011, seq=SEQ)
    low = Result("failed", Mode.IDCARD, "相似度 48，低于阈值 70", "similarity 48, below the threshold 70",
                 similarity=48.0, live_status=0, compare_status=0, best_frame=jpeg(frame), seq=SEQ)
    network = Result("error", Mode.IDCARD, "无法连接 127.0.0.1：连接被拒绝",
                     "cannot connect to 127.0.0.1: connection refused",
                     "检查网络后重试", "check the network and try again",
                     cause="network", exit_code=2, seq=SEQ)
    locked = Result("failed", Mode.IDCARD, "相似度 52，低于阈值 70", "similarity 52, below the threshold 70",
                    similarity=52.0, live_status=0, compare_status=0, locked=True, seq=SEQ)
    limited = verdict.limited(Mode.IDCARD, 70.0, failures=3, seconds_left=1500, seq=SEQ)
    staff_only = Result("refused", Mode.IDCARD, "服务返回错误码 -5015", "The service refused with code -5015",
                        code=-5015, seq=SEQ)

    # The liveness-only mode: a live person, nobody compared; staff see no similarity line either.
    live = verdict.from_reply(Mode.LIVE, LiveResult("livedetectfour", 0, "OK", 0, "OK", None, "",
                                                    None, None, compared=False), 70.0, seq=SEQ)

    def live_result() -> None:
        w._details = Details(Mode.LIVE)
        w.runs.show_result(live, details=w._details)
        w.result.reveal()

    def consent(guardian: bool, decline: bool = False) -> Callable[[], None]:
        def go() -> None:
            w.consent.open(BUILT_IN, guardian=guardian)
            w.show_screen("consent")
            if decline:
                w.consent.decline.click()  # no details in the gate: only the screen changes
        return go

    def service(state: str) -> Callable[[], None]:
        return lambda: w.welcome.set_service(state)

    def idle() -> None:
        details()
        w.idle_warning.show_left(27)

    def pin() -> None:
        w.pin.open()
        w.show_screen("pin")

    def operator() -> None:
        w._operator_unlocked()

    def desk(page: str, bad: bool = False) -> Callable[[], None]:
        def go() -> None:
            w._operator_unlocked()
            w.operator.nav["self-test"].show()  # the screenshots run no self-test of their own
            w.operator.show_page(page)
            if bad:  # a service URL that is not one: refused under its field, the rest saved
                w.operator.endpoint.setText("ftp://service.example")
                w.operator.save.click()
            if page == "self-test":
                w.operator.self_test.begin()
                for check in sample_checks():
                    w.operator.self_test.add(check)
                w.operator.self_test.done()
        return go

    def sessions() -> None:
        w._operator_unlocked()
        w.sessions_screen.load(_Audit().rows())
        w.show_screen("sessions")

    return [
        ("01-welcome", lambda: w.reset()),
        ("02-details", details),
        ("03-details-checksum-error", details_error),
        ("04-details-card-photo", details_card),
        ("05-preview-hint", guide(False)),
        ("06-preview-placed", guide(True)),
        ("07-digits-countdown", countdown),
        ("08-recording", recording),
        ("09-photo", photo),
        ("10-local-checks", checks),
        ("11-upload", upload),
        ("12-result-pass", result(passed)),
        ("13-result-refused", result(refused)),
        ("14-idle-warning", idle),
        ("15-operator-pin", pin),
        ("16-operator-panel", operator),
        ("17-consent", consent(False)),
        ("18-consent-guardian", consent(True)),
        ("19-consent-declined", consent(False, decline=True)),
        ("20-result-low-similarity", result(low)),
        ("21-result-could-not-check", result(network)),
        ("22-result-limit-reached", result(locked)),
        ("23-result-limited", result(limited)),
        ("24-result-staff-only", result(staff_only)),
        ("25-result-staff-details", result(low, reveal=True)),
        ("26-welcome-service-ok", service("ok")),
        ("27-welcome-service-unreachable", service("unreachable")),
        ("28-welcome-service-misconfigured", service("misconfigured")),
        ("29-operator-sessions", sessions),
        ("30-result-liveness-only", live_result),
        ("60-desk-capture", desk("capture")),
        ("61-desk-checks", desk("checks")),
        ("62-desk-privacy", desk("privacy")),
        ("63-desk-kiosk", desk("kiosk")),
        ("64-desk-refused-value", desk("service", bad=True)),
        ("65-desk-self-test", desk("self-test")),
        ("40-details-card-camera", card_camera),
        ("41-card-frame", card_live(False)),
        ("42-card-glare", card_live(True)),
        ("43-card-still", card_still(False)),
        ("44-card-still-refused", card_still(True)),
        ("50-details-keypad", keypad()),
        ("51-details-card-read", card_reader(Card(ID_NUMBER, NAME))),
        ("52-details-card-reader-error", card_reader(CardReaderError.no_card())),
        ("53-details-photo-keypad", keypad("photo", ID_NUMBER[:9])),
        ("31-preview-say-hello", guide(True, "silent", 3.0)),
        ("32-preview-voice-help", guide(True, "quiet", 12.0)),
        ("33-preview-voice-skipped", guide(True, "silent", 12.0, skipped=True)),
        ("34-preview-microphone-stopped", mic_stopped),
        ("35-result-microphone-stopped", result(verdict.from_error(Mode.IDCARD, mic_gone, 70.0,
                                                                    seq=SEQ))),
    ]


def main(argv: list[str] | None = None) -> int:
    """Render the screenshots; prints each file written."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    ap.add_argument("--only", action="append", default=[], metavar="NN",
                    help="render only the screens whose names start with NN (repeatable)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    langs = Languages(app)
    frame = sample_frame()
    w = MainWindow(flow_factory=lambda listener: _NoFlow(), settings=_Settings(),  # type: ignore[arg-type,return-value]
                   devices=_Devices(), languages=langs, demo=True, idle_ms=10**9, default_lang="zh",
                   reset_attempts=lambda: 0,  # the panel shows "Reset attempt limits"
                   audit=_Audit())  # and "Today's sessions"
    w.show()
    too_big: list[str] = []
    for lang in ("zh", "en"):
        for width, height in SIZES:
            for name, setup in states(w, frame):
                if args.only and not any(name.startswith(p) for p in args.only):
                    continue
                w.reset()
                w.welcome.set_service("unknown")  # no probe runs: the status line only where set
                w.resize(width, height)
                langs.switch(lang)
                w.default_lang = lang
                setup()
                app.processEvents()
                path = args.out / f"{name}-{width}x{height}-{lang}.png"
                if (w.width(), w.height()) != (width, height):  # a screen's minimum size is larger
                    too_big.append(f"{path.name}: {w.width()}x{w.height()}")
                w.grab().save(str(path), "PNG", 0)  # 0: smallest file
                print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    w.shutdown()
    for line in too_big:
        print(f"does not fit: {line}", file=sys.stderr)
    return 1 if too_big else 0


if __name__ == "__main__":
    sys.exit(main())
