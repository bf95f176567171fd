"""What capture and recording say when a camera, a microphone, a file, ffmpeg or the disk fails."""

from __future__ import annotations

from kiosk.texts import Text

# --- naming a source -------------------------------------------------------------------------

# The kind of source a spec was given for ({kind.zh} / {kind.en} below).
VIDEO_SOURCE = Text("media.video_source", zh="摄像头", en="video")
AUDIO_SOURCE = Text("media.audio_source", zh="麦克风", en="audio")

SOURCE_NOT_UNDERSTOOD = Text(
    "media.source_not_understood",
    zh="无法识别的{kind.zh}来源 {spec!r}",
    en="{kind.en} source {spec!r} is not understood",
    fix_zh="请使用摄像头序号（0）、设备路径、麦克风名称、'default'、'file:路径' 或 "
           "'synthetic'；'kiosk devices' 可列出现有设备",
    fix_en="use a camera index (0), a device path, a microphone name, 'default', "
           "'file:PATH' or 'synthetic'; 'kiosk devices' lists what is there")

# --- file: sources ---------------------------------------------------------------------------

# What a played file is called when kiosk.inputs refuses to read it.
MEDIA_FILE = Text("media.media_file", zh="媒体文件", en="media file")

# {why} is one of the reasons below, or kiosk.inputs' reason (.en, .zh) for refusing the file.
CANNOT_PLAY = Text(
    "media.cannot_play",
    zh="无法播放 {path}：{why.zh}",
    en="cannot play {path}: {why.en}",
    fix_zh="请提供可读取且含所需音视频轨道的文件（例如 H.264 + AAC 的 MP4）",
    fix_en="give a readable video file with the track needed (e.g. an MP4 with H.264 + AAC)")
FILE_DOES_NOT_EXIST = Text("media.file_does_not_exist", zh="文件不存在", en="the file does not exist")
# {error} is PyAV's (English) word for it.
NOT_A_MEDIA_FILE = Text(
    "media.not_a_media_file",
    zh="不是可读取的媒体文件（{error}）",
    en="not a readable media file ({error})")
DECODING_FAILED = Text(
    "media.decoding_failed",
    zh="解码失败（{error}）",
    en="decoding failed ({error})")
NO_TRACK = Text(
    "media.no_track",
    zh="文件中没有{track.zh}轨道",
    en="it has no {track.en} track")
# The track a file lacks ({track.zh} / {track.en} above).
VIDEO_TRACK = Text("media.video_track", zh="视频", en="video")
AUDIO_TRACK = Text("media.audio_track", zh="音频", en="audio")

# --- cameras ---------------------------------------------------------------------------------

NO_CAMERA = Text(
    "media.no_camera",
    zh="未找到摄像头 {spec!r}",
    en="no camera found at {spec!r}",
    fix_zh="请连接摄像头，或用 --camera 选择其他设备（'kiosk devices' 可列出）；"
           "没有摄像头时可用 --camera file:路径 或 synthetic",
    fix_en="plug in the camera, or pick another with --camera ('kiosk devices' lists "
           "them); without a camera use --camera file:PATH or synthetic")
CAMERA_BUSY = Text(
    "media.camera_busy",
    zh="摄像头 {spec!r} 在 {seconds:.0f} 秒内未能打开（可能被其他程序占用）",
    en="camera {spec!r} did not open within {seconds:.0f} s (busy or held by another program)",
    fix_zh="请关闭正在使用摄像头的其他程序（视频会议、浏览器等）后重试",
    fix_en="close other programs using the camera (video calls, browsers) and try again")
CAMERA_LOST = Text(
    "media.camera_lost",
    zh="摄像头 {spec!r} 已 {seconds:.1f} 秒没有新画面",
    en="camera {spec!r} delivered no new picture for {seconds:.1f} s",
    fix_zh="请检查摄像头的线缆和连接，然后重新开始",
    fix_en="check the camera's cable and connection, then start again")

