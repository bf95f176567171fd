"""The operator desk's settings, built from the declared settings (kiosk.config.schema).

One row per setting, the widget chosen by its kind: on/off -> check box, other choices -> list,
numbers and text -> line (a number's range is in its help line; spin boxes' arrows are too small
to touch), secret and PIN -> password fields that are only replaced when typed. Each value is checked by the same code ``kiosk config set`` uses
(``Setting.parse``); a refusal shows under its field, in the operator's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QLineEdit,
    QScrollArea,
    QWidget,
)

from kiosk.config import schema
from kiosk.errors import ConfigError
from kiosk.texts import pick
from kiosk.ui.theme import TARGET_PX
from kiosk.ui.widgets import label, set_role

# The pages of the settings, in the order the desk lists them; every declared setting is on one.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("service", ("endpoint", "appid", "secret_id", "secret_key", "bucket")),
    ("capture", ("mode", "camera", "mic", "clip_seconds", "clip_format")),
    ("checks", ("threshold", "attempt_limit", "attempt_window")),
    ("privacy", ("show_score", "result_seconds", "record_tone", "keep_clips_days", "consent_notice")),
    ("kiosk", ("idle_timeout", "language", "card_reader", "operator_pin")),
)
# What the desk does not offer, and why (``kiosk config set`` still can).
LEFT_OUT = {
    "thresholds.*": "the check thresholds (kiosk.checks.thresholds) are dozens of measured "
                    "constants; overriding one is an expert's change, made with 'kiosk config set'",
}
WRITE_ONLY = ("secret_key", "operator_pin")  # never shown; sent only when something was typed


def text_of(value: Any) -> str:
    """A stored value as the text ``Setting.parse`` reads back (70.0 -> "70")."""
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def current_values(settings: Any) -> dict[str, Any]:
    """Every value the desk shows, from a SettingsPort (one read each; the secret key never)."""
    out = {key: settings.value(key) for _, keys in SECTIONS for key in keys if key not in WRITE_ONLY}
    out["has_secret_key"] = bool(settings.values().get("has_secret_key"))
    return out


class SettingRow:
    """One setting's name, field and note (its help, or why the value typed was refused)."""

    def __init__(self, setting: schema.Setting, lang: Callable[[], str]) -> None:
        self.setting = setting
        self.key = setting.key
        self._lang = lang
        self._error: ConfigError | None = None
        self.name = label(wrap=False)
        self.name.setObjectName(f"name-{self.key}")
        self.note = label(role="hint")
        self.note.setObjectName(f"note-{self.key}")
        self.widget = self._make()
        self.widget.setObjectName(self.key)
        self.name.setBuddy(self.widget)
        self.baseline = ""
        self.has_secret = False  # a secret key is stored (shown as such, never itself)
        self.retranslate()

    def _make(self) -> QWidget:
        s = self.setting
        if s.kind == "choice" and set(s.choices) == {"on", "off"}:
            box = QCheckBox()
            box.setMinimumHeight(TARGET_PX)
            return box
        if s.kind == "choice" or self.key in ("camera", "mic"):
            combo = QComboBox()
            # Cameras and microphones may also be typed: file:PATH, synthetic, a device path.
            combo.setEditable(s.kind != "choice")
            for choice in s.choices:
                combo.addItem(choice, choice)
            return combo
        edit = QLineEdit()
        if s.kind in ("int", "float", "pin"):  # an on-screen keyboard opens on its digits
            edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        if s.secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        if s.kind == "pin":
            edit.setMaxLength(12)
        return edit

    def load(self, value: Any, *, devices: list[str] | None = None, has_secret: bool = False) -> None:
        """Show the stored value (a secret as "stored" or "not set", never itself)."""
        w = self.widget
        if value is None:
            value = self.setting.default
        self.baseline = text_of(value)
        self._error = None
        if isinstance(w, QCheckBox):
            w.setChecked(self.baseline == "on")
        elif isinstance(w, QComboBox):
            if devices is not None:
                w.clear()
                for name in devices:
                    w.addItem(name, name)
                if self.baseline and w.findData(self.baseline) < 0:
                    w.addItem(self.baseline, self.baseline)
            w.setCurrentIndex(max(0, w.findData(self.baseline)))
        elif isinstance(w, QLineEdit):
            w.setText("" if self.key in WRITE_ONLY else self.baseline)
            w.setCursorPosition(0)  # a long URL shows its start ("https://..."), not its end
        self.has_secret = has_secret
        self.retranslate()

    def text(self) -> str | None:
        """The value on screen as text; None for an untouched secret or PIN field."""
        w = self.widget
        if isinstance(w, QCheckBox):
            return "on" if w.isChecked() else "off"
        if isinstance(w, QComboBox):
            return w.currentText().strip() if w.isEditable() else str(w.currentData())
        assert isinstance(w, QLineEdit)
        if self.key in WRITE_ONLY:
            return w.text() or None
        return w.text().strip()

    def changed(self) -> str | None:
        """The text to store when it differs from what is stored (a typed secret always), else None."""
        text = self.text()
        if text is None or (self.key not in WRITE_ONLY and text == self.baseline):
            return None
        return text

    def check(self, text: str) -> bool:
        """Validate ``text`` as ``kiosk config set`` does; show the refusal under the field."""
        try:
            if not (text == "" and self.setting.kind == "str" and not self.setting.secret):
                self.setting.parse(text)  # an empty plain text means "back to the default"
        except ConfigError as exc:
            self._error = exc
        else:
            self._error = None
        self.retranslate()
        return self._error is None

    def accepted(self, text: str) -> None:
        """The value was stored: it is the new baseline; a typed secret is cleared from the screen."""
        if self.key in WRITE_ONLY:
            assert isinstance(self.widget, QLineEdit)
            self.widget.clear()
            if self.key == "secret_key":
                self.has_secret = True
        else:
            self.baseline = text
        self.retranslate()

    @property
    def error(self) -> ConfigError | None:
        """Why the value on screen was refused (None when it was not)."""
        return self._error

    def retranslate(self) -> None:
        lang = self._lang()
        if self._error is not None:  # what was wrong; the help it replaces stays in the tooltip
            text, role = pick(lang, self._error.zh, self._error.en), "hint-error"
        else:
            text, role = pick(lang, self.setting.help_zh, self.setting.help_en), "hint"
        if self.note.property("role") != role:
            set_role(self.note, role)
        self.note.setText(text)
        self.widget.setAccessibleDescription(text)
        self.widget.setToolTip(pick(lang, self.setting.help_zh, self.setting.help_en))


