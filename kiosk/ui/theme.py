"""Colours, sizes and the style sheet of every screen, with the contrast rule they keep."""

from __future__ import annotations

from dataclasses import dataclass

# WCAG 2.2 SC 2.5.5 asks 44 px targets; China's elder-friendly rules ask 60 dp: the kiosk uses 60.
TARGET_PX = 60
SMALL_TARGET_PX = 48
BODY_PT = 18
HINT_PT = 14  # the help line under each of the operator's settings
TITLE_PT = 30
DIGITS_PT = 120
# The longest headline, "Could not complete the check" in its padded box, fits 1366 px wide.
VERDICT_PT = 56
LEAD_PT = 22  # the customer's words on the result screen: read from a step back


@dataclass(frozen=True)
class Palette:
    """The named colours (hex) the style sheet and painted widgets use."""

    background: str = "#F4F6F9"
    surface: str = "#FFFFFF"
    text: str = "#1A1F26"
    muted: str = "#4A5563"
    primary: str = "#0A58A8"
    on_primary: str = "#FFFFFF"
    secondary: str = "#E2E8F0"
    on_secondary: str = "#1A1F26"
    danger: str = "#A4161A"
    on_danger: str = "#FFFFFF"
    success: str = "#17692F"
    on_success: str = "#FFFFFF"
    warning_bg: str = "#FFF4D6"
    warning_text: str = "#6B4400"
    demo_bg: str = "#7A3E00"
    demo_text: str = "#FFFFFF"
    focus: str = "#F2A900"
    oval_idle: str = "#FFFFFF"
    oval_good: str = "#2ECC40"
    oval_outline: str = "#000000"
    meter_low: str = "#8A94A6"
    meter_good: str = "#2ECC40"
    meter_high: str = "#E8A400"


PALETTE = Palette()

# Pairs of (foreground, background) that carry text: each must reach 4.5:1 (tests check it).
TEXT_PAIRS = (
    ("text", "background"),
    ("text", "surface"),
    ("muted", "background"),
    ("muted", "surface"),
    ("on_primary", "primary"),
    ("on_secondary", "secondary"),
    ("on_danger", "danger"),
    ("on_success", "success"),
    ("warning_text", "warning_bg"),
    ("demo_text", "demo_bg"),
    ("danger", "surface"),
    ("success", "surface"),
    ("primary", "surface"),
)


def _channel(c: int) -> float:
    s = c / 255.0
    return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.x) of a #RRGGBB colour."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio between two #RRGGBB colours (1..21)."""
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def style_sheet(p: Palette = PALETTE) -> str:
    """The application style sheet: large text, large targets, a visible keyboard focus."""
    return f"""
QWidget {{ background: {p.background}; color: {p.text}; font-size: {BODY_PT}pt; }}
QLabel[role="title"] {{ font-size: {TITLE_PT}pt; font-weight: 600; }}
QLabel[role="muted"] {{ color: {p.muted}; }}
QLabel[role="lead"] {{ font-size: {LEAD_PT}pt; }}
QLabel[role="rec"] {{ color: {p.danger}; font-size: {LEAD_PT}pt; font-weight: 700; }}
QLabel[role="digits-hidden"] {{ font-size: {TITLE_PT}pt; color: {p.muted}; }}
QLabel[role="digits"] {{ font-size: {DIGITS_PT}pt; font-weight: 700; color: {p.text};
    letter-spacing: 12px; }}
QLabel[role="verdict-pass"] {{ font-size: {VERDICT_PT}pt; font-weight: 700; color: {p.on_success};
    background: {p.success}; padding: 12px 36px; border-radius: 12px; }}
QLabel[role="verdict-fail"] {{ font-size: {VERDICT_PT}pt; font-weight: 700; color: {p.on_danger};
    background: {p.danger}; padding: 12px 36px; border-radius: 12px; }}
QLabel[role="verdict-unchecked"] {{ font-size: {VERDICT_PT}pt; font-weight: 700;
    color: {p.warning_text}; background: {p.warning_bg}; padding: 12px 36px; border-radius: 12px; }}
QLabel[role="error"] {{ color: {p.danger}; }}
QLabel[role="warning"] {{ background: {p.warning_bg}; color: {p.warning_text}; padding: 8px 16px;
    border-radius: 8px; }}
QLabel[role="ok"] {{ color: {p.success}; }}
QLabel[role="hint"] {{ color: {p.muted}; font-size: {HINT_PT}pt; }}
QLabel[role="hint-error"] {{ color: {p.danger}; font-size: {HINT_PT}pt; }}
QLabel[role="countdown"] {{ font-size: {DIGITS_PT}pt; font-weight: 700; color: {p.primary}; }}
QLabel[role="banner"] {{ background: {p.demo_bg}; color: {p.demo_text}; font-weight: 700;
    padding: 6px; qproperty-alignment: AlignCenter; }}
QFrame[role="card"] {{ background: {p.surface}; border-radius: 12px; }}
QFrame[role="card"] QLabel, QFrame[role="card"] QCheckBox {{ background: {p.surface}; }}
QFrame[role="warning"] {{ background: {p.warning_bg}; border: 2px solid {p.warning_text};
    border-radius: 12px; }}
QFrame[role="warning"] QLabel {{ background: {p.warning_bg}; color: {p.warning_text}; }}
QPushButton {{ min-height: {TARGET_PX}px; min-width: 160px; padding: 0 24px; border-radius: 10px;
    background: {p.secondary}; color: {p.on_secondary}; border: 2px solid {p.secondary}; }}
QPushButton[role="primary"] {{ background: {p.primary}; color: {p.on_primary};
    border-color: {p.primary}; font-weight: 600; }}
QPushButton[role="danger"] {{ background: {p.danger}; color: {p.on_danger}; border-color: {p.danger}; }}
QPushButton[role="nav"] {{ text-align: left; }}
QPushButton[role="nav"]:checked {{ background: {p.primary}; color: {p.on_primary}; border-color: {p.primary}; }}
QCheckBox {{ min-height: {TARGET_PX}px; spacing: 12px; }}
QCheckBox::indicator {{ width: 32px; height: 32px; }}
QPushButton[role="small"] {{ min-height: {SMALL_TARGET_PX}px; min-width: 48px; padding: 0 12px; }}
QPushButton[role="key"] {{ min-height: {SMALL_TARGET_PX}px; min-width: 64px; padding: 0 8px;
    font-size: {LEAD_PT}pt; font-weight: 600; }}
QPushButton:focus {{ border: 4px solid {p.focus}; }}
QPushButton:disabled {{ background: {p.secondary}; color: {p.muted}; border-color: {p.secondary}; }}
QLineEdit, QComboBox, QSpinBox {{ min-height: {TARGET_PX - 8}px; padding: 0 12px; background: {p.surface};
    border: 2px solid {p.muted}; border-radius: 8px; }}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus {{ border: 3px solid {p.focus}; }}
QLineEdit[valid="false"] {{ border: 3px solid {p.danger}; }}
QLineEdit[valid="true"] {{ border: 3px solid {p.success}; }}
QProgressBar {{ min-height: 36px; border: 2px solid {p.muted}; border-radius: 8px;
    background: {p.surface}; color: {p.text}; text-align: center; }}
QProgressBar::chunk {{ background: {p.primary}; border-radius: 6px; }}
QListWidget {{ background: {p.surface}; border: none; }}
"""
