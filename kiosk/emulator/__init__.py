"""A local emulator of the face-verification service: same protocol, real checks, on loopback.

``start_in_process()`` runs it on a thread (tests, the GUI's demo mode); ``kiosk emulator`` runs
it in the foreground. See docs/emulator.md for what it checks and what it does not.
"""

from kiosk.emulator.server import EmulatorHandle, start_in_process

__all__ = ["EmulatorHandle", "start_in_process"]
