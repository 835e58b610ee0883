"""Differential test: intake.idnumber.check against the PyPI package id-validator.

About 12,000 numbers are generated with a fixed seed: valid ones, wrong check
digits, impossible dates, unknown and table-specific region codes, future and
pre-1900 dates, old 15-digit numbers, and the standard's own example. Ours is
compared with ``id_validator.validator.is_valid`` (non-strict, its default).

The two must agree everywhere except where one of the named rules below
explains the difference. Each rule is a deliberate choice of ours (or a
difference between the two region tables) and is asserted narrowly: the rule
must hold *and* every other part of the number must be fine on both sides.
"""

from __future__ import annotations

import functools
import random
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
import stdnum.cn

from intake.idnumber import IdVerdict, check, check_digit

id_validator = pytest.importorskip("id_validator")
from id_validator import data as iv_data  # noqa: E402
from id_validator import helper as iv_helper  # noqa: E402
from id_validator import validator  # noqa: E402

SEED = 11643
STANDARD_EXAMPLE = "11010519491231002X"


@pytest.fixture(scope="module", autouse=True)
def _fast_id_validator():
    """id-validator rebuilds its region dicts (7,000 entries) on every call,
    13 ms per number; caching them changes nothing but the speed."""
    names = ("get_address_code", "get_address_code_timeline", "get_additional_address_code_timeline")
    originals = {n: getattr(iv_data, n) for n in names}
    for n, f in originals.items():
        setattr(iv_data, n, functools.lru_cache(maxsize=None)(f))
    yield
    for n, f in originals.items():
        setattr(iv_data, n, f)


# --- the two region tables ------------------------------------------------------


def stdnum_codes() -> set[str]:
    """Every 6-digit code in stdnum's cn/loc.dat, for any period."""
    codes, province = set(), None
    for line in Path(stdnum.cn.__file__).with_name("loc.dat").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^(\d\d) ", line):
            province = m.group(1)
        elif m := re.match(r"^  (\d{4}) ", line):
            codes.add(province + m.group(1))
    return codes


def iv_region_ok(code6: str, birthday8: str = "20000101") -> bool:
    return iv_helper.check_address_code(code6, birthday8, False)


# --- the deliberate differences -------------------------------------------------
# Each rule gets (number as passed to both, our verdict, id-validator's answer,
# today) and says whether it explains a disagreement.


def rule_unknown_county_is_review(n: str, ours: IdVerdict, theirs: bool, today: date) -> bool:
    """We never pass a full region code stdnum's table lacks: the number goes
    to review (valid=False). id-validator accepts it from its own table, from
    its guesses for unlisted xxxx01/02/11/20 codes, or because it checks only
    the province for 8x (Hong Kong/Macao/Taiwan residence permit) codes."""
    return ours.status == "review" and not ours.valid and theirs and iv_region_ok(n[:6], n[6:14])


def rule_region_only_in_stdnum(n: str, ours: IdVerdict, theirs: bool, today: date) -> bool:
    """stdnum's table has some codes id-validator's lacks (Taiwan 710000,
    several retired counties such as 332825 or 350404): we pass, it rejects
    for the region alone (its date and check-digit tests pass)."""
    return (ours.valid and not theirs and not iv_region_ok(n[:6], n[6:14])
            and iv_helper.check_birthday_code(n[6:14])
            and iv_helper.generator_check_bit(n[:17]) == n[17].upper())


def rule_future_date_this_year(n: str, ours: IdVerdict, theirs: bool, today: date) -> bool:
    """id-validator compares only the birth *year* with the current year, so
    a birth date later this year passes there. We fail any date after today.
    Checked as: with 'today' moved to 31 December we agree with it."""
    born = ours.birth_date
    return (theirs and not ours.valid and born is not None and born > today
            and born.year == today.year and check(n, today=date(today.year, 12, 31)).valid)


def rule_born_before_1900(n: str, ours: IdVerdict, theirs: bool, today: date) -> bool:
    """id-validator accepts years from 1800; we fail anything before 1900
    (no living applicant's parent, and a typo far more likely). That must be
    our only objection."""
    return (theirs and not ours.valid and ours.birth_date is not None
            and 1800 <= ours.birth_date.year < 1900
            and len(ours.reasons) == 1 and "before 1900" in ours.reasons[0])


def rule_old_15_digit_number(n: str, ours: IdVerdict, theirs: bool, today: date) -> bool:
    """id-validator accepts the pre-1999 15-digit format; the card office
    needs the 18-character number, so we fail it with a reason saying so."""
    return len(n) == 15 and theirs and ours.status == "fail" and "15-digit" in ours.reasons[0]


RULES = [
    rule_unknown_county_is_review,
    rule_region_only_in_stdnum,
    rule_future_date_this_year,
    rule_born_before_1900,
    rule_old_15_digit_number,
]


# --- generation -----------------------------------------------------------------


