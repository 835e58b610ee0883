"""Turn the raw text OCR found after a label into the contract's value form.

One function per field kind named in schemas/documents/*.yaml. Each returns
(value, plausible): plausible is False when the text did not look like a value
of that kind, which lowers the field's confidence.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Callable

from intake import idnumber

CJK = r"\u4e00-\u9fff"
# Digits OCR commonly reads as letters in a run that must be digits.
DIGIT_LOOKALIKES = str.maketrans({
    "O": "0", "o": "0", "D": "0", "Q": "0", "U": "0", "l": "1", "I": "1", "i": "1", "|": "1", "!": "1",
    "]": "1", "[": "1", "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "G": "6", "b": "6", "T": "7",
    "g": "9", "q": "9", "A": "4", "〇": "0", "。": ".", "，": ",", "、": ".", "—": "-", "一": "-", "－": "-",
})
FULLWIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"Ｘ": "X", "：": ":", "．": "."})


def clean(text: str) -> str:
    return "".join(text.translate(FULLWIDTH).split())


def name(text: str) -> tuple[str | None, bool]:
    # Minority names carry a middle dot, which OCR returns in several forms.
    text = re.sub(r"[•·．.]", "·", clean(text))
    chars = re.findall(rf"[{CJK}·]+", text)
    if not chars:
        return None, False
    value = max(chars, key=len).strip("·")
    return value or None, 2 <= len(value) <= 6


def sex(text: str) -> tuple[str | None, bool]:
    text = clean(text)
    for char in text:
        if char == "男":
            return "male", True
        if char == "女":
            return "female", True
    lowered = text.lower()
    if "female" in lowered:
        return "female", True
    if "male" in lowered:
        return "male", True
    return None, False


DATE = re.compile(r"(\d{4})\D{0,3}?(\d{1,2})\D{0,3}?(\d{1,2})")


def parse_date(text: str, earliest: int = 1900, latest: int = 2100) -> date | None:
    digits = clean(text).translate(DIGIT_LOOKALIKES)
    for match in DATE.finditer(digits):
        year, month, day = (int(g) for g in match.groups())
        if earliest <= year <= latest:
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


def date_value(text: str) -> tuple[str | None, bool]:
    found = parse_date(text)
    return (found.isoformat(), True) if found else (None, False)


def id_number(text: str) -> tuple[str | None, bool]:
    text = clean(text).upper().replace("×", "X")
    for candidate in _id_candidates(text):
        if idnumber.check(candidate).status != "fail":
            return candidate, True
        repaired = idnumber.repair(candidate)
        if repaired:
            return repaired, True
    runs = _id_candidates(text)
    return (runs[0], False) if runs else (None, False)


def _id_candidates(text: str) -> list[str]:
    mapped = "".join(c if c in "0123456789X" else c.translate(DIGIT_LOOKALIKES) for c in text)
    runs = re.findall(r"[0-9X]{17,20}", mapped)
    candidates = []
    for run in runs:
        # A stray character before or after the number shifts it; try every 18-wide window.
        for start in range(0, len(run) - 17):
            window = run[start:start + 18]
            if "X" not in window[:17]:
                candidates.append(window)
    return candidates


def certificate_number(text: str) -> tuple[str | None, bool]:
    text = clean(text).upper()
    match = re.search(r"([A-Z0-9])([0-9OIlSBZDG]{9})(?![0-9])", text)
    if not match:
        return None, False
    letter = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}.get(match.group(1), match.group(1))
    digits = match.group(2).translate(DIGIT_LOOKALIKES)
    return letter + digits, letter.isalpha() and digits.isdigit()


def card_number(text: str) -> tuple[str | None, bool]:
    text = re.sub(r"[^A-Za-z0-9]", "", clean(text)).upper()
    if not text:
        return None, False
    match = re.search(r"[A-Z]?\d{7,11}", text[:1] + text[1:].translate(DIGIT_LOOKALIKES))
    value = match.group(0) if match else text
    return value, match is not None


def cjk_text(text: str) -> tuple[str | None, bool]:
    """Addresses, authorities, relations, ethnicity: the printed Chinese text, spaces removed."""
    text = clean(text)
    text = re.sub(rf"^[^{CJK}0-9]+|[^{CJK}0-9号室）)]+$", "", text)
    return (text or None), bool(re.search(rf"[{CJK}]", text))


def ethnicity(text: str) -> tuple[str | None, bool]:
    value, ok = cjk_text(text)
    if value:
        value = re.sub(rf"[^{CJK}]", "", value)
        value = value[:-1] if value.endswith("族") and len(value) > 1 else value
    return value or None, ok and bool(value) and len(value) <= 5


VALIDITY = re.compile(r"(\d{4})\D?(\d{2})\D?(\d{2})\D{0,3}?(?:(\d{4})\D?(\d{2})\D?(\d{2})|(长期))")


def _validity(text: str) -> tuple[date | None, str | None]:
    text = clean(text)
    mapped = "".join(c if c in "长期" else c.translate(DIGIT_LOOKALIKES) for c in text)
    match = VALIDITY.search(mapped)
    if not match:
        return None, None
    try:
        start = date(*(int(g) for g in match.group(1, 2, 3)))
        if match.group(7):
            return start, "长期"
        return start, date(*(int(g) for g in match.group(4, 5, 6))).isoformat()
    except ValueError:
        return None, None


def validity_from(text: str) -> tuple[str | None, bool]:
    start, _ = _validity(text)
    return (start.isoformat(), True) if start else (None, False)


def validity_until(text: str) -> tuple[str | None, bool]:
    _, until = _validity(text)
    if until is None and "长期" in clean(text):
        return "长期", True
    return until, until is not None


NORMALISERS: dict[str, Callable[[str], tuple[str | None, bool]]] = {
    "name": name,
    "sex": sex,
    "date": date_value,
    "id_number": id_number,
    "certificate_number": certificate_number,
    "card_number": card_number,
    "ethnicity": ethnicity,
    "address": cjk_text,
    "authority": cjk_text,
    "relation": cjk_text,
    "validity_from": validity_from,
    "validity_until": validity_until,
}
