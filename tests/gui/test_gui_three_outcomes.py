"""Verified, not verified, could not check: a network failure is never shown as a failed check.

A customer whose check could not be made (network, service, configuration) must not read the red
"not verified" headline: it tells a genuine person they failed. Their screen says that no verdict
was made, in a calm colour, and "try again" has the focus.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from kiosk.flow.events import Mode
from tests.gui.conftest import MemorySettings
from tests.gui.test_gui_window import fill_details


def finish(qtbot: Any, make_window: Any, outcome: str) -> Any:
    w = make_window(outcome, settings=MemorySettings(mode=Mode.IDCARD.value))
    fill_details(qtbot, w, Mode.IDCARD)
    if outcome != "error":
        qtbot.waitUntil(lambda: w.current() == "capture", timeout=10_000)
        w.person_ready()
    qtbot.waitUntil(lambda: w.current() == "result", timeout=10_000)
    return w


def test_could_not_check_is_its_own_calm_headline(qtbot: Any, make_window: Any) -> None:
    w = finish(qtbot, make_window, "error")
    verdict = w.result.verdict
    assert verdict.text() == "未能完成核验"
    assert verdict.property("role") == "verdict-unchecked"
    assert verdict.contentsRect().left() >= 24, "the headline's box has its padding"
    assert "核验未通过" not in verdict.text()
    customer = w.result.customer.text()
    assert customer.startswith("网络暂时不通，未能完成核验。这不是核验失败")
    assert "127.0.0.1" not in customer and not w.result.operator.isVisible()
    assert "连接被拒绝" in w.result.operator.text(), "the cause is kept for staff"
    assert w.result.again.isVisible() and w.result.again.hasFocus(), "try again has the focus"
    assert verdict.accessibleName() == "未能完成核验"


@pytest.mark.parametrize("outcome, headline, role", [
    ("passed", "核验通过", "verdict-pass"),
    ("failed", "核验未通过", "verdict-fail"),
    ("refused", "核验未通过", "verdict-fail"),
])
def test_a_verdict_keeps_its_headline(qtbot: Any, make_window: Any, outcome: str, headline: str,
                                      role: str) -> None:
    w = finish(qtbot, make_window, outcome)
    assert w.result.verdict.text() == headline
    assert w.result.verdict.property("role") == role
    assert w.result.verdict.contentsRect().left() >= 24, "the headline's box has its padding"
    assert "未能完成核验" not in w.result.customer.text()
    assert not re.search(r"\d", w.result.customer.text()), "no code or score for the customer"
    assert not w.result.details.isVisible(), "the similarity is hidden by default"
    assert w.result.finish.hasFocus()


def test_english_says_the_same(qtbot: Any, make_window: Any, languages: Any) -> None:
    w = finish(qtbot, make_window, "error")
    languages.switch("en")
    assert w.result.verdict.text() == "Could not complete the check"
    qtbot.wait(50)  # the layout takes the new text's size
    assert w.width() == 1366, "the longest headline, padded, fits 1366x768"
    assert w.result.customer.text().startswith("The network is not reachable just now, so no "
                                               "check was made. This is not a failed check")
