"""What the ``kiosk`` commands say, in both languages (argparse help stays English, inline)."""

from __future__ import annotations

from kiosk.texts import Text

# --- shared by several commands -------------------------------------------------------------

# The person in the help's examples (the sample person of assets/people.json).
SAMPLE_NAME = Text("cli.sample_name", zh="王芳", en="Wang Fang")
# The service's name, in the top-level description.
API_NAME = Text("cli.api_name", zh="人脸核身", en="face verification")
# The last line of defence in kiosk.cli.main, printed in both languages: "internal error (内部错误)".
INTERNAL_ERROR = Text(
    "cli.internal_error",
    zh="内部错误",
    en="internal error",
    fix_zh="详情已写入日志文件，请报告技术支持",
    fix_en="the details are in the log file; please report it to support")
MISSING_CREDENTIALS = Text(
    "cli.missing_credentials",
    zh="缺少凭据：{names}",
    en="missing credentials: {names}",
    fix_zh="请通过参数、环境变量或 'kiosk config set' 设置",
    fix_en="set them as flags, environment variables or with 'kiosk config set'")
NOT_A_THRESHOLD = Text(
    "cli.not_a_threshold",
    zh="thresholds.{name} 不是本地检查的阈值",
    en="thresholds.{name} is not a threshold of the local checks",
    fix_zh="请用 'kiosk config unset' 删除它（名称见 kiosk/checks/thresholds.py）",
    fix_en="remove it with 'kiosk config unset' (names: kiosk/checks/thresholds.py)")
# {rates} is the FALSE_ACCEPTS of each threshold, joined.
SIMILARITY_LINE = Text(
    "cli.similarity_line",
    zh="  相似度 {similarity:g}，阈值 {threshold:g}（{rates}）",
    en="  similarity {similarity:g}, threshold {threshold:g} ({rates})")
FALSE_ACCEPTS = Text(
    "cli.false_accepts",
    zh="{threshold} 约{rate.zh}误识",
    en="{threshold}: about {rate.en} false accepts")
# A finding's severity, as kiosk check and kiosk verify print it.
SEVERITY_BLOCK = Text("cli.severity_block", zh="阻止", en="BLOCK")
SEVERITY_WARN = Text("cli.severity_warn", zh="提醒", en="WARN")

# --- kiosk code and the connection flags ------------------------------------------------------

NOT_POSITIVE_SECONDS = Text(
    "cli.not_positive_seconds",
    zh="{flag} 必须是正的秒数，而不是 {value:g}",
    en="{flag} must be a positive number of seconds, not {value:g}",
    fix_zh="例如 {flag} 10",
    fix_en="give e.g. {flag} 10")
RETRIES_OUT_OF_RANGE = Text(
    "cli.retries_out_of_range",
    zh="--retries 必须在 0 到 10 之间，而不是 {retries}",
    en="--retries must be 0 to 10, not {retries}",
    fix_zh="例如 --retries 3",
    fix_en="give e.g. --retries 3")

# --- kiosk verify -------------------------------------------------------------------------------

CARD_OR_IDENTITY = Text(
    "cli.card_or_identity",
    zh="请给出 --card 文件，或 --id-number 和 --name（二选一）",
    en="give either --card FILE, or --id-number and --name (not both, not neither)",
    fix_zh="参见 'kiosk verify video --help'",
    fix_en="see 'kiosk verify video --help'")
IDENTITY_TOGETHER = Text(
    "cli.identity_together",
    zh="--id-number 和 --name 需同时给出",
    en="--id-number and --name go together",
    fix_zh="参见 'kiosk verify video --help'",
    fix_en="see 'kiosk verify video --help'")
LIVENESS_ONLY_ALONE = Text(
    "cli.liveness_only_alone",
    zh="--liveness-only 只检测活体，不比对任何人：不能同时给出 --card、--id-number 或 --name",
    en="--liveness-only checks liveness alone and compares with nobody: it takes no --card, "
       "--id-number or --name",
    fix_zh="去掉 --liveness-only 以比对身份，或去掉 --card、--id-number 和 --name",
    fix_en="drop --liveness-only to compare an identity, or drop --card, --id-number and --name")
# {flag} is --seq or --session-id, {given} what was typed.
BAD_RUN_ID = Text(
    "cli.bad_run_id",
    zh="{flag} {given!r} 不能用作核验编号",
    en="{flag} {given!r} cannot be used as a run id",
    fix_zh="请用 1 到 64 个字母、数字、'-' 或 '_'，或不写此参数（自动生成）",
    fix_en="use 1 to 64 letters, digits, '-' or '_', or leave the flag out for a fresh one")
