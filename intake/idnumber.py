"""Chinese resident ID numbers (公民身份号码, GB 11643-1999).

An 18-character number: 6-digit region code (GB/T 2260), 8-digit birth date,
3-digit sequence (odd = male) and an ISO 7064 MOD 11-2 check character.
The check-digit arithmetic, birth-date parsing and the region table come from
python-stdnum (``stdnum.cn.ric`` and its ``cn/loc`` data); this module adds the
verdict shape the pipeline needs, bilingual reasons, masking and OCR repair.

Region policy: the first two digits must be a real province, otherwise the
number fails. A full code stdnum does not know only sends the number to
review, since new county codes appear every year and the table lags behind.
A code stdnum knows for *any* period is accepted: the code records where the
number was first issued, which can be years after birth, so stdnum's own
"was this county in use in the birth year" test would wrongly flag parents.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache
from typing import Literal

from pydantic import BaseModel
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

# Residence permits for Hong Kong/Macao/Taiwan residents (2018 on) share the
# format with codes 810000/820000/830000; stdnum lacks 83 (Taiwan is 71 there).
_TAIWAN_PERMIT = "台湾居民居住证"

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc]+")
_FORMAT = re.compile(r"[0-9]{17}[0-9X]")  # not \d: that admits e.g. Arabic-Indic digits
_MIN_YEAR = 1900


class IdVerdict(BaseModel):
    number: str  # as given, normalised
    valid: bool  # the number itself: format, check digit, real date, known region
    status: Literal["pass", "fail", "review"]  # also covers printed-data agreement
    reasons: list[str]  # "中文 / English"
    birth_date: date | None = None
    sex: Literal["male", "female"] | None = None
    region_code: str | None = None
    region_name: str | None = None


def _clean(raw: str) -> str:
    # NFKC folds fullwidth digits/letters and the ideographic space.
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or ""))


def normalise(raw: str) -> str:
    """Strip spaces and hyphens, fold fullwidth characters, upper-case x."""
    return _clean(raw).upper()


def check_digit(first17: str) -> str:
    """The GB 11643 check character ('0'-'9' or 'X') for 17 digits."""
    if not re.fullmatch(r"[0-9]{17}", first17):
        raise ValueError("need exactly 17 digits")
    return ric.calc_check_digit(first17 + "0")  # stdnum ignores the last char


def _lookup(code6: str) -> dict[str, str]:
    props: dict[str, str] = {}
    for _part, p in numdb.get("cn/loc").info(code6):
        props.update(p)
    return props


def _province(code6: str) -> str | None:
    return _TAIWAN_PERMIT if code6[:2] == "83" else _lookup(code6[:2] + "0000").get("province")


def _county(code6: str, year: int | None) -> str | None:
    """Name of a code's county, preferring the name in use in `year`."""
    # .get, not ["county"]: stdnum's own lookup raises KeyError for codes it lacks.
    names, best = _lookup(code6).get("county"), None
    for entry in names.split(",") if names else []:
        m = re.fullmatch(r"\[(\d*)-(\d*)\](.*)", entry)
        if not m:
            return entry
        best = m.group(3)  # if no period matches, the latest name
        if year and (not m.group(1) or year >= int(m.group(1))) and (not m.group(2) or year <= int(m.group(2))):
            return best
    return best


def _names(entries: str | None) -> list[str]:
    """The names in a table entry ("[-1990]清原县,[1990-]清原满族自治县"), without their periods."""
    return [re.sub(r"^\[\d*-\d*\]", "", entry) for entry in (entries or "").split(",") if entry]


def county_names(code6: str) -> list[str]:
    """Every name a code's county has had (乾县 for 610424), latest last."""
    return _names(_lookup(code6).get("county"))


@cache
def _every_county_name() -> frozenset[str]:
    names: set[str] = set()
    stack = list(numdb.get("cn/loc").prefixes)
    while stack:
        _length, _low, _high, props, children = stack.pop()
        names.update(_names(props.get("county")))
        stack.extend(children)
    return frozenset(names)


def is_county_name(name: str) -> bool:
    """Whether any county, district or county-level city in the code table, now or before, bears the name."""
    return name in _every_county_name()


def names_a_place(name: str) -> bool:
    """Whether a name as a bureau prints it is a county's or a city's in the code table: whole (宣化区, 张家口市),
    or a district's without its 区 or 新区 (宣化 of 宣化分局, 浦东 of 上海市公安局浦东分局)."""
    return is_county_name(name) or any(county.startswith(name) and county.endswith("区") and len(county) - len(name) <= 2
                                       for county in _every_county_name())


def region_prefix(code6: str) -> str | None:
    """The province and city a county's full name starts with (陕西省咸阳市 for 610424), from the table."""
    full, county = _region_name(code6, None), _county(code6, None)
    return full[:-len(county)] if full and county and full.endswith(county) else None