# --- microphones -----------------------------------------------------------------------------

NO_MICROPHONE = Text(
    "media.no_microphone",
    zh="无法使用麦克风 {spec!r}",
    en="no microphone available for {spec!r}",
    fix_zh="请连接麦克风（Linux 需安装 libportaudio2），或用 --mic 选择其他设备；"
           "没有麦克风时可用 --mic file:路径 或 synthetic",
    fix_en="plug in a microphone (and on Linux install libportaudio2), or pick another "
           "with --mic; without one use --mic file:PATH or synthetic")
# {detail} is PortAudio's (English) word for it.
NO_MICROPHONE_SAID = Text(
    "media.no_microphone_said",
    zh="无法使用麦克风 {spec!r} ({detail})",
    en="no microphone available for {spec!r} ({detail})",
    fix_zh="请连接麦克风（Linux 需安装 libportaudio2），或用 --mic 选择其他设备；"
           "没有麦克风时可用 --mic file:路径 或 synthetic",
    fix_en="plug in a microphone (and on Linux install libportaudio2), or pick another "
           "with --mic; without one use --mic file:PATH or synthetic")
MICROPHONE_LOST = Text(
    "media.microphone_lost",
    zh="麦克风 {spec!r} 已 {seconds:.1f} 秒没有声音数据",
    en="microphone {spec!r} delivered no sound for {seconds:.1f} s",
    fix_zh="请检查麦克风连接，然后重新开始",
    fix_en="check the microphone's connection, then start again")
# What happened to a microphone's stream ({what.zh} / {what.en}), and the device it was on.
MICROPHONE_FAULT = Text(
    "media.microphone_fault",
    zh="麦克风 {spec!r}（{device}）{what.zh}",
    en="microphone {spec!r} ({device}) {what.en}",
    fix_zh="请检查麦克风及其连接，然后重新开始；'kiosk devices' 可列出现有麦克风",
    fix_en="check the microphone and its connection, then start again; 'kiosk devices' lists "
           "the microphones")
MIC_GONE = Text("media.mic_gone", zh="在使用中被移除", en="was removed while in use")
MIC_MOVED = Text("media.mic_moved", zh="被声音服务器切换到了另一个设备",
                 en="was moved to another device by the sound server")
MIC_SERVER = Text("media.mic_server", zh="所在的声音服务器已停止或重启",
                  en="stopped: its sound server stopped or restarted")
MIC_SILENT = Text("media.mic_silent", zh="连续 {seconds:.1f} 秒只有数字静音（已静音或设备已断开）",
                  en="gave digital silence for {seconds:.1f} s (muted, or its device went away)")
CANNOT_LIST_MICROPHONES = Text(
    "media.cannot_list_microphones",
    zh="无法查询音频设备：{error}",
    en="the sound system could not be asked for devices: {error}",
    fix_zh="请检查系统音频服务（PulseAudio/PipeWire/ALSA）",
    fix_en="check the sound system (PulseAudio/PipeWire/ALSA)")

# --- ffmpeg ----------------------------------------------------------------------------------

FFMPEG_NOT_FOUND = Text(
    "media.ffmpeg_not_found",
    zh="未找到 ffmpeg（系统 PATH 和 imageio-ffmpeg 包中都没有）",
    en="ffmpeg was not found (neither on PATH nor from the imageio-ffmpeg package)",
    fix_zh="请安装 ffmpeg（Debian：apt-get install ffmpeg）或 pip install imageio-ffmpeg",
    fix_en="install ffmpeg (Debian: apt-get install ffmpeg) or pip install imageio-ffmpeg")
FFMPEG_NOT_EXECUTABLE = Text(
    "media.ffmpeg_not_executable",
    zh="KIOSK_FFMPEG 指定的 ffmpeg（{path}）不存在或不可执行",
    en="the ffmpeg named by KIOSK_FFMPEG ({path}) is not an executable program",
    fix_zh="请修正 KIOSK_FFMPEG，或删除该变量以使用 PATH 中的 ffmpeg",
    fix_en="correct KIOSK_FFMPEG, or unset it to use the ffmpeg on PATH")
