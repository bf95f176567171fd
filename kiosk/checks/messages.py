"""What the local checks say about an ID, a photo, a clip or a preview frame, in both languages.

A finding's text is what was seen (``zh``/``en``) followed by what to do (``fix_zh``/``fix_en``):
:func:`kiosk.checks.findings.finding` joins them, the Chinese directly, the English with a space.
"""

from __future__ import annotations

from kiosk.texts import Text

# --- the request body (code 23) --------------------------------------------------------------

BODY_TOO_LARGE = Text(
    "checks.body_too_large",
    zh="上传内容 {megabytes:.1f} MB，超过服务的 6 MB 上限。",
    en="The upload would be {megabytes:.1f} MB, over the service's 6 MB limit.",
    fix_zh="请缩短视频、降低分辨率或压缩照片后重试。",
    fix_en="Record a shorter or smaller clip, or use a smaller photo, and try again.")
BODY_NEAR_LIMIT = Text(
    "checks.body_near_limit",
    zh="上传内容 {megabytes:.1f} MB，接近 6 MB 上限。",
    en="The upload would be {megabytes:.1f} MB, close to the 6 MB limit.",
    fix_zh="建议缩短视频。",
    fix_en="A shorter clip is safer.")

# --- the ID number and the name (-5801 missing, -5804 invalid, -5803 doubtful name) ----------

ID_AND_NAME_MISSING = Text(
    "checks.id_and_name_missing",
    zh="缺少身份证号码、姓名。",
    en="The ID number and the name are missing.",
    fix_zh="请输入身份证上的号码和姓名。",
    fix_en="Enter the number and the name as on the card.")
ID_NUMBER_MISSING = Text(
    "checks.id_number_missing",
    zh="缺少身份证号码。",
    en="The ID number is missing.",
    fix_zh="请输入身份证上的号码和姓名。",
    fix_en="Enter the number and the name as on the card.")
NAME_MISSING = Text(
    "checks.name_missing",
    zh="缺少姓名。",
    en="The name is missing.",
    fix_zh="请输入身份证上的号码和姓名。",
    fix_en="Enter the number and the name as on the card.")

# {why} is one of the reasons below.
ID_NUMBER_INVALID = Text(
    "checks.id_number_invalid",
    zh="身份证号码无效：{why.zh}。",
    en="The ID number is not valid: {why.en}.",
    fix_zh="请核对身份证上的 18 位号码后重新输入。",
    fix_en="Check the 18 characters on the card and enter them again.")
ID_WRONG_LENGTH = Text(
    "checks.id_wrong_length",
    zh="应为 18 位，输入了 {length} 位",
    en="it has {length} characters, not 18")
ID_OLD_FORM = Text(
    "checks.id_old_form",
    zh="应为 18 位，输入了 {length} 位；15 位旧号码请换成 18 位新号码",
    en="it has {length} characters, not 18; a 15-digit number is the old form, use the "
       "18-character one")
ID_BAD_CHARACTER = Text(
    "checks.id_bad_character",
    zh="第 {position} 位是“{char}”；前 17 位必须是数字，最后一位是数字或 X",
    en="character {position} is {char!r}; the first 17 must be digits and the last a digit or X")
ID_NO_SUCH_REGION = Text(
    "checks.id_no_such_region",
    zh="开头的地区代码 {region} 不存在",
    en="the region code starts with {region}, which no province has")
BIRTH_DATE_IMPOSSIBLE = Text(
    "checks.birth_date_impossible",
    zh="出生日期 {birth} 不存在",
    en="the birth date {birth} does not exist")
BIRTH_DATE_IN_FUTURE = Text(
    "checks.birth_date_in_future",
    zh="出生日期 {birth} 在未来",
    en="the birth date {birth} is in the future")
BIRTH_DATE_TOO_EARLY = Text(
    "checks.birth_date_too_early",
    zh="出生日期 {birth} 太早",
    en="the birth date {birth} is too early")
CHECK_DIGIT_WRONG = Text(
    "checks.check_digit_wrong",
    zh="最后一位校验码不对，可能有数字输错",
    en="the last character (the check digit) does not fit; a digit is probably mistyped")

