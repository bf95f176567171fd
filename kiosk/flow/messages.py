"""What the flow says: the customer's words, the verdicts and errors of a run, the steps' names."""

from __future__ import annotations

from kiosk.texts import Text

# --- kiosk.flow.audiences: the customer's words (no codes, no numbers, no jargon) -------------

NOT_SAME = Text(
    "flow.not_same",
    zh="未能确认是您本人。如果信息无误，请正对镜头再试一次。",
    en="We could not confirm it is you. If your details are right, please face the camera and "
       "try again.")
NOT_SAME_CARD = Text(
    "flow.not_same_card",
    zh="未能确认您与证件照是同一人。请正对镜头再试一次，或请工作人员帮助。",
    en="We could not confirm you match the card photo. Please try again, or ask staff.")
NETWORK_DOWN = Text(
    "flow.network_down",
    zh="网络暂时不通，未能完成核验。这不是核验失败，请再试一次。",
    en="The network is not reachable just now, so no check was made. This is not a failed check; "
       "please try again.")
ASK_STAFF = Text(
    "flow.ask_staff",
    zh="本机暂时无法核验，这不是核验失败。请联系工作人员。",
    en="This kiosk cannot verify right now; this is not a failed check. Please ask a member of "
       "staff.")
# A camera, microphone, disk or ffmpeg failed (cause "device"): staff must fix it, the customer
# waits; the clerk's line names the device (kiosk.flow.audiences.Told.clerk_*).
DEVICE_WAIT = Text(
    "flow.device_wait",
    zh="本机的设备出现故障，未能完成核验，这不是核验失败。请稍候，工作人员会来帮助您。",
    en="A device of this kiosk stopped working, so no check was made. This is not a failed "
       "check. Please wait: a member of staff will help you.")
# The customer's words when the result is not in the audit log: no verdict without its record.
NOT_SAVED = Text(
    "flow.not_saved",
    zh="结果未能保存，未能完成核验。请联系工作人员。",
    en="The result could not be saved, so the check is not complete. Please ask a member of "
       "staff.")
GO_TO_COUNTER = Text("flow.go_to_counter", zh="请到柜台，由工作人员为您核验身份。",
                     en="Please go to the counter: staff will verify your identity.")
THEN_COUNTER = Text(
    "flow.then_counter",
    zh="{then[0]}请到柜台，由工作人员为您核验身份。",
    en="{then[1]} Please go to the counter: staff will verify your identity.")
DECLINED_FOR_CUSTOMER = Text(
    "flow.declined_for_customer",
    zh="未采集任何资料。请到柜台，由工作人员为您核验身份。",
    en="Nothing was recorded. Please go to the counter: staff will verify your identity.")
CANCELLED_FOR_CUSTOMER = Text("flow.cancelled_for_customer", zh="已取消，未保留任何资料。",
                              en="Cancelled. Nothing was kept.")
VERIFIED_FOR_CUSTOMER = Text("flow.verified_for_customer", zh="核验通过，谢谢。",
                             en="You are verified. Thank you.")
# The liveness-only mode: "verified" means a live person, not a confirmed identity.
LIVE_FOR_CUSTOMER = Text("flow.live_for_customer", zh="已确认为真人，谢谢。",
                         en="You are confirmed as a live person. Thank you.")
NOT_LIVE = Text(
    "flow.not_live",
    zh="未能确认是真人在镜头前。请正对镜头，清楚读出数字后再试一次。",
    en="We could not confirm a live person in front of the camera. Please face the camera, "
       "read the digits clearly and try again.")
WENT_WRONG = Text(
    "flow.went_wrong",
    zh="出了点问题，未能完成核验。请再试一次或联系工作人员。",
    en="Something went wrong, so no check was made. Please try again or ask staff.")

# --- kiosk.flow.verdict: what ended a run, for the operator and the CLI -----------------------

# {said} is the service's message, or the code's entry, or NO_LIVENESS_STATUS (.en, .zh); {fix}
# is the code's action, or RECORD_AGAIN.
LIVENESS_FAILED = Text(
    "flow.liveness_failed",
    zh="活体检测未通过：{said.zh}",
    en="the liveness check did not pass: {said.en}",
    fix_zh="{fix.zh}",
    fix_en="{fix.en}")
NO_LIVENESS_STATUS = Text("flow.no_liveness_status", zh="回复中没有活体检测结果",
                          en="no liveness status in the reply")
RECORD_AGAIN = Text("flow.record_again", zh="请清晰读出数字后重新录制",
                    en="record again, reading the digits clearly")
# The same for the comparison: {said} the message, the entry or NO_COMPARISON; {fix} the action
# or TRY_AGAIN_IN_LIGHT.
COMPARISON_FAILED = Text(
    "flow.comparison_failed",
    zh="人脸比对未通过：{said.zh}",
    en="the face comparison did not pass: {said.en}",
    fix_zh="{fix.zh}",
    fix_en="{fix.en}")
