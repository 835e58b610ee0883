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
# Characters a blurred or small 女 or 子 is read as, where only a closed list's words may stand (a sex,
# a relation): tried only when the text holds none of the list's words.
CHOICE_LOOKALIKES = str.maketrans({"文": "女", "攵": "女", "于": "子", "孑": "子", "了": "子"})
FULLWIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"Ｘ": "X", "：": ":", "．": "."})


def clean(text: str) -> str:
    return "".join(text.translate(FULLWIDTH).split())


_to_simplified = None


def simplified(text: str) -> str:
    """Documents print simplified characters; an OCR model that answers with a traditional form
    (瑤 for 瑶) has read the right character, so it is mapped back (OpenCC's t2s tables)."""
    global _to_simplified
    if _to_simplified is None:
        import opencc

        _to_simplified = opencc.OpenCC("t2s")
    return _to_simplified.convert(text)


# A name written in Chinese characters from another language (维吾尔, 哈萨克, ...) is its parts (the given name,
# the father's) joined by a middle dot, and longer than a Han name: 古丽娜尔·阿不都热合曼 is eleven.
LONGEST_TRANSLITERATED = 16


def name(text: str) -> tuple[str | None, bool]:
    # Minority names carry a middle dot, which OCR returns in several forms.
    text = re.sub(r"[•·．.・‧∙⋅]", "·", simplified(clean(text)))
    text = re.sub(rf"(?<=[{CJK}])[-‐‑–—―]+(?=[{CJK}])", "·", text)  # the dot read as a dash (阿娜尔-伊力哈木)
    chars = re.findall(rf"[{CJK}·]+", text)
    if not chars:
        return None, False
    value = re.sub("·+", "·", max(chars, key=len).strip("·"))
    # A leading 一 is the field's underline or the label's dash read as a character: no surname is 一.
    if value.startswith("一") and len(value) >= 3:
        value = value[1:]
    if "·" in value:
        return value, len(value) <= LONGEST_TRANSLITERATED and all(len(part) >= 2 for part in value.split("·"))
    return value or None, 2 <= len(value) <= 6


def sex(text: str) -> tuple[str | None, bool]:
    text = clean(text)
    for char in text:
        if char in "男女":
            return ("male" if char == "男" else "female"), True
    lowered = text.lower()
    if "female" in lowered:
        return "female", True
    if "male" in lowered:
        return "male", True
    # Read through a look-alike, the value is a guess: unsure.
    guess = next((char for char in text.translate(CHOICE_LOOKALIKES) if char in "男女"), None)
    return ("male" if guess == "男" else "female" if guess else None), False


DATE = re.compile(r"(\d{4})\D{0,3}?(\d{1,2})\D{0,3}?(\d{1,2})")


# A month or day of three digits (11月113日: a digit read twice, or another read in; 11月2317时: 日 lost
# between the day and the hour; 2026年1231114, a crop read without 月, 日 and 时): which are the day's is a
# guess, and a confident one gave a birth a wrong day; the date is not read.
DOUBLED = re.compile(r"[年月]\d{3,}[月日时]|年\d{5,}")
# The years a date is read in, unless its field says narrower.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def parse_date(text: str, earliest: int = EARLIEST_YEAR, latest: int = LATEST_YEAR) -> date | None:
    found = _date_match(text, earliest, latest)
    return found[0] if found else None


def date_span(text: str) -> tuple[int, int] | None:
    """Where in the text (without spaces) the date `parse_date` reads is printed: the rest of its row (an
    English label misread 0r1h beside it) is not the date's, nor is its sureness."""
    found = _date_match(text)
    return found[1] if found else None


def _date_match(text: str, earliest: int = EARLIEST_YEAR, latest: int = LATEST_YEAR) -> tuple[date, tuple[int, int]] | None:
    # As printed first; letters read as digits only when that finds nothing (English labels share the row).
    text = clean(text)
    if DOUBLED.search(text):
        return None
    for digits in (text, text.translate(DIGIT_LOOKALIKES)):
        for match in DATE.finditer(digits):
            year, month, day = (int(g) for g in match.groups())
            if earliest <= year <= latest:
                try:
                    return date(year, month, day), match.span()
                except ValueError:
                    continue
    return None


def date_value(text: str) -> tuple[str | None, bool]:
    found = parse_date(text)
    return (found.isoformat(), True) if found else (None, False)


def id_number(text: str, swaps: bool = False) -> tuple[str | None, bool]:
    """The first number on the line whose check digit holds, else the first 18-character run.

    With `swaps`, a digit may be exchanged for a look-alike when exactly one such
    exchange makes the check digit hold: only for readings that were unsure.
    """
    text = _id_text(text)
    candidates = _id_candidates(text)
    for candidate in candidates:
        if idnumber.check(candidate).status != "fail":
            return candidate, True
    for candidate in candidates:
        repaired = idnumber.repair(candidate, swaps=swaps)
        if repaired:
            return repaired, True
    runs = _id_candidates(text)
    return (runs[0], False) if runs else (None, False)


