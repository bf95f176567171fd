"""An ID card held up to a camera, drawn from assets/card_photo.jpg: frames and short videos.

Interface (unit tests of kiosk.checks.card_frame, the GUI's `file:` camera, the screenshots)::

    frame = card_frame(t=0.0)                       # 640x480 BGR: the card centred, sharp
    frame = card_frame(blur=4.0)                    # the same, out of focus
    frame = card_frame(glare=True)                  # a clipped-white reflection over the card
    frame = card_frame(scale=0.45)                  # held too far away
    write_card_video(path, seconds=6.0)             # the card moving a little, MP4 (H.264)

Nothing is downloaded: the card is a light rectangle with grey "text" lines and the bundled
photo on its right, as on the photo side of a second-generation ID card (85.6 x 54 mm, the photo
26 x 32 mm); the background is a dark, lightly textured wall.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

CARD_PHOTO = Path(__file__).resolve().parents[2] / "assets" / "card_photo.jpg"
ID1_ASPECT = 85.6 / 54.0
W, H = 640, 480


@lru_cache(maxsize=4)
def _card(width: int) -> np.ndarray:
    """The card face itself, ``width`` px wide (BGR)."""
    height = round(width / ID1_ASPECT)
    card = np.full((height, width, 3), (226, 230, 234), np.uint8)
    # A faint pattern, as the printed guilloche: keeps the card from being one flat colour.
    yy, xx = np.mgrid[0:height, 0:width]
    card = (card.astype(np.int16) - (6 * (np.sin(xx / 7.0 + yy / 11.0) > 0.6))[..., None]).astype(np.uint8)
    for i, frac in enumerate((0.12, 0.26, 0.40, 0.54, 0.78)):  # name, sex, birth, address, number
        y = round(height * frac)
        length = round(width * (0.45 if i < 4 else 0.78))
        cv2.rectangle(card, (round(width * 0.06), y), (round(width * 0.06) + length, y + max(3, height // 28)),
                      (70, 70, 70), -1)
    photo = cv2.imread(str(CARD_PHOTO))
    assert photo is not None, CARD_PHOTO
    pw = round(width * 26 / 85.6)
    ph = round(pw * photo.shape[0] / photo.shape[1])
    small = cv2.resize(photo, (pw, ph), interpolation=cv2.INTER_AREA)
    x0, y0 = round(width * 0.62), round(height * 0.09)
    card[y0:y0 + ph, x0:x0 + pw] = small
    return card


def _background(t: float) -> np.ndarray:
    """A dark wall with a soft gradient and fixed grain (the same grain every frame)."""
    rng = np.random.default_rng(7)
    grain = rng.integers(0, 12, (H, W), dtype=np.uint8)
    ramp = np.linspace(40, 70, W, dtype=np.float32)[None, :].repeat(H, 0)
    base = (ramp + grain).astype(np.uint8)
    return cv2.merge([base, (base * 0.9).astype(np.uint8), (base * 0.8).astype(np.uint8)])


def card_frame(*, t: float = 0.0, scale: float = 0.62, blur: float = 0.0, glare: bool = False,
               card: bool = True, shift: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """One 640x480 BGR frame: the card ``scale`` of the frame wide, centred, swaying with ``t``.

    ``blur``: Gaussian sigma in pixels over the whole picture (a camera out of focus);
    ``glare``: a white, clipped reflection over part of the card, the photo included.
    """
    frame = _background(t)
    if card:
        width = round(W * scale)
        face = _card(width)
        ch, cw = face.shape[:2]
        # A small sway and tilt, as a hand holds a card: a few pixels and under 2 degrees.
        dx = 6 * math.sin(2 * math.pi * t / 2.0) + shift[0] * W
        dy = 4 * math.sin(2 * math.pi * t / 3.0) + shift[1] * H
        angle = 1.5 * math.sin(2 * math.pi * t / 2.5)
        m = cv2.getRotationMatrix2D((cw / 2, ch / 2), angle, 1.0)
        m[0, 2] += W / 2 - cw / 2 + dx
        m[1, 2] += H / 2 - ch / 2 + dy
        warped = cv2.warpAffine(face, m, (W, H), flags=cv2.INTER_LINEAR)
        mask = cv2.warpAffine(np.full((ch, cw), 255, np.uint8), m, (W, H), flags=cv2.INTER_LINEAR)
        frame[mask > 127] = warped[mask > 127]
        if glare:
            cx = round(W / 2 + cw * 0.22 + dx)
            cy = round(H / 2 - ch * 0.05 + dy)
            spot = np.zeros((H, W), np.float32)
            cv2.ellipse(spot, (cx, cy), (round(cw * 0.20), round(ch * 0.22)), 30, 0, 360, 1.0, -1)
            spot = cv2.GaussianBlur(spot, (0, 0), 6)
            lifted = frame.astype(np.float32) + spot[..., None] * 400
            frame = np.clip(lifted, 0, 255).astype(np.uint8)
    if blur > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), blur)
    return frame


def write_card_video(path: Path, *, seconds: float = 6.0, fps: int = 30, before: Path | None = None,
                     before_seconds: float = 3.0, **kw: object) -> Path:
    """The card held up for ``seconds`` (keyword arguments as card_frame), as H.264 MP4 via PyAV.

    ``before``: a clip whose first ``before_seconds`` come first (the person, then the card held
    up). A `file:` camera starts a recording over from the file's beginning, so a clip recorded
    from this video shows the person, while the card step sees the card.
    """
    import av

    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        stream.options = {"crf": "20", "preset": "veryfast"}

        def put(img: np.ndarray) -> None:
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="bgr24")):
                out.mux(packet)

        if before is not None:
            with av.open(str(before)) as src:
                for n, frame in enumerate(src.decode(video=0)):
                    if n >= round(before_seconds * fps):
                        break
                    put(cv2.resize(frame.to_ndarray(format="bgr24"), (W, H)))
        for i in range(round(seconds * fps)):
            put(card_frame(t=i / fps, **kw))  # type: ignore[arg-type]
        for packet in stream.encode():
            out.mux(packet)
    return path


__all__ = ["ID1_ASPECT", "card_frame", "write_card_video"]
