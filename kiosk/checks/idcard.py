"""ID number (GB 11643-1999) and name checks: predicts -5801 (missing) and -5804 (invalid)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from kiosk.checks import messages
from kiosk.checks.findings import Finding, finding
from kiosk.texts import Message

# GB 11643-1999: weights of the first 17 digits; the sum mod 11 indexes the check character.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

# First two digits of the administrative division code (GB/T 2260): the provinces, autonomous
# regions and municipalities; 71 Taiwan, 81 Hong Kong, 82 Macao, and 83, which residence
# permits for Taiwan residents use. A number outside these cannot have been issued.
PROVINCES: dict[str, str] = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia",
    "21": "Liaoning", "22": "Jilin", "23": "Heilongjiang",
    "31": "Shanghai", "32": "Jiangsu", "33": "Zhejiang", "34": "Anhui", "35": "Fujian",
    "36": "Jiangxi", "37": "Shandong",
    "41": "Henan", "42": "Hubei", "43": "Hunan", "44": "Guangdong", "45": "Guangxi", "46": "Hainan",
    "50": "Chongqing", "51": "Sichuan", "52": "Guizhou", "53": "Yunnan", "54": "Tibet",
    "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia", "65": "Xinjiang",
    "71": "Taiwan", "81": "Hong Kong", "82": "Macao", "83": "Taiwan residents' residence permit",
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


def _invalid(value: object, limit: object, why: Message) -> Finding:
    return finding(-5804, "block", value, limit, messages.ID_NUMBER_INVALID(why=why))


def _id_findings(number: str, today: date) -> list[Finding]:
    """Findings for a non-empty, normalised ID number."""
    if len(number) != 18:
        wrong = messages.ID_OLD_FORM if len(number) == 15 else messages.ID_WRONG_LENGTH
        return [_invalid(len(number), 18, wrong(length=len(number)))]
    if not re.fullmatch(r"\d{17}[\dX]", number):
        # Name the first character that does not belong, so the operator knows where to look.
        pos = next(i for i, ch in enumerate(number)
                   if not (ch.isdecimal() or (i == 17 and ch == "X")))
        ch = number[pos]
        return [_invalid(f"{ch!r} at {pos + 1}", "17 digits + digit or X",
                         messages.ID_BAD_CHARACTER(position=pos + 1, char=ch))]
    out: list[Finding] = []
    if number[:2] not in PROVINCES:
        out.append(_invalid(number[:2], "province code",
                            messages.ID_NO_SUCH_REGION(region=number[:2])))
    birth = number[6:14]
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        out.append(_invalid(birth, "YYYYMMDD", messages.BIRTH_DATE_IMPOSSIBLE(birth=birth)))
    else:
        if born > today:
            out.append(_invalid(birth, today.strftime("%Y%m%d"),
                                messages.BIRTH_DATE_IN_FUTURE(birth=birth)))
        elif born.year < EARLIEST_BIRTH_YEAR:
            out.append(_invalid(birth, f"{EARLIEST_BIRTH_YEAR}0101",
                                messages.BIRTH_DATE_TOO_EARLY(birth=birth)))
    expected = check_digit(number[:17])
    if not out and expected != number[17]:
        # Only when the rest is sound: a typo elsewhere also breaks the check character.
        out.append(_invalid(number[17], expected, messages.CHECK_DIGIT_WRONG()))
    return out


def _name_findings(name: str) -> list[Finding]:
    """Findings for a non-empty, normalised name."""
    if len(name) > MAX_NAME_CHARS:
        return [finding(-5803, "warn", len(name), MAX_NAME_CHARS,
                        messages.NAME_TOO_LONG(length=len(name)))]
    if not _NAME_RE.fullmatch(name) or len(name.replace("·", "")) < 2:
        return [finding(-5803, "warn", "characters", messages.NAME_CHARACTERS.zh,
                        messages.NAME_NOT_AS_ON_CARD())]
    return []


# What is missing (-5801), by the fields left empty.
_MISSING = {("id_number", "name"): messages.ID_AND_NAME_MISSING,
            ("id_number",): messages.ID_NUMBER_MISSING, ("name",): messages.NAME_MISSING}


def check_identity(id_number: str, name: str, *, today: date | None = None) -> list[Finding]:
    """Check an ID number and name before any call: -5801 missing, -5804 invalid, -5803 warns."""
    number = normalize_id_number(id_number)
    clean_name = normalize_name(name)
    out: list[Finding] = []
    missing = [what for what, v in (("id_number", number), ("name", clean_name)) if not v]
    if missing:
        out.append(finding(-5801, "block", missing, "both given", _MISSING[tuple(missing)]()))
    if number:
        out.extend(_id_findings(number, today or date.today()))
    if clean_name:
        out.extend(_name_findings(clean_name))
    return out
