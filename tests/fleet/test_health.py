"""What the GUI saw reaches the fleet: a camera failing the desk's self-test (in the next heartbeat
and the page's alerts), a device failing a session (the heartbeat's last error)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.config import AuditLog, AuditRecord, Paths, Settings, doctor
from kiosk.fleet import health
from kiosk.fleet.sender import Sender
from kiosk.ui.self_test import SelfTest, report_to

from .conftest import T0, Service
from .test_page import signed_in
from .test_sender import joined


def test_device_verdicts_are_the_worst_check_about_each_device() -> None:
    checks = [doctor.Check("cameras", doctor.OK, ""), doctor.Check(doctor.CAMERA_FRAME, doctor.FAIL, ""),
              doctor.Check("microphones", doctor.OK, ""),
              doctor.Check("microphone level", doctor.WARN, ""),
              doctor.Check("display", doctor.FAIL, "")]
    assert doctor.device_verdicts(checks) == {"camera": "FAIL", "microphone": "WARN"}
    assert doctor.device_verdicts(checks[4:]) == {}


def test_a_camera_failing_the_self_test_is_in_the_next_heartbeat_and_alerted(
        qtbot: Any, sqlite_service: Service, tmp_path: Path) -> None:
    paths, member = joined(sqlite_service, tmp_path)
    Settings(paths, env={}).update({"camera": "synthetic", "mic": "synthetic"})  # listed: OK
    s: Sender = Sender(paths, member, clock=sqlite_service.clock, beat=lambda now, waiting: health.beat(
        paths, now, waiting, reported=s.reported, probe_service=False))  # no network beyond 127.0.0.1

    def camera() -> object:
        return sqlite_service.query("SELECT camera FROM kiosks")[0][0]
    s.start()
    try:
        qtbot.waitUntil(lambda: camera() == "OK", timeout=5_000)  # the first beat: the list alone
        no_frame = doctor.Check(doctor.CAMERA_FRAME, doctor.FAIL, "synthetic gave no picture in 5 s")
        runner = SelfTest(lambda: [("devices", lambda: doctor.check_devices(Settings(paths))),
                                   (doctor.CAMERA_FRAME, lambda: no_frame)])
        report_to(runner, s.reported.self_test)
        with qtbot.waitSignal(runner.finished, timeout=5_000):
            runner.start()
        # Sent now, not at the next minute (the membership says a heartbeat every 60 s).
        qtbot.waitUntil(lambda: camera() == "FAIL", timeout=5_000)
    finally:
        s.stop()
    page = signed_in(sqlite_service).get(sqlite_service.url + "/", timeout=10).text
    assert f"kiosk {member.kiosk_id}: camera failed its self-test" in page


def test_a_device_failing_a_session_is_the_heartbeats_last_error(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    AuditLog(paths.audit_db, clock=lambda: T0).record(AuditRecord(mode="photo", outcome="error"))
    now = [T0 + 1]
    reported = health.Reported(clock=lambda: now[0])
    assert health.last_error(paths.audit_db, reported) == "2027-01-15T08:00:00+00:00 code None"
    reported.session_failed("network", "cannot connect to 127.0.0.1")  # not a device: the row says it
    assert health.last_error(paths.audit_db, reported).endswith("code None")
    reported.session_failed("device", "the camera /dev/video0 sent no new picture for 5 s")
    assert health.last_error(paths.audit_db, reported) == (
        "2027-01-15T08:00:01+00:00 device: the camera /dev/video0 sent no new picture for 5 s")
    AuditLog(paths.audit_db, clock=lambda: T0 + 600).record(
        AuditRecord(mode="photo", outcome="error", code=-1))  # a newer, unrelated one wins
    assert health.last_error(paths.audit_db, reported) == "2027-01-15T08:10:00+00:00 code -1"
