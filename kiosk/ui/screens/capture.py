"""The camera screen: guide (oval, hints, voice meter), the four digits, countdown and recording."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.screens import Screen
from kiosk.ui.widgets import LevelMeter, VideoView, button, label, set_role

GUIDE, READ, PHOTO = 0, 1, 2
# A new instruction replaces the shown one only after the checker said it this long.
HINT_HOLD_S = 0.5


class CaptureScreen(Screen):
    """Live picture on the left; on the right what to do now, phase by phase."""

    ready = Signal()  # the person is placed and wants to start
    cancelled = Signal()
    snap = Signal()  # take the photo (photo and card modes)
    use_still = Signal()  # the card's still shown is good: use it
    retake = Signal()  # film the card again
    camera_chosen = Signal(str)  # a camera's name
    recording_started = Signal()  # the digits are shown now: the moment to read (and the tone)

    def __init__(self) -> None:
        super().__init__()
        self.video = VideoView()
        self.video.setObjectName("video")
        self._hint_keys: list[str] = []
        self._hint_text: str = ""
        self._pending: tuple[str, float] | None = None  # an instruction waiting to hold
        self._clock = time.monotonic
        self._photo_kind = "face"
        self._seconds_left = 0.0
        self._countdown = 0
        self._digits = ""
        self._recording = False
        self._still = False  # the card's still is shown for the person to use or retake
        self._blocked = False  # ... and a finding says the service would refuse it

        # The guide panel.
        self.guide_title = label(role="title")
        self.hint = label()
        self.hint.setObjectName("hint")
        self.level_title = label(role="muted")
        self.meter = LevelMeter()
        self.camera_label = label(role="muted")
        self.cameras = QComboBox()
        self.cameras.setObjectName("cameras")
        self.cameras.activated.connect(self._camera_activated)
        self.go = button("", "primary", name="ready")
        self.go.clicked.connect(self.ready)
        guide = QWidget()
        g = QVBoxLayout(guide)
        g.addWidget(self.guide_title)
        g.addWidget(self.hint)
        g.addStretch()
        g.addWidget(self.level_title)
        g.addWidget(self.meter)
        g.addSpacing(12)
        g.addWidget(self.camera_label)
        g.addWidget(self.cameras)
        g.addSpacing(12)
        g.addWidget(self.go)

        # The read panel: the digits hidden during the countdown (people read too early otherwise),
        # shown with a recording mark when the recording starts; a labelled time bar and meter.
        self.read_title = label(role="title")
        self.rec_mark = label(role="rec", wrap=False)
        self.rec_mark.setObjectName("recording-mark")
        self.rec_mark.hide()
        self.digits = label(role="digits", wrap=False)
        self.digits.setObjectName("digits")
        self.digits.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digits_note = label(role="muted")
        self.digits_note.setObjectName("digits-note")
        self.digits_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.time_title = label(role="muted")
        self.progress = QProgressBar()
        self.progress.setObjectName("recording")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.left = label(role="muted")
        self.left.setObjectName("seconds-left")
        self.voice_title = label(role="muted")
        self.meter2 = LevelMeter()
        read = QWidget()
        r = QVBoxLayout(read)
        r.addWidget(self.read_title)
        r.addWidget(self.rec_mark)
        r.addStretch()
        r.addWidget(self.digits)
        r.addWidget(self.digits_note)
        r.addStretch()
        # A label beside each bar, not above it: the panel must fit 1366x768 and 1280x800.
        for title, bar in ((self.time_title, self.progress), (self.voice_title, self.meter2)):
            row = QHBoxLayout()
            row.addWidget(title)
            row.addWidget(bar, 1)
            r.addLayout(row)
            if bar is self.progress:
                r.addWidget(self.left)

        # The photo panel.
        self.photo_title = label(role="title")
        self.photo_hint = label()
        self.still_findings = label(role="error")
        self.still_findings.setObjectName("card-findings")
        self.take = button("", "primary", name="snap")
        self.take.clicked.connect(self.snap)
        self.use = button("", "primary", name="use-still")
        self.use.clicked.connect(self.use_still)
        self.again = button("", name="retake")
        self.again.clicked.connect(self.retake)
        photo = QWidget()
        ph = QVBoxLayout(photo)
        ph.addWidget(self.photo_title)
        ph.addWidget(self.photo_hint)
        ph.addWidget(self.still_findings)
        ph.addStretch()
        ph.addWidget(self.take)
        ph.addWidget(self.use)
        ph.addWidget(self.again)

        self.panel = QStackedWidget()
        for w in (guide, read, photo):
            self.panel.addWidget(w)
        self.cancel = button("", name="cancel")
        self.cancel.clicked.connect(self.cancelled)
        right = QVBoxLayout()
        right.addWidget(self.panel, 1)
        right.addWidget(self.cancel)
        box = QHBoxLayout(self)
        box.setContentsMargins(24, 24, 24, 24)
        box.addWidget(self.video, 3)
        box.addSpacing(16)
        box.addLayout(right, 2)
        self.retranslate()

    # -- phases ---------------------------------------------------------------------------------
    def show_guide(self) -> None:
        """Place the face in the oval; Ready starts the code."""
        self.video.set_oval_visible(True)
        self.panel.setCurrentIndex(GUIDE)
        self.go.setEnabled(True)
        self.go.setFocus()

    def show_digits(self, digits: str) -> None:
        """The read panel for ``digits``: hidden until the recording starts (see show_recording)."""
        self._digits, self._recording = digits, False
        self.video.set_overlay("")
        self.progress.setValue(0)
        self.left.setText("")
        self.panel.setCurrentIndex(READ)
        self._show_digits_state()
        self.cancel.setFocus()

    def _show_digits_state(self) -> None:
        """Placeholders and "they appear when recording starts", or the digits and "read now"."""
        shown = self._recording or not self._digits
        # The placeholders are smaller than the digits: their width must not squeeze the picture.
        set_role(self.digits, "digits" if shown else "digits-hidden")
        self.digits.setText(" ".join(self._digits if shown else "•" * len(self._digits)))
        self.digits.setAccessibleName(self.digits.text() if shown else self.tr("Digits hidden"))
        self.rec_mark.setVisible(self._recording)
        self.retranslate()

    def show_countdown(self, n: int) -> None:
        """3, 2, 1 before recording starts (one change a second: nothing flashes)."""
        self._countdown = n
        self.video.set_overlay(str(n) if n > 0 else "")
        self._set_left()

    def show_recording(self, elapsed: float, total: float) -> None:
        """The recording's progress and seconds left; at its first call, the digits and the mark."""
        self.video.set_overlay("")
        self._countdown = 0
        if not self._recording and self.phase() == READ:
            self._recording = True
            self._show_digits_state()
            self.recording_started.emit()
        share = 0.0 if total <= 0 else min(1.0, max(0.0, elapsed / total))
        self.progress.setValue(int(share * 1000))
        self._seconds_left = max(0.0, total - elapsed)
        self._set_left()

    def show_photo(self, kind: str) -> None:
        """Take a photo of the face (kind 'face') or of the ID card (kind 'card')."""
        self._photo_kind = kind
        self._still = self._blocked = False
        self.video.set_shape("oval" if kind == "face" else "card")
        self.panel.setCurrentIndex(PHOTO)
        self._still_buttons()
        self.retranslate()
        self.take.setFocus()

    def show_still(self, image: QImage | None, findings: list[str], blocked: bool) -> None:
        """The card's still, what the checks predict of it, and Use / Retake (only Retake when
        a finding says the service would refuse it)."""
        self._still, self._blocked = True, blocked
        self.video.set_shape("none")
        self.video.set_frame(image)
        self.still_findings.setText("\n".join(f"• {line}" for line in findings))
        self._still_buttons()
        self.retranslate()
        (self.again if blocked else self.use).setFocus()

    def reviewing(self) -> bool:
        """Whether the card's still is shown (the live picture waits)."""
        return self._still

    def _still_buttons(self) -> None:
        self.take.setVisible(not self._still)
        self.use.setVisible(self._still and not self._blocked)
        self.again.setVisible(self._still)
        self.still_findings.setVisible(self._still and bool(self.still_findings.text()))

    def phase(self) -> int:
        """GUIDE, READ or PHOTO."""
        return self.panel.currentIndex()

    # -- live feedback --------------------------------------------------------------------------
    def set_frame(self, image: QImage | None) -> None:
        """Paint a new camera picture."""
        self.video.set_frame(image)

    def set_feedback(self, fits: bool, hint: str) -> None:
        """Oval colour at once; the instruction (already in the person's language) once it held.

        The big title is what to do now, in the customer's words; a new one replaces it only after
        it has been the checker's word for HINT_HOLD_S, so a face at the edge of a limit does not
        make the title flicker between two instructions.
        """
        self.video.set_fits(fits)
        wanted = hint or (self.tr("Good. Hold still.") if fits else "")
        now = self._clock()
        if wanted == self._hint_text:
            self._pending = None
            return
        if self._pending is None or self._pending[0] != wanted:
            self._pending = (wanted, now)
        if now - self._pending[1] >= HINT_HOLD_S or not self._hint_text:
            self._hint_text, self._pending = wanted, None
            self._show_instruction()

    def _show_instruction(self) -> None:
        self.guide_title.setText(self._hint_text or self.tr("Place your face in the oval"))
        self.guide_title.setAccessibleName(self.guide_title.text())
        if self._photo_kind == "card" and not self._still:  # the card checker's words
            self.photo_title.setText(self._hint_text or self.tr("Hold the ID card up to the camera"))
        self.hint.setText(self.tr("When the oval turns green, press \"I am ready\"."))

    def set_level(self, dbfs: float) -> None:
        """The voice-level meters."""
        self.meter.set_level(dbfs)
        self.meter2.set_level(dbfs)

    def set_cameras(self, names: list[str], current: str) -> None:
        """Offer a camera switch when there is more than one camera."""
        self.cameras.blockSignals(True)
        self.cameras.clear()
        self.cameras.addItems(names)
        if current in names:
            self.cameras.setCurrentIndex(names.index(current))
        self.cameras.blockSignals(False)
        many = len(names) > 1
        self.cameras.setVisible(many)
        self.camera_label.setVisible(many)

    def _camera_activated(self, index: int) -> None:
        self.camera_chosen.emit(self.cameras.itemText(index))

    def _set_left(self) -> None:
        if self._countdown > 0:
            self.left.setText(self.tr("Recording starts in %n second(s)", "", self._countdown))
            return
        secs = int(self._seconds_left + 0.999)
        self.left.setText(self.tr("Recording: %n second(s) left", "", secs))

    def clear(self) -> None:
        self.video.set_frame(None)
        self.video.set_fits(False)
        self.digits.setText("")
        self._digits, self._recording = "", False
        self.rec_mark.hide()
        self.video.set_overlay("")
        self._countdown = 0
        self._seconds_left = 0.0
        self._hint_text, self._pending = "", None
        self._still = self._blocked = False
        self.still_findings.setText("")
        self._still_buttons()
        self._show_instruction()
        self.progress.setValue(0)
        self.left.setText("")
        self.meter.set_level(float("-inf"))
        self.meter2.set_level(float("-inf"))

    def retranslate(self) -> None:
        self._show_instruction()
        self.level_title.setText(self.tr("Voice level"))
        self.camera_label.setText(self.tr("Camera"))
        self.go.setText(self.tr("I am ready"))
        if self._recording:
            self.read_title.setText(self.tr("Read the digits aloud now"))
            self.digits_note.setText("")
        else:
            self.read_title.setText(self.tr("Get ready to read"))
            self.digits_note.setText(self.tr("The digits appear when the recording starts")
                                     if self._digits else "")
        self.digits_note.setVisible(bool(self.digits_note.text()))
        self.rec_mark.setText(self.tr("● Recording"))
        self.rec_mark.setAccessibleName(self.tr("Recording now"))
        self.time_title.setText(self.tr("Time left"))
        self.voice_title.setText(self.tr("Your voice"))
        if self._still and self._blocked:
            self.photo_title.setText(self.tr("Please take the card photo again"))
            self.photo_hint.setText(self.tr("The service could not use this photo:"))
        elif self._still:
            self.photo_title.setText(self.tr("Is the card photo clear?"))
            self.photo_hint.setText(self.tr("The photo and the face on it must be sharp, "
                                            "without reflections."))
        elif self._photo_kind == "card":
            self.photo_title.setText(self._hint_text or self.tr("Hold the ID card up to the camera"))
            self.photo_hint.setText(self.tr("Photo side towards the camera, inside the card frame. "
                                            "The photo is taken when the card is sharp."))
        else:
            self.photo_title.setText(self.tr("Look at the camera"))
            self.photo_hint.setText(self.tr("Place your face in the oval, then take the photo."))
        self.take.setText(self.tr("Take the photo"))
        self.use.setText(self.tr("Use this photo"))
        self.again.setText(self.tr("Retake"))
        self.cancel.setText(self.tr("Cancel"))
        if self._seconds_left > 0 or self._countdown > 0:
            self._set_left()
