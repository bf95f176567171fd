"""The camera screen: guide (oval, hints, voice meter and test), the four digits, countdown and recording."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.flow.voice import FAILED
from kiosk.ui.screens import Screen
from kiosk.ui.widgets import LevelMeter, VideoView, button, label, set_role

GUIDE, READ, PHOTO = 0, 1, 2
# A new instruction replaces the shown one only after the checker said it this long; a face that
# leaves the oval disables "I am ready" only after this long too (a face at its edge must not make
# the button flicker), while one that arrives enables it at once.
HINT_HOLD_S = 0.5
# After this long without a voice that passes, the person is told to come closer and speak up, and
# staff may skip the voice test (a mute person, a microphone that does not work).
VOICE_HELP_AFTER_S = 10.0
# Voice test states (kiosk.checks.voice_test) that still wait for a voice.
_LISTENING = ("silent", "quiet", "noisy")


class CaptureScreen(Screen):
    """Live picture on the left; on the right what to do now, phase by phase."""

    ready = Signal()  # the person is placed and wants to start
    cancelled = Signal()
    snap = Signal()  # take the photo (photo and card modes)
    use_still = Signal()  # the card's still shown is good: use it
    retake = Signal()  # film the card again
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
        self._face_placed = False  # for Ready: the face in the oval, held (HINT_HOLD_S)
        self._face_lost_at: float | None = None
        self._voice = ""  # the voice test's state; "" when none runs (photo mode)
        self._voice_waited = 0.0
        self._voice_skipped = False
        self._mic_fault = ""  # the microphone failed: what failed, for staff ("" while it works)
        self._focus_go = False  # give Ready the focus once it is enabled

        # The guide panel.
        self.guide_title = label(role="title")
        self.hint = label()
        self.hint.setObjectName("hint")
        self.level_title = label(role="muted")
        self.meter = LevelMeter()
        self.voice_note = label()
        self.voice_note.setObjectName("voice-test")
        self.mic_staff = label(role="muted")  # the failed microphone named, for staff
        self.mic_staff.setObjectName("mic-fault")
        self.mic_staff.hide()
        self.skip_voice = button("", name="skip-voice")
        self.skip_voice.clicked.connect(self._skip_voice)
        self.skip_voice.hide()
        self.go = button("", "primary", name="ready")
        self.go.clicked.connect(self.ready)
        guide = QWidget()
        g = QVBoxLayout(guide)
        g.addWidget(self.guide_title)
        g.addWidget(self.hint)
        g.addStretch()
        g.addWidget(self.voice_note)
        g.addWidget(self.mic_staff)
        g.addWidget(self.level_title)
        g.addWidget(self.meter)
        g.addSpacing(12)
        g.addWidget(self.skip_voice)
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
        """Place the face in the oval and say hello; Ready, enabled then, starts the code."""
        self.video.set_oval_visible(True)
        self.panel.setCurrentIndex(GUIDE)
        self._face_placed, self._face_lost_at = False, None
        self._voice, self._voice_waited, self._voice_skipped = "", 0.0, False
        self._mic_fault = ""
        self._focus_go = True
        self.setFocus()  # not on Cancel: a Space meant for Ready must not end the session
        self._show_voice()

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
        now = self._clock()
        self._place_face(fits, now)
        wanted = hint or (self._voice_instruction() or self.tr("Good. Hold still.") if fits else "")
        if self._voice == FAILED:  # no face hint matters now: nobody can go on
            wanted = self._voice_instruction()
        if wanted == self._hint_text:
            self._pending = None
            return
        if self._pending is None or self._pending[0] != wanted:
            self._pending = (wanted, now)
        if now - self._pending[1] >= HINT_HOLD_S or not self._hint_text:
            self._hint_text, self._pending = wanted, None
            self._show_instruction()

    def _place_face(self, fits: bool, now: float) -> None:
        """The face as Ready sees it: placed at once, gone only after HINT_HOLD_S out of the oval."""
        if fits:
            self._face_lost_at = None
            placed = True
        else:
            if self._face_lost_at is None:
                self._face_lost_at = now
            placed = self._face_placed and now - self._face_lost_at < HINT_HOLD_S
        if placed != self._face_placed:
            self._face_placed = placed
            self._update_ready()

    def set_voice(self, state: str, waited: float, fault: str = "") -> None:
        """The voice test's state (kiosk.checks.voice_test; "" none; kiosk.flow.voice.FAILED) after
        ``waited`` s of listening; ``fault`` names the failed microphone for staff."""
        if (state, waited >= VOICE_HELP_AFTER_S, fault) == (
                self._voice, self._needs_help(), self._mic_fault):
            self._voice_waited = waited
            return
        failed_now = state == FAILED and self._voice != FAILED
        self._voice, self._voice_waited, self._mic_fault = state, waited, fault
        if failed_now:  # the title says it at once, not after HINT_HOLD_S
            self._hint_text, self._pending = self._voice_instruction(), None
            self._show_instruction()
        self._show_voice()

    def voice_done(self) -> bool:
        """The voice test passed, was skipped, or does not run (never with a failed microphone)."""
        if self._voice == FAILED:
            return False
        return self._voice not in _LISTENING or self._voice_skipped

    def _needs_help(self) -> bool:
        return self._voice in _LISTENING and self._voice_waited >= VOICE_HELP_AFTER_S

    def _skip_voice(self) -> None:
        self._voice_skipped = True
        self._focus_go = True
        self._show_voice()

    def _voice_instruction(self) -> str:
        """What the person must say or change for the voice test; "" when it is done."""
        if self._voice == FAILED:
            return self.tr("The microphone is not working. Please wait: staff will help you.")
        if self.voice_done():
            return ""
        if self._needs_help():
            return self.tr("Come closer to the microphone and speak up")
        if self._voice == "quiet":
            return self.tr("Please say hello a little louder")
        if self._voice == "noisy":
            return self.tr("Come closer to the microphone and say hello")
        return self.tr("Please say: hello")

    def _show_voice(self) -> None:
        """What the microphone hears, the staff's skip and Ready, after a change of the voice test."""
        if self._voice == FAILED:
            note = self.tr("✗ The microphone has stopped working")
        elif self._voice_skipped and self._voice in _LISTENING:
            note = self.tr("Voice test skipped by staff")
        elif self._voice == "passed":
            note = self.tr("✓ Your voice is clear")
        elif self._voice == "quiet":
            note = self.tr("Your voice is too quiet")
        elif self._voice == "noisy":
            note = self.tr("Too much noise around you")
        elif self._voice:
            note = self.tr("Say \"hello\" to test the microphone")
        else:
            note = ""
        self.voice_note.setText(note)
        self.voice_note.setAccessibleName(note)
        self.voice_note.setVisible(bool(note))
        staff = self.tr("For staff: %1").replace("%1", self._mic_fault) if self._mic_fault else ""
        self.mic_staff.setText(staff)
        self.mic_staff.setAccessibleName(staff)
        self.mic_staff.setVisible(bool(staff) and self._voice == FAILED)
        self.hint.setVisible(self._voice != FAILED)  # "press I'm ready" helps nobody now
        self.skip_voice.setVisible(self._needs_help() and not self._voice_skipped)
        self._update_ready()

    def _update_ready(self) -> None:
        """Ready is enabled when the face is placed and the voice test done; else it says what is missing."""
        face, voice = self._face_placed, self.voice_done()
        if self._voice == FAILED:
            text = self.tr("The microphone is not working")
        elif face and voice:
            text = self.tr("I am ready")
        elif voice:
            text = self.tr("First place your face in the oval")
        elif face:
            text = self.tr("First say: hello")
        else:
            text = self.tr("Face in the oval, then say hello")
        self.go.setText(text)
        self.go.setAccessibleName(text)
        focus = self.focusWidget()  # the window's, active or not
        if focus is self.go and not (face and voice):
            self._focus_go = True  # Ready loses the focus while disabled: it gets it back
        self.go.setEnabled(face and voice)
        if (face and voice and self._focus_go and self.phase() == GUIDE
                and focus not in (self.cancel, self.skip_voice)):  # where the person moved it
            self._focus_go = False
            self.go.setFocus()

    def _show_instruction(self) -> None:
        self.guide_title.setText(self._hint_text or self.tr("Place your face in the oval"))
        self.guide_title.setAccessibleName(self.guide_title.text())
        if self._photo_kind == "card" and not self._still:  # the card checker's words
            self.photo_title.setText(self._hint_text or self.tr("Hold the ID card up to the camera"))
        self.hint.setText(self.tr("When the oval turns green and your voice is heard, press \"I am ready\"."))

    def set_level(self, dbfs: float) -> None:
        """The voice-level meters."""
        self.meter.set_level(dbfs)
        self.meter2.set_level(dbfs)

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
        self._face_placed, self._face_lost_at = False, None
        self._voice, self._voice_waited, self._voice_skipped = "", 0.0, False
        self._mic_fault = ""
        self._show_voice()

    def retranslate(self) -> None:
        self._show_instruction()
        self.level_title.setText(self.tr("Voice level"))
        self.skip_voice.setText(self.tr("Staff: skip the voice test"))
        self.skip_voice.setAccessibleName(self.tr("Skip the voice test (staff only)"))
        self._show_voice()
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
