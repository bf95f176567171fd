"""The oval the GUI draws is the one the live checks measure against."""

from __future__ import annotations

import pytest

from kiosk.checks import guide_oval
from kiosk.ui.widgets import oval_rect


@pytest.mark.parametrize("size", [(640, 480), (1280, 720), (480, 640), (913.5, 685.1)])
def test_drawn_oval_is_the_checked_oval(size: tuple[float, float]) -> None:
    w, h = size
    rect = oval_rect(w, h)
    o = guide_oval(w, h)  # type: ignore[arg-type]
    assert rect.center().x() == pytest.approx(o.cx) and rect.center().y() == pytest.approx(o.cy)
    assert rect.width() == pytest.approx(2 * o.rx) and rect.height() == pytest.approx(2 * o.ry)
    # A point just inside the drawn oval's edge is inside the checked one, and just outside is not.
    assert o.contains(o.cx, rect.top() + 1) and not o.contains(o.cx, rect.top() - 1)
    assert o.contains(rect.right() - 1, o.cy) and not o.contains(rect.right() + 1, o.cy)