def restored_id_number(text: str) -> str | None:
    """A number read a character short, the character a repeat the recogniser wrote once (0111 read 011),
    when exactly one doubling makes it hold (idnumber.restore_repeat)."""
    for run in re.findall(r"(?<![0-9X])[0-9X]{17}(?![0-9X])", _as_digits(_id_text(text))):
        restored = idnumber.restore_repeat(run)
        if restored:
            return restored
    return None


def _id_text(text: str) -> str:
    return clean(text).replace("×", "X").replace("x", "X")


def _as_digits(text: str) -> str:
    """The line with the letters that look like digits read as those digits."""
    return "".join(c if c in "0123456789X" else c.translate(DIGIT_LOOKALIKES) for c in text)


def _id_candidates(text: str) -> list[str]:
    mapped = _as_digits(text)
    runs = re.findall(r"[0-9X]{17,20}", text) + re.findall(r"[0-9X]{17,20}", mapped)
    candidates = []
    for run in runs:
        # A stray character before or after the number shifts it; try every 18-wide window.
        for start in range(0, len(run) - 17):
            window = run[start:start + 18]
            if "X" not in window[:17]:
                candidates.append(window)
    return candidates


# "No." before a number starting with O is often read as N and 0: N0 and nine digits is O and nine digits.
NUMBER_AFTER_NO = re.compile(r"N[O0]?[.:]?([0O])([0-9]{9})(?![0-9])")


# A run of digits as long as an ID number is one (a parent's, after IDNo. read IDN), no certificate number.
ID_LENGTH_RUN = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def certificate_number(text: str) -> tuple[str | None, bool]:
    printed = ID_LENGTH_RUN.sub(" ", clean(text))
    text = printed.upper()
    # A letter and nine digits as printed first; then a first character OCR may have read as a digit.
    # Ten digits after no capital are the letter read as a digit and the nine (Q read 0), not a stray
    # lower-case letter of the label (No. read "sa") and the first nine of the ten.
    match = (re.search(r"([A-Z])([0-9]{9})(?![0-9])", text) or NUMBER_AFTER_NO.search(text)
             or re.search(r"(?<![0-9A-Z])([0-9])([0-9]{9})(?![0-9])", printed)
             or re.search(r"([A-Z])([0-9]{9})", text) or re.search(r"([A-Z0-9])([0-9OIlSBZDG]{9})(?![0-9])", text))
    if not match:
        return None, False
    letter = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}.get(match.group(1), match.group(1))
    digits = match.group(2).translate(DIGIT_LOOKALIKES)
    # A letter read as a digit is a guess among its look-alikes (0 is O, Q or D): unsure, and read again.
    guessed = match.group(1).isdigit() and match.re is not NUMBER_AFTER_NO
    return letter + digits, letter.isalpha() and digits.isdigit() and not guessed


def card_number(text: str) -> tuple[str | None, bool]:
    """The social security card's number: one letter and eight digits, as the national card prints it.
    Digits read past the eighth are the card's edge or the chip's outline, not the number; but a card
    whose 卡号 is its bank card's number (16 to 19 digits, printed in groups) keeps them all."""
    text = re.sub(r"[^A-Za-z0-9]", "", clean(text)).upper()
    if not text:
        return None, False
    mapped = text[:1] + text[1:].translate(DIGIT_LOOKALIKES)
    national = re.search(r"[A-Z]\d{8}", mapped)
    bank = None if national else re.fullmatch(r"\d{16,19}", mapped)
    match = national or bank or re.search(r"[A-Z]?\d{7,11}", mapped)
    value = match.group(0) if match else text
    return value, match is not None and (len(value) == 9 or match is bank)


def cjk_text(text: str) -> tuple[str | None, bool]:
    """Addresses and authorities: the printed Chinese text, spaces removed."""
    text = simplified(clean(text))
    text = re.sub(rf"^[^{CJK}0-9]+|[^{CJK}0-9号室）)]+$", "", text)
    return (text or None), bool(re.search(rf"[{CJK}]", text))


# What an address holds: Chinese, digits, building letters (A座), brackets and dashes (12-3号).
ADDRESS = re.compile(rf"[{CJK}0-9A-Z（）()\-－]+")


def address(text: str) -> tuple[str | None, bool]:
    """An address as printed; one ending in a digit (前进村9组69) or holding a stray mark (道外区]农路) lost a
    character where a line of it ended, and is read again."""
    value, has_chinese = cjk_text(text)
    return value, has_chinese and value is not None and not value[-1].isdigit() and ADDRESS.fullmatch(value) is not None


def authority(text: str) -> tuple[str | None, bool]:
    """An issuing authority is a public security bureau or its branch: its name ends in 局, and
    what a reading runs on into after that (the validity dates beside it) is not part of it."""
    text = re.sub(rf"[^{CJK}]", "", simplified(clean(text)))
    end = text.rfind("局")
    if end >= 0:
        text = text[:end + 1]
    return (text or None), end >= 1


def _closed_list(name: str) -> list[str]:
    from intake.schemas import value_list

    return value_list(name)