def _number(code6: str, born: date | str, seq: int, rng: random.Random) -> str:
    birth = born if isinstance(born, str) else born.strftime("%Y%m%d")
    body = f"{code6}{birth}{seq:03d}"
    n = body + check_digit(body)
    return n.lower() if n.endswith("X") and rng.random() < 0.3 else n  # lower-case x too


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def generate(today: date) -> list[tuple[str, str]]:
    rng = random.Random(SEED)
    std = stdnum_codes()
    both = sorted(c for c in std if iv_region_ok(c))
    only_std = sorted(c for c in std if not iv_region_ok(c))
    iv_codes = set(iv_data.get_address_code_timeline()) | set(iv_data.get_additional_address_code_timeline())
    only_iv = sorted(iv_codes - std)
    provinces = sorted({c[:2] for c in std})
    past = lambda: _day(rng, date(1900, 1, 1), today)  # noqa: E731
    seq = lambda: rng.randrange(1000)  # noqa: E731
    out: list[tuple[str, str]] = [("standard_example", STANDARD_EXAMPLE)]

    for _ in range(3500):
        out.append(("valid", _number(rng.choice(both), past(), seq(), rng)))
    for _ in range(2000):
        n = _number(rng.choice(both), past(), seq(), rng)
        wrong = rng.choice([c for c in "0123456789X" if c != n[-1].upper()])
        out.append(("wrong_check_digit", n[:-1] + wrong))
    for _ in range(1500):
        y = rng.randrange(1900, today.year + 1)
        mmdd = rng.choice([
            f"{rng.choice([0, 13, 14, 19, 20, 99]):02d}{rng.randrange(1, 29):02d}",  # no such month
            f"{rng.randrange(1, 13):02d}{rng.choice([0, 32, 35, 39, 99]):02d}",  # no such day
            rng.choice(["0230", "0231", "0431", "0631", "0931", "1131"]),
        ])
        if y % 4 and rng.random() < 0.2:
            mmdd = "0229"  # 29 February in a common year
        out.append(("impossible_date", _number(rng.choice(both), f"{y}{mmdd}", seq(), rng)))
    for _ in range(1500):
        code = f"{rng.choice(provinces)}{rng.randrange(10000):04d}"  # real province, any county
        out.append(("random_county", _number(code, past(), seq(), rng)))
    for _ in range(800):
        code = f"{rng.randrange(100):02d}{rng.randrange(10000):04d}"  # anything at all
        out.append(("random_region", _number(code, past(), seq(), rng)))
    for _ in range(800):
        code = rng.choice(only_iv + only_std + ["710000", "810000", "820000", "830000"])
        out.append(("table_specific_region", _number(code, past(), seq(), rng)))
    for _ in range(600):
        end = date(today.year + 3, 12, 31)
        out.append(("future_date", _number(rng.choice(both), _day(rng, today + timedelta(days=1), end), seq(), rng)))
    if today < date(today.year, 12, 31):  # there is still a later day this year
        for _ in range(300):
            born = _day(rng, today + timedelta(days=1), date(today.year, 12, 31))
            out.append(("later_this_year", _number(rng.choice(both), born, seq(), rng)))
    for _ in range(400):
        born = _day(rng, date(1800, 1, 1), date(1899, 12, 31))
        out.append(("before_1900", _number(rng.choice(both), born, seq(), rng)))
    for _ in range(300):
        born = _day(rng, date(1900, 1, 1), date(1999, 12, 31))
        out.append(("fifteen_digit", f"{rng.choice(both)}{born:%y%m%d}{seq():03d}"))
    return out


# --- the test -------------------------------------------------------------------


def test_agrees_with_id_validator_except_by_named_rules():
    today = date.today()  # id-validator reads the clock itself
    cases = generate(today)
    assert len(cases) >= 10_000

    fired: Counter[str] = Counter()
    unexplained = []
    for kind, n in cases:
        ours = check(n, today=today)
        theirs = validator.is_valid(n)
        if ours.valid == theirs:
            if theirs and len(n) == 18:  # both decode it: the decodings must match too
                info = validator.get_info(n)
                assert info["birthday_code"] == str(ours.birth_date), n
                assert info["sex"] == (1 if ours.sex == "male" else 0), n
            continue
        matching = [r.__name__ for r in RULES if r(n, ours, theirs, today)]
        if len(matching) != 1:
            unexplained.append((kind, n, ours.status, ours.reasons, theirs, matching))
        else:
            fired[matching[0]] += 1

    assert not unexplained, f"{len(unexplained)} unexplained differences, e.g. {unexplained[:5]}"
    # every rule is exercised by the generated data, so none is dead weight
    expected = {r.__name__ for r in RULES}
    if today == date(today.year, 12, 31):
        expected.discard("rule_future_date_this_year")
    assert expected <= set(fired), fired


def test_standard_example_agrees():
    assert validator.is_valid(STANDARD_EXAMPLE) and check(STANDARD_EXAMPLE).valid
