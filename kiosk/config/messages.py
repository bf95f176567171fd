"""The messages of kiosk.config: settings, secrets, the audit log, the consent notice."""

from __future__ import annotations

from kiosk.texts import Text

NOTICE_NOT_TOML = Text(
    "config.notice_not_toml",
    "告知同意书文件 {path} 不是有效的 TOML（{why}）",
    "the consent notice {path} is not valid TOML ({why})",
    "请按 docs/consent.md 的格式填写：version、zh、en 三项",
    "write it as docs/consent.md shows: version, zh and en")
NOTICE_INCOMPLETE = Text(
    "config.notice_incomplete",
    "告知同意书文件 {path} 缺少：{keys}",
    "the consent notice {path} lacks: {keys}",
    "请补全 version、zh、en 三项，或清空 consent_notice 以使用内置文本",
    "give version, zh and en, or clear consent_notice to use the built-in notice")
NOTICE_BAD_VERSION = Text(
    "config.notice_bad_version",
    "告知同意书文件 {path} 的 version 过长或含控制字符（最多 {limit} 个字符）",
    "the consent notice {path} has a version that is too long or not printable (at most "
    "{limit} characters)",
    "请使用简短的版本号，如 bank-2026-12",
    "use a short version such as bank-2026-12")

# The built-in notice (kiosk.config.consent.BUILT_IN), shown when consent_notice is empty.
NOTICE_BUILT_IN = Text(
    "config.notice_built_in",
    zh=(
        "在开始之前，请了解本次核验如何使用您的信息：\n\n"
        "• 采集什么：您的身份证号码和姓名，以及一段您朗读四位数字的短视频（含面部和声音）。\n"
        "• 为什么：用于核实您是否为证件本人。\n"
        "• 交给谁：视频和证件信息通过加密连接发送给人脸核身服务（腾讯云），"
        "由其与公安身份信息比对，只用于本次核验。\n"
        "• 保存多久：本机在本次核验结束时即删除视频；本机只保留结果和遮掩后的证件号码，"
        "用于查询和争议处理。\n"
        "• 您可以拒绝：选择“不同意”后不会开启摄像头，请到柜台由工作人员为您核验身份。"
    ),
    en=(
        "Before we start, here is how this check uses your information:\n\n"
        "• What is collected: your ID number and name, and a short video of you reading four "
        "digits aloud (your face and voice).\n"
        "• Why: to confirm that you are the person on the ID.\n"
        "• Who receives it: the video and ID details go over an encrypted connection to the face "
        "verification service (Tencent Cloud), which compares them with the national ID record, "
        "for this check only.\n"
        "• How long it is kept: this kiosk deletes the video when the check ends; it keeps only "
        "the result and a masked ID number, for enquiries and disputes.\n"
        "• You may decline: if you choose \"I decline\", the camera is not turned on, and staff "
        "at the counter will check your identity instead."
    ))
# What the notice file is called when it cannot be read (kiosk.inputs).
NOTICE_FILE = Text("config.notice_file", zh="告知同意书", en="consent notice")

# --- kiosk.config.schema: a value a setting refuses -------------------------------------------

# {setting} is the Setting (.key, .help_en, .help_zh); {raw} the value as given (masked for
# secrets); {why} one of the reasons below (.en, .zh).
SETTING_REFUSED = Text(
    "config.setting_refused",
    zh="{setting.key} = {raw!r} 无效：{why.zh}",
    en="{setting.key} = {raw!r} refused: {why.en}",
    fix_zh="请填写有效的值（{setting.help_zh}）",
    fix_en="give a valid value ({setting.help_en})")
MUST_BE_BETWEEN = Text("config.must_be_between", zh="应在 {low:g} 到 {high:g} 之间",
                       en="must be between {low:g} and {high:g}")
MUST_BE_ONE_OF = Text("config.must_be_one_of", zh="只能是 {allowed} 之一",
                      en="must be one of {allowed}")
