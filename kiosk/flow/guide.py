"""Preview ticks into Guidance events: the checker's feedback, the voice level, the auto-continue clock."""

from __future__ import annotations

from typing import Any

from kiosk.flow.events import Guidance, Hint

# Texts for hint keys the checker gives without words (its FrameFeedback brings its own words;
# its status names are the keys: no_face, several_faces, too_dark, too_bright, too_far,
# too_close, off_center).
_HINTS: dict[str, tuple[str, str]] = {
    "no_face": ("请将面部置于框内", "place your face inside the oval"),
    "too_far": ("请靠近一点", "come a little closer"),
    "too_close": ("请离远一点", "move back a little"),
    "too_dark": ("太暗了，请到光线更好的地方", "too dark: find more light"),
    "several_faces": ("画面中只能有一个人", "only one person should be in view"),
    "off_center": ("请把脸移到椭圆框中间", "move your face to the middle of the oval"),
    "closer": ("请靠近一些", "come closer"),
    "farther": ("请离远一些", "move back a little"),
    "center": ("请将面部移到框的中央", "move your face to the middle of the oval"),
    "left": ("请向左移动", "move to the left"),
    "right": ("请向右移动", "move to the right"),
    "up": ("请向上移动", "move up"),
    "down": ("请向下移动", "move down"),
    "light": ("光线太暗，请到明亮处", "more light, please"),
    "darker": ("光线太强，请避开强光", "too bright: move out of direct light"),
    "too_bright": ("太亮了，请避开强光或背光", "too bright: move out of strong or back light"),
    "face_camera": ("请正对镜头", "face the camera"),
    "one_face": ("画面中只能有一张脸", "only one face in the picture, please"),
    "hold_still": ("请保持不动", "hold still"),
    "blur": ("画面模糊，请保持不动", "the picture is blurred: hold still"),
    "no_camera": ("没有摄像头画面", "no picture from the camera"),
    "louder": ("请大声一些", "speak up, please"),
}


def hint(key: str, zh: str | None = None, en: str | None = None) -> Hint:
    """A Hint for ``key`` with the kiosk's texts unless texts are given."""
    known = _HINTS.get(key, (key, key.replace("_", " ")))
    return Hint(key, zh or known[0], en or known[1])


def _as_hint(item: Any) -> Hint:
    if isinstance(item, Hint):
        return item
    if isinstance(item, str):
        return hint(item)
    key = str(getattr(item, "key", None) or getattr(item, "code", None) or item)
    return hint(key, getattr(item, "zh", None) or getattr(item, "message_zh", None),
                getattr(item, "en", None) or getattr(item, "message_en", None))


def _box(value: Any) -> tuple[int, int, int, int] | None:
    if value is None:
        return None
    if hasattr(value, "w"):  # kiosk.checks FaceBox (float x, y, w, h)
        value = (value.x, value.y, value.w, value.h)
    try:
        x, y, w, h = (round(float(v)) for v in value)
    except (TypeError, ValueError):
        return None
    return (x, y, w, h)


def _hints(feedback: Any, ok: bool) -> tuple[Hint, ...]:
    listed = getattr(feedback, "hints", None)
    if listed is not None:
        return tuple(_as_hint(h) for h in listed)
    # kiosk.checks FrameFeedback: one status (the most urgent) with its own words.
    status = getattr(feedback, "status", None)
    if ok or not status:
        return ()
    return (hint(str(status), getattr(feedback, "message_zh", None),
                 getattr(feedback, "message_en", None)),)


def guidance(
    feedback: Any,
    frame: Any,
    level_dbfs: float,
    voice_floor_dbfs: float,
    *,
    waited: float = 0.0,
    auto_in: float | None = None,
) -> Guidance:
    """One Guidance event from a checker's FrameFeedback (``None``: no picture yet)."""
    if feedback is None:
        return Guidance(frame=None, face_ok=False, face_box=None, hints=(hint("no_camera"),),
                        level_dbfs=level_dbfs, voice_ok=level_dbfs >= voice_floor_dbfs,
                        waited=waited, auto_in=auto_in)
    ok = getattr(feedback, "face_ok", None)
    if ok is None:
        ok = getattr(feedback, "ok", False)
    box = _box(getattr(feedback, "face_box", None) or getattr(feedback, "face", None))
    hints = _hints(feedback, bool(ok))
    return Guidance(
        frame=frame, face_ok=bool(ok), face_box=box, hints=hints, level_dbfs=float(level_dbfs),
        voice_ok=level_dbfs >= voice_floor_dbfs, waited=waited, auto_in=auto_in,
    )


__all__ = ["guidance", "hint"]