NOT_FOUR_DIGITS = Text(
    "cli.not_four_digits",
    zh="--code {given!r} 不是 'kiosk code' 给出的数字",
    en="--code {given!r} is not the digits 'kiosk code' printed",
    fix_zh="请运行 'kiosk code' 并填入它给出的四位数字",
    fix_en="run 'kiosk code' and give its four digits")
NOT_SENT = Text(
    "cli.not_sent",
    zh="未上传：服务会拒绝这次核验，请按上面的提示处理后重试。",
    en="NOT SENT: the service would refuse this; fix what is listed above and try again (or "
       "--no-check to let the service judge).")
VERDICT_PASSED = Text("cli.verdict_passed", zh="【通过】", en="PASSED: ")
VERDICT_FAILED = Text("cli.verdict_failed", zh="【未通过】", en="FAILED: ")
# {message} is the reply's, or a dash.
LIVENESS_STATUS = Text(
    "cli.liveness_status",
    zh="  活体检测：{status}（{message}）",
    en="  liveness: {status} ({message})")
COMPARISON_STATUS = Text(
    "cli.comparison_status",
    zh="  人脸比对：{status}（{message}）",
    en="  comparison: {status} ({message})")

# --- kiosk check --------------------------------------------------------------------------------

NOTHING_TO_CHECK = Text(
    "cli.nothing_to_check",
    zh="没有要检查的内容：请给出文件，或 --id-number 和 --name",
    en="nothing to check: give a FILE, or --id-number and --name",
    fix_zh="参见 'kiosk check --help'",
    fix_en="see 'kiosk check --help'")
CARD_WITH_A_PHOTO = Text(
    "cli.card_with_a_photo",
    zh="--card 只能与视频一起使用",
    en="--card goes with a clip, not a photo",
    fix_zh="请去掉 --card，或给出视频",
    fix_en="drop --card, or give a clip")
ROLE_WITH_A_CLIP = Text(
    "cli.role_with_a_clip",
    zh="--role 只能与照片一起使用",
    en="--role goes with a photo, not a clip",
    fix_zh="请去掉 --role，或用 --card 给出证件照",
    fix_en="drop --role, or give the card photo with --card")
MEASURED = Text("cli.measured", zh="测得", en="measured")
LIMIT = Text("cli.limit", zh="限值", en="limit")
CHECK_PASSED_ONE_WARNING = Text(
    "cli.check_passed_one_warning",
    zh="通过：没有会被服务拒绝的问题（{count} 条提醒）。",
    en="OK: nothing the service would refuse ({count} warning).")
CHECK_PASSED = Text(
    "cli.check_passed",
    zh="通过：没有会被服务拒绝的问题（{count} 条提醒）。",
    en="OK: nothing the service would refuse ({count} warnings).")
CHECK_BLOCKED = Text(
    "cli.check_blocked",
    zh="未通过：上传会被服务拒绝，请按上面的提示处理后重试。",
    en="BLOCKED: the service would refuse this; fix what is listed above and try again.")

# --- kiosk demo ---------------------------------------------------------------------------------

NO_SUCH_PERSON = Text(
    "cli.no_such_person",
    zh="{index} 中没有 {key!r}",
    en="no person {key!r} in {index}",
    fix_zh="请使用 assets/people.json 中的 key（sample、other）",
    fix_en="use one of the keys in assets/people.json (sample, other)")
PEOPLE_UNREADABLE = Text(
    "cli.people_unreadable",
    zh="无法读取 {index}（{error}）",
    en="{index} is not readable ({error})",
    fix_zh="请从源码恢复 assets/people.json",
    fix_en="restore assets/people.json from the source checkout")
# {what} is the kind of image (.zh, .en).
IMAGE_FILE_EMPTY = Text(
    "cli.image_file_empty",
    zh="{what.zh} {path} 是空文件",
    en="the {what.en} {path} is empty",
    fix_zh="请用 --{role} 指定 JPEG 或 PNG 文件",
    fix_en="give a JPEG or PNG file with --{role}")
THRESHOLD_OUTSIDE = Text(
    "cli.threshold_outside",
    zh="--threshold {value:g} 须在 0-100 之间",
    en="--threshold {value:g} is outside 0-100")
CLIP_SECONDS_OUTSIDE = Text(
    "cli.clip_seconds_outside",
    zh="--clip-seconds {value:g} 须在 {range} 之间",
    en="--clip-seconds {value:g} is outside {range}")