MUST_BE_PIN = Text("config.must_be_pin", zh="应为 4 到 12 位数字", en="must be 4 to 12 digits")
MUST_MATCH = Text("config.must_match", zh="格式不对（{setting.help_zh}）",
                  en="does not look right ({setting.help_en})")
MUST_NOT_BE_EMPTY = Text("config.must_not_be_empty", zh="不能为空", en="must not be empty")
MUST_BE_WHOLE = Text("config.must_be_whole", zh="应为整数", en="must be a whole number")
MUST_BE_NUMBER = Text("config.must_be_number", zh="应为数字", en="must be a number")
UNKNOWN_SETTING = Text(
    "config.unknown_setting",
    zh="没有名为 {key!r} 的设置",
    en="unknown setting {key!r}",
    fix_zh="可用的键见 'kiosk config show'（检查阈值：thresholds.<名称>）",
    fix_en="see 'kiosk config show' for the keys (check thresholds: thresholds.<name>)")
# The help of a thresholds.NAME setting; {name} is the constant's name (upper case).
THRESHOLD_HELP = Text("config.threshold_help", zh="本地检查阈值 {name} 的覆盖值",
                      en="override of checks threshold {name}")

# --- kiosk.config.store: the settings file ---------------------------------------------------

SETTINGS_FILE = Text("config.settings_file", zh="设置文件", en="settings file")
# What to do about a settings file that is not an ordinary file (the problem is kiosk.inputs').
MOVE_ODD_SETTINGS_FILE = Text(
    "config.move_odd_settings_file",
    zh="请移走它，并用 'kiosk config set' 重新设置；该位置只读取不超过 1 MB 的普通文件",
    en="move it away and set the values again with 'kiosk config set'; only an ordinary file of "
       "at most 1 MB is read there")
# {where} in the messages below (.en, .zh): the file, or the file and a line of it.
AT_LINE = Text("config.at_line", zh="{path} 第 {line} 行", en="{path}, line {line}")
_FIX_DAMAGED_ZH = "请手动修正该行，或移走该文件后用 'kiosk config set' 重新设置；程序不会覆盖它"
_FIX_DAMAGED_EN = ("correct that line by hand, or move the file away and set the values again "
                   "with 'kiosk config set'; the kiosk does not overwrite it")
SETTINGS_UNREADABLE = Text(
    "config.settings_unreadable",
    zh="设置文件 {where.zh} 有误：无法读取（{kind}）",
    en="settings file {where.en} cannot be read ({kind})",
    fix_zh=_FIX_DAMAGED_ZH, fix_en=_FIX_DAMAGED_EN)
SETTINGS_NOT_TOML = Text(
    "config.settings_not_toml",
    zh="设置文件 {where.zh} 有误：不是有效的 TOML（{error}）",
    en="settings file {where.en} is not valid TOML: {error}",
    fix_zh=_FIX_DAMAGED_ZH, fix_en=_FIX_DAMAGED_EN)
SETTINGS_HOLD_SECRET = Text(
    "config.settings_hold_secret",
    zh="设置文件 {where.zh} 有误：以明文保存了 secret_key",
    en="settings file {where.en} holds secret_key in plain text",
    fix_zh="请删除该行，并用 'kiosk config set secret_key -' 保存密钥",
    fix_en="remove that line and store the key with 'kiosk config set secret_key -'")
SETTINGS_NOT_A_HASH = Text(
    "config.settings_not_a_hash",
    zh="设置文件 {where.zh} 有误：{key} 不是保存的哈希值",
    en="settings file {where.en} {key} is not a stored hash",
    fix_zh="请删除该行并运行 'kiosk config set {key} -'",
    fix_en="remove that line and run 'kiosk config set {key} -'")
# {error} is the setting's refusal (a ConfigError: .en, .zh).
SETTINGS_BAD_VALUE = Text(
    "config.settings_bad_value",
    zh="设置文件 {where.zh} 有误：{error.zh}",
    en="settings file {where.en} has a bad value: {error.en}",
    fix_zh=_FIX_DAMAGED_ZH, fix_en=_FIX_DAMAGED_EN)

