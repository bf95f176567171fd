"""Typed capture and encoding failures, each with a message in English and Chinese and a fix.

    MediaError (kiosk.errors)
    ├── SourceSpecError       the spec string names no known kind of source
    ├── MediaFileError        a file: source is missing, unreadable or lacks the track asked for
    ├── CameraAbsent          no camera at that index/path
    ├── CameraBusy            the camera exists but would not open in time (held by another program)
    ├── CameraLost            the camera stopped delivering new frames
    ├── MicrophoneAbsent      no microphone, no PortAudio library, or the device would not open
    ├── MicrophoneLost        the microphone stopped delivering sound
    ├── FfmpegMissing         no ffmpeg on PATH and none from imageio-ffmpeg
    ├── EncoderFailed         ffmpeg exited early or failed; carries the end of its log
    ├── DiskFull              no space left where the clip is written
    ├── FileTooLarge          the process's file-size limit (RLIMIT_FSIZE) stopped the clip
    └── OutputUnwritable      the clip's folder is missing or not writable
"""

# ruff: noqa: N818 - the hierarchy names what happened (CameraLost), as kiosk.errors does

from __future__ import annotations

from kiosk.errors import MediaError


class SourceSpecError(MediaError):
    """The spec string names no known source."""

    def __init__(self, spec: str, kind: str) -> None:
        super().__init__(
            f"{kind} source {spec!r} is not understood",
            f"无法识别的{'摄像头' if kind == 'video' else '麦克风'}来源 {spec!r}",
            fix_en="use a camera index (0), a device path, a microphone name, 'default', "
            "'file:PATH' or 'synthetic'; 'kiosk devices' lists what is there",
            fix_zh="请使用摄像头序号（0）、设备路径、麦克风名称、'default'、'file:路径' 或 "
            "'synthetic'；'kiosk devices' 可列出现有设备",
        )


class MediaFileError(MediaError):
    """A file: source cannot be played."""

    def __init__(self, path: str, why_en: str, why_zh: str) -> None:
        super().__init__(
            f"cannot play {path}: {why_en}",
            f"无法播放 {path}：{why_zh}",
            fix_en="give a readable video file with the track needed (e.g. an MP4 with H.264 + AAC)",
            fix_zh="请提供可读取且含所需音视频轨道的文件（例如 H.264 + AAC 的 MP4）",
        )


class CameraAbsent(MediaError):
    """No camera at the given index or path."""

    def __init__(self, spec: str) -> None:
        super().__init__(
            f"no camera found at {spec!r}",
            f"未找到摄像头 {spec!r}",
            fix_en="plug in the camera, or pick another with --camera ('kiosk devices' lists "
            "them); without a camera use --camera file:PATH or synthetic",
            fix_zh="请连接摄像头，或用 --camera 选择其他设备（'kiosk devices' 可列出）；"
            "没有摄像头时可用 --camera file:路径 或 synthetic",
        )


class CameraBusy(MediaError):
    """The camera exists but did not open in time."""

    def __init__(self, spec: str, seconds: float) -> None:
        super().__init__(
            f"camera {spec!r} did not open within {seconds:.0f} s (busy or held by another program)",
            f"摄像头 {spec!r} 在 {seconds:.0f} 秒内未能打开（可能被其他程序占用）",
            fix_en="close other programs using the camera (video calls, browsers) and try again",
            fix_zh="请关闭正在使用摄像头的其他程序（视频会议、浏览器等）后重试",
        )


class CameraLost(MediaError):
    """The camera stopped delivering new frames."""

    def __init__(self, spec: str, seconds: float) -> None:
        super().__init__(
            f"camera {spec!r} delivered no new picture for {seconds:.1f} s",
            f"摄像头 {spec!r} 已 {seconds:.1f} 秒没有新画面",
            fix_en="check the camera's cable and connection, then start again",
            fix_zh="请检查摄像头的线缆和连接，然后重新开始",
        )


class MicrophoneAbsent(MediaError):
    """No microphone could be opened."""

    def __init__(self, spec: str, detail: str = "") -> None:
        more = f" ({detail})" if detail else ""
        super().__init__(
            f"no microphone available for {spec!r}{more}",
            f"无法使用麦克风 {spec!r}{more}",
            fix_en="plug in a microphone (and on Linux install libportaudio2), or pick another "
            "with --mic; without one use --mic file:PATH or synthetic",
            fix_zh="请连接麦克风（Linux 需安装 libportaudio2），或用 --mic 选择其他设备；"
            "没有麦克风时可用 --mic file:路径 或 synthetic",
        )


