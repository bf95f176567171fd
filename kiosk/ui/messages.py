"""The messages of kiosk.ui that come as data (errors, notes); screen texts are Qt's .ts files."""

from __future__ import annotations

from kiosk.texts import Text

# Language names are written in their own language and never translated.
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}

# --- starting the window -------------------------------------------------------------------
NO_DISPLAY = Text(
    "ui.no_display",
    zh="没有可用的显示器（未设置 DISPLAY 或 WAYLAND_DISPLAY）",
    en="no display to show the GUI on (DISPLAY and WAYLAND_DISPLAY are not set)",
    fix_zh="请在桌面会话中启动，或用 'xvfb-run kiosk gui'；'kiosk demo' 不需要显示器",
    fix_en="start it from the desktop session, or headless with 'xvfb-run kiosk gui'; "
           "'kiosk demo' needs no display")
KIOSK_NEEDS_PIN = Text(
    "ui.kiosk_needs_pin",
    zh="自助终端模式需要操作员 PIN（这是退出全屏的唯一方式）",
    en="the kiosk mode needs an operator PIN (it is the only way out of the full screen)",
    fix_zh="请用 'kiosk config set operator_pin -' 设置（输入时不回显，4-12 位数字）",
    fix_en="set one with 'kiosk config set operator_pin -' (typed without echo, 4-12 digits)")

# The start-up screen, shown in both languages at once: no language is chosen yet.
STARTING = Text("ui.starting", zh="正在启动…", en="Starting…")
STARTING_NAME = Text("ui.starting_name", zh="正在启动", en="Starting the kiosk")

# --- the demo emulator's process -------------------------------------------------------------
DEMO_CRASHED = Text("ui.demo_crashed", zh="模拟服务启动失败（{error}）",
                    en="the emulator failed to start ({error})")
DEMO_TIMED_OUT = Text("ui.demo_timed_out", zh="超时", en="timed out")
DEMO_EXITED = Text("ui.demo_exited", zh="进程已退出（状态 {status}）",
                   en="it exited with status {status}")
DEMO_NOT_STARTED = Text(
    "ui.demo_not_started",
    zh="演示模拟服务未能启动（{why.zh}）",
    en="the demo emulator did not start ({why.en})",
    fix_zh="请重试；可运行 'kiosk doctor' 检查，详情见日志",
    fix_en="try again; 'kiosk doctor' checks the setup, the log has details")
DEMO_REFUSED = Text(
    "ui.demo_refused",
    zh="演示模拟服务未能启动：{why.zh}",
    en="the demo emulator did not start: {why.en}",
    fix_zh="请查看日志，或运行 'kiosk doctor' 检查",
    fix_en="see the log; 'kiosk doctor' checks the setup")

# --- a photo chosen from a file --------------------------------------------------------------
PHOTO = Text("ui.photo", zh="照片", en="photo")
NOT_A_PICTURE = Text(
    "ui.not_a_picture",
    zh="无法读取该图片，请选择 JPEG 或 PNG 照片（10 MB 以内）",
    en="That file is not a readable picture: choose a JPEG or PNG photo under 10 MB")

# --- a result the audit log could not record ---------------------------------------------------
HELD = Text(
    "ui.held",
    zh="上一次核验结果未记录。请联系工作人员处理后再开始下一次核验。",
    en="The last result was not recorded. Please ask a member of staff before the next "
       "verification.")
HELD_SHORT = Text("ui.held_short", zh="暂停：请联系工作人员", en="Paused: please ask staff")
UNRECORDED_NOTE = Text(
    "ui.unrecorded_note",
    zh="未记录：上一次核验（{mode}，结果：{outcome.zh}，seq {seq}）未能写入审计日志。"
       "请手工记录，并检查磁盘空间后运行 'kiosk doctor'。",
    en="Not recorded: the last verification ({mode}, {outcome.en}, seq {seq}) could not be "
       "saved in the audit log. Note it by hand; check the disk, then run 'kiosk doctor'.")
OUTCOMES = {
    "passed": Text("ui.outcome_passed", zh="通过", en="passed"),
    "failed": Text("ui.outcome_failed", zh="未通过", en="failed"),
    "blocked": Text("ui.outcome_blocked", zh="未上传", en="blocked"),
    "refused": Text("ui.outcome_refused", zh="被拒绝", en="refused"),
    "cancelled": Text("ui.outcome_cancelled", zh="已取消", en="cancelled"),
}
OUTCOME_OTHER = Text("ui.outcome_other", zh="错误（{outcome}）", en="{outcome}")