# --- kiosk.config.secrets: the secret key ----------------------------------------------------

SECRET_FILE = Text("config.secret_file", zh="密钥文件", en="secret file")
# Said once, when the secret first goes to the file.
SECRET_IN_FILE = Text(
    "config.secret_in_file",
    zh="没有可用的系统密钥环：SecretKey 保存在 {path}（仅当前用户可读，0600）；建议安装并解锁系统密钥环",
    en="no usable system keyring: the secret key is kept in {path}, readable only by this user "
       "(0600); install and unlock a keyring (Secret Service, KWallet, Windows Credential "
       "Manager, macOS Keychain) to keep it there instead")
# The same, for the key a kiosk got when it joined a fleet (kiosk.fleet.membership).
FLEET_KEY_IN_FILE = Text(
    "config.fleet_key_in_file",
    zh="没有可用的系统密钥环：本机的车队密钥保存在 {path}（仅当前用户可读，0600）；建议安装并解锁系统密钥环",
    en="no usable system keyring: this kiosk's fleet key is kept in {path}, readable only by this "
       "user (0600); install and unlock a keyring (Secret Service, KWallet, Windows Credential "
       "Manager, macOS Keychain) to keep it there instead")
SECRET_FILE_UNREADABLE = Text(
    "config.secret_file_unreadable",
    zh="无法读取密钥文件 {path}（{kind}: {error}）",
    en="the secret file {path} cannot be read ({kind}: {error})",
    fix_zh="请用 'kiosk config set secret_key -' 重新保存密钥",
    fix_en="store the key again with 'kiosk config set secret_key -'")
SECRET_FILE_IS_LINK = Text(
    "config.secret_file_is_link",
    zh="密钥文件 {path} 是符号链接；程序不会跟随它，因为把密钥设为仅本人可读（0600）会改变链接所指文件的权限",
    en="the secret file {path} is a symbolic link; the kiosk does not follow it, because making "
       "the secret private (0600) would change the permissions of the file it points to",
    fix_zh="请把文件本身放在 {path}（将链接所指的文件移到该处），或删除该链接后用 "
           "'kiosk config set secret_key -' 重新保存密钥",
    fix_en="put the file itself at {path} (move the link's target there), or remove the link "
           "and store the key again with 'kiosk config set secret_key -'")
# What to do about a secret file that is not an ordinary file (the problem is kiosk.inputs').
REMOVE_SECRET_FILE = Text(
    "config.remove_secret_file",
    zh="请删除它，并用 'kiosk config set secret_key -' 重新保存密钥",
    en="remove it and store the key again with 'kiosk config set secret_key -'")
_FIX_KEYRING_ZH = "请解锁系统密钥环（登录桌面会话）或设置环境变量 KIOSK_SECRET_KEY"
_FIX_KEYRING_EN = "unlock the keyring (log in to the desktop session) or set KIOSK_SECRET_KEY"
KEYRING_CANNOT_READ = Text(
    "config.keyring_cannot_read",
    zh="系统密钥环无法读取 SecretKey（{kind}）",
    en="the system keyring could not read the secret key ({kind})",
    fix_zh=_FIX_KEYRING_ZH, fix_en=_FIX_KEYRING_EN)
KEYRING_CANNOT_DELETE = Text(
    "config.keyring_cannot_delete",
    zh="系统密钥环无法删除 SecretKey（{kind}）",
    en="the system keyring could not delete the secret key ({kind})",
    fix_zh=_FIX_KEYRING_ZH, fix_en=_FIX_KEYRING_EN)

# --- kiosk.config.audit: the audit log -------------------------------------------------------

AUDIT_TOO_NEW = Text(
    "config.audit_too_new",
    zh="审计日志 {path} 由更新版本的程序写入（schema {version}）",
    en="the audit log {path} was written by a newer kiosk (schema {version})",
    fix_zh="请升级程序，或移走该文件以新建审计日志",
    fix_en="update the kiosk, or move the file away to start a new log")
