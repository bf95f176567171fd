"""kiosk demo and kiosk verify print what the thresholds mean from api.limits, in one sentence."""

from __future__ import annotations

import pytest

from kiosk.api import limits
from kiosk.cli.common import similarity_line
from kiosk.texts import Text


def test_the_line_names_every_threshold_and_its_rate() -> None:
    en, zh = similarity_line("en", 95, 70), similarity_line("zh", 95, 70)
    assert en.startswith("  similarity 95, threshold 70 (") and zh.startswith("  相似度 95，阈值 70（")
    for threshold, rate in limits.FALSE_ACCEPT_RATE.items():
        assert f"{threshold}: about {rate.en} false accepts" in en
        assert f"{threshold} 约{rate.zh}误识" in zh


def test_the_rates_come_from_the_constant(monkeypatch: pytest.MonkeyPatch) -> None:
    # Before, both printers hard-coded the sentence and the constant was read by nobody.
    monkeypatch.setattr(limits, "FALSE_ACCEPT_RATE",
                        {90: Text("t.million", "百万分之一", "1 in a million")})
    assert similarity_line("en", 95, 90).endswith("(90: about 1 in a million false accepts)")
    assert similarity_line("zh", 95, 90).endswith("（90 约百万分之一误识）")
