"""Render every screen of the kiosk GUI into docs/screenshots/ (offscreen, no camera, no service).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py [--out DIR]

Each screen is filled with the data a real session shows (a frame of the sample clip, the sample
person's details, a finding, a result) and grabbed at 1366x768 and 1920x1080 in Chinese; the
welcome and result screens also in English.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import av  # noqa: E402
import numpy as np  # noqa: E402

from kiosk.checks.findings import Finding  # noqa: E402
from kiosk.checks.live import MESSAGES  # noqa: E402
from kiosk.flow.events import Mode, Result  # noqa: E402
from kiosk.ui.app import make_app  # noqa: E402
from kiosk.ui.i18n import Languages  # noqa: E402
from kiosk.ui.widgets import bgr_to_qimage  # noqa: E402
from kiosk.ui.window import MainWindow  # noqa: E402

SIZES = ((1366, 768), (1920, 1080))
ID_NUMBER, NAME = "11010519491231002X", "王芳"


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

    def save(self, changes: dict[str, str]) -> None:
        pass

    def has_pin(self) -> bool:
        return True

    def check_pin(self, pin: str) -> bool:
        return False


class _Devices:
    def cameras(self) -> list[str]:
        return ["USB Camera", "Integrated Camera"]

    def mics(self) -> list[str]:
        return ["default", "USB Microphone"]


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
        w.begin()
        w.details.id_number.setText(ID_NUMBER)
        w.details.name.setText(NAME)

    def details_error() -> None:
        w.begin()
        w.details.id_number.setText("110105194912310021")
        w.details.name.setText(NAME)

    def details_card() -> None:
        w.settings.values = lambda: dict(_Settings().values(), mode="card")  # type: ignore[method-assign]
        w.begin()
        w.details.set_photo(card)
        w.settings.values = _Settings().values  # type: ignore[method-assign]

    def guide(fits: bool) -> Callable[[], None]:
        def go() -> None:
            w.capture.clear()
            w.capture.set_cameras(_Devices().cameras(), "USB Camera")
            w.capture.show_guide()
            w.show_screen("capture")
            w.capture.set_frame(qframe)
            zh, en = MESSAGES["too_far"]  # what the checker says of a face too far away
            w.capture.set_feedback(fits, "" if fits else (zh if w.lang() == "zh" else en))
            w.capture.set_level(-22.0 if fits else -45.0)
        return go

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
        w.busy.show_upload(412_000, 986_000)
        w.show_screen("busy")

    def result_pass() -> None:
        w._details = None
        w._finished(Result("passed", Mode.IDCARD, "核验通过", "verified", similarity=91.0,
                           live_status=0, compare_status=0, best_frame=jpeg(frame), exit_code=0))

    def result_fail() -> None:
        w._finished(Result("refused", Mode.IDCARD, "服务返回错误码 -5011（活体检测失败）",
                           "The service refused with code -5011 (liveness check failed)",
                           "请正对摄像头，清晰读出数字后重试", "face the camera, read the digits clearly and try again",
                           code=-5011, live_status=-5011))

    def idle() -> None:
        details()
        w.idle_warning.show_left(27)

    def pin() -> None:
        w.pin.open()
        w.show_screen("pin")

    def operator() -> None:
        w._operator_unlocked()

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
        ("12-result-pass", result_pass),
        ("13-result-refused", result_fail),
        ("14-idle-warning", idle),
        ("15-operator-pin", pin),
        ("16-operator-panel", operator),
    ]


def main(argv: list[str] | None = None) -> int:
    """Render the screenshots; prints each file written."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    langs = Languages(app)
    frame = sample_frame()
    w = MainWindow(flow_factory=lambda listener: _NoFlow(), settings=_Settings(),  # type: ignore[arg-type,return-value]
                   devices=_Devices(), languages=langs, demo=True, idle_ms=10**9, default_lang="zh")
    w.show()
    for lang, sizes, only in (("zh", SIZES, None), ("en", SIZES[:1], {"01-welcome", "12-result-pass"})):
        for width, height in sizes:
            w.resize(width, height)
            for name, setup in states(w, frame):
                if only and name not in only:
                    continue
                w.reset()
                langs.switch(lang)
                w.default_lang = lang
                setup()
                app.processEvents()
                path = args.out / f"{name}-{width}x{height}-{lang}.png"
                w.grab().save(str(path), "PNG", 0)  # 0: smallest file
                print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    w.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
