"""``kiosk devices``: the cameras and microphones this machine has, and the sources it always has."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.cli import common, messages
from kiosk.cli.common import say


def register(sub: Any) -> None:
    """Add ``kiosk devices``."""
    parser = common.command_parser(
        sub, "devices", "list cameras and microphones with the specs to pass as --camera/--mic, "
        "their names, supported sizes, and infrared or virtual marks",
        epilog="examples:\n"
        "  kiosk devices\n"
        "  kiosk devices --json --no-sizes\n\n"
        "The 'synthetic' and 'file:PATH' sources work on every machine, cameras or not.\n"
        "Exit status: 0 the list was made (even when it is empty); 2 a usage error.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true",
                        help='strict JSON: {"cameras": [...], "microphones": [...], "notes": [...], '
                        '"always": [...]}')
    parser.add_argument("--no-sizes", action="store_true",
                        help="do not open cameras to ask for their sizes (faster; a camera in use "
                        "elsewhere is not disturbed)")
    parser.set_defaults(func=run)


def sample_spec() -> str:
    """``file:`` plus the sample clip's path, or the placeholder when the assets are missing."""
    from kiosk.errors import InputError
    from kiosk.resources import sample_clip_spec

    try:
        return sample_clip_spec()
    except InputError:
        return "file:PATH"


def _camera_line(cam: Any, lang: str) -> str:
    marks = [say(lang, messages.INFRARED)] if cam.infrared else []
    marks += [say(lang, messages.VIRTUAL)] if cam.virtual else []
    sizes = ", ".join(cam.sizes) if cam.sizes else say(lang, messages.SIZES_UNKNOWN)
    mark = f" [{', '.join(marks)}]" if marks else ""
    path = f" ({cam.path})" if cam.path != cam.spec else ""
    return f"  {cam.spec}{path}\n      {cam.name}{mark} — {sizes}"


def _mic_line(mic: Any, lang: str) -> str:
    default = say(lang, messages.DEFAULT_MIC) if mic.is_default else ""
    rate = f"{mic.default_rate:.0f} Hz" if mic.default_rate else ""
    if mic.index < 0:  # a sound server's source: its description is what a person knows
        return f"  {mic.spec}\n      {mic.name} ({mic.host_api}) {rate}{default}".rstrip()
    return f"  {mic.spec}\n      #{mic.index} {mic.host_api} {rate}{default}".rstrip()


def run(args: argparse.Namespace) -> int:
    """Print what was found, and what to use instead when nothing was."""
    from kiosk.media import list_devices

    lang = common.lang_of(args)
    found = list_devices(probe_sizes=not args.no_sizes)
    always = ["synthetic", sample_spec()]
    if args.json:
        common.emit_json({**found.as_dict(), "always": always})
        return 0
    print(say(lang, messages.CAMERAS))
    if found.cameras:
        for cam in found.cameras:
            print(_camera_line(cam, lang))
    else:
        print(say(lang, messages.NO_CAMERA))
    print(say(lang, messages.MICROPHONES))
    if found.microphones:
        for mic in found.microphones:
            print(_mic_line(mic, lang))
    else:
        print(say(lang, messages.NO_MICROPHONE))
    for note in found.notes:
        print(say(lang, messages.NOTE(note=note)))
    print(say(lang, messages.ALWAYS_AVAILABLE))
    print(f"  {always[0]}\n      {say(lang, messages.SYNTHETIC_SOURCE)}")
    print(f"  {always[1]}\n      {say(lang, messages.FILE_SOURCE)}")
    return 0