NAME_TOO_LONG = Text(
    "checks.name_too_long",
    zh="姓名有 {length} 个字，超过身份证姓名的长度。",
    en="The name has {length} characters, longer than a card's name field.",
    fix_zh="请按身份证上的姓名输入。",
    fix_en="Enter the name exactly as on the card.")
NAME_NOT_AS_ON_CARD = Text(
    "checks.name_not_as_on_card",
    zh="姓名应为身份证上的汉字，少数民族姓名用“·”分隔。",
    en="The name should be the Chinese characters on the card, parts of a minority name "
       "separated by '·'.",
    fix_zh="请按身份证上的姓名输入。",
    fix_en="Enter the name exactly as on the card.")
# What a name may hold: the finding's ``limit`` (its Chinese text, as the JSON has always said).
NAME_CHARACTERS = Text("checks.name_characters", zh="汉字, ·", en="Chinese characters, ·")

# --- photos: idcardcompare's image and the card photo (-4015..-4018) -------------------------

# The photo a message is about ({what.zh} / {what.en} below).
PHOTO = Text("checks.photo", zh="照片", en="photo")
CARD_PHOTO = Text("checks.card_photo", zh="证件照", en="card photo")

# {why} is one of the reasons below.
IMAGE_UNDECODABLE = Text(
    "checks.image_undecodable",
    zh="{what.zh}无法解码：{why.zh}。",
    en="The {what.en} cannot be decoded: {why.en}.",
    fix_zh="请换一张 JPEG 或 PNG 格式的静态{what.zh}。",
    fix_en="Use a still JPEG or PNG {what.en}.")
IMAGE_EMPTY = Text("checks.image_empty", zh="文件是空的", en="the file is empty")
IMAGE_ANIMATED = Text(
    "checks.image_animated",
    zh="这是 {frames} 帧的动图（{format}）",
    en="it is an animated {format} with {frames} frames")
IMAGE_TOO_MANY_PIXELS = Text(
    "checks.image_too_many_pixels", zh="像素数过多", en="it has far too many pixels")
IMAGE_CUT_OFF = Text("checks.image_cut_off", zh="文件不完整", en="the file is cut off")
NOT_AN_IMAGE = Text("checks.not_an_image", zh="不是图片格式", en="not an image format")
IMAGE_IS_GIF = Text(
    "checks.image_is_gif",
    zh="这是 GIF 图片，服务不接受 GIF",
    en="it is a GIF, which the service does not accept")

IMAGE_FORMAT_DOUBTFUL = Text(
    "checks.image_format_doubtful",
    zh="{what.zh}是 {format} 格式，服务可能无法解码。",
    en="The {what.en} is a {format} file, which the service may not decode.",
    fix_zh="请换成 JPEG 或 PNG。",
    fix_en="Use JPEG or PNG.")
NO_FACE_IN_IMAGE = Text(
    "checks.no_face_in_image",
    zh="{what.zh}中没有找到人脸。",
    en="No face was found in the {what.en}.",
    fix_zh="请换一张正面、清晰、光线充足、脸部完整的{what.zh}。",
    fix_en="Use a clear, frontal, well-lit {what.en} showing the whole face.")

# --- the clip: container and picture (-5001, -5015, -5005) -----------------------------------

# What a clip is called when kiosk.inputs refuses to read it.
VIDEO = Text("checks.video", zh="视频", en="video")

# {why} is one of the reasons below.
CLIP_INVALID = Text(
    "checks.clip_invalid",
    zh="视频无效：{why.zh}。",
    en="The video is not valid: {why.en}.",
    fix_zh="请重新录制。",
    fix_en="Record again.")
CONTAINER_NOT_ACCEPTED = Text(
    "checks.container_not_accepted",
    zh="格式 {container} 不受支持（只支持 MP4、AVI、FLV）",
    en="the {container} format is not accepted (MP4, AVI or FLV only)")
CLIP_CUT_OFF = Text(
    "checks.clip_cut_off",
    zh="文件不完整，只能读出 {seconds:.1f} 秒",
    en="the file is cut off or damaged; only {seconds:.1f} s could be decoded")
# {reason} is the decoder's (English) word for it.
CLIP_UNDECODABLE = Text(
    "checks.clip_undecodable",
    zh="无法解码（{reason}）",
    en="it cannot be decoded ({reason})")