NO_COMPARISON = Text("flow.no_comparison", zh="回复中没有比对结果", en="no comparison in the reply")
TRY_AGAIN_IN_LIGHT = Text("flow.try_again_in_light", zh="请正对镜头、在光线充足处重试",
                          en="try again facing the camera in good light")
# {shown} is the similarity as read ("none" when the reply had none).
BELOW_THRESHOLD = Text(
    "flow.below_threshold",
    zh="核验未通过：相似度 {shown} 低于阈值 {threshold:g}",
    en="not the same person: similarity {shown} is below the threshold {threshold:g}",
    fix_zh="如信息无误，请正对镜头、在光线充足处重试；否则请核对身份证号和姓名",
    fix_en="if the details are right, try again facing the camera in good light; otherwise "
           "check the ID number and name")
VERIFIED = Text(
    "flow.verified",
    zh="核验通过：相似度 {similarity:g}（阈值 {threshold:g}）",
    en="verified: similarity {similarity:g} (threshold {threshold:g})")
# The liveness-only mode's pass: a live person was filmed; nobody's identity was compared.
LIVE_PERSON = Text(
    "flow.live_person",
    zh="活体检测通过：确认为真人（仅活体检测，未比对身份）",
    en="live person confirmed (liveness only: no identity was compared)")
# {finding} is the first blocking finding (.message_zh, .message_en); {fix} the code's action, or
# CORRECT_AND_RETRY.
NOT_SENT = Text(
    "flow.not_sent",
    zh="未上传：{finding.message_zh}",
    en="not sent: {finding.message_en}",
    fix_zh="{fix.zh}",
    fix_en="{fix.en}")
CORRECT_AND_RETRY = Text("flow.correct_and_retry", zh="请修正后重试", en="correct it and try again")
# {error} is the ServiceError (.code, .entry, .fix_zh, .fix_en).
SERVICE_REFUSED = Text(
    "flow.service_refused",
    zh="服务拒绝（错误码 {error.code}）：{error.entry.zh}",
    en="the service refused (code {error.code}): {error.entry.en}",
    fix_zh="{error.fix_zh}",
    fix_en="{error.fix_en}")
INTERNAL_ERROR = Text(
    "flow.internal_error",
    zh="内部错误",
    en="internal error",
    fix_zh="请重试；如反复出现，请将日志文件提供给技术支持",
    fix_en="try again; if it repeats, the details are in the log file for support")
_START_AGAIN_ZH = "准备好后可重新开始"
_START_AGAIN_EN = "start again when ready"
CANCELLED = Text(
    "flow.cancelled",
    zh="已取消，未保留任何资料",
    en="cancelled; nothing was kept",
    fix_zh=_START_AGAIN_ZH, fix_en=_START_AGAIN_EN)
NO_START = Text(
    "flow.no_start",
    zh="{waited:.0f} 秒内未开始，本次核验已结束",
    en="no start after {waited:.0f} s; the session was ended",
    fix_zh=_START_AGAIN_ZH, fix_en=_START_AGAIN_EN)

# --- kiosk.flow.run: one verification's own errors ---------------------------------------------

CARD_MODE_NEEDS_CARD = Text(
    "flow.card_mode_needs_card",
    zh="证件照比对模式需要证件照",
    en="the card mode needs a card photo",
    fix_zh="请选择证件照文件或用摄像头拍摄",
    fix_en="choose the card photo file or take it with the camera")
RECORDING_DID_NOT_FINISH = Text(
    "flow.recording_did_not_finish",
    zh="录制未能结束",
    en="the recording did not finish",
    fix_zh="请重试；如反复出现，请检查摄像头并运行 'kiosk doctor'",
    fix_en="try again; if it repeats, check the camera and run 'kiosk doctor'")
NO_STILL = Text(
    "flow.no_still",
    zh="摄像头没有画面",
    en="no picture from the camera",
    fix_zh="请检查摄像头后重试",
    fix_en="check the camera and try again")
CANNOT_ENCODE_PHOTO = Text(
    "flow.cannot_encode_photo",
    zh="无法编码照片",
    en="could not encode the photo",
    fix_zh="请重试",
    fix_en="try again")
# What an image file is called when it cannot be read (kiosk.inputs).
CARD_PHOTO = Text("flow.card_photo", zh="证件照", en="card photo")
PHOTO = Text("flow.photo", zh="照片", en="photo")

# --- kiosk.flow.guide and events: the hint without a picture, the steps' names -----------------

NO_CAMERA_PICTURE = Text("flow.no_camera_picture", zh="没有摄像头画面",
                         en="no picture from the camera")
