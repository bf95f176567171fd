"""Painted widgets: the camera view with its guide oval, the voice-level meter, a photo box."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QSizePolicy, QWidget

from kiosk.checks import guide_oval
from kiosk.checks.card_frame import card_guide
from kiosk.ui.theme import PALETTE, TARGET_PX


def bgr_to_qimage(image: np.ndarray, *, mirror: bool = False) -> QImage:
    """A QImage that owns a copy of a BGR uint8 frame (safe after the array is reused).

    Any thread may call it (QImage is reentrant): the GUI's bridge does so on the flow's worker,
    so the GUI thread only paints. ``mirror`` flips it left-right, as a mirror shows a face.
    """
    h, w = image.shape[:2]
    src = np.ascontiguousarray(image[:, ::-1] if mirror else image)
    return QImage(src.data, w, h, 3 * w, QImage.Format.Format_BGR888).copy()


def oval_rect(width: float, height: float) -> QRectF:
    """The guide oval's rectangle inside a picture of the given size.

    The very oval the live checks measure the face against (kiosk.checks.guide_oval), so a face
    that looks centred on screen is never told it is off centre.
    """
    o = guide_oval(width, height)
    return QRectF(o.cx - o.rx, o.cy - o.ry, 2 * o.rx, 2 * o.ry)


def card_rect(width: float, height: float) -> QRectF:
    """The card frame's rectangle inside a picture of the given size (ID-1's shape).

    The very frame the card checks measure against (kiosk.checks.card_frame.card_guide).
    """
    g = card_guide(width, height)
    return QRectF(g.x, g.y, g.w, g.h)


def button(text: str, role: str = "", *, name: str = "") -> QPushButton:
    """A large push button with a style role; Enter and Space both press it."""
    b = QPushButton(text)
    if role:
        b.setProperty("role", role)
    if name:
        b.setObjectName(name)
    b.setAutoDefault(True)
    b.setMinimumHeight(TARGET_PX)
    return b


def label(text: str = "", role: str = "", *, wrap: bool = True) -> QLabel:
    """A label with a style role."""
    lab = QLabel(text)
    if role:
        lab.setProperty("role", role)
    lab.setWordWrap(wrap)
    return lab


def set_role(widget: QWidget, role: str) -> None:
    """Give a shown widget another style role, its padding and border included.

    Re-polishing alone restyles colours and fonts, but a label (a QFrame) takes the style sheet's
    padding into its size only on a StyleChange event: without it a padded role's text fills the
    box edge to edge.
    """
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    QApplication.sendEvent(widget, QEvent(QEvent.Type.StyleChange))
    widget.updateGeometry()


class VideoView(QWidget):
    """The live picture with the face guide oval (or the ID card's frame) drawn over it.

    Pictures come already mirrored (``bgr_to_qimage(..., mirror=True)`` on the flow's worker).
    A paint is two image draws: the picture, scaled, and the oval with its shade, kept as an
    image until the size or colour changes. Each call from Python into Qt gives up and takes
    back the interpreter lock, which the worker threads hold in turns; so few calls per paint
    keep the GUI thread quick while capture, encoding and upload run.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._fits = False
        self._shape = "oval"  # the guide drawn: "oval" (a face), "card" (an ID card) or "none"
        self._overlay = ""
        self._shade: QImage | None = None
        self._shade_key: tuple[int, int, int, int, bool, str] | None = None
        self.frames_painted = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(640, 480)

    def set_frame(self, image: QImage | None) -> None:
        """Show a new picture (None clears the view)."""
        self._image = image
        self.update()

    def set_fits(self, fits: bool) -> None:
        """Green oval when the face is placed right."""
        if fits != self._fits:
            self._fits = fits
            self.update()

    def fits(self) -> bool:
        """Whether the oval is shown green."""
        return self._fits

    def set_oval_visible(self, visible: bool) -> None:
        """The face oval, or no guide at all."""
        self.set_shape("oval" if visible else "none")

    def set_shape(self, shape: str) -> None:
        """The guide drawn over the picture: "oval" (a face), "card" (an ID card) or "none"."""
        if shape != self._shape:
            self._shape = shape
            self.update()

    def shape(self) -> str:
        """The guide drawn: "oval", "card" or "none"."""
        return self._shape

    def set_overlay(self, text: str) -> None:
        """A large text over the picture (the 3-2-1 countdown); empty hides it."""
        if text != self._overlay:
            self._overlay = text
            self.update()

    def overlay(self) -> str:
        """The text shown over the picture."""
        return self._overlay

    def has_frame(self) -> bool:
        """Whether a picture is shown."""
        return self._image is not None

    def _target(self) -> QRectF:
        """Where the picture goes: scaled to fit, centred (the whole view without a picture)."""
        if self._image is None:
            return QRectF(self.rect())
        iw, ih = self._image.width(), self._image.height()
        scale = min(self.width() / iw, self.height() / ih)
        w, h = iw * scale, ih * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def _oval_layer(self, target: QRectF) -> QImage:
        """The shade outside the oval and the oval's lines, as a transparent image of the view."""
        key = (round(target.x()), round(target.y()), round(target.width()),
               round(target.height()), self._fits, self._shape)
        # Drawn at the screen's pixel density, so the oval stays sharp at 125 % or 150 %.
        dpr = self.devicePixelRatioF()
        size = self.size() * dpr
        if self._shade is not None and self._shade_key == key and self._shade.size() == size:
            return self._shade
        layer = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        layer.setDevicePixelRatio(dpr)
        layer.fill(Qt.GlobalColor.transparent)
        p = QPainter(layer)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        inner = QPainterPath()
        if self._shape == "card":  # rounded corners as on a card (3.18 mm of 85.6 mm)
            r = card_rect(target.width(), target.height()).translated(target.topLeft())
            radius = r.width() * 3.18 / 85.6
            inner.addRoundedRect(r, radius, radius)
        else:
            r = oval_rect(target.width(), target.height()).translated(target.topLeft())
            inner.addEllipse(r)
        outside = QPainterPath()
        outside.addRect(target)
        p.fillPath(outside.subtracted(inner), QColor(0, 0, 0, 110))
        # A dark outline under the coloured line keeps 3:1 against any picture.
        p.setPen(QPen(QColor(PALETTE.oval_outline), 10))
        p.drawPath(inner)
        colour = PALETTE.oval_good if self._fits else PALETTE.oval_idle
        p.setPen(QPen(QColor(colour), 6))
        p.drawPath(inner)
        p.end()
        self._shade, self._shade_key = layer, key
        return layer

    def paintEvent(self, _event: object) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        target = self._target()
        if self._image is None:
            p.fillRect(self.rect(), QColor("#111418"))
        else:
            if target.width() < self.width() - 1 or target.height() < self.height() - 1:
                p.fillRect(self.rect(), QColor("#111418"))  # the bars beside the picture
            p.drawImage(target, self._image)
            self.frames_painted += 1
        if self._shape != "none":
            p.drawImage(0, 0, self._oval_layer(target))
        if self._overlay:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            font = p.font()
            font.setPixelSize(int(target.height() * 0.4))
            font.setBold(True)
            p.setFont(font)
            path = QPainterPath()
            metrics = p.fontMetrics()
            w = metrics.horizontalAdvance(self._overlay)
            base = target.center().y() + metrics.capHeight() / 2
            path.addText(target.center().x() - w / 2, base, font, self._overlay)
            p.setPen(QPen(QColor(PALETTE.oval_outline), 8))
            p.drawPath(path)  # outlined white digits read on any picture
            p.fillPath(path, QColor(PALETTE.oval_idle))
        p.end()


class LevelMeter(QWidget):
    """The voice level as a bar from -60 to 0 dBFS, with the good band (-28..-16) marked."""

    LOW, GOOD_LOW, GOOD_HIGH = -60.0, -28.0, -16.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dbfs = self.LOW
        self.setMinimumSize(TARGET_PX, 36)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("voice level")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(300, 36)

    def set_level(self, dbfs: float) -> None:
        """The latest level in dBFS (-inf for silence)."""
        value = max(self.LOW, min(0.0, float(dbfs))) if np.isfinite(dbfs) else self.LOW
        if abs(value - self._dbfs) >= 0.5:
            self._dbfs = value
            self.update()

    def level(self) -> float:
        """The level shown, in dBFS."""
        return self._dbfs

    def _x(self, dbfs: float) -> float:
        return (dbfs - self.LOW) / (0 - self.LOW) * self.width()

    def paintEvent(self, _event: object) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(PALETTE.surface))
        h = self.height()
        band = QRectF(self._x(self.GOOD_LOW), 0, self._x(self.GOOD_HIGH) - self._x(self.GOOD_LOW), h)
        p.fillRect(band, QColor(46, 204, 64, 50))
        if self._dbfs < self.GOOD_LOW:
            colour = PALETTE.meter_low
        elif self._dbfs <= self.GOOD_HIGH:
            colour = PALETTE.meter_good
        else:
            colour = PALETTE.meter_high
        p.fillRect(QRectF(0, 4, self._x(self._dbfs), h - 8), QColor(colour))
        p.setPen(QPen(QColor(PALETTE.muted), 2))
        p.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        p.end()


class PhotoBox(QLabel):
    """A picture scaled to fit, or a placeholder text."""

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(placeholder, parent)
        self._pixmap: QPixmap | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(200, 200)
        # Ignored: a scaled pixmap must not grow the label, or each resize grows it again.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setProperty("role", "muted")

    def set_image_bytes(self, data: bytes | None) -> bool:
        """Show JPEG/PNG bytes; False (and cleared) when they are not a picture."""
        if not data:
            self.clear_image()
            return False
        pm = QPixmap()
        if not pm.loadFromData(data):
            self.clear_image()
            return False
        self._pixmap = pm
        self._rescale()
        return True

    def clear_image(self) -> None:
        """Forget the picture (nothing of the last person stays on screen)."""
        self._pixmap = None
        self.setPixmap(QPixmap())

    def has_image(self) -> bool:
        """Whether a picture is shown."""
        return self._pixmap is not None

    def _rescale(self) -> None:
        if self._pixmap is not None:
            self.setPixmap(self._pixmap.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._rescale()
