"""What the top-level modules (errors, inputs, resources, supervisor) say, in both languages."""

from __future__ import annotations

from kiosk.texts import Text

# --- kiosk.errors: the errors every layer raises ------------------------------------------

# {entry} is the code's catalog entry (kiosk.api.codes.CodeEntry), {message} what the server said.
SERVICE_REFUSED = Text(
    "core.service_refused",
    zh="服务返回错误码 {code}（{entry.zh}；服务器消息：{message}）",
    en="service refused with code {code} ({entry.en}; server said: {message})",
    fix_zh="{entry.action_zh}",
    fix_en="{entry.action_en}")
NOT_RECORDED = Text(
    "core.not_recorded",
    zh="未记录（not recorded）：本次核验未写入审计日志",
    en="not recorded (未记录): this verification is not in the audit log",
    fix_zh="请手工记下结果并告知工作人员；清理磁盘空间或修复数据文件夹权限后运行 'kiosk doctor'",
    fix_en="note the result by hand and tell the operator; free disk space or fix the data "
           "folder's permissions, then run 'kiosk doctor'")
# {why} has the reason in both languages (.en, .zh): a Message, or the texts a caller gave.
NOT_RECORDED_BECAUSE = Text(
    "core.not_recorded_because",
    zh="未记录（not recorded）：本次核验未写入审计日志（{why.zh}）",
    en="not recorded (未记录): this verification is not in the audit log ({why.en})",
    fix_zh="请手工记下结果并告知工作人员；清理磁盘空间或修复数据文件夹权限后运行 'kiosk doctor'",
    fix_en="note the result by hand and tell the operator; free disk space or fix the data "
           "folder's permissions, then run 'kiosk doctor'")
CANCELLED = Text(
    "core.cancelled",
    zh="已取消",
    en="cancelled")

# --- kiosk.inputs: a path that is not a file the kiosk will read ---------------------------

# {what} is what the file should be (.en, .zh: "photo", "照片"); {why} one of the reasons below;
# {fix} one of the fixes below.
FILE = Text("core.file", zh="文件", en="file")  # {what} when the caller names nothing better
CANNOT_READ_INPUT = Text(
    "core.cannot_read_input",
    zh="无法读取{what.zh} {path}：{why.zh}",
    en="cannot read the {what.en} {path}: {why.en}",
    fix_zh="{fix.zh}",
    fix_en="{fix.en}")

# Why: what the path is.
IS_DEVICE = Text("core.is_device", zh="这是设备，不是文件", en="it is a device, not a file")
IS_PIPE = Text("core.is_pipe", zh="这是命名管道，不是文件", en="it is a named pipe, not a file")
IS_SOCKET = Text("core.is_socket", zh="这是套接字，不是文件", en="it is a socket, not a file")
IS_FOLDER = Text("core.is_folder", zh="这是文件夹，不是文件", en="it is a folder, not a file")
IS_NOT_REGULAR = Text("core.is_not_regular", zh="这不是普通文件", en="it is not a regular file")
IS_LINK = Text("core.is_link", zh="这是符号链接，此处不跟随链接",
               en="it is a symbolic link, which is not followed here")
IS_MISSING = Text("core.is_missing", zh="文件不存在", en="no such file")
IS_DENIED = Text("core.is_denied", zh="没有读取权限", en="permission denied")
IS_EMPTY = Text("core.is_empty", zh="文件是空的", en="it is empty")
# {limit} and {size} are sizes as read ("6 MB").
IS_TOO_LARGE = Text("core.is_too_large", zh="文件超过 {limit}", en="it is larger than {limit}")
IS_TOO_LARGE_AT = Text("core.is_too_large_at", zh="文件超过 {limit}（{size}）",
                       en="it is larger than {limit} ({size})")

# What to do.
GIVE_A_KIND_OF_FILE = Text("core.give_a_kind_of_file", zh="请给出保存为普通文件的{what.zh}路径",
                           en="give the path of a {what.en} saved as an ordinary file on disk")
GIVE_A_FILE = Text("core.give_a_file", zh="请给出磁盘上普通文件的路径",
                   en="give the path of an ordinary file on disk")
CHECK_THE_FILE = Text("core.check_the_file", zh="请检查文件名和权限",
                      en="check the file name and its permissions")
USE_A_SMALLER_FILE = Text("core.use_a_smaller_file", zh="请换用更小的文件", en="use a smaller file")
USE_SMALLER_MEDIA = Text("core.use_smaller_media",
                         zh="服务每个请求最多 6 MB：请换用更小的照片或更短的视频",
                         en="the service takes at most 6 MB per request: use a smaller photo or "
                            "a shorter clip")

# --- kiosk.resources: the bundled files ---------------------------------------------------

ASSET_NAME_NOT_PLAIN = Text(
    "core.asset_name_not_plain",
    zh="资源文件名 {name!r} 必须是资源目录内的相对名称",
    en="asset name {name!r} must be a plain name inside the assets folder",
    fix_zh="请使用如 'sample_clip.mp4' 的文件名",
    fix_en="give a name such as 'sample_clip.mp4'")
ASSET_MISSING = Text(
    "core.asset_missing",
    zh="缺少内置文件 {name}（应位于 {folder}）",
    en="the bundled file {name} is missing from {folder}",
    fix_zh="请重新安装本程序，或恢复源码目录中的 assets/ 文件夹",
    fix_en="reinstall the kiosk, or restore the assets/ folder of the source checkout")

# --- kiosk.supervisor: the window that keeps crashing -------------------------------------

CRASH_LOOP = Text(
    "core.crash_loop",
    zh="窗口在 {window:.0f} 秒内崩溃 {crashes} 次，不再重启",
    en="the window crashed {crashes} times within {window:.0f} s; not restarting it",
    fix_zh="日志文件中有每次崩溃的堆栈；可运行 'kiosk doctor' 检查",
    fix_en="the log file has each crash's stack; 'kiosk doctor' checks the setup")

# --- kiosk.endpoint: the service's address ----------------------------------------------------
NOT_AN_ENDPOINT = Text("core.not_an_endpoint", zh="不是带主机名的 http(s) 地址",
                       en="is not an http(s) URL with a host name")
ENDPOINT_REFUSED = Text(
    "core.endpoint_refused",
    zh="服务地址 {url!r} 不是带主机名的 http(s) 地址",
    en="endpoint {url!r} is not an http(s) URL with a host name",
    fix_zh="请填写如 {example} 的地址",
    fix_en="give a URL such as {example}")