# {what} is the recorder's (English) account of the failure, {said} the last line of ffmpeg's log.
ENCODING_FAILED = Text(
    "media.encoding_failed",
    zh="视频编码失败（{what}）",
    en="video encoding failed ({what})",
    fix_zh="请重试；如仍失败，请运行 'kiosk doctor' 并将日志发送给技术支持",
    fix_en="try again; if it keeps failing, run 'kiosk doctor' and send the log to support")
ENCODING_FAILED_SAID = Text(
    "media.encoding_failed_said",
    zh="视频编码失败（{what}）: {said}",
    en="video encoding failed ({what}): {said}",
    fix_zh="请重试；如仍失败，请运行 'kiosk doctor' 并将日志发送给技术支持",
    fix_en="try again; if it keeps failing, run 'kiosk doctor' and send the log to support")

# --- where the clip is written ---------------------------------------------------------------

DISK_FULL = Text(
    "media.disk_full",
    zh="{folder} 所在磁盘空间不足",
    en="no space left on the disk holding {folder}",
    fix_zh="请清理磁盘空间（5 秒视频约需 2 MB）后重试",
    fix_en="free some disk space (a 5 s clip needs about 2 MB) and try again")
DISK_FULL_FREE = Text(
    "media.disk_full_free",
    zh="{folder} 所在磁盘空间不足（剩余 {kib} KiB）",
    en="no space left on the disk holding {folder} ({kib} KiB free)",
    fix_zh="请清理磁盘空间（5 秒视频约需 2 MB）后重试",
    fix_en="free some disk space (a 5 s clip needs about 2 MB) and try again")
FILE_SIZE_LIMIT = Text(
    "media.file_size_limit",
    zh="视频写入 {folder} 时达到了进程的文件大小上限（RLIMIT_FSIZE，'ulimit -f'）",
    en="the clip hit the file-size limit (RLIMIT_FSIZE, 'ulimit -f') while being written to "
       "{folder}",
    fix_zh="请提高 kiosk 用户或服务的文件大小上限（'ulimit -f unlimited'；systemd："
           "LimitFSIZE=infinity），或录制到允许几 MB 文件的文件系统",
    fix_en="raise the limit for the kiosk's user or service ('ulimit -f unlimited'; "
           "systemd: LimitFSIZE=infinity), or record to a file system that allows files of a "
           "few MB")
FILE_SIZE_LIMIT_OF = Text(
    "media.file_size_limit_of",
    zh="视频写入 {folder} 时达到了进程的文件大小上限（{limit} 字节）（RLIMIT_FSIZE，'ulimit -f'）",
    en="the clip hit the file-size limit of {limit} bytes (RLIMIT_FSIZE, 'ulimit -f') while "
       "being written to {folder}",
    fix_zh="请提高 kiosk 用户或服务的文件大小上限（'ulimit -f unlimited'；systemd："
           "LimitFSIZE=infinity），或录制到允许几 MB 文件的文件系统",
    fix_en="raise the limit for the kiosk's user or service ('ulimit -f unlimited'; "
           "systemd: LimitFSIZE=infinity), or record to a file system that allows files of a "
           "few MB")
# {reason} is the system's (English) word for it.
OUTPUT_UNWRITABLE = Text(
    "media.output_unwritable",
    zh="无法将视频写入 {path}：{reason}",
    en="cannot write the clip to {path}: {reason}",
    fix_zh="请选择一个已存在且有写入权限的文件夹中的文件",
    fix_en="choose a file in an existing folder you may write to")

# --- the recording ---------------------------------------------------------------------------

RECORDING_CANCELLED = Text("media.recording_cancelled", zh="录制已取消", en="recording cancelled")