AUDIT_UNUSABLE = Text(
    "config.audit_unusable",
    zh="无法使用审计日志 {path}（{kind}: {error}）",
    en="the audit log {path} cannot be used ({kind}: {error})",
    fix_zh="请检查磁盘和文件权限；若文件已损坏，请将其移走（程序不会自动覆盖）",
    fix_en="check the disk and the file's permissions; if it is damaged, move it away (it is not "
           "replaced automatically)")
CANNOT_WRITE_EXPORT = Text(
    "config.cannot_write_export",
    zh="无法写入 {path}（{kind}: {error}）",
    en="cannot write {path} ({kind}: {error})",
    fix_zh="请选择有写权限的文件夹",
    fix_en="choose a folder you can write to")

# --- kiosk.config.pending and workspace: one verification's folder ---------------------------

# In the log line about a verification the kiosk stopped during.
INTERRUPTED = Text("config.interrupted", zh="核验被中断", en="the kiosk stopped during it")
NO_SESSION_FOLDER = Text(
    "config.no_session_folder",
    zh="无法在 {root} 创建会话临时文件夹（{kind}）",
    en="cannot create the private session folder in {root} ({kind})",
    fix_zh="请检查磁盘空间和文件夹写权限",
    fix_en="check that the disk is not full and the folder is writable")

# --- kiosk.config.doctor: the lines of 'kiosk doctor' ----------------------------------------

FFMPEG_MISSING = Text(
    "config.ffmpeg_missing",
    zh="未找到 ffmpeg",
    en="ffmpeg not found",
    fix_zh="请安装 ffmpeg（Debian：apt-get install ffmpeg）或 pip install imageio-ffmpeg",
    fix_en="install it (Debian: apt-get install ffmpeg) or pip install imageio-ffmpeg")
FFMPEG_DOES_NOT_RUN = Text(
    "config.ffmpeg_does_not_run",
    zh="{exe} 无法运行（{kind}）",
    en="{exe} does not run ({kind})",
    fix_zh="请重新安装 ffmpeg",
    fix_en="reinstall ffmpeg")
# {label} in the device lines (.en, .zh).
CAMERAS = Text("config.cameras", zh="摄像头", en="cameras")
MICROPHONES = Text("config.microphones", zh="麦克风", en="microphones")
# What to do about a file:PATH camera or microphone whose file is missing (the line is the setting).
DEVICE_FILE_MISSING = Text(
    "config.device_file_missing",
    zh="文件不存在：请修改 '{key}'",
    en="the file does not exist: fix '{key}'")
MIC_LEVEL_CHECK = Text("config.mic_level_check", zh="麦克风声音", en="microphone level")
# {level} in dBFS (RMS over one second), {latency} the measured input latency in ms.
MIC_LEVEL = Text(
    "config.mic_level",
    zh="{spec}（{device}）：1 秒录音电平 {level:.0f} dBFS，输入延迟 {latency:.0f} ms",
    en="{spec} ({device}): {level:.0f} dBFS over 1 s, input latency {latency:.0f} ms")
MIC_TOO_QUIET = Text(
    "config.mic_too_quiet",
    zh="{spec}（{device}）：1 秒录音电平仅 {level:.0f} dBFS，几乎听不到声音",
    en="{spec} ({device}): only {level:.0f} dBFS over 1 s, hardly any sound",
    fix_zh="请检查麦克风是否静音、音量是否调低，或在 'mic' 设置中选择其他麦克风",
    fix_en="check that the microphone is not muted or turned down, or choose another in 'mic'")
CANNOT_LIST_DEVICES = Text(
    "config.cannot_list_devices",
    zh="无法列出{label.zh}（{error}）",
    en="cannot list {label.en} ({error})",
    fix_zh="请检查媒体库（libportaudio2、OpenCV）",
    fix_en="check the media libraries (libportaudio2, OpenCV)")