STEP_DETAILS = Text("flow.step_details", zh="核对信息", en="checking details")
STEP_CARD = Text("flow.step_card", zh="拍摄身份证", en="photographing the ID card")
STEP_CODE = Text("flow.step_code", zh="获取数字码", en="getting the code")
STEP_GUIDE = Text("flow.step_guide", zh="调整位置", en="positioning")
STEP_COUNTDOWN = Text("flow.step_countdown", zh="倒计时", en="countdown")
STEP_RECORD = Text("flow.step_record", zh="录制", en="recording")
STEP_CHECKS = Text("flow.step_checks", zh="本地检查", en="local checks")
STEP_UPLOAD = Text("flow.step_upload", zh="上传核验", en="uploading")
STEP_RESULT = Text("flow.step_result", zh="结果", en="result")
CONSENT_DECLINED = Text(
    "flow.consent_declined",
    zh="未同意采集：未采集任何资料",
    en="consent declined: nothing was captured",
    fix_zh="请由工作人员以其他方式核验身份",
    fix_en="staff verify the person's identity another way")
ATTEMPT_LIMIT = Text(
    "flow.attempt_limit",
    zh="尝试次数已达上限：此人近期 {failures} 次未通过；约 {minutes} 分钟后可再试",
    en="attempt limit: {failures} not-verified results for this person recently; the next try "
       "is possible in about {minutes} min",
    fix_zh="请由工作人员在柜台核验，或在操作员设置中重置次数",
    fix_en="staff verify the person at the counter, or reset the limit in the operator panel")

# --- kiosk.flow.card_reader: what the person is told when a card cannot be read ---------------

CARD_NONE = Text(
    "flow.card_none", zh="读卡器上没有身份证", en="There is no ID card on the reader",
    fix_zh="请把身份证平放在读卡器上，再点“读取身份证”",
    fix_en="place your ID card flat on the reader, then press Read ID card")
CARD_READER_UNPLUGGED = Text(
    "flow.card_reader_unplugged", zh="读卡器没有连接", en="The card reader is not connected",
    fix_zh="请手动输入，或请工作人员检查读卡器", fix_en="type your details, or ask staff to check the reader")
CARD_READ_TIMED_OUT = Text(
    "flow.card_read_timed_out", zh="读卡超时", en="The card took too long to read",
    fix_zh="请把身份证放稳，再试一次", fix_en="keep the card still on the reader and try again")
CARD_READ_FAILED = Text(
    "flow.card_read_failed", zh="未能读取身份证", en="The card could not be read",
    fix_zh="请再试一次，或手动输入身份证号码和姓名", fix_en="try again, or type the ID number and name")
# The simulated reader's card: the emulator's sample person.
SAMPLE_NAME = Text("flow.sample_name", zh="王芳", en="Wang Fang")

# --- kiosk.flow.card_reader: the card_reader setting, checked at start-up (for staff) ---------

CARD_READER_SPEC_BAD = Text(
    "flow.card_reader_spec_bad",
    zh="card_reader = {spec!r} 格式不对",
    en="card_reader = {spec!r} is not a reader",
    fix_zh="应为 sim、sim:号码,姓名、sim:文件.json 或 模块:工厂函数（见 docs/card-reader.md）",
    fix_en="give sim, sim:ID,NAME, sim:FILE.json or module:factory (see docs/card-reader.md)")
CARD_READER_NO_MODULE = Text(
    "flow.card_reader_no_module",
    zh="card_reader = {spec!r}：无法导入模块 {module}（{error}）",
    en="card_reader = {spec!r}: the module {module} cannot be imported ({error})",
    fix_zh="请安装读卡器厂商的插件，或改正 card_reader 设置",
    fix_en="install the reader vendor's plug-in, or correct the card_reader setting")
CARD_READER_NO_FACTORY = Text(
    "flow.card_reader_no_factory",
    zh="card_reader = {spec!r}：模块 {module} 中没有可调用的 {factory}",
    en="card_reader = {spec!r}: the module {module} has no callable {factory}",
    fix_zh="请改正 card_reader 设置中冒号后的名称",
    fix_en="correct the name after the colon in the card_reader setting")
CARD_READER_FACTORY_FAILED = Text(
    "flow.card_reader_factory_failed",
    zh="card_reader = {spec!r}：读卡器未能启动（{error}）",
    en="card_reader = {spec!r}: the reader did not start ({error})",
    fix_zh="请检查读卡器的连接和厂商驱动，或清空 card_reader 设置",
    fix_en="check the reader's cable and the vendor's driver, or empty the card_reader setting")
CARD_READER_NOT_A_READER = Text(
    "flow.card_reader_not_a_reader",
    zh="card_reader = {spec!r}：得到的 {kind} 没有 read() 方法",
    en="card_reader = {spec!r}: the {kind} it made has no read() method",
    fix_zh="工厂函数应返回一个带 read() 的读卡器（见 docs/card-reader.md）",
    fix_en="the factory must return a reader with read() (see docs/card-reader.md)")
