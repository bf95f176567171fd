"""Languages: Qt translation files for the screens' own texts, zh/en pairs for data messages.

Screen texts are written in English in the source (``self.tr``) and translated to Chinese by
``translations/kiosk_zh_CN.qm`` (compiled from the ``.ts`` beside it with pyside6-lrelease).
Messages that come as data (findings, errors, catalog entries) carry both languages already and
are picked with :func:`pick`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTranslator

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
QM_FILES = {"zh": TRANSLATIONS / "kiosk_zh_CN.qm"}

# The translator this process installed: one at a time, whichever Languages installed it, so a
# second Languages on the same application replaces the first one's language, never adds to it.
_installed: QTranslator | None = None


class Languages:
    """Installs one translator at a time on the application; Qt then retranslates every widget."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self.lang = "en"  # the source texts; removing or installing a translator retranslates

    def switch(self, lang: str) -> None:
        """Change the language; widgets receive a LanguageChange event and redraw their texts."""
        global _installed
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}")
        qm = QM_FILES.get(lang)
        translator = None
        if qm is not None:
            translator = QTranslator(self._app)
            if not translator.load(str(qm)):
                raise FileNotFoundError(f"translation file missing or unreadable: {qm}")
        if _installed is not None:
            self._app.removeTranslator(_installed)
            _installed = None
        if translator is not None:
            self._app.installTranslator(translator)
            _installed = translator
        self.lang = lang
        # Qt posts LanguageChange; deliver it now so every text is redrawn when this returns.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)