COUNTDOWN_OUTSIDE = Text(
    "cli.countdown_outside",
    zh="--countdown {value} 须在 0-10 之间",
    en="--countdown {value} is outside 0-10")
FRAME_FOLDER_UNWRITABLE = Text(
    "cli.frame_folder_unwritable",
    zh="--save-frame：文件夹 {folder} 不存在或不可写",
    en="--save-frame: the folder {folder} does not exist or is not writable")
# What to do about any of the four above (they are reported together).
FIX_DEMO_OPTIONS = Text(
    "cli.fix_demo_options",
    zh="请修正；取值范围见 'kiosk demo --help'",
    en="correct it; 'kiosk demo --help' lists the ranges")
CANNOT_WRITE_FRAME = Text(
    "cli.cannot_write_frame",
    zh="无法将最佳帧写入 {path}（{reason}）",
    en="cannot write the best frame to {path} ({reason})",
    fix_zh="请为 --save-frame 指定可写文件夹中的路径",
    fix_en="give --save-frame a path in a writable folder")
STARTING_EMULATOR = Text(
    "cli.starting_emulator",
    zh="启动本地模拟服务…",
    en="starting the local emulator…")
DEMO_SETUP = Text(
    "cli.demo_setup",
    zh="模拟服务：{url}；摄像头：{camera}；麦克风：{mic}",
    en="emulator at {url}; camera {camera}; microphone {mic}")
FRAME_SAVED = Text(
    "cli.frame_saved",
    zh="最佳帧已保存：{path}",
    en="best frame saved to {path}")

# kiosk demo's console, step by step.
READ_DIGITS_ALOUD = Text(
    "cli.read_digits_aloud",
    zh="  请读出数字：{code}",
    en="  read these digits aloud: {code}")
RECORDED_SO_FAR = Text(
    "cli.recorded_so_far",
    zh="  已录制 {second}/{total:g} 秒",
    en="  recorded {second}/{total:g} s")
LOCAL_CHECKS_PASSED = Text(
    "cli.local_checks_passed",
    zh="  本地检查通过",
    en="  local checks passed")
SENT_SO_FAR = Text(
    "cli.sent_so_far",
    zh="  已上传 {percent}%（共 {total} 字节）",
    en="  sent {percent}% of {total} bytes")
FACE_PLACED = Text("cli.face_placed", zh="  面部位置合适", en="  face placed right")
LOOKING_FOR_A_FACE = Text("cli.looking_for_a_face", zh="寻找面部…", en="looking for a face…")
HINT = Text("cli.hint", zh="  提示：{hints}", en="  hint: {hints}")
OUTCOME_PASSED = Text("cli.outcome_passed", zh="通过", en="PASS")
OUTCOME_FAILED = Text("cli.outcome_failed", zh="未通过", en="FAIL")
OUTCOME_BLOCKED = Text("cli.outcome_blocked", zh="未上传", en="BLOCKED")
OUTCOME_REFUSED = Text("cli.outcome_refused", zh="被拒绝", en="REFUSED")
OUTCOME_CANCELLED = Text("cli.outcome_cancelled", zh="已取消", en="CANCELLED")
OUTCOME_ERROR = Text("cli.outcome_error", zh="错误", en="ERROR")
LIVENESS = Text("cli.liveness", zh="  活体检测：{status} {message}",
                en="  liveness: {status} {message}")
COMPARISON = Text("cli.comparison", zh="  人脸比对：{status} {message}",
                  en="  comparison: {status} {message}")
BEST_FRAME = Text(
    "cli.best_frame",
    zh="  服务返回最佳帧 {size} 字节",
    en="  best frame from the service: {size} bytes JPEG")

# --- kiosk record -------------------------------------------------------------------------------

SECONDS_OUTSIDE = Text(
    "cli.seconds_outside",
    zh="--seconds {given} 不是 {low} 到 {high} 秒之间的时长",
    en="--seconds {given} is not a length from {low} to {high} s",
    fix_zh="请给出秒数，例如 --seconds {default}（{range} 秒）",
    fix_en="give a number of seconds such as --seconds {default} ({range} s)")
SUFFIX_NOT_FORMAT = Text(
    "cli.suffix_not_format",
    zh="--out 的扩展名是 .{suffix}，但 --format 为 {format}",
    en="--out ends in .{suffix} but --format is {format}",
    fix_zh="请把文件命名为 .{format}，或去掉 --format",
    fix_en="name the file .{format}, or drop --format")
OUT_IS_A_FOLDER = Text(
    "cli.out_is_a_folder",
    zh="--out {out} 是文件夹",
    en="--out {out} is a folder",
    fix_zh="请给出文件名，例如 --out clip.mp4",
    fix_en="give a file name, such as --out clip.mp4")