class MicrophoneLost(MediaError):
    """The microphone stopped delivering sound."""

    def __init__(self, spec: str, seconds: float) -> None:
        super().__init__(
            f"microphone {spec!r} delivered no sound for {seconds:.1f} s",
            f"麦克风 {spec!r} 已 {seconds:.1f} 秒没有声音数据",
            fix_en="check the microphone's connection, then start again",
            fix_zh="请检查麦克风连接，然后重新开始",
        )


class FfmpegMissing(MediaError):
    """No ffmpeg program could be found (or the one KIOSK_FFMPEG names is not there)."""

    def __init__(self, configured: str | None = None) -> None:
        if configured:
            super().__init__(
                f"the ffmpeg named by KIOSK_FFMPEG ({configured}) is not an executable program",
                f"KIOSK_FFMPEG 指定的 ffmpeg（{configured}）不存在或不可执行",
                fix_en="correct KIOSK_FFMPEG, or unset it to use the ffmpeg on PATH",
                fix_zh="请修正 KIOSK_FFMPEG，或删除该变量以使用 PATH 中的 ffmpeg",
            )
            return
        super().__init__(
            "ffmpeg was not found (neither on PATH nor from the imageio-ffmpeg package)",
            "未找到 ffmpeg（系统 PATH 和 imageio-ffmpeg 包中都没有）",
            fix_en="install ffmpeg (Debian: apt-get install ffmpeg) or pip install imageio-ffmpeg",
            fix_zh="请安装 ffmpeg（Debian：apt-get install ffmpeg）或 pip install imageio-ffmpeg",
        )


class EncoderFailed(MediaError):
    """ffmpeg failed; ``log_tail`` holds the end of its messages."""

    def __init__(self, what: str, log_tail: str = "") -> None:
        tail = log_tail.strip().splitlines()[-1:] if log_tail.strip() else []
        said = f": {tail[0]}" if tail else ""
        super().__init__(
            f"video encoding failed ({what}){said}",
            f"视频编码失败（{what}）{said}",
            fix_en="try again; if it keeps failing, run 'kiosk doctor' and send the log to support",
            fix_zh="请重试；如仍失败，请运行 'kiosk doctor' 并将日志发送给技术支持",
        )
        self.log_tail = log_tail


class DiskFull(MediaError):
    """No space left for the clip."""

    def __init__(self, folder: str, free_bytes: int | None = None) -> None:
        free = f" ({free_bytes // 1024} KiB free)" if free_bytes is not None else ""
        super().__init__(
            f"no space left on the disk holding {folder}{free}",
            f"{folder} 所在磁盘空间不足{free}",
            fix_en="free some disk space (a 5 s clip needs about 2 MB) and try again",
            fix_zh="请清理磁盘空间（5 秒视频约需 2 MB）后重试",
        )


class FileTooLarge(MediaError):
    """The clip hit a file-size limit: ffmpeg died of SIGXFSZ, or a write failed with EFBIG."""

    def __init__(self, folder: str, limit_bytes: int | None = None) -> None:
        limit = f" of {limit_bytes} bytes" if limit_bytes is not None else ""
        super().__init__(
            f"the clip hit the file-size limit{limit} (RLIMIT_FSIZE, 'ulimit -f') while being "
            f"written to {folder}",
            f"视频写入 {folder} 时达到了进程的文件大小上限{f'（{limit_bytes} 字节）' if limit else ''}"
            "（RLIMIT_FSIZE，'ulimit -f'）",
            fix_en="raise the limit for the kiosk's user or service ('ulimit -f unlimited'; "
            "systemd: LimitFSIZE=infinity), or record to a file system that allows files of a "
            "few MB",
            fix_zh="请提高 kiosk 用户或服务的文件大小上限（'ulimit -f unlimited'；systemd："
            "LimitFSIZE=infinity），或录制到允许几 MB 文件的文件系统",
        )


def file_size_limit() -> int | None:
    """This process's soft RLIMIT_FSIZE in bytes (children inherit it); None when unlimited."""
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return None if soft == resource.RLIM_INFINITY else int(soft)


class OutputUnwritable(MediaError):
    """The clip cannot be written where it was asked for (no such folder, no permission)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"cannot write the clip to {path}: {reason}",
            f"无法将视频写入 {path}：{reason}",
            fix_en="choose a file in an existing folder you may write to",
            fix_zh="请选择一个已存在且有写入权限的文件夹中的文件",
        )


__all__ = [
    "CameraAbsent",
    "CameraBusy",
    "CameraLost",
    "DiskFull",
    "EncoderFailed",
    "FfmpegMissing",
    "FileTooLarge",
    "MediaError",
    "MediaFileError",
    "MicrophoneAbsent",
    "MicrophoneLost",
    "OutputUnwritable",
    "SourceSpecError",
]
