"""ID number (GB 11643-1999) and name checks: predicts -5801 (missing) and -5804 (invalid)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from kiosk.checks.findings import Finding

# GB 11643-1999: weights of the first 17 digits; the sum mod 11 indexes the check character.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

# First two digits of the administrative division code (GB/T 2260): the provinces, autonomous
# regions and municipalities; 71 Taiwan, 81 Hong Kong, 82 Macao, and 83, which residence
# permits for Taiwan residents use. A number outside these cannot have been issued.
PROVINCES: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
    "21": "辽宁", "22": "吉林", "23": "黑龙江",
    "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西", "37": "山东",
    "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏",
    "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆",
    "71": "台湾", "81": "香港", "82": "澳门", "83": "台湾居民居住证",
}
# The earliest birth year a living person's number plausibly carries.
EARLIEST_BIRTH_YEAR = 1890

# Middle-dot look-alikes typed for the separator in minority and transliterated names.
_DOTS = "\u00b7\u30fb\u2022\u2027\u22c5\u0387\uff65\u318d\u2219."
_NAME_RE = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]+(?:·[\u3007\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]+)*")
MAX_NAME_CHARS = 30  # the card's name field; long transliterated names reach ~20


def normalize_id_number(number: str) -> str:
    """Trimmed, full-width digits made ASCII, a final x upper-cased: the form to send."""
    text = unicodedata.normalize("NFKC", number or "").strip().replace(" ", "")
    return text[:-1] + "X" if text.endswith("x") else text


def normalize_name(name: str) -> str:
    """Trimmed, inner spaces removed, every middle-dot look-alike turned into ``·`` (U+00B7)."""
    text = unicodedata.normalize("NFC", name or "").strip()
    text = re.sub(r"\s+", "", text)
    return "".join("·" if ch in _DOTS else ch for ch in text)


def check_digit(first17: str) -> str:
    """The GB 11643-1999 check character for 17 digits."""
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _invalid(value: object, limit: object, zh: str, en: str) -> Finding:
    return Finding(-5804, "block", value, limit,
                   f"身份证号码无效：{zh}。请核对身份证上的 18 位号码后重新输入。",
                   f"The ID number is not valid: {en}. Check the 18 characters on the card and "
                   "enter them again.")


def _id_findings(number: str, today: date) -> list[Finding]:
    """Findings for a non-empty, normalised ID number."""
    if len(number) != 18:
        extra = ("；15 位旧号码请换成 18 位新号码" if len(number) == 15 else "")
        extra_en = ("; a 15-digit number is the old form, use the 18-character one"
                    if len(number) == 15 else "")
        return [_invalid(len(number), 18, f"应为 18 位，输入了 {len(number)} 位{extra}",
                         f"it has {len(number)} characters, not 18{extra_en}")]
    if not re.fullmatch(r"\d{17}[\dX]", number):
        # Name the first character that does not belong, so the operator knows where to look.
        pos = next(i for i, ch in enumerate(number)
                   if not (ch.isdecimal() or (i == 17 and ch == "X")))
        ch = number[pos]
        return [_invalid(f"{ch!r} at {pos + 1}", "17 digits + digit or X",
                         f"第 {pos + 1} 位是“{ch}”；前 17 位必须是数字，最后一位是数字或 X",
                         f"character {pos + 1} is {ch!r}; the first 17 must be digits and the "
                         "last a digit or X")]
    out: list[Finding] = []
    if number[:2] not in PROVINCES:
        out.append(_invalid(number[:2], "province code", f"开头的地区代码 {number[:2]} 不存在",
                            f"the region code starts with {number[:2]}, which no province has"))
    birth = number[6:14]
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        out.append(_invalid(birth, "YYYYMMDD", f"出生日期 {birth} 不存在",
                            f"the birth date {birth} does not exist"))
    else:
        if born > today:
            out.append(_invalid(birth, today.strftime("%Y%m%d"), f"出生日期 {birth} 在未来",
                                f"the birth date {birth} is in the future"))
        elif born.year < EARLIEST_BIRTH_YEAR:
            out.append(_invalid(birth, f"{EARLIEST_BIRTH_YEAR}0101", f"出生日期 {birth} 太早",
                                f"the birth date {birth} is too early"))
    expected = check_digit(number[:17])
    if not out and expected != number[17]:
        # Only when the rest is sound: a typo elsewhere also breaks the check character.
        out.append(_invalid(number[17], expected, "最后一位校验码不对，可能有数字输错",
                            "the last character (the check digit) does not fit; a digit is "
                            "probably mistyped"))
    return out


def _name_findings(name: str) -> list[Finding]:
    """Findings for a non-empty, normalised name."""
    if len(name) > MAX_NAME_CHARS:
        return [Finding(-5803, "warn", len(name), MAX_NAME_CHARS,
                        f"姓名有 {len(name)} 个字，超过身份证姓名的长度。请按身份证上的姓名输入。",
                        f"The name has {len(name)} characters, longer than a card's name field. "
                        "Enter the name exactly as on the card.")]
    if not _NAME_RE.fullmatch(name) or len(name.replace("·", "")) < 2:
        return [Finding(-5803, "warn", "characters", "汉字, ·",
                        "姓名应为身份证上的汉字，少数民族姓名用“·”分隔。请按身份证上的姓名输入。",
                        "The name should be the Chinese characters on the card, parts of a "
                        "minority name separated by '·'. Enter the name exactly as on the card.")]
    return []


def check_identity(id_number: str, name: str, *, today: date | None = None) -> list[Finding]:
    """Check an ID number and name before any call: -5801 missing, -5804 invalid, -5803 warns."""
    number = normalize_id_number(id_number)
    clean_name = normalize_name(name)
    out: list[Finding] = []
    missing = [what for what, v in (("id_number", number), ("name", clean_name)) if not v]
    if missing:
        zh = "、".join({"id_number": "身份证号码", "name": "姓名"}[m] for m in missing)
        en = " and ".join({"id_number": "the ID number", "name": "the name"}[m] for m in missing)
        out.append(Finding(-5801, "block", missing, "both given",
                           f"缺少{zh}。请输入身份证上的号码和姓名。",
                           f"{en[0].upper()}{en[1:]} {'is' if len(missing) == 1 else 'are'} "
                           "missing. Enter the number and the name as on the card."))
    if number:
        out.extend(_id_findings(number, today or date.today()))
    if clean_name:
        out.extend(_name_findings(clean_name))
    return out