# {seen} is what listing the devices noted (" (...)"), or nothing.
NO_DEVICES = Text(
    "config.no_devices",
    zh="未找到{label.zh}{seen}",
    en="no {label.en} found{seen}",
    fix_zh="请连接设备并检查权限，然后设置 '{key}'",
    fix_en="plug one in and check its permissions, then set '{key}'")
DISPLAY_OFFSCREEN = Text(
    "config.display_offscreen",
    zh="QT_QPA_PLATFORM=offscreen：界面不会显示",
    en="QT_QPA_PLATFORM=offscreen: the GUI draws nowhere",
    fix_zh="如需显示界面请取消 QT_QPA_PLATFORM",
    fix_en="unset QT_QPA_PLATFORM to show the GUI")
NO_DISPLAY = Text(
    "config.no_display",
    zh="没有 DISPLAY/WAYLAND_DISPLAY：无法启动界面（命令行可用）",
    en="no DISPLAY or WAYLAND_DISPLAY: the GUI cannot start (command-line use works)",
    fix_zh="请在桌面会话中启动，或测试时用 xvfb-run",
    fix_en="start the kiosk in a desktop session, or under xvfb-run for a test")
DISPLAY_NOT_ANSWERING = Text(
    "config.display_not_answering",
    zh="显示器 {display} 无法连接：界面无法启动",
    en="the display {display} does not answer: the GUI cannot start",
    fix_zh="请确认桌面会话（X 或 Wayland）正在运行且 DISPLAY 指向它；没有屏幕时可用 'xvfb-run kiosk gui'",
    fix_en="check that the desktop session (X or Wayland) is running and DISPLAY names it; "
           "without a screen, use 'xvfb-run kiosk gui'")
SETTINGS_NOT_CREATED = Text("config.settings_not_created", zh="{path}（尚未创建）",
                            en="{path} (not created yet)")
NO_KEYRING = Text(
    "config.no_keyring",
    zh="无可用密钥环；{where}（0600）",
    en="no usable keyring; {where} (0600)",
    fix_zh="建议安装并解锁系统密钥环",
    fix_en="install and unlock a system keyring to keep the key there")
ENDPOINT_TLS_FAILED = Text(
    "config.endpoint_tls_failed",
    zh="{endpoint} 的 TLS 校验失败：{error}",
    en="TLS failed for {endpoint}: {error}",
    fix_zh="请检查本机时间和 CA 证书（拦截 TLS 的代理需要安装其 CA）",
    fix_en="check the machine's date and the CA certificates (a proxy that intercepts TLS needs "
           "its CA installed)")
ENDPOINT_UNREACHABLE = Text(
    "config.endpoint_unreachable",
    zh="无法连接 {endpoint}（{kind}）",
    en="{endpoint} unreachable ({kind})",
    fix_zh="请检查网络、代理设置和 'endpoint' 设置",
    fix_en="check the network, proxy settings and the 'endpoint' setting")
ENDPOINT_HTTPS = Text(
    "config.endpoint_https",
    zh="{endpoint} 可访问（HTTP {status}）；TLS 证书有效",
    en="{endpoint} answers (HTTP {status}); TLS certificate verified")
ENDPOINT_LOOPBACK = Text(
    "config.endpoint_loopback",
    zh="{endpoint} 可访问（HTTP {status}；本机 http）",
    en="{endpoint} answers (HTTP {status}; plain http on loopback)")
ENDPOINT_PLAIN_HTTP = Text(
    "config.endpoint_plain_http",
    zh="{endpoint} 使用明文 http（HTTP {status}）：人脸和身份证号码未加密传输",
    en="{endpoint} answers (HTTP {status}), but over plain http: faces and ID numbers travel "
       "unencrypted",
    fix_zh="请使用 https:// 地址",
    fix_en="use an https:// endpoint")
NO_DATE_HEADER = Text(
    "config.no_date_header",
    zh="服务器未返回 Date，无法判断时钟偏差",
    en="the server sent no Date header; skew unknown",
    fix_zh="请保持时钟同步（NTP）",
    fix_en="keep the clock synchronised (NTP)")