OUT_EXISTS = Text(
    "cli.out_exists",
    zh="{out} 已存在",
    en="{out} already exists",
    fix_zh="如需覆盖请加 --force，或换一个文件名",
    fix_en="add --force to replace it, or choose another name")
RECORDING = Text(
    "cli.recording",
    zh="录制 {seconds:g} 秒：摄像头 {camera}，麦克风 {mic} …",
    en="recording {seconds:g} s: camera {camera}, microphone {mic} …")
RECORDING_INTERRUPTED = Text(
    "cli.recording_interrupted",
    zh="录制被中断，未写入任何文件",
    en="recording interrupted; no file was written")
# {info} is the clip's kiosk.media.probe.ClipInfo.
CLIP_WRITTEN = Text(
    "cli.clip_written",
    zh="  {megabytes:.2f} MB（{info.size} 字节），{info.duration:.2f} 秒，{info.width}x{info.height} "
       "{info.video_codec} + {info.audio_codec} {info.audio_rate} Hz，{format}",
    en="  {megabytes:.2f} MB ({info.size} bytes), {info.duration:.2f} s, {info.width}x{info.height} "
       "{info.video_codec} + {info.audio_codec} {info.audio_rate} Hz, {format}")

# --- kiosk devices ------------------------------------------------------------------------------

INFRARED = Text("cli.infrared", zh="红外", en="infrared")
VIRTUAL = Text("cli.virtual", zh="虚拟", en="virtual")
SIZES_UNKNOWN = Text("cli.sizes_unknown", zh="尺寸未知", en="sizes unknown")
DEFAULT_MIC = Text("cli.default_mic", zh="，默认", en=", default")
CAMERAS = Text("cli.cameras", zh="摄像头：", en="Cameras:")
NO_CAMERA = Text(
    "cli.no_camera",
    zh="  未找到摄像头 — 请连接摄像头；没有摄像头时可用 --camera synthetic 或 --camera file:路径",
    en="  no camera found — plug one in; without a camera, use --camera synthetic or "
       "--camera file:PATH")
MICROPHONES = Text("cli.microphones", zh="麦克风：", en="Microphones:")
NO_MICROPHONE = Text(
    "cli.no_microphone",
    zh="  未找到麦克风 — 请连接麦克风（Linux 需安装 libportaudio2）；没有麦克风时可用 "
       "--mic synthetic 或 --mic file:路径",
    en="  no microphone found — plug one in (on Linux, install libportaudio2); without one, "
       "use --mic synthetic or --mic file:PATH")
NOTE = Text("cli.note", zh="注意：{note}", en="note: {note}")
ALWAYS_AVAILABLE = Text("cli.always_available", zh="始终可用：", en="Always available:")
SYNTHETIC_SOURCE = Text(
    "cli.synthetic_source",
    zh="生成的画面和声音（每秒一次白闪和提示音，用于测试和同步测量）",
    en="generated picture and sound (a white flash and a beep each second, for tests and sync "
       "measurement)")
FILE_SOURCE = Text(
    "cli.file_source",
    zh="实时播放媒体文件的画面和声音，如同摄像头和麦克风",
    en="a media file's picture and sound played in real time, as if from a camera and "
       "microphone")

# --- kiosk config, kiosk audit, kiosk doctor ----------------------------------------------------

NOT_ECHOED = Text("cli.not_echoed", zh="{key}（不回显）：", en="{key} (not echoed): ")
AGAIN = Text("cli.again", zh="再输入一次：", en="again: ")
ENTRIES_DIFFER = Text(
    "cli.entries_differ",
    zh="两次输入不一致",
    en="the two entries differ",
    fix_zh="请重新运行该命令",
    fix_en="run the command again")
SECRET_STORED = Text("cli.secret_stored", zh="已保存 {key}（{where}）", en="{key} stored ({where})")
ENV_STILL_WINS = Text(
    "cli.env_still_wins",
    zh="注意：环境变量 {env} 仍会覆盖此值",
    en="note: {env} is set and still wins over this value")
SETTING_REMOVED = Text("cli.setting_removed", zh="已删除 {key}", en="{key} removed")
SETTING_WAS_NOT_SET = Text("cli.setting_was_not_set", zh="{key} 本来就未设置", en="{key} was not set")
# argparse prints it in English, with the format in Chinese after it.
DATE_FORMAT = Text("cli.date_format", zh="日期格式应为 YYYY-MM-DD",
                   en="use YYYY-MM-DD or YYYY-MM-DDTHH:MM")
