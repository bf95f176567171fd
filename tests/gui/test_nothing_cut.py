"""Nothing on any screen is cut, too small to touch, or too faint: in zh and en, at three sizes.

Walks every state docs/make_screenshots.py renders (every screen with real content), and checks the
visible labels and buttons against their geometry with the font's metrics: a label whose text needs
more room than it has, a button narrower than its own size hint (its text is clipped), or a touch
target under 44x44 px (WCAG 2.2 AA, 2.5.8 target size) fails. The theme's text colours must keep a
4.5:1 contrast (WCAG 1.4.3).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QStyle,
    QStyleOptionButton,
    QTableWidget,
    QWidget,
)

from kiosk.ui import theme
from kiosk.ui.i18n import Languages

REPO = Path(__file__).resolve().parents[2]
SIZES = ((1366, 768), (1920, 1080), (1280, 800))
TARGET_PX = 44
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _screenshots() -> Any:
    spec = importlib.util.spec_from_file_location("make_screenshots", REPO / "docs" / "make_screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_screenshots"] = module
    spec.loader.exec_module(module)
    return module


def _shown(w: QWidget) -> bool:
    return w.isVisibleTo(w.window()) and w.width() > 0


def _label_problem(lab: QLabel) -> str:
    text = lab.text()
    if not text or lab.textFormat() == Qt.TextFormat.RichText or lab.pixmap() is not None:
        return ""
    room = lab.contentsRect()
    if lab.wordWrap():
        need = lab.heightForWidth(lab.width())
        if need > lab.height() + 1:
            return f"needs {need} px of height, has {lab.height()}"
        # A word cannot be wrapped (Chinese can, between any two characters): it must fit a line.
        words = [w for w in text.split() if not CJK.search(w)]
        longest = max((lab.fontMetrics().horizontalAdvance(w) for w in words), default=0)
        if longest > room.width() + 1:
            return f"a word needs {longest} px, the line has {room.width()}"
        return ""
    lines = text.splitlines() or [text]
    widest = max(lab.fontMetrics().horizontalAdvance(line) for line in lines)
    if widest > room.width() + 1:
        return f"needs {widest} px of width, has {room.width()}"
    return ""


def _button_room(b: QAbstractButton) -> int:
    """The width a button's style leaves for its text (borders and padding taken off)."""
    opt = QStyleOptionButton()
    opt.initFrom(b)
    opt.text = b.text()
    rect = b.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, b)
    return rect.width()


def _problems(window: QWidget) -> list[str]:
    found = []
    for table in window.findChildren(QTableWidget):
        if not _shown(table):
            continue
        for row in range(table.rowCount()):
            for col in range(table.columnCount()):
                item = table.item(row, col)
                need = table.fontMetrics().horizontalAdvance(item.text()) if item else 0
                if need > table.columnWidth(col):
                    found.append(f"table {table.objectName()!r} cell ({row}, {col}) "
                                 f"{item.text()!r}: needs {need} px, has {table.columnWidth(col)}")
    for lab in window.findChildren(QLabel):
        if _shown(lab) and (why := _label_problem(lab)):
            found.append(f"label {lab.objectName() or lab.text()[:30]!r}: {why}")
    for b in window.findChildren(QAbstractButton):
        if not _shown(b):
            continue
        name = b.objectName() or b.text()[:30]
        if b.width() < TARGET_PX or b.height() < TARGET_PX:
            found.append(f"button {name!r}: {b.width()}x{b.height()} px, under {TARGET_PX}x{TARGET_PX}")
        elif b.text() and (need := b.fontMetrics().horizontalAdvance(b.text())) > (
                room := _button_room(b)):
            found.append(f"button {name!r}: text needs {need} px, has {room}")
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_screen_fits_at_every_size(qapp: QApplication, lang: str) -> None:
    shots = _screenshots()
    from kiosk.ui.app import apply_style
    from kiosk.ui.window import MainWindow

    apply_style(qapp)
    langs = Languages(qapp)
    w = MainWindow(flow_factory=lambda listener: shots._NoFlow(), settings=shots._Settings(),
                   devices=shots._Devices(), languages=langs, demo=True, idle_ms=10**9,
                   default_lang=lang, reset_attempts=lambda: 0, audit=shots._Audit())
    w.show()
    failures: list[str] = []
    try:
        frame = shots.sample_frame()
        for width, height in SIZES:
            for name, setup in shots.states(w, frame):
                w.reset()
                w.resize(width, height)
                langs.switch(lang)
                setup()
                qapp.processEvents()
                if (w.width(), w.height()) != (width, height):
                    failures.append(f"{name} {width}x{height}: the window grew to "
                                    f"{w.width()}x{w.height()}")
                failures += [f"{name} {width}x{height}: {p}" for p in _problems(w)]
    finally:
        w.shutdown()
        w.close()
        langs.switch("en")  # the application is shared: leave no translator for the next test
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("fg", "bg"), theme.TEXT_PAIRS)
def test_text_colours_keep_a_contrast_of_at_least_4_5(fg: str, bg: str) -> None:
    p = theme.Palette()
    ratio = theme.contrast(getattr(p, fg), getattr(p, bg))
    assert ratio >= 4.5, f"{fg} on {bg}: {ratio:.2f}"
