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
