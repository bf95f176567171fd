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
