"""Face-verification kiosk: client, capture, local checks, GUI and emulator for the v1 API."""

__version__ = "0.1.0"