def _region_name(code6: str, year: int | None) -> str | None:
    if code6 == "830000":
        return _TAIWAN_PERMIT
    province, county = _province(code6), _county(code6, year)
    if province is None or county is None or code6[2:] == "0000":
        return county  # province-level rows name themselves (stdnum's 81/82 differ in script)
    parts = [province]
    if (city := _city(code6, year)) is not None:
        parts.append(city)
    parts.append(county)
    return "".join(dict.fromkeys(parts))  # 北京市 + 北京市 -> 北京市


def _city(code6: str, year: int | None) -> str | None:
    """The city a county belongs to, where the table names one."""
    city = _county(code6[:4] + "00", year) if code6[4:] != "00" else None
    # Placeholder rows ("市辖区", "县", "省直辖...") are not place names.
    return city if city and city not in ("市辖区", "县") and "直辖" not in city else None


def city_name(code6: str) -> str | None:
    """The city a county belongs to; for a municipality's district, the municipality (北京市 for 110105)."""
    province = _province(code6)
    return _city(code6, None) or (province if province and province.endswith("市") else None)


def is_plausible_region(code6: str) -> bool:
    """Six digits under a real province (the county may be newer than our table)."""
    return bool(re.fullmatch(r"[0-9]{6}", code6 or "")) and _province(code6) is not None


_SEX_ZH = {"male": "男", "female": "女"}
_SEX_WORDS = {"male": "male", "m": "male", "男": "male", "female": "female", "f": "female", "女": "female"}


def encoded_birth(n: str, today: date) -> tuple[date | None, str | None]:
    """The encoded birth date if it exists, and what is wrong with it."""
    try:
        born = ric.get_birth_date(n)
    except ValidationError:
        raw = f"{n[6:10]}-{n[10:12]}-{n[12:14]}"
        return None, f"出生日期 {raw} 不存在 / birth date {raw} does not exist"
    if born > today:
        return born, f"出生日期 {born} 晚于今天 / birth date {born} is in the future"
    if born.year < _MIN_YEAR:
        return born, f"出生日期 {born} 早于{_MIN_YEAR}年 / birth date {born} is before {_MIN_YEAR}"
    return born, None


def check(number: str, printed_birth_date: date | None = None,
          printed_sex: str | None = None, today: date | None = None) -> IdVerdict:
    """Validate a number; optionally compare it with what a document prints."""
    today = today or date.today()
    psex = None if printed_sex is None else _SEX_WORDS.get(printed_sex.strip().lower())
    if printed_sex is not None and psex is None:  # a caller bug, not an applicant's
        raise ValueError(f"unrecognised printed sex: {printed_sex!r}")
    n = normalise(number)
    v = IdVerdict(number=n, valid=False, status="fail", reasons=[])
    if not n:
        v.reasons.append("号码为空 / number is empty")
        return v
    if re.fullmatch(r"[0-9]{15}", n):
        v.reasons.append("15位旧号码，须使用18位号码 / old 15-digit number, the 18-character number is required")
        return v
    if len(n) != 18:
        v.reasons.append(f"长度应为18位，实为{len(n)}位 / must be 18 characters, got {len(n)}")
        return v
    if not _FORMAT.fullmatch(n):
        v.reasons.append("前17位须为数字，末位须为数字或X / first 17 characters must be digits, the last a digit or X")
        return v

    failures: list[str] = []
    region_doubts: list[str] = []
    expected = check_digit(n[:17])
    if n[17] != expected:
        failures.append(f"校验位错误，应为 {expected} / check digit wrong, expected {expected}")

    born, problem = encoded_birth(n, today)
    failures += [problem] if problem else []
    v.birth_date = born  # a real calendar date, even if out of range: reasons say so
    v.sex = "male" if int(n[16]) % 2 else "female"
    v.region_code = n[:6]

    if _province(n) is None:
        failures.append(f"省级代码 {n[:2]} 不存在 / province code {n[:2]} does not exist")
    else:
        v.region_name = _region_name(n[:6], born.year if born else None)
        if v.region_name is None:
            region_doubts.append(f"地区码 {n[:6]} 不在代码表中，请人工核对 / "
                                 f"region code {n[:6]} not in the code table, check by hand")
    v.valid = not failures and not region_doubts

    if printed_birth_date is not None and born is not None and printed_birth_date != born:
        failures.append(f"出生日期不符：号码为 {born}，证件为 {printed_birth_date} / "
                        f"birth date mismatch: number has {born}, document has {printed_birth_date}")
    if psex is not None and psex != v.sex:
        failures.append(f"性别不符：号码为{_SEX_ZH[v.sex]}，证件为{_SEX_ZH[psex]} / "
                        f"sex mismatch: number says {v.sex}, document says {psex}")
    v.reasons = failures + region_doubts
    v.status = "fail" if failures else "review" if region_doubts else "pass"
    return v


def passes_check_digit(number: str) -> bool:
    """Whether an 18-character number's last character is the check character of its first 17: no single
    misread digit passes, so a number that does is read as printed or misread in two places."""
    n = normalise(number)
    return bool(_FORMAT.fullmatch(n)) and check_digit(n[:17]) == n[17]


