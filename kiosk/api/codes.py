"""The error catalog: every return code of the service, as data.

One table used by the client, the local checks, the emulator and the GUI, so the same code always
reads the same way. Categories follow docs/protocol.md ("Return codes by what can be done").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """Who can do something about a code."""

    OK = "ok"
    RETRY = "retry"  # the person can try again, with a hint on screen
    INPUT = "input"  # the person typed or gave something wrong
    CARD = "card"  # the card photo is the problem
    CONFIG = "config"  # the operator must fix configuration
    TRANSIENT = "transient"  # try again later, with backoff


@dataclass(frozen=True)
class CodeEntry:
    """One return code: its meaning and the action, in Chinese and English."""

    code: int
    category: Category
    zh: str
    en: str
    action_zh: str
    action_en: str

    @property
    def person_can_fix(self) -> bool:
        """True when the person in front of the camera can change the outcome (a "no" verdict);
        False when no verdict was made (the service's trouble, configuration, a staff matter)."""
        return self.category in (Category.RETRY, Category.INPUT, Category.CARD) and (
            self.code not in _STAFF_CODES)


# Person-fixable by category, but only staff can act: the liveness level, the camera's resolution.
_STAFF_CODES = frozenset({-5014, -5015})

_R, _I, _C, _F, _T = (
    Category.RETRY,
    Category.INPUT,
    Category.CARD,
    Category.CONFIG,
    Category.TRANSIENT,
)

_ROWS: list[tuple[int, Category, str, str, str, str]] = [
    (0, Category.OK, "成功", "success", "", ""),
    (3, _F, "错误的请求（如账号欠费停服）", "bad request (for example the account is in arrears)",
     "请运营人员检查账号状态和费用", "operator: check the account's status and balance"),
    (4, _F, "签名为空", "signature missing",
     "请运营人员配置 SecretId 和 SecretKey", "operator: configure the secret id and secret key"),
    (5, _F, "签名串错误", "signature malformed",
     "请运营人员检查密钥配置", "operator: check the configured credentials"),
    (6, _F, "签名中的 appid 与操作目标不匹配", "the signature's appid does not match the request",
     "请运营人员检查 appid 配置", "operator: check the configured appid"),
    (9, _F, "签名过期", "signature expired",
     "请运营人员校准本机时钟（NTP）", "operator: set this machine's clock right (NTP)"),
    (10, _F, "appid 不存在", "appid does not exist",
     "请运营人员检查 appid 配置", "operator: check the configured appid"),
    (11, _F, "secretid 不存在", "secret id does not exist",
     "请运营人员检查 SecretId 配置", "operator: check the configured secret id"),
    (12, _F, "appid 与 secretid 不匹配", "appid and secret id do not belong together",
     "请运营人员检查 appid 和 SecretId", "operator: check the appid and the secret id"),
    (13, _F, "重放攻击（同一签名重复使用）", "replay: the same signature was used twice",
     "请重试；若反复出现请联系技术支持", "try again; if it repeats, contact support"),
    (14, _F, "签名校验失败", "signature check failed",
     "请运营人员检查 SecretKey 配置", "operator: check the configured secret key"),
    (15, _T, "操作太频繁，触发频控", "too many requests (rate limited)",
     "请稍候再试", "wait a moment and try again"),
    (21, _I, "无效参数", "invalid parameter",
     "请检查输入的信息后重试", "check the details entered and try again"),
    (23, _I, "请求包体过大", "request body too large (over 6 MB)",
     "请缩短视频或降低分辨率后重试", "record a shorter or smaller clip and try again"),
    (107, _T, "鉴权服务不可用", "authentication service unavailable",
     "请稍候再试", "wait a moment and try again"),
    (108, _T, "鉴权服务不可用", "authentication service unavailable",
     "请稍候再试", "wait a moment and try again"),
    (213, _T, "内部错误", "internal error",
     "请稍候再试", "wait a moment and try again"),
    (-4006, _R, "视频中自拍照特征提取失败", "could not extract face features from the video",
     "请正对镜头、光线充足后重新录制", "face the camera in good light and record again"),
    (-4007, _R, "视频中自拍照之间对比失败", "faces in the video did not match each other",
     "请确保只有本人在画面中并重新录制", "make sure only you are in view and record again"),
    (-4009, _C, "Card 照片提取特征失败", "could not extract face features from the card photo",
     "请换一张清晰的正面证件照", "use a clear, frontal card photo"),
    (-4010, _C, "自拍照与 Card 照片相似度计算失败", "could not compare the face with the card photo",
     "请换一张清晰的正面证件照后重试", "use a clear, frontal card photo and try again"),
    (-4015, _R, "自拍照人脸检测失败", "no face found in the photo",
     "请使用正面、清晰、光线充足的人脸照片", "use a clear, frontal, well-lit photo of the face"),
    (-4016, _R, "自拍照解码失败", "the photo could not be decoded",
     "请使用 JPEG 或 PNG 格式的照片", "use a JPEG or PNG photo"),
    (-4017, _C, "Card 照片人脸检测失败", "no face found in the card photo",
     "请换一张清晰的正面证件照", "use a clear, frontal card photo"),
    (-4018, _C, "Card 照片解码失败", "the card photo could not be decoded",
     "请使用 JPEG 或 PNG 格式的证件照", "use a JPEG or PNG card photo"),
    (-5001, _R, "视频无效", "the video is not valid",
     "请重新录制", "record again"),
    (-5002, _R, "唇语失败", "lip reading failed",
     "请慢速、清楚地读出四位数字后重新录制", "read the four digits slowly and clearly, then record again"),
    (-5005, _R, "自拍照解析照片不足", "too few usable frames in the video",
     "请正对镜头并保持不动，重新录制", "face the camera, hold still and record again"),
    (-5007, _R, "视频没有声音", "the video has no sound",
     "请检查麦克风并大声读出数字", "check the microphone and read the digits aloud"),
    (-5008, _R, "声音识别失败", "the spoken digits were not recognised",
     "请用普通话清楚地读出四位数字", "read the four digits clearly in Mandarin"),
    (-5009, _R, "视频人脸检测失败，没有嘴或者脸", "no face or mouth found in the video",
     "请正对镜头，露出完整面部", "face the camera with your whole face visible"),
    (-5010, _R, "唇动失败", "lip movement not detected",
     "读数字时请明显地动嘴", "move your lips visibly while reading the digits"),
    (-5011, _R, "活体检测失败", "liveness check failed",
     "请本人正对镜头重新录制", "face the camera yourself and record again"),
    (-5012, _R, "视频中噪声太大", "too much background noise",
     "请到安静的地方重新录制", "move somewhere quieter and record again"),
    (-5013, _R, "视频里的声音太小", "the voice is too quiet",
     "请靠近麦克风并大声读出数字", "come closer to the microphone and read louder"),
    (-5014, _F, "活体检测 level 参数无效", "invalid liveness level parameter",
     "请联系技术支持", "contact support"),
    (-5015, _R, "视频像素太低，最小 320X480", "video resolution too low (minimum 320x480)",
     "请使用更高分辨率的摄像头设置", "use a higher camera resolution"),
    (-5801, _I, "请求缺少身份证号码或身份证姓名", "ID number or name missing",
     "请输入身份证号码和姓名", "enter the ID number and the name"),
    (-5802, _T, "服务器内部错误，服务暂时不可用", "server error, service temporarily unavailable",
     "请稍候再试", "wait a moment and try again"),
    (-5803, _I, "身份证姓名与身份证号码不一致", "the name does not match the ID number",
     "请核对姓名和身份证号码", "check the name and the ID number"),
    (-5804, _I, "身份证号码无效", "the ID number is not valid",
     "请核对身份证号码（18 位）", "check the ID number (18 characters)"),
    (-5805, _I, "用户未输入图像或者 url 下载失败", "no image given, or the URL could not be fetched",
     "请提供照片或可访问的图片地址", "give a photo or a reachable image URL"),
]

CATALOG: dict[int, CodeEntry] = {row[0]: CodeEntry(*row) for row in _ROWS}

# What the person in front of the camera is told: plain words and what to do now; no code, no
# number, no unit (a measurement teaches nothing to a customer and a spoofer learns from it). The
# operator's text is the entry itself (code, meaning, action), shown behind the PIN and logged.
_PEOPLE: dict[int, tuple[str, str]] = {
    -4006: ("没能看清您的脸。请正对镜头，在光线充足处再试一次。",
            "We could not see your face well. Please face the camera in good light and try again."),
    -4007: ("画面中好像不止一个人。请确保只有您本人在画面中，再试一次。",
            "There seemed to be more than one person. Please make sure only you are in view."),
    -4009: ("证件照不够清晰。请工作人员换一张清晰的证件照。",
            "The card photo is not clear enough. Please ask staff for a clearer one."),
    -4010: ("没能把您与证件照进行比对。请工作人员换一张清晰的证件照。",
            "We could not compare you with the card photo. Please ask staff for a clearer one."),
    -4015: ("照片中没有找到人脸。请换一张正面、清晰的照片。",
            "No face was found in the photo. Please use a clear photo of your face."),
    -4016: ("照片无法打开。请换一张照片。", "The photo could not be opened. Please use another one."),
    -4017: ("证件照中没有找到人脸。请工作人员换一张证件照。",
            "No face was found on the card photo. Please ask staff for another one."),
    -4018: ("证件照无法打开。请工作人员换一张证件照。",
            "The card photo could not be opened. Please ask staff for another one."),
    -5001: ("录像没有成功。请再试一次。", "The recording did not work. Please try again."),
    -5002: ("没能看清您读数字时的口型。请慢一点、清楚地读出数字。",
            "We could not follow your lips. Please read the digits slowly and clearly."),
    -5005: ("录像中您的脸不够清楚。请正对镜头、保持不动，再试一次。",
            "Your face was not clear enough. Please face the camera and hold still."),
    -5007: ("没有听到声音。请大声读出数字。", "We heard no sound. Please read the digits aloud."),
    -5008: ("没能听清您读的数字。请用普通话清楚地读出来。",
            "We could not make out the digits. Please read them clearly in Mandarin."),
    -5009: ("没能看清您的脸和嘴。请正对镜头，露出整张脸。",
            "We could not see your face and mouth. Please face the camera, face uncovered."),
    -5010: ("没能看到您读数字时嘴在动。读的时候请把嘴张开一些。",
            "We could not see your lips move. Please open your mouth clearly as you read."),
    -5011: ("这次没能确认是您本人在镜头前。请正对镜头再试一次。",
            "We could not confirm that you are in front of the camera. Please try again."),
    -5012: ("周围太吵了。请到安静一点的地方再试一次。",
            "It is too noisy here. Please try again somewhere quieter."),
    -5013: ("声音太小了。请靠近一点，大声读出数字。",
            "Your voice was too quiet. Please come closer and read the digits louder."),
    -5801: ("请输入身份证号码和姓名。", "Please enter your ID number and name."),
    -5803: ("姓名与身份证号码不一致。请核对后再试。",
            "The name does not match the ID number. Please check them."),
    -5804: ("身份证号码不正确。请核对后再试。", "The ID number is not right. Please check it."),
    -5805: ("没有收到照片。请重新选择照片。", "No photo was received. Please choose the photo again."),
    21: ("这次的数字已失效。请再试一次，读新的数字。",
         "Those digits are no longer valid. Please try again with new digits."),
    23: ("录像太大，无法发送。请再试一次。", "The recording was too large to send. Please try again."),
}
# Only staff can fix these: the customer is asked to fetch someone, the operator is told why.
STAFF_ONLY = frozenset(_STAFF_CODES | {c for c, e in CATALOG.items() if e.category is Category.CONFIG})
_ASK_STAFF = ("本机暂时无法核验，请联系工作人员。",
              "This kiosk cannot verify right now. Please ask a member of staff.")
_TRY_LATER = ("服务暂时繁忙，未能完成核验，这不是核验失败。请稍后再试。",
              "The service is busy, so no check was made; this is not a failed check. Please try "
              "again in a moment.")


def for_people(code: int | None) -> tuple[str, str]:
    """The customer's text for ``code`` as (zh, en): plain words and what to do now."""
    if code is None:
        return _TRY_LATER
    if code in STAFF_ONLY:
        return _ASK_STAFF
    if code in _PEOPLE:
        return _PEOPLE[code]
    entry = lookup(code)
    if entry.category is Category.TRANSIENT:
        return _TRY_LATER
    return _ASK_STAFF  # an unknown code: nothing the person can do about it


def for_operator(code: int) -> tuple[str, str]:
    """The operator's text for ``code`` as (zh, en): the code, its meaning and the action."""
    entry = lookup(code)
    return (f"错误码 {code}：{entry.zh}" + (f" — {entry.action_zh}" if entry.action_zh else ""),
            f"code {code}: {entry.en}" + (f" — {entry.action_en}" if entry.action_en else ""))

# Codes the client may resend after, even for a video upload: the server did not process it.
RETRY_SAFE_CODES = frozenset({15, 107, 108})


def lookup(code: int) -> CodeEntry:
    """The catalog entry for ``code``; an 'unknown code' entry when the document does not list it."""
    entry = CATALOG.get(code)
    if entry is not None:
        return entry
    return CodeEntry(
        code,
        Category.TRANSIENT if code >= 500 else Category.CONFIG,
        f"未知错误码 {code}",
        f"unknown code {code}",
        "请联系技术支持",
        "contact support",
    )
