"""The result: verified, not verified or could not check in large type, the numbers, the best frame."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout

from kiosk.ui.i18n import pick
from kiosk.ui.screens import Screen
from kiosk.ui.widgets import PhotoBox, button, label


@dataclass(frozen=True)
class Status:
    """One status line: its code (0 is good) and what it means, in both languages."""

    code: int
    zh: str
    en: str


@dataclass(frozen=True)
class ResultView:
    """What the result screen shows, taken from the flow's result or its failure."""

    passed: bool
    similarity: float | None = None
    threshold: float = 70.0
    live: Status | None = None
    compare: Status | None = None
    problem_zh: str = ""  # a failure before the verdict: what happened
    problem_en: str = ""
    fix_zh: str = ""  # and what to do
    fix_en: str = ""
    best_frame: bytes | None = None
    show_numbers: bool = True
    recorded: bool = True  # False: the audit row could be written nowhere; the operator must see it
    # True: no verdict was made (network, service, configuration). Never shown as "not verified":
    # it would tell a genuine person they failed; the calm headline asks them to try again.
    unchecked: bool = False


class ResultScreen(Screen):
    """Pass/fail, then the details the operator needs, then 'done' or 'try again'."""

    done = Signal()
    retry = Signal()

    def __init__(self, lang: Callable[[], str] = lambda: "en") -> None:
        super().__init__()
        self._lang = lang
        self._view: ResultView | None = None
        self.verdict = label(wrap=False)
        self.verdict.setObjectName("verdict")
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.problem = label()
        self.problem.setObjectName("problem")
        self.fix = label()
        self.unrecorded = label(role="error")  # the verdict stands, but it is not in the audit log
        self.unrecorded.setObjectName("not-recorded")
        self.unrecorded.hide()
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
        self.again.clicked.connect(self.retry)
        self.finish.clicked.connect(self.done)

        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.problem)
        left.addWidget(self.fix)
        left.addWidget(self.details)
        left.addStretch()
        body.addLayout(left, 3)
        body.addWidget(self.frame, 2)
        actions = QHBoxLayout()
        actions.addWidget(self.again)
        actions.addStretch()
        actions.addWidget(self.finish)
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 24, 48, 32)
        box.addWidget(self.verdict, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(self.unrecorded, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addSpacing(16)
        box.addLayout(body, 1)
        box.addLayout(actions)
        self.retranslate()

    def show_result(self, view: ResultView) -> None:
        """Fill the screen from one result."""
        self._view = view
        self.frame.set_image_bytes(view.best_frame)
        self.frame.setVisible(view.best_frame is not None)
        self.retranslate()
        # Not recorded: "try again" is hidden until the operator has seen it; "done" takes the focus.
        (self.again if view.unchecked and view.recorded else self.finish).setFocus()

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

    def retranslate(self) -> None:
        v = self._view
        self.sim_name.setText(self.tr("Similarity"))
        self.live_name.setText(self.tr("Liveness"))
        self.cmp_name.setText(self.tr("Face comparison"))
        self.again.setText(self.tr("Try again"))
        self.finish.setText(self.tr("Done"))
        if v is None:
            return
        lang = self._lang()
        if v.unchecked:
            self.verdict.setText(pick(lang, "未能完成核验", "Could not complete the check"))
            self.verdict.setProperty("role", "verdict-unchecked")
        else:
            self.verdict.setText(self.tr("Verified") if v.passed else self.tr("Not verified"))
            self.verdict.setProperty("role", "verdict-pass" if v.passed else "verdict-fail")
        self.verdict.setAccessibleName(self.verdict.text())
        self.verdict.style().unpolish(self.verdict)
        self.verdict.style().polish(self.verdict)
        self.verdict.updateGeometry()  # the new role's padding changes the label's size
        problem_zh, problem_en = v.problem_zh, v.problem_en
        if v.unchecked:  # say first that nothing was decided, then what went wrong
            problem_zh = "未作出核验结论，不是核验失败。" + problem_zh
            problem_en = "No verdict was made; this is not a failed check. " + problem_en
        self.problem.setText(pick(lang, problem_zh, problem_en))
        self.problem.setVisible(bool(v.problem_en))
        self.fix.setText(pick(lang, v.fix_zh, v.fix_en))
        self.fix.setVisible(bool(v.fix_en))
        self.unrecorded.setText(pick(
            lang, "未记录：本次结果未能写入审计日志，请告知工作人员",
            "Not recorded: this result could not be saved in the audit log; please tell the staff"))
        self.unrecorded.setAccessibleName(pick(lang, "未记录", "Not recorded"))
        self.unrecorded.setVisible(not v.recorded)
        if v.similarity is None:
            self.sim.setText(self.tr("not measured"))
        else:
            self.sim.setText(self.tr("%1 (at least %2 needed)").replace("%1", f"{v.similarity:.0f}")
                             .replace("%2", f"{v.threshold:.0f}"))
        self.live.setText(self._status(v.live))
        self.cmp.setText(self._status(v.compare))
        self.details.setVisible(v.show_numbers and (v.live is not None or v.compare is not None
                                                    or v.similarity is not None))

    def clear(self) -> None:
        self._view = None
        self.unrecorded.hide()
        self.frame.clear_image()
        for w in (self.verdict, self.problem, self.fix, self.sim, self.live, self.cmp):
            w.setText("")
