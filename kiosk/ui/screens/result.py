"""The result: verified, not verified or could not check in large type, plain words, the clerk's line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout

from kiosk.texts import pick
from kiosk.ui.screens import Screen
from kiosk.ui.widgets import PhotoBox, button, label, set_role


@dataclass(frozen=True)
class Status:
    """One status line: its code (0 is good) and what it means, in both languages."""

    code: int
    zh: str
    en: str


@dataclass(frozen=True)
class ResultView:
    """What the result screen shows: the verdict and words for the customer, the detail for staff.

    ``verdict``: verified, not_verified or unchecked (no verdict was made: network, service,
    configuration; never shown as "not verified", which would tell a genuine person they failed).
    """

    verdict: str
    customer_zh: str = ""
    customer_en: str = ""
    operator_zh: str = ""  # the code, the measurement, the cause: behind the PIN
    operator_en: str = ""
    similarity: float | None = None
    threshold: float = 70.0
    live: Status | None = None
    compare: Status | None = None
    best_frame: bytes | None = None
    show_score: bool = False  # the similarity to the customer (setting show_score, off)
    recorded: bool = True  # False: the audit row could be written nowhere; the operator must see it
    retry: bool = False  # the customer may usefully try again now
    # The clerk's line: who, when, and the reference quoted in a dispute (it is in the audit row).
    id_masked: str = ""
    name_masked: str = ""
    time: str = ""
    reference: str = ""
    # The device that failed and how (a camera, a microphone): for the clerk, shown without the PIN.
    device_zh: str = ""
    device_en: str = ""
    # False in the liveness-only mode: nothing was compared, so "verified" means a live person,
    # and there is no similarity or comparison line.
    compares: bool = True

    @property
    def passed(self) -> bool:
        """True for a verified person."""
        return self.verdict == "verified"

    @property
    def unchecked(self) -> bool:
        """True when no verdict was made."""
        return self.verdict == "unchecked"


class ResultScreen(Screen):
    """The verdict and plain words for the customer; the clerk's line; staff detail behind a PIN."""

    done = Signal()
    retry = Signal()
    staff_requested = Signal()  # the window asks for the PIN, then calls reveal()
    expired = Signal()  # the result has been on screen for its time: back to the start

    def __init__(self, lang: Callable[[], str] = lambda: "en") -> None:
        super().__init__()
        self._lang = lang
        self._view: ResultView | None = None
        self._revealed = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(20_000)
        self.timer.timeout.connect(self.expired)
        self.verdict = label(wrap=False)
        self.verdict.setObjectName("verdict")
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.customer = label(role="lead")
        self.customer.setObjectName("customer")
        self.customer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unrecorded = label(role="error")  # the verdict stands, but it is not in the audit log
        self.unrecorded.setObjectName("not-recorded")
        self.unrecorded.hide()
        self.clerk = label(role="muted")
        self.clerk.setObjectName("clerk")
        self.clerk.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clerk.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.device = label(role="muted")  # which device failed, for staff
        self.device.setObjectName("failed-device")
        self.device.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.device.hide()
        self.operator = label()
        self.operator.setObjectName("operator-detail")
        self.operator.hide()
        self.details = QFrame()
        self.details.setProperty("role", "card")
        grid = QGridLayout(self.details)
        grid.setContentsMargins(24, 24, 24, 24)
        grid.setVerticalSpacing(12)
        self.sim_name, self.sim = label(role="muted"), label()
        self.live_name, self.live = label(role="muted"), label()
        self.cmp_name, self.cmp = label(role="muted"), label()
        self.sim.setObjectName("similarity")
        self.live.setObjectName("live-status")
        self.cmp.setObjectName("compare-status")
        for row, (a, b) in enumerate(((self.sim_name, self.sim), (self.live_name, self.live),
                                      (self.cmp_name, self.cmp))):
            grid.addWidget(a, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(b, row, 1)
        grid.setColumnStretch(1, 1)
        self.frame = PhotoBox()
        self.frame.setObjectName("best-frame")
        self.frame.setMinimumSize(240, 240)
        self.again = button("", name="retry")
        self.finish = button("", "primary", name="done")
        self.staff = button("", "small", name="staff-details")
        self.again.clicked.connect(self.retry)
        self.finish.clicked.connect(self.done)
        self.staff.clicked.connect(self.staff_requested)

        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.operator)
        left.addWidget(self.details)
        left.addStretch()
        body.addLayout(left, 3)
        body.addWidget(self.frame, 2)
        actions = QHBoxLayout()
        actions.addWidget(self.again)
        actions.addStretch()
        actions.addWidget(self.staff)
        actions.addWidget(self.finish)
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 24, 48, 32)
        box.addWidget(self.verdict, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(self.unrecorded, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addSpacing(12)
        box.addWidget(self.customer)
        box.addWidget(self.clerk)
        box.addWidget(self.device)
        box.addSpacing(12)
        box.addLayout(body, 1)
        box.addLayout(actions)
        self.retranslate()

    def show_result(self, view: ResultView, *, seconds: float | None = None) -> None:
        """Fill the screen from one result; it clears itself after ``seconds`` (None: never).

        A result that was not recorded stays until staff have seen it.
        """
        self._view, self._revealed = view, False
        self.frame.set_image_bytes(view.best_frame)
        self.frame.setVisible(view.best_frame is not None)
        self.again.setVisible(view.retry)
        self.retranslate()
        # "Could not check": try again is what helps. Not recorded: "done" (staff must see it).
        (self.again if view.retry and view.unchecked else self.finish).setFocus()
        self.timer.stop()
        if seconds is not None and view.recorded:
            self.timer.start(round(seconds * 1000))

    def reveal(self) -> None:
        """Show staff the code, the measurement and the numbers (after the PIN)."""
        self._revealed = True
        self.timer.stop()  # staff are reading: the result stays until they press done
        self.retranslate()

    @property
    def revealed(self) -> bool:
        """True while the staff detail is shown."""
        return self._revealed

    def view(self) -> ResultView | None:
        """The result shown, if any."""
        return self._view

    def _status(self, s: Status | None) -> str:
        if s is None:
            return self.tr("not checked")
        if s.code == 0:
            return self.tr("passed")
        text = self.tr("code %1: %2")
        return text.replace("%1", str(s.code)).replace("%2", pick(self._lang(), s.zh, s.en))

    def _headline(self, v: ResultView) -> None:
        if v.unchecked:
            self.verdict.setText(self.tr("Could not complete the check"))
            role = "verdict-unchecked"
        elif v.verdict in ("limited", "declined"):  # no verdict: staff take over at the counter
            self.verdict.setText(self.tr("Please go to the counter"))
            role = "verdict-unchecked"
        elif v.verdict == "cancelled":
            self.verdict.setText(self.tr("Cancelled"))
            role = "verdict-unchecked"
        elif not v.compares:  # liveness only: say what was confirmed, never "verified"
            self.verdict.setText(self.tr("Live person confirmed") if v.passed
                                 else self.tr("Liveness not confirmed"))
            role = "verdict-pass" if v.passed else "verdict-fail"
        else:
            self.verdict.setText(self.tr("Verified") if v.passed else self.tr("Not verified"))
            role = "verdict-pass" if v.passed else "verdict-fail"
        self.verdict.setAccessibleName(self.verdict.text())
        set_role(self.verdict, role)  # its padding too: the text never touches the box's edges

    def _clerk_line(self, v: ResultView) -> str:
        parts = [p for p in (v.name_masked, v.id_masked, v.time) if p]
        if v.reference:
            parts.append(self.tr("reference %1").replace("%1", v.reference))
        return "  ·  ".join(parts)

    def retranslate(self) -> None:
        v = self._view
        self.sim_name.setText(self.tr("Similarity"))
        self.live_name.setText(self.tr("Liveness"))
        self.cmp_name.setText(self.tr("Face comparison"))
        self.again.setText(self.tr("Try again"))
        self.finish.setText(self.tr("Done"))
        self.staff.setText(self.tr("Staff details"))
        self.staff.setAccessibleName(self.tr("Details for staff (operator PIN)"))
        if v is None:
            return
        lang = self._lang()
        self._headline(v)
        self.customer.setText(pick(lang, v.customer_zh, v.customer_en))
        self.customer.setAccessibleName(self.customer.text())
        self.clerk.setText(self._clerk_line(v))
        self.clerk.setAccessibleName(self.tr("For staff: ") + self.clerk.text())
        device = pick(lang, v.device_zh, v.device_en)
        self.device.setText(self.tr("For staff: %1").replace("%1", device) if device else "")
        self.device.setAccessibleName(self.device.text())
        self.device.setVisible(bool(device))
        self.unrecorded.setText(self.tr(
            "Not recorded: this result could not be saved in the audit log; please tell the staff"))
        self.unrecorded.setAccessibleName(self.tr("Not recorded"))
        self.unrecorded.setVisible(not v.recorded)
        self.operator.setText(pick(lang, v.operator_zh, v.operator_en))
        self.operator.setVisible(self._revealed and bool(v.operator_en))
        self.staff.setVisible(not self._revealed)
        if v.similarity is None:
            self.sim.setText(self.tr("not measured"))
        else:
            self.sim.setText(self.tr("%1 (at least %2 needed)").replace("%1", f"{v.similarity:.0f}")
                             .replace("%2", f"{v.threshold:.0f}"))
        self.live.setText(self._status(v.live))
        self.cmp.setText(self._status(v.compare))
        for widget in (self.sim_name, self.sim, self.cmp_name, self.cmp):
            widget.setVisible(v.compares)
        has_numbers = v.live is not None or v.compare is not None or v.similarity is not None
        self.details.setVisible(has_numbers and (v.show_score or self._revealed))

    def clear(self) -> None:
        self.timer.stop()
        self._view, self._revealed = None, False
        self.unrecorded.hide()
        self.operator.hide()
        self.device.hide()
        self.frame.clear_image()
        for w in (self.verdict, self.customer, self.clerk, self.device, self.operator, self.sim,
                  self.live, self.cmp):
            w.setText("")