class ScrollPage(QScrollArea):
    """A scroll area whose page grows with wrapped texts set after it was shown.

    QScrollArea sizes its widget again only when it is itself resized or asked to lay out; a
    layout request of the widget inside (a longer note, a row added) goes to the viewport and is
    lost, and the rows are squeezed instead of scrolled. This passes that request on.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt override
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        inner = self.widget()
        if watched is inner and event.type() == QEvent.Type.LayoutRequest and (
                layout := inner.layout()) is not None:
            # Its sizes count only once its layout is active; then at once, not posted: a posted
            # request would wait for the next round of the event loop.
            layout.activate()
            self.event(QEvent(QEvent.Type.LayoutRequest))
        return super().eventFilter(watched, event)


class SettingsPage(ScrollPage):
    """One section's rows in a grid: name, field, and the note under the field."""

    def __init__(self, rows: list[SettingRow]) -> None:
        super().__init__()
        self.rows = rows
        inner = QFrame()
        inner.setProperty("role", "card")
        grid = QGridLayout(inner)
        grid.setContentsMargins(24, 16, 24, 16)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(4)
        for i, row in enumerate(rows):
            grid.addWidget(row.name, 2 * i, 0)
            grid.addWidget(row.widget, 2 * i, 1)
            grid.addWidget(row.note, 2 * i + 1, 1)
            grid.setRowMinimumHeight(2 * i + 1, 0)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2 * len(rows), 1)
        self.setWidget(inner)


class DeskSettings(QObject):
    """Every row of every section: load the stored values, collect the valid changes."""

    def __init__(self, lang: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows = {key: SettingRow(schema.BY_KEY[key], lang) for _, keys in SECTIONS for key in keys}
        self.pages = {name: SettingsPage([self.rows[k] for k in keys]) for name, keys in SECTIONS}

    def load(self, values: Mapping[str, Any], cameras: list[str], mics: list[str]) -> None:
        """Fill every row from the stored values and the devices found."""
        for key, row in self.rows.items():
            devices = cameras if key == "camera" else mics if key == "mic" else None
            row.load(values.get(key), devices=devices, has_secret=bool(values.get("has_secret_key")))

    def changes(self) -> tuple[dict[str, str], list[str]]:
        """The valid changed values by key, and the keys of the refused ones (marked on screen)."""
        valid: dict[str, str] = {}
        refused: list[str] = []
        for key, row in self.rows.items():
            text = row.changed()
            if text is None:
                if row.error is not None:
                    row.check(row.baseline)  # put back as stored: the mark goes
                continue
            if row.check(text):
                valid[key] = text
            else:
                refused.append(key)
        return valid, refused

    def accepted(self, changes: Mapping[str, str]) -> None:
        """These values were stored."""
        for key, text in changes.items():
            self.rows[key].accepted(text)

    def clear_secrets(self) -> None:
        """Forget typed secrets and PINs (leaving the desk)."""
        for key in WRITE_ONLY:
            w = self.rows[key].widget
            if isinstance(w, QLineEdit):
                w.clear()


__all__ = ["LEFT_OUT", "SECTIONS", "DeskSettings", "ScrollPage", "SettingRow", "current_values", "text_of"]
