"""Unit tests for intake.idnumber (GB 11643-1999 resident ID numbers)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from intake.idnumber import (
    IdVerdict,
    check,
    check_digit,
    check_id_command,
    is_plausible_region,
    mask,
    normalise,
    passes_check_digit,
    repair,
    restore_repeat,
)

STANDARD_EXAMPLE = "11010519491231002X"  # the example printed in GB 11643-1999
TODAY = date(2025, 6, 1)


def with_check(first17: str) -> str:
    return first17 + check_digit(first17)


# --- the standard's example ---------------------------------------------------


def test_standard_example_is_valid():
    v = check(STANDARD_EXAMPLE, today=TODAY)
    assert isinstance(v, IdVerdict)
    assert v.valid and v.status == "pass" and v.reasons == []
    assert v.birth_date == date(1949, 12, 31)
    assert v.sex == "female"  # 17th digit 2 is even
    assert v.region_code == "110105"
    # 110105 is Beijing's Chaoyang district in GB/T 2260 (and in stdnum).
    assert v.region_name == "北京市朝阳区"


def test_check_digit_of_standard_example():
    assert check_digit(STANDARD_EXAMPLE[:17]) == "X"
    assert check_digit("36042619910101007") == "1"  # stdnum's doc example
    with pytest.raises(ValueError):
        check_digit("1234")


# --- failures ------------------------------------------------------------------


def test_wrong_check_digit_names_expected_digit():
    v = check("110105194912310021", today=TODAY)
    assert not v.valid and v.status == "fail"
    assert v.reasons == ["校验位错误，应为 X / check digit wrong, expected X"]
    # the rest of the number is still decoded, to help the officer
    assert v.birth_date == date(1949, 12, 31) and v.region_code == "110105"


def test_impossible_date_fails():
    v = check(with_check("11010520230230001"), today=TODAY)  # 30 February
    assert not v.valid and v.status == "fail"
    assert v.birth_date is None
    assert any("2023-02-30" in r and "不存在" in r and "does not exist" in r for r in v.reasons)


@pytest.mark.parametrize("birth, word", [("20250602", "future"), ("18991231", "1900")])
def test_future_and_pre_1900_dates_fail(birth, word):
    v = check(with_check("110105" + birth + "001"), today=TODAY)
    assert v.status == "fail" and not v.valid
    assert len(v.reasons) == 1 and word in v.reasons[0]


def test_today_is_allowed():
    assert check(with_check("11010520250601001"), today=TODAY).status == "pass"


def test_unknown_county_under_real_province_is_review():
    v = check(with_check("11019920240101001"), today=TODAY)  # 110199: no such county
    assert v.status == "review" and not v.valid
    assert len(v.reasons) == 1 and "110199" in v.reasons[0]
    assert v.region_code == "110199" and v.region_name is None
    assert v.birth_date == date(2024, 1, 1) and v.sex == "male"
    assert is_plausible_region("110199")


def test_unknown_province_fails():
    v = check(with_check("99010520240101001"), today=TODAY)
    assert v.status == "fail" and not v.valid
    assert any("99" in r and "province" in r for r in v.reasons)
    assert not is_plausible_region("990105")
    assert not is_plausible_region("11010")
    assert not is_plausible_region("11O105")


def test_taiwan_residence_permit_code_passes():
    v = check(with_check("83000019900101002"), today=TODAY)
    assert v.status == "pass" and v.region_name == "台湾居民居住证"


@pytest.mark.parametrize(
    "raw, reason_part",
    [
        ("", "empty"),
        ("11010519491231002", "got 17"),
        ("110105491231002", "15-digit"),
        ("1101051949123100XX", "digits"),
        ("11010519491231002Y", "digits"),
        ("\u0661\u0661\u0660\u0661\u0660\u0665" "19491231002X", "digits"),  # Arabic-Indic digits
    ],
)
def test_format_failures(raw, reason_part):
    v = check(raw, today=TODAY)
    assert v.status == "fail" and not v.valid
    assert any(reason_part in r for r in v.reasons)


def test_reasons_are_chinese_then_english():
    v = check(with_check("99019920230230001")[:17] + "0", today=TODAY)
    assert v.reasons
    for r in v.reasons:
        zh, en = r.split(" / ")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)
        assert en.isascii()


# --- normalisation -------------------------------------------------------------


def test_lower_case_x_is_normalised():
    v = check("11010519491231002x", today=TODAY)
    assert v.number == STANDARD_EXAMPLE and v.valid


def test_normalise_spaces_hyphens_fullwidth():
    assert normalise(" 110105 19491231 002x ") == STANDARD_EXAMPLE
    assert normalise("110105-19491231-002X") == STANDARD_EXAMPLE
    assert normalise("１１０１０５１９４９１２３１００２ｘ") == STANDARD_EXAMPLE
    assert normalise("110105\u300019491231\u3000002X") == STANDARD_EXAMPLE
    assert check("１１０１０５ １９４９１２３１ ００２ｘ", today=TODAY).valid


# --- printed data --------------------------------------------------------------


def test_printed_birth_date_disagreement_fails_naming_both_dates():
    v = check(STANDARD_EXAMPLE, printed_birth_date=date(1949, 12, 30), today=TODAY)
    assert v.status == "fail"
    assert v.valid  # the number itself is fine; the document disagrees with it
    assert any("1949-12-31" in r and "1949-12-30" in r for r in v.reasons)


def test_printed_birth_date_agreement_passes():
    v = check(STANDARD_EXAMPLE, printed_birth_date=date(1949, 12, 31), printed_sex="女", today=TODAY)
    assert v.status == "pass" and v.reasons == []


@pytest.mark.parametrize("printed", ["male", "男", "M"])
def test_printed_sex_disagreement_fails(printed):
    v = check(STANDARD_EXAMPLE, printed_sex=printed, today=TODAY)
    assert v.status == "fail"
    assert any("female" in r and "male" in r.replace("female", "") for r in v.reasons)


def test_unrecognised_printed_sex_is_a_caller_error():
    with pytest.raises(ValueError):
        check(STANDARD_EXAMPLE, printed_sex="unknown")
    with pytest.raises(ValueError):  # even when the number itself is malformed
        check("123", printed_sex="unknown")


def test_printed_mismatch_on_review_number_is_fail():
    v = check(with_check("11019920240101001"), printed_sex="female", today=TODAY)
    assert v.status == "fail" and len(v.reasons) == 2


# --- mask ----------------------------------------------------------------------


def test_mask_standard_example():
    assert mask(STANDARD_EXAMPLE) == "110105********002X"
    assert mask("11010519491231002x") == "110105********002X"


def test_mask_never_shows_more_than_ten_characters():
    rng = random.Random(7)
    for length in range(0, 40):
        for _ in range(5):
            raw = "".join(rng.choice("0123456789X") for _ in range(length))
            masked = mask(raw)
            shown = sum(ch != "*" for ch in masked)
            assert len(masked) == length
            assert shown <= 10
            if length < 18:  # a fragment shows less than a full number
                assert shown < 10 or length == 0
            assert shown <= length // 2 + 1  # never mostly revealed


# --- repair --------------------------------------------------------------------


def test_repair_letter_o_to_zero():
    assert repair("11O1O519491231OO2X") == STANDARD_EXAMPLE


def test_repair_letter_l_to_one():
    assert repair("l1010519491231002X") == STANDARD_EXAMPLE
    assert repair("1I0105I949I231002x") == STANDARD_EXAMPLE


def test_repair_letter_b_to_eight():
    number = with_check("44010620180808123")
    assert repair(number[:6] + "20l8OBOB" + number[14:]) == number


def test_repair_check_character_confusions():
    assert repair("11010519491231002×") == STANDARD_EXAMPLE
    assert repair("11010519491231002K") == STANDARD_EXAMPLE


def test_repair_single_digit_confusion():
    good = with_check("11010520240315001")  # 110105202403150010
    assert repair(good[:4] + "8" + good[5:]) == good  # 0 misread as 8


def test_repair_returns_none_when_two_repairs_pass():
    garbled = "110705202403150010"  # 110105... with its 1 misread as 7
    a, b = "110105202403150010", "118705202403150010"  # 7->1 or 0->8: both check
    for candidate in (a, b):
        assert check_digit(candidate[:17]) == candidate[17]
    assert repair(garbled) is None


def test_repair_gives_up_on_unfixable_input():
    assert repair("1101051949123100") is None  # too short
    assert repair("11010519491231002?") is None
    assert repair("110105194902300021") is None  # passes nothing after one substitution
    assert repair(STANDARD_EXAMPLE) == STANDARD_EXAMPLE


def test_a_repeat_the_recogniser_wrote_once_is_restored_only_where_one_doubling_holds():
    """PP-OCR's CTC writes a character held over two cells once unless it sees a blank between them:
    the 11 of 0111, or the 00 of 199003, read as one."""
    assert restore_repeat("21030419850119011") == "210304198501190111"
    assert restore_repeat("32010219903071001") == "320102199003071001"
    assert restore_repeat("32O10219903O71001") == "320102199003071001"  # look-alike letters read as digits
    # A character lost that repeated nothing (the leading 3): no doubling holds, and none is guessed.
    assert restore_repeat("20102199003071001") is None
    assert restore_repeat("320102199003071001") is None and restore_repeat("3201021990307101") is None  # not 17
    assert restore_repeat("2103041X850119011") is None  # an X anywhere but last is no number's
    # Two doublings that both hold: the check digit cannot tell them apart.
    for read, holding in (("51010719811223328", ("510107198112233228", "510107198811223328")),
                          ("32010219900307715", ("320102199003077155", "320102199003307715"))):
        assert all(check(number, today=TODAY).valid for number in holding)
        assert restore_repeat(read) is None
    # A 1991 whose 99 was read once, printed with a wrong check digit: the one doubling that holds dates its
    # holder to 1911, no newborn's parent; the number stays unread rather than made to hold.
    assert check("513428191107074751", today=TODAY).valid and restore_repeat("51342819107074751") is None
    # The 3 of 360102 lost: the one doubling whose check digit holds puts its holder under province 60.
    assert passes_check_digit("600102202611067630") and restore_repeat("60102202611067630") is None


# --- check-id command ----------------------------------------------------------


def test_check_id_command_all_valid(capsys):
    assert check_id_command([STANDARD_EXAMPLE]) == 0
    out = capsys.readouterr().out
    assert STANDARD_EXAMPLE in out  # typed by the officer: shown in full
    assert "✓" in out and "pass" in out and "1949-12-31" in out


def test_check_id_command_reports_failures(capsys):
    bad = "110105194912310021"
    review = with_check("11019920240101001")
    assert check_id_command([STANDARD_EXAMPLE, bad, review, "[red]x[/red]"]) == 1
    out = capsys.readouterr().out
    assert bad in out and review in out
    assert "✗" in out and "fail" in out and "review" in out
    zh = out.index("校验位错误，应为 X")
    assert out.index("check digit wrong, expected X") > zh  # Chinese first
    assert "[RED]X[/RED]" in out  # typed text is printed literally, not as markup