BAD_DATE_HEADER = Text(
    "config.bad_date_header",
    zh="无法解析 Date 头 {date!r}",
    en="unreadable Date header {date!r}",
    fix_zh="请保持时钟同步（NTP）",
    fix_en="keep the clock synchronised (NTP)")
# {direction} in the clock lines (.en, .zh).
AHEAD_OF = Text("config.ahead_of", zh="快于", en="ahead of")
BEHIND = Text("config.behind", zh="慢于", en="behind")
_FIX_CLOCK_ZH = "请开启时间同步（timedatectl set-ntp true；Windows：设置 > 时间）"
_FIX_CLOCK_EN = "turn on time synchronisation (timedatectl set-ntp true; Windows: Settings > Time)"
CLOCK_OFF = Text(
    "config.clock_off",
    zh="本机时钟{direction.zh}服务器 {seconds:.0f} 秒",
    en="this machine is {seconds:.0f} s {direction.en} the server",
    fix_zh=_FIX_CLOCK_ZH, fix_en=_FIX_CLOCK_EN)
CLOCK_TOO_FAR_OFF = Text(
    "config.clock_too_far_off",
    zh="本机时钟{direction.zh}服务器 {seconds:.0f} 秒：签名会被拒绝（错误码 9）",
    en="this machine is {seconds:.0f} s {direction.en} the server: signatures will be refused "
       "(code 9)",
    fix_zh=_FIX_CLOCK_ZH, fix_en=_FIX_CLOCK_EN)
CLOCK_CLOSE = Text(
    "config.clock_close",
    zh="与服务器相差 {skew:+.1f} 秒（{limit:.0f} 秒以内）",
    en="within {limit:.0f} s of the server ({skew:+.1f} s, Date has 1 s resolution)")
# {env} is the setting's environment variable (KIOSK_APPID, ...).
SIGNATURE_NOT_TESTED = Text(
    "config.signature_not_tested",
    zh="未测试：缺少 {names}",
    en="not tested: {names} not set",
    fix_zh="请运行 kiosk config set {key} ...（或设置 {env}）",
    fix_en="kiosk config set {key} ... (or {env})")
# {error} is the client's KioskError (.en, .zh, .fix_en, .fix_zh).
SIGNATURE_REFUSED = Text(
    "config.signature_refused",
    zh="livegetfour 失败：{error.zh}",
    en="livegetfour refused: {error.en}",
    fix_zh="{error.fix_zh}",
    fix_en="{error.fix_en}")
SIGNATURE_ACCEPTED = Text(
    "config.signature_accepted",
    zh="签名有效（livegetfour 返回 {count} 位数字）",
    en="accepted (livegetfour returned {count} digits)")
NOTICE_IN_USE = Text("config.notice_in_use", zh="{where.zh}（版本 {version}）",
                     en="{where.en} (version {version})")
NOTICE_BUILT_IN_NAME = Text("config.notice_built_in_name", zh="内置告知书", en="the built-in notice")

# --- kiosk.config.doctor_media: a camera frame and a microphone level -------------------------

CAMERA_FRAME = Text("config.camera_frame", zh="{camera}：画面 {width}x{height}，平均亮度 {luma:.0f}",
                    en="{camera}: a {width}x{height} picture, mean brightness {luma:.0f}")
CAMERA_NO_FRAME = Text(
    "config.camera_no_frame",
    zh="{camera} 在 {seconds:.0f} 秒内没有给出画面",
    en="{camera} gave no picture within {seconds:.0f} s",
    fix_zh="请关闭占用摄像头的其他程序，重新插拔摄像头，或在设置中换一个摄像头",
    fix_en="close other programs that use the camera, plug it in again, or choose another camera "
           "in the settings")
CAMERA_DARK = Text(
    "config.camera_dark",
    zh="{camera}：画面太暗（平均亮度 {luma:.0f}）",
    en="{camera}: the picture is very dark (mean brightness {luma:.0f})",
    fix_zh="请取下镜头盖，并让人脸前方有充足光线",
    fix_en="take off the lens cover and light the place where the face will be")
