"""The Qt application: high-DPI policy, style, language, the window, and a clean exit."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.ui.theme import BODY_PT, style_sheet


def configure_qt() -> None:
    """Settings Qt reads only before the application exists."""
    if QGuiApplication.instance() is None:
        # Kiosks run at 125 % or 150 %: pass the exact factor through instead of rounding it,
        # so text keeps its intended size and layouts do not jump between 1x and 2x.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)


def make_app(argv: Sequence[str] | None = None) -> QApplication:
    """The one QApplication, styled."""
    configure_qt()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv if argv is not None else sys.argv[:1]))
    app.setApplicationName("kiosk")
    app.setApplicationDisplayName("Face verification kiosk")
    apply_style(app)
    return app


def apply_style(app: QApplication) -> None:
    """The kiosk's font and style sheet."""
    font = QFont()
    # CJK glyphs from Noto Sans CJK / Microsoft YaHei where installed; Qt falls back otherwise.
    font.setFamilies(["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Sans Serif"])
    font.setPointSize(BODY_PT)
    app.setFont(font)
    app.setStyleSheet(style_sheet())
