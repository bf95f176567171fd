"""``kiosk devices``: the cameras and microphones this machine has, and the sources it always has."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.cli import common


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
    marks = [common.pick(lang, "红外", "infrared")] if cam.infrared else []
    marks += [common.pick(lang, "虚拟", "virtual")] if cam.virtual else []
    sizes = ", ".join(cam.sizes) if cam.sizes else common.pick(lang, "尺寸未知", "sizes unknown")
    mark = f" [{', '.join(marks)}]" if marks else ""
    path = f" ({cam.path})" if cam.path != cam.spec else ""
    return f"  {cam.spec}{path}\n      {cam.name}{mark} — {sizes}"


def _mic_line(mic: Any, lang: str) -> str:
    default = common.pick(lang, "，默认", ", default") if mic.is_default else ""
    rate = f"{mic.default_rate:.0f} Hz" if mic.default_rate else ""
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
    print(common.pick(lang, "摄像头：", "Cameras:"))
    if found.cameras:
        for cam in found.cameras:
            print(_camera_line(cam, lang))
    else:
        print(common.pick(
            lang, "  未找到摄像头 — 请连接摄像头；没有摄像头时可用 --camera synthetic 或 --camera file:路径",
            "  no camera found — plug one in; without a camera, use --camera synthetic or "
            "--camera file:PATH"))
    print(common.pick(lang, "麦克风：", "Microphones:"))
    if found.microphones:
        for mic in found.microphones:
            print(_mic_line(mic, lang))
    else:
        print(common.pick(
            lang, "  未找到麦克风 — 请连接麦克风（Linux 需安装 libportaudio2）；没有麦克风时可用 "
            "--mic synthetic 或 --mic file:路径",
            "  no microphone found — plug one in (on Linux, install libportaudio2); without one, "
            "use --mic synthetic or --mic file:PATH"))
    for note in found.notes:
        print(common.pick(lang, f"注意：{note}", f"note: {note}"))
    print(common.pick(lang, "始终可用：", "Always available:"))
    print(common.pick(lang, "  synthetic\n      生成的画面和声音（每秒一次白闪和提示音，用于测试和同步测量）",
                      "  synthetic\n      generated picture and sound (a white flash and a beep each "
                      "second, for tests and sync measurement)"))
    print(common.pick(lang, f"  {always[1]}\n      实时播放媒体文件的画面和声音，如同摄像头和麦克风",
                      f"  {always[1]}\n      a media file's picture and sound played in real time, "
                      "as if from a camera and microphone"))
    return 0
