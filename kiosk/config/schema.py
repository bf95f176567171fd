"""The settings, declared once: key, type, default, validation, help, secret or not."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from kiosk.clip_length import (
    CLIP_SECONDS_RANGE,
    DEFAULT_CLIP_SECONDS,
    MAX_CLIP_SECONDS,
    MIN_CLIP_SECONDS,
)
from kiosk.config import messages
from kiosk.endpoint import DEFAULT_ENDPOINT, NOT_AN_ENDPOINT, is_endpoint
from kiosk.errors import ConfigError
from kiosk.texts import Message

THRESHOLD_PREFIX = "thresholds."

Parser = Callable[[str], Any]
# kiosk.endpoint's reason, as a message parameter ({why.en}, {why.zh}).
_NOT_AN_ENDPOINT = NOT_AN_ENDPOINT()


@dataclass(frozen=True)
class Setting:
    """One setting: how to read it from text, what it defaults to, what it is for."""

    key: str
    kind: str  # "str", "int", "float", "choice", "url", "pin", "secret"
    default: Any
    help_en: str
    help_zh: str
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    secret: bool = False  # never shown, never logged
    hashed: bool = False  # stored as a salted hash (the operator PIN)
    pattern: str | None = None

    @property
    def env(self) -> str:
        """The environment variable that overrides it."""
        return "KIOSK_" + self.key.upper().replace(".", "_")

    @property
    def flag(self) -> str:
        """The command-line flag that overrides it."""
        return "--" + self.key.replace("_", "-").replace(".", "-")

    @property
    def dest(self) -> str:
        """The argparse attribute name of the flag."""
        return self.key.replace(".", "_")

    def parse(self, text: Any) -> Any:
        """The typed value of ``text``; ConfigError saying why when it is not acceptable."""
        raw = str(text).strip() if not isinstance(text, bool) else str(text)
        if self.kind in ("int", "float"):
            value: Any = _number(self, raw)
            if self.low is not None and value < self.low or self.high is not None and value > self.high:
                raise _refuse(self, raw, messages.MUST_BE_BETWEEN(low=self.low, high=self.high))
            return value
        if self.kind == "choice":
            if raw.lower() not in self.choices:
                raise _refuse(self, raw, messages.MUST_BE_ONE_OF(allowed=" | ".join(self.choices)))
            return raw.lower()
        if self.kind == "url":
            if not is_endpoint(raw):
                raise _refuse(self, raw, _NOT_AN_ENDPOINT)
            return raw.rstrip("/")
        if self.kind == "pin":
            if not re.fullmatch(r"\d{4,12}", raw):
                raise _refuse(self, "****", messages.MUST_BE_PIN())
            return raw
        if self.pattern and raw and not re.fullmatch(self.pattern, raw):
            raise _refuse(self, "***" if self.secret else raw, messages.MUST_MATCH(setting=self))
        if self.secret and not raw:
            raise _refuse(self, "", messages.MUST_NOT_BE_EMPTY())
        return raw


def _number(setting: Setting, raw: str) -> float | int:
    try:
        return int(raw) if setting.kind == "int" else float(raw)
    except ValueError:
        why = messages.MUST_BE_WHOLE() if setting.kind == "int" else messages.MUST_BE_NUMBER()
        raise _refuse(setting, raw, why) from None


def _refuse(setting: Setting, raw: str, why: Message | SimpleNamespace) -> ConfigError:
    """``setting`` refuses ``raw`` (as shown) for the reason ``why`` (.en, .zh)."""
    return ConfigError(messages.SETTING_REFUSED(setting=setting, raw=raw, why=why))


SETTINGS: tuple[Setting, ...] = (
    Setting("endpoint", "url", DEFAULT_ENDPOINT, "service base URL, https://...", "服务地址，https://..."),
    Setting("appid", "str", "", "project id (digits)", "项目 ID（数字）", pattern=r"[0-9A-Za-z_-]{1,64}"),
    Setting("secret_id", "str", "", "secret id from the console", "控制台中的 SecretId",
            pattern=r"[0-9A-Za-z_-]{1,128}"),
    Setting("secret_key", "secret", "", "secret key (kept in the keyring, never shown)",
            "SecretKey（保存在系统密钥环中，从不显示）", secret=True),
    Setting("bucket", "str", "", "bucket name, signed as the SDK does (may stay empty)",
            "存储桶名称（可为空）", pattern=r"[0-9A-Za-z_.-]{0,64}"),
    Setting("mode", "choice", "idcard", "photo (photo vs ID) | card (video vs card photo) | "
            "idcard (video vs ID number) | live (video, liveness only: no identity compared)",
            "photo（照片比对）| card（视频比对证件照）| idcard（视频比对身份证）| live（仅活体检测，不比对身份）",
            choices=("photo", "card", "idcard", "live")),
    Setting("camera", "str", "0", "camera: index, /dev/v4l/by-id/ path, name or file:PATH",
            "摄像头：序号、/dev/v4l/by-id/ 路径、名称或 file:路径"),
    Setting("mic", "str", "default", "microphone: default, name, index or file:PATH",
            "麦克风：default、名称、序号或 file:路径"),
    Setting("clip_seconds", "int", DEFAULT_CLIP_SECONDS, f"clip length in seconds, {CLIP_SECONDS_RANGE}",
            f"录制时长（秒），{CLIP_SECONDS_RANGE}", low=MIN_CLIP_SECONDS, high=MAX_CLIP_SECONDS),
    Setting("clip_format", "choice", "mp4", "clip container: mp4 | flv", "视频格式：mp4 | flv",
            choices=("mp4", "flv")),
    Setting("threshold", "float", 70.0, "similarity needed to pass, 0-100 (70 ≈ 1/1,000 false "
            "accepts, 80 ≈ 1/10,000)", "通过所需相似度，0-100（70 约千分之一误识，80 约万分之一）",
            low=0, high=100),
    Setting("idle_timeout", "int", 60, "seconds without input before the GUI returns to its "
            "welcome screen, 10-3600", "无操作多少秒后返回欢迎页，10-3600", low=10, high=3600),
    Setting("language", "choice", "auto", "zh | en | auto (from the locale)", "zh | en | auto（跟随系统）",
            choices=("zh", "en", "auto")),
    Setting("operator_pin", "pin", "", "operator PIN, 4-12 digits (stored as a salted hash)",
            "操作员 PIN，4-12 位数字（加盐哈希保存）", secret=True, hashed=True),
    Setting("keep_clips_days", "int", 0, "keep clips N days for disputes, 0 = off (default)",
            "保留视频天数以备争议，0 = 不保留（默认）", low=0, high=365),
    # What the customer is shown (docs/outcomes.md): no score by default, a result that clears.
    Setting("show_score", "choice", "off", "show the similarity to the customer: off | on",
            "向客户显示相似度：off | on", choices=("off", "on")),
    Setting("record_tone", "choice", "on", "a short tone when the recording starts: on | off",
            "开始录制时的提示音：on | off", choices=("on", "off")),
    Setting("result_seconds", "int", 20, "seconds the result stays on screen, 5-300",
            "结果页停留秒数，5-300", low=5, high=300),
    Setting("attempt_limit", "int", 3, "not-verified results per person before staff must "
            "help, 0 = no limit", "同一人未通过多少次后须由工作人员处理，0 = 不限", low=0, high=20),
    Setting("attempt_window", "int", 10, "minutes over which the attempt limit counts, 1-1440",
            "尝试次数统计的时间窗（分钟），1-1440", low=1, high=1440),
    Setting("consent_notice", "str", "", "file with the institution's own consent notice "
            "(TOML: version, zh, en); empty = the built-in notice",
            "本机构的告知同意书文件（TOML：version、zh、en）；留空 = 内置文本"),
    # docs/card-reader.md: the plug-in is imported and started when the GUI starts.
    Setting("card_reader", "str", "", "ID-card reader: empty = none, sim, sim:ID,NAME, "
            "sim:FILE.json or module:factory", "身份证读卡器：留空 = 无；sim、sim:号码,姓名、"
            "sim:文件.json 或 模块:工厂函数",
            pattern=r"sim(:.+)?|[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*"),
)

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def threshold_names() -> dict[str, float]:
    """The numeric constants of kiosk.checks.thresholds that may be overridden, lower-cased."""
    from kiosk.checks import thresholds

    return {
        name.lower(): float(value)
        for name, value in vars(thresholds).items()
        if name.isupper() and isinstance(value, int | float) and not isinstance(value, bool)
    }


def find(key: str) -> Setting:
    """The declaration of ``key`` (``thresholds.NAME`` for check thresholds); ConfigError if none."""
    key = key.strip().lower().replace("-", "_")
    if key in BY_KEY:
        return BY_KEY[key]
    if key.startswith(THRESHOLD_PREFIX):
        name = key[len(THRESHOLD_PREFIX):]
        known = threshold_names()
        if name in known:
            help_ = messages.THRESHOLD_HELP(name=name.upper())
            return Setting(key, "float", known[name], help_.en, help_.zh)
    raise ConfigError(messages.UNKNOWN_SETTING(key=key))