RESOLUTION_TOO_LOW = Text(
    "checks.resolution_too_low",
    zh="视频分辨率 {width}x{height} 太低，最小 320x480（横竖均可）。",
    en="The video is {width}x{height}, below the minimum of 320x480 (either way round).",
    fix_zh="请把摄像头设为 640x480 或更高后重新录制。",
    fix_en="Set the camera to 640x480 or more and record again.")
CLIP_TOO_SHORT = Text(
    "checks.clip_too_short",
    zh="视频只有 {seconds:.1f} 秒，太短。",
    en="The video is only {seconds:.1f} s long.",
    fix_zh="请录满约 5 秒，读完四位数字。",
    fix_en="Record about 5 s and read all four digits.")
CLIP_TOO_LONG = Text(
    "checks.clip_too_long",
    zh="视频长 {seconds:.0f} 秒，超过 20 秒，服务可能拒绝。",
    en="The video is {seconds:.0f} s long, over 20 s; the service may refuse it.",
    fix_zh="请录约 5 秒。",
    fix_en="Record about 5 s.")

# --- the clip's sound (-5007 none, -5012 noise, -5013 too quiet, -5008 clipped) --------------

NO_SOUND_TRACK = Text(
    "checks.no_sound_track",
    zh="视频里没有声音轨道。",
    en="The video has no sound track.",
    fix_zh="请检查麦克风是否连接并选中，然后重新录制。",
    fix_en="Check that a microphone is connected and selected, then record again.")
SILENT = Text(
    "checks.silent",
    zh="视频里没有声音（峰值 {peak:.1f} dBFS）。",
    en="The video is silent (peak {peak:.1f} dBFS).",
    fix_zh="请检查麦克风是否静音，然后大声读出数字。",
    fix_en="Check the microphone is not muted, then read the digits aloud.")
TOO_NOISY = Text(
    "checks.too_noisy",
    zh="背景噪声太大（噪声 {noise:.0f} dBFS，信噪比 {snr:.1f} dB）。",
    en="Too much background noise (noise {noise:.0f} dBFS, speech {snr:.1f} dB above it).",
    fix_zh="请到安静的地方或关掉风扇、音乐后重新录制。",
    fix_en="Move somewhere quieter or switch off fans and music, then record again.")
TOO_NOISY_NO_SPEECH = Text(
    "checks.too_noisy_no_speech",
    zh="背景噪声太大（噪声 {noise:.0f} dBFS，信噪比 — dB）。",
    en="Too much background noise (noise {noise:.0f} dBFS, speech not heard above it).",
    fix_zh="请到安静的地方或关掉风扇、音乐后重新录制。",
    fix_en="Move somewhere quieter or switch off fans and music, then record again.")
RATHER_NOISY = Text(
    "checks.rather_noisy",
    zh="背景有些吵（信噪比 {snr:.0f} dB）。",
    en="The background is noisy (speech only {snr:.0f} dB above it).",
    fix_zh="在更安静的地方识别更可靠。",
    fix_en="A quieter place is more reliable.")
VOICE_TOO_QUIET = Text(
    "checks.voice_too_quiet",
    zh="声音太小（响度 {lufs:.1f} LUFS）。",
    en="The voice is too quiet ({lufs:.1f} LUFS).",
    fix_zh="请靠近麦克风，大声、清楚地读出四位数字。",
    fix_en="Come closer to the microphone and read the four digits loudly and clearly.")
VOICE_RATHER_QUIET = Text(
    "checks.voice_rather_quiet",
    zh="声音偏小（响度 {lufs:.1f} LUFS）。",
    en="The voice is rather quiet ({lufs:.1f} LUFS).",
    fix_zh="请再大声一点。",
    fix_en="Speak up a little.")
# {seconds} is already rounded to 0.01 s and shown as it is (0.3, 0.33).
HARDLY_ANY_SPEECH = Text(
    "checks.hardly_any_speech",
    zh="几乎没有听到说话（{seconds} 秒）。",
    en="Hardly any speech was heard ({seconds} s).",
    fix_zh="请读出全部四位数字。",
    fix_en="Read all four digits aloud.")
SOUND_CLIPPED = Text(
    "checks.sound_clipped",
    zh="声音过载失真。",
    en="The sound is clipped (distorted).",
    fix_zh="请离麦克风远一点或调低麦克风音量。",
    fix_en="Move back from the microphone or turn its level down.")