NO_ROWS = Text("cli.no_rows", zh="（没有记录）", en="(no rows)")
EXPORT_IS_A_FOLDER = Text(
    "cli.export_is_a_folder",
    zh="{out} 是文件夹",
    en="{out} is a folder",
    fix_zh="请给出文件名，如 audit.csv",
    fix_en="give a file name such as audit.csv")
ROWS_EXPORTED = Text("cli.rows_exported", zh="已导出 {count} 条记录到 {out}",
                     en="{count} rows written to {out}")
FIX_LABEL = Text("cli.fix_label", zh="修复：", en="fix: ")

# --- kiosk emulator -----------------------------------------------------------------------------

NOT_A_PORT = Text(
    "cli.not_a_port",
    zh="--port {port} 不是端口号",
    en="--port {port} is not a port number",
    fix_zh="请填写 1-65535，或 0",
    fix_en="give 1-65535, or 0 for a free port")
EMULATOR_LISTENING = Text(
    "cli.emulator_listening",
    zh="人脸核身服务模拟器已启动：{url}",
    en="Face-verification emulator listening on {url}")
DATA_FOLDER_LABEL = Text("cli.data_folder_label", zh="  数据目录：", en="  data folder:    ")
DEMO_ACCOUNT_LABEL = Text("cli.demo_account_label", zh="  演示账号：", en="  demo account:   ")
PEOPLE_ENROLLED_LABEL = Text("cli.people_enrolled_label", zh="  已登记人员：",
                             en="  people enrolled: ")
REACHABLE_BY_OTHERS = Text(
    "cli.reachable_by_others",
    zh="  注意：其他计算机也可以访问此服务。",
    en="  note: other machines can reach it on this address.")
FACE_WORKERS_LABEL = Text(
    "cli.face_workers_label",
    zh="  人脸计算进程：{workers} 个（每个 CPU 核一个，最多 4 个）",
    en="  face work:      {workers} worker processes (one per core, at most 4)")
DIGITS_NOT_CHECKED = Text(
    "cli.digits_not_checked",
    zh="  注意：模拟器不识别读出的数字（没有随软件包提供模型的离线普通话识别器），读错数字也会通过；"
       "唇动（-5010）和静止画面（-5011）会检查。",
    en="  note: the spoken digits are not recognised (no offline Mandarin recogniser ships its "
       "model in a package), so wrong digits pass; lip movement (-5010) and a still picture "
       "(-5011) are checked.")
PRESS_CTRL_C = Text("cli.press_ctrl_c", zh="按 Ctrl-C 停止。", en="Press Ctrl-C to stop.")
EMULATOR_STOPPED = Text("cli.emulator_stopped", zh="模拟器已停止。", en="Emulator stopped.")
EMPTY_SECRET_KEY = Text(
    "cli.empty_secret_key",
    zh="密钥为空",
    en="the secret key is empty",
    fix_zh="请填写密钥，或省略 --secret-key 自动生成",
    fix_en="give a key, or leave --secret-key out to make a random one")
BAD_ACCOUNT_VALUE = Text(
    "cli.bad_account_value",
    zh="{flag} {value!r} 不能为空，且不能含 '&'、'=' 或空格",
    en="{flag} {value!r} must be non-empty, without '&', '=' or spaces",
    fix_zh="请按终端实际发送的值填写",
    fix_en="give the value as the kiosk will send it")
ACCOUNT_ADDED = Text("cli.account_added", zh="已添加账号", en="added account")
ACCOUNT_REPLACED = Text("cli.account_replaced", zh="已替换账号", en="replaced account")
GENERATED_KEY = Text(
    "cli.generated_key",
    zh="生成的密钥（只显示这一次）：{key}",
    en="generated secret key (shown this once): {key}")
ENROLLED = Text("cli.enrolled", zh="已新增", en="added")
# {before} is the masked name enrolled under that ID number until now, {when} when it was.
RE_ENROLLED = Text("cli.re_enrolled", zh="已替换（原登记为 {before}，登记于 {when}）",
                   en="replaced (was {before}, enrolled {when})")
NOBODY_ENROLLED = Text(
    "cli.nobody_enrolled",
    zh="登记库中没有人员：{folder}",
    en="nobody is enrolled in {folder}",
    fix_zh="用 'kiosk emulator enroll' 登记，或先启动一次 'kiosk emulator' 以登记示例人员",
    fix_en="enroll with 'kiosk emulator enroll', or start 'kiosk emulator' once for the sample "
           "people")