def mask(number: str) -> str:
    """'110105********002X': first 6 and last 4 characters, stars between."""
    n = normalise(number)
    # Fragments show proportionally less, so a short one is never mostly bare;
    # a full 18-character number shows exactly 6 + 4.
    head, tail = min(6, len(n) // 3), min(4, len(n) // 4)
    return n[:head] + "*" * (len(n) - head - tail) + n[len(n) - tail:]


# Letters OCR returns for digits (case matters: B looks like 8, b like 6).
_OCR_DIGITS = dict(zip("OoDQlIi|!ZzSsBGbTgqA", "00001111122558667994"))
_OCR_CHECK = {"x": "X", "×": "X", "K": "X", "k": "X", "\u0425": "X", "\u0445": "X"}  # also Cyrillic Х
# Digit pairs print/OCR confuse; applied both ways.
_DIGIT_CONFUSIONS = [("0", "8"), ("1", "7"), ("3", "8"), ("5", "6"), ("6", "8")]
_PARTNERS = {d: [b if a == d else a for a, b in _DIGIT_CONFUSIONS if d in (a, b)] for d in "0123456789"}


def _plausible(n: str, today: date) -> bool:
    return passes_check_digit(n) and encoded_birth(n, today)[1] is None


def _as_read(s: str) -> str:
    """A reading's letters as the digits they are misread for, its last character as a check character."""
    return "".join(_OCR_DIGITS.get(c, c) for c in s[:-1]) + _OCR_CHECK.get(s[-1], _OCR_DIGITS.get(s[-1], s[-1])).upper()


def repair(raw: str, swaps: bool = True) -> str | None:
    """Undo common OCR confusions; None unless the fix is unambiguous.

    Letters in a digit position are always misreadings; swapping one digit for a
    look-alike digit (`swaps`) is a guess, for readings that were unsure anyway.
    """
    s, today = _clean(raw), date.today()
    if len(s) != 18:
        return None  # a dropped or doubled character cannot be placed reliably
    n = _as_read(s)
    if not _FORMAT.fullmatch(n):
        return None
    if _plausible(n, today):
        return n
    if not swaps or check_digit(n[:17]) == n[17]:
        return None  # MOD 11-2 catches every single substitution, so none can help
    candidates = {n[:i] + alt + n[i + 1:] for i, c in enumerate(n) for alt in _PARTNERS.get(c, ())}
    return the_one_passing(candidates, today)


# No parent of a newborn is older than this (years).
OLDEST_PARENT = 70


def restore_repeat(raw: str) -> str | None:
    """A 17-character reading whose missing character repeated its neighbour; None unless exactly one
    such doubling gives a number that holds.

    The recogniser (CTC) writes a character that fills two cells in a row once unless it sees a blank
    between them, so a number's 0111 comes out 011; a character lost any other way cannot be placed."""
    s, today = _clean(raw), date.today()
    if len(s) != 17:
        return None
    n = _as_read(s)
    # The numbers read are a newborn's and its parents', under a province that exists: a doubling that dates
    # its holder to 1911 (a 1991 whose 99 was read once, on a certificate that printed it with a wrong check
    # digit), or puts them under province 60 (the 3 of 360102 lost), is no restoration.
    doublings = {n[:i] + n[i] + n[i:] for i in range(17)}
    living = {d for d in doublings if _FORMAT.fullmatch(d) and int(d[6:10]) > today.year - OLDEST_PARENT
              and is_plausible_region(d[:6])}
    return the_one_passing(living, today)


def the_one_passing(candidates: set[str], today: date) -> str | None:
    passing = [c for c in candidates if _plausible(c, today)]
    if len(passing) > 1:
        # A reading under a province that does not exist is no rival to one under a real province.
        passing = [c for c in passing if is_plausible_region(c[:6])]
    # Two passing readings mean the check digit cannot tell them apart: a
    # guess would put a wrong but valid-looking number on the card.
    return passing[0] if len(passing) == 1 else None


def check_id_command(numbers: list[str]) -> int:
    """`intake check-id NUMBER...`: one verdict per number; 0 if all valid."""
    try:
        from rich.console import Console
        from rich.text import Text
        console = Console(highlight=False, soft_wrap=True)

        def emit(line: str, style: str) -> None:
            console.print(Text(line, style=style))  # Text, not markup: input may hold "["
    except ImportError:
        def emit(line: str, style: str) -> None:
            print(line)

    colour = {"pass": "green", "review": "yellow", "fail": "red"}
    for v in (verdicts := [check(raw) for raw in numbers]):
        # The officer typed the number, so it is shown in full, not mask()ed.
        info = [str(v.birth_date) if v.birth_date else "",
                f"{_SEX_ZH[v.sex]}/{v.sex}" if v.sex else "",
                f"{v.region_name} ({v.region_code})" if v.region_name else ""]
        mark = ("✓ " if v.valid else "✗ ") + v.status
        emit("  ".join([v.number or "''", mark, *filter(None, info)]), colour[v.status])
        for reason in v.reasons:
            emit("    " + reason, colour[v.status])
    return 0 if all(v.valid for v in verdicts) else 1