# --- the face in the clip (-5009) ------------------------------------------------------------

FACE_MOSTLY_MISSING = Text(
    "checks.face_mostly_missing",
    zh="视频中大部分时间没有检测到人脸（{share:.0%} 的画面有人脸）。",
    en="No face was found in most of the video (a face in {share:.0%} of the frames).",
    fix_zh="请正对镜头、露出完整面部，光线充足后重新录制。",
    fix_en="Face the camera with your whole face visible, in good light, and record again.")
FACE_SOMETIMES_MISSING = Text(
    "checks.face_sometimes_missing",
    zh="部分画面没有检测到人脸（{share:.0%} 的画面有人脸）。",
    en="Some frames show no face (a face in {share:.0%} of them).",
    fix_zh="录制时请一直正对镜头。",
    fix_en="Keep facing the camera while recording.")

# --- liveness (-5010 lips did not move, -5011 not a live person) -----------------------------

LIPS_NOT_MOVING = Text(
    "checks.lips_not_moving",
    zh="读数字时没有看到嘴在动。",
    en="Your mouth did not move while the digits were read.",
    fix_zh="请边看数字边读出声来，嘴要动。",
    fix_en="Read the digits aloud yourself as you see them, moving your mouth.")
FACE_NOT_MOVING = Text(
    "checks.face_not_moving",
    zh="画面中的人脸完全没有动，像是照片或静止画面。",
    en="The face in the video did not move at all, like a photo or a frozen picture.",
    fix_zh="请本人正对镜头，边看数字边读出声来，嘴要动。",
    fix_en="Face the camera yourself and read the digits aloud, moving your mouth.")

# --- the preview's guidance, one per status of kiosk.checks.live -----------------------------

HINT_NO_FACE = Text(
    "checks.hint_no_face",
    zh="请正对镜头，把脸放进椭圆框内", en="Face the camera and put your face in the oval")
HINT_SEVERAL_FACES = Text(
    "checks.hint_several_faces", zh="画面中只能有一个人", en="Only one person should be in view")
HINT_TOO_DARK = Text(
    "checks.hint_too_dark",
    zh="太暗了，请到光线更好的地方或打开灯", en="Too dark: find more light or switch a lamp on")
HINT_TOO_BRIGHT = Text(
    "checks.hint_too_bright",
    zh="太亮了，请避开强光或背光", en="Too bright: move out of strong or back light")
HINT_TOO_FAR = Text("checks.hint_too_far", zh="请靠近一点", en="Come a little closer")
HINT_TOO_CLOSE = Text("checks.hint_too_close", zh="请离远一点", en="Move back a little")
HINT_OFF_CENTRE = Text(
    "checks.hint_off_centre",
    zh="请把脸移到椭圆框中间", en="Move your face to the middle of the oval")
HINT_OK = Text("checks.hint_ok", zh="很好，保持不动", en="Good, hold still")

# --- card-photo guidance: the ID card held up to the camera (customer's words) ---------------
CARD_HINT_NO_CARD = Text(
    "checks.card_hint_no_card",
    zh="请把身份证人像面对准镜头，放进卡片框里",
    en="Hold the photo side of your ID card in the card frame")
CARD_HINT_SEVERAL_FACES = Text(
    "checks.card_hint_several_faces",
    zh="框里只放身份证，不要露出脸或其他照片",
    en="Only the ID card in the frame: no face or other photo")
CARD_HINT_TOO_DARK = Text(
    "checks.card_hint_too_dark", zh="太暗了，请到亮一点的地方", en="Too dark: move to more light")
CARD_HINT_TOO_FAR = Text(
    "checks.card_hint_too_far", zh="请把身份证靠近镜头一点", en="Bring the card a little closer")
CARD_HINT_TOO_CLOSE = Text(
    "checks.card_hint_too_close", zh="请把身份证拿远一点", en="Move the card back a little")
CARD_HINT_GLARE = Text(
    "checks.card_hint_glare",
    zh="卡片反光，请稍微倾斜身份证", en="Light reflects on the card: tilt it a little")
CARD_HINT_BLURRED = Text(
    "checks.card_hint_blurred", zh="画面模糊，请拿稳身份证", en="Blurred: hold the card still")
CARD_HINT_OK = Text("checks.card_hint_ok", zh="很好，请保持不动", en="Good, hold still")