def ethnicity(text: str) -> tuple[str | None, bool]:
    """One of the 56 recognised ethnic groups, as printed on the card (汉, not 汉族)."""
    text = re.sub(rf"[^{CJK}]", "", clean(text))
    for known in sorted(_closed_list("ethnicities"), key=len, reverse=True):
        if known in text:
            return known, True
    value = text[:-1] if text.endswith("族") and len(text) > 1 else text
    return value or None, False


def relation(text: str) -> tuple[str | None, bool]:
    """The relation to the head of household, from the household register's list."""
    text = re.sub(rf"[^{CJK}]", "", clean(text))
    for chars, read_as_printed in ((text, True), (text.translate(CHOICE_LOOKALIKES), False)):
        entries: list[tuple[int, int, str]] = []  # each entry read, longest first (长子, not its 子)
        for known in sorted(_closed_list("relations"), key=len, reverse=True):
            for found in re.finditer(re.escape(known), chars):
                if all(found.end() <= start or found.start() >= end for start, end, _ in entries):
                    entries.append((found.start(), found.end(), known))
        if entries:
            # A misread label before the value can hold an entry too (与户主关系 read 与疗主夫桑子): the value
            # is the entry read last.
            return max(entries)[2], read_as_printed
    return text or None, False


VALIDITY = re.compile(r"(\d{4})\D?(\d{2})\D?(\d{2})\D{0,3}?(?:(\d{4})\D?(\d{2})\D?(\d{2})|(长期))")


# A card's validity ends on its start's month and day, 5, 10 or 20 years on (GB 19099): an end whose day or
# month a glare or a close crop took (2013.03.30-2033.03) is the start's, its year read.
CUT_SHORT = re.compile(r"(\d{4})\D?(\d{2})\D?(\d{2})\D{0,3}?(\d{4})(?:\D?(\d{2}))?(?:\D?\d)?\D*$")
PERIODS = (5, 10, 20)
# The end lost past its year (2023.04.20-3): the start, whole before its dash, still stands.
START_ONLY = re.compile(r"(\d{4})\D?(\d{2})\D?(\d{2})\s*[-—–~至]")


def _validity(text: str) -> tuple[date | None, str | None, bool]:
    """Start, end, and whether the end was read whole (not completed from the start)."""
    text = clean(text)
    mapped = "".join(c if c in "长期" else c.translate(DIGIT_LOOKALIKES) for c in text)
    match = VALIDITY.search(mapped)
    try:
        if match:
            start = date(*(int(g) for g in match.group(1, 2, 3)))
            if match.group(7):
                return start, "长期", True
            return start, date(*(int(g) for g in match.group(4, 5, 6))).isoformat(), True
        cut = CUT_SHORT.search(mapped)
        if not cut:
            alone = START_ONLY.search(mapped)
            return (date(*(int(g) for g in alone.group(1, 2, 3))) if alone else None), None, False
        start = date(*(int(g) for g in cut.group(1, 2, 3)))
        years = int(cut.group(4)) - start.year
        if years in PERIODS and (cut.group(5) is None or int(cut.group(5)) == start.month):
            return start, _years_on(start, years).isoformat(), False
        return start, None, False
    except ValueError:
        return None, None, False


def _years_on(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February, in a year without one
        return date(start.year + years, 2, 28)


def validity_from(text: str) -> tuple[str | None, bool]:
    start, _, _ = _validity(text)
    return (start.isoformat(), True) if start else (None, False)


def validity_until(text: str) -> tuple[str | None, bool]:
    _, until, whole = _validity(text)
    if until is None and "长期" in clean(text):
        return "长期", True
    # An end completed from the start is right by the rule but was not read: staff look.
    return until, until is not None and whole


NORMALISERS: dict[str, Callable[[str], tuple[str | None, bool]]] = {
    "name": name,
    "sex": sex,
    "date": date_value,
    "id_number": id_number,
    "certificate_number": certificate_number,
    "card_number": card_number,
    "ethnicity": ethnicity,
    "address": address,
    "authority": authority,
    "relation": relation,
    "validity_from": validity_from,
    "validity_until": validity_until,
}


# Characters a second, single-line reading of a value may return, by kind; None: any.
WHITELISTS: dict[str, str | None] = {
    "id_number": "0123456789X",
    "date": "0123456789年月日.-",
    "certificate_number": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "card_number": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "validity_from": "0123456789.-长期",
    "validity_until": "0123456789.-长期",
    "name": None,
    "sex": "男女",
    "ethnicity": None,
    "relation": None,
    "authority": None,
    "address": None,
}

# Kinds whose value wraps onto the lines below its label's (read on, and read again, as lines).
WRAPPING = {"address"}
# Values printed as one run of text: a gap between columns ends them (a name whose neighbouring
# cell's label was not read would otherwise run on into that cell's value: 邓墨勇子).
ONE_RUN = {"name", "sex", "ethnicity", "relation"}
# Values of one character (性别 Sex 女): the detector takes a lone character into its label's run, and
# the recogniser, reading the run, can leave it out.
ONE_CHARACTER = {"sex"}
