"""The upload screen shows the time left when an upload will take longer than 3 s (issue 20)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.ui.screens.review import BusyScreen


def busy(qtbot: QtBot) -> tuple[BusyScreen, list[float]]:
    now = [100.0]
    screen = BusyScreen(clock=lambda: now[0])
    qtbot.addWidget(screen)
    screen.show_step("upload")
    return screen, now


def test_a_slow_upload_shows_the_time_left_at_the_rate_so_far(qtbot: QtBot) -> None:
    screen, now = busy(qtbot)
    screen.show_upload(0, 320_000)
    assert "left" not in screen.detail.text()
    now[0] += 0.5
    screen.show_upload(16_000, 320_000)
    assert "left" not in screen.detail.text()  # too early to judge the rate
    now[0] += 1.5  # 64 kB in 2 s: 32 kB/s, 256 kB to go
    screen.show_upload(64_000, 320_000)
    assert screen.detail.text() == "62 of 312 KB sent · about 8 s left"
    now[0] += 4.0
    screen.show_upload(192_000, 320_000)  # faster now: 192 kB in 6 s, 128 kB to go
    assert screen.detail.text().endswith("about 4 s left")
    screen.show_upload(320_000, 320_000)
    assert "left" not in screen.detail.text() and screen.title.text() == "Waiting for the result…"


def test_a_fast_upload_shows_no_time_left(qtbot: QtBot) -> None:
    screen, now = busy(qtbot)
    screen.show_upload(0, 320_000)
    now[0] += 1.0
    screen.show_upload(200_000, 320_000)  # the whole upload takes ~1.6 s
    assert "left" not in screen.detail.text()


def test_a_new_upload_starts_its_own_estimate(qtbot: QtBot) -> None:
    screen, now = busy(qtbot)
    screen.show_upload(0, 100_000)
    now[0] += 10.0
    screen.show_upload(10_000, 100_000)
    assert "about 90 s left" in screen.detail.text()
    screen.show_step("upload")  # the next call (a stale code's second recording)
    screen.show_upload(0, 100_000)
    now[0] += 1.0
    screen.show_upload(90_000, 100_000)
    assert "left" not in screen.detail.text()
