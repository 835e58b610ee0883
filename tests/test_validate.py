"""The officer's checks on hand-built documents: each fact that disagrees fails in its own category."""

from __future__ import annotations

from datetime import date
from itertools import permutations

import pytest

from intake.extract import distrust_repeats
from intake.models import Document, DocumentType, FieldValue
from intake.schemas import region
from intake.validate import validate_application
from tests.documents import AS_OF, CHILD_ID, FATHER_ID, MOTHER_ID, clean_set


def statuses(checks) -> dict[str, str]:
    return {c.id: c.status for c in checks}


def test_clean_application_is_complete() -> None:
    documents = clean_set()
    missing, checks, deadline, status = validate_application(documents, region("default"), AS_OF)
    assert [c for c in checks if c.status not in ("pass",)] == []
    assert (missing, status) == ([], "complete")
    assert deadline.deadline == date(2026, 12, 2) and deadline.days_left == 8
    persons = {(d.type.value, d.fields.get("name", FieldValue(value=None, confidence=0)).value): d.person for d in documents}
    assert persons[("id_card_front", "李秀英")] == "mother" and persons[("id_card_front", "王建国")] == "father"
    backs = {d.fields["issuing_authority"].value: d.person for d in documents if d.type == DocumentType.id_card_back}
    assert backs == {"北京市公安局朝阳分局": "mother", "北京市公安局海淀分局": "father"}
    assert documents[-1].person == "mother"


def test_confident_name_difference_fails_and_unsure_one_is_review() -> None:
    documents = clean_set()
    documents[5].fields["name"] = FieldValue(value="王梓函", confidence=0.95)
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["names.child"] == "fail" and status == "inconsistent"
    assert "王梓涵" in next(c.message for c in checks if c.id == "names.child")
    # A name misread by one character often comes at 0.85-0.9: sure enough for most fields, not for a name.
    for unsure in (0.4, 0.86):
        documents = clean_set()
        documents[5].fields["name"] = FieldValue(value="王梓函", confidence=unsure)
        _, checks, _, status = validate_application(documents, region("default"), AS_OF)
        assert statuses(checks)["names.child"] == "review" and status == "needs_review", unsure


def test_different_parent_number_fails_and_is_masked() -> None:
    documents = clean_set()
    documents[2].fields["id_number"] = FieldValue(value="110105198805120053", confidence=0.95)
    _, checks, _, _ = validate_application(documents, region("default"), AS_OF)
    check = next(c for c in checks if c.id == "id_numbers.father")
    assert check.status == "fail" and "110105198805120053" not in check.message and "110105********0053" in check.message


def test_a_parents_number_one_digit_off_and_failing_its_check_digit_is_for_staff_unless_printed_alike() -> None:
    """Hard set seed 9041, application 14: under glare the certificate's 231081... read 281081..., the 8 at
    1.00 and no 3 weighed. Failing its check digit one digit from the card's valid number, it is as likely
    misread as misprinted: staff compare (both checks review), the application is not failed. The same
    invalid number on both documents is printed so, and fails."""
    misread = FATHER_ID[:1] + "6" + FATHER_ID[2:]
    documents = clean_set()
    documents[0].fields["father_id_number"] = FieldValue(value=misread, confidence=1.0)
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["id_numbers.father"] == statuses(checks)["id_number.birth_certificate.father"] == "review"
    assert status == "needs_review"
    documents = clean_set()
    documents[0].fields["father_id_number"] = FieldValue(value=misread, confidence=1.0)
    documents[2].fields["id_number"] = FieldValue(value=misread, confidence=1.0)
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["id_number.birth_certificate.father"] == "fail" and status == "inconsistent"


def test_expired_card_and_late_application_fail() -> None:
    documents = clean_set()
    documents[3].fields["valid_until"] = FieldValue(value="2025-03-01", confidence=0.95)
    _, checks, _, _ = validate_application(documents, region("default"), date(2026, 12, 3))
    assert statuses(checks)["id_card.validity.mother"] == "fail"
    assert statuses(checks)["deadline.window"] == "fail"


def test_a_birth_date_read_unsurely_gives_way_to_a_sure_one_and_never_fails_the_deadline_alone() -> None:
    """Hard set seed 11, application 7: the certificate's blurred 出生时间 read 2026年1231114 on its crop (the
    31st of December, 0.52) and the deadline check failed: a birth after the application. The household page
    read the date surely: that one is taken. With no sure date, the check is for staff, not a failure."""
    documents = clean_set()
    certificate = next(d for d in documents if d.type == DocumentType.birth_certificate)
    household = next(d for d in documents if d.type == DocumentType.household_register)
    certificate.fields["birth_date"] = FieldValue(value="2026-12-31", confidence=0.52)
    _, checks, info, _ = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["deadline.window"] == "pass" and info.birth_date == date.fromisoformat(
        household.fields["birth_date"].value)
    household.fields["birth_date"] = FieldValue(value="2026-12-31", confidence=0.6)
    _, checks, _, _ = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["deadline.window"] == "review"
    certificate.fields["birth_date"] = FieldValue(value="2026-12-31", confidence=0.95)
    _, checks, _, _ = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["deadline.window"] == "fail"


@pytest.mark.parametrize("code, deadline", [("default", date(2026, 12, 2)), ("three-months", date(2027, 2, 2)),
                                            ("ninety-days-mother", date(2027, 1, 31))])
def test_region_windows(code: str, deadline: date) -> None:
    _, _, info, _ = validate_application(clean_set(), region(code), AS_OF)
    assert info.deadline == deadline


def test_month_end_birth_clamps_to_last_day() -> None:
    documents = clean_set()
    documents[0].fields["birth_date"] = FieldValue(value="2027-01-31", confidence=0.95)
    _, _, info, _ = validate_application(documents, region("default"), date(2027, 2, 10))
    assert info.deadline == date(2027, 2, 28)


def test_missing_document_is_incomplete_and_skips_its_checks() -> None:
    documents = [d for d in clean_set() if d.type != DocumentType.household_register]
    missing, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert missing == ["household_register"] and status == "incomplete"
    assert statuses(checks)["names.child"] == "skipped"


def test_insurance_card_of_someone_else_fails() -> None:
    documents = clean_set()
    documents[-1].fields["name"] = FieldValue(value="赵大海", confidence=0.95)
    documents[-1].fields["social_security_number"] = FieldValue(value="110105198001010016", confidence=0.95)
    _, checks, _, _ = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["insurance.holder"] == "fail"


def test_region_that_accepts_only_the_mother_rejects_the_fathers_card() -> None:
    documents = clean_set()
    documents[-1].fields["name"] = FieldValue(value="王建国", confidence=0.95)
    documents[-1].fields["social_security_number"] = FieldValue(value=FATHER_ID, confidence=0.95)
    _, checks, _, _ = validate_application(documents, region("ninety-days-mother"), AS_OF)
    assert statuses(checks)["insurance.holder"] == "fail"
    _, checks, _, _ = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["insurance.holder"] == "pass"


def test_photo_without_face_fails() -> None:
    documents = clean_set()
    documents[6].fields["faces"] = FieldValue(value="0", confidence=0.9)
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["photo.face"] == "fail" and status == "inconsistent"


def test_bad_check_digit_fails_in_id_number() -> None:
    documents = clean_set()
    bad = FATHER_ID[:-1] + "9"
    documents[0].fields["father_id_number"] = FieldValue(value=bad, confidence=0.95)
    documents[2].fields["id_number"] = FieldValue(value=bad, confidence=0.95)
    _, checks, _, _ = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["id_number.id_card_front.father"] == "fail"
    assert statuses(checks)["id_numbers.father"] == "pass"


def test_unreadable_file_is_review() -> None:
    documents = clean_set() + [Document(file="x.jpg", type=DocumentType.unreadable, error="empty file")]
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["documents.unreadable"] == "review" and status == "needs_review"


def backs_that_fit_both_parents() -> list[Document]:
    """A clean set whose parents' cards one office issued, for 20 years, which fits either parent's age."""
    documents = clean_set()
    mother_front, father_front, *backs = documents[1:5]
    for back, valid_from in zip(backs, ("2018-05-01", "2019-06-01"), strict=True):
        back.fields["issuing_authority"] = FieldValue(value="北京市公安局朝阳分局", confidence=0.95)
        back.fields["valid_from"] = FieldValue(value=valid_from, confidence=0.95)
        back.fields["valid_until"] = FieldValue(value=f"{int(valid_from[:4]) + 20}{valid_from[4:]}", confidence=0.95)
    father_front.fields["address"] = mother_front.fields["address"]
    return documents


def test_id_card_backs_nothing_printed_tells_apart_go_with_the_front_in_their_file() -> None:
    # Both parents' cards issued by one office, 20-year periods that fit either age: only the scan
    # that holds both sides of one card says whose back is whose, whichever order the files come in.
    documents = backs_that_fit_both_parents()
    mother_front, father_front, first_back, second_back = documents[1:5]
    for fathers_back, mothers_back in ((first_back, second_back), (second_back, first_back)):
        father_front.file = fathers_back.file = "身份证-父亲.pdf"
        mother_front.file = mothers_back.file = "身份证-母亲.pdf"
        validate_application(documents, region("default"), AS_OF)
        assert (fathers_back.person, mothers_back.person) == ("father", "mother")


def test_backs_that_fit_both_parents_alike_go_with_the_front_filed_beside_them() -> None:
    # One office, 20-year periods that fit either age: nothing printed tells the backs apart. A phone names
    # its photos in the order they are taken, and a card's back is most often taken just after (or before)
    # its front, IMG_9 before IMG_10, by the time in its name where it has one, whoever named it (a phone's
    # camera, WeChat's milliseconds since 1970); whichever order the documents come in.
    documents = backs_that_fit_both_parents()
    mother_front, father_front, mothers_back, fathers_back = documents[1:5]
    for names in (("IMG_9.jpg", "IMG_10.jpg", "IMG_11.jpg", "IMG_12.jpg"),
                  ("IMG_20261123_101510.jpg", "IMG_20261123_101502.jpg", "IMG_20261123_101730.jpg",
                   "IMG_20261123_101744.jpg"),
                  ("IMG_20261123_101510.jpg", "微信图片_20261123101502.jpg", "IMG_20261123_101820.jpg",
                   "wx_camera_1795400315417.jpg")):
        # mother's back, mother's front (back taken first), father's front, father's back
        mothers_back.file, mother_front.file, father_front.file, fathers_back.file = names
        for cards in permutations(documents[1:5]):
            for document in documents:
                document.person = None
            validate_application([documents[0], *cards, *documents[5:]], region("default"), AS_OF)
            assert (mothers_back.person, fathers_back.person) == ("mother", "father"), names
    # The mother's front left at home: the back beside the father's front, by the times in their names, is his;
    # a file named without a time (an old tool's IMG0002.bmp) was not taken in that order, and is not beside it.
    mothers_back.file, fathers_back.file, father_front.file = ("IMG0002.bmp", "mmexport1795400300112.jpg",
                                                               "mmexport1795400315417.jpg")
    for cards in permutations([father_front, mothers_back, fathers_back]):
        for document in documents:
            document.person = None
        validate_application([documents[0], *cards, *documents[5:]], region("default"), AS_OF)
        assert (mothers_back.person, fathers_back.person) == ("mother", "father")


def test_a_back_that_fits_only_one_parents_age_settles_whose_the_other_back_is() -> None:
    # Normal set (seed 7): both backs from one office; the mother's 20-year card was issued when the
    # father was 23 (his would have run 10 years), the father's fits either age. Taken pair by pair,
    # the father's back went to the mother first and hers was left to him.
    documents = clean_set()
    mother_front, father_front, first_back, second_back = documents[1:5]
    mother_front.fields["birth_date"] = FieldValue(value="1986-03-26", confidence=0.95)
    father_front.fields["birth_date"] = FieldValue(value="1996-02-12", confidence=0.95)
    father_front.fields["address"] = mother_front.fields["address"]
    for back, valid_from, valid_until in ((first_back, "2019-03-12", "2039-03-12"), (second_back, "2022-10-09", "2042-10-09")):
        back.fields["issuing_authority"] = FieldValue(value="北京市公安局朝阳分局", confidence=0.95)
        back.fields["valid_from"] = FieldValue(value=valid_from, confidence=0.95)
        back.fields["valid_until"] = FieldValue(value=valid_until, confidence=0.95)
    for cards in permutations(documents[1:5]):  # whichever order the files come in
        for document in documents:
            document.person = None
        validate_application([documents[0], *cards, *documents[5:]], region("default"), AS_OF)
        assert (first_back.person, second_back.person) == ("mother", "father"), [c.file for c in cards]


def test_with_one_parents_front_missing_the_other_back_is_the_other_parents() -> None:
    # The father's front left at home: his back fits no front, so it is his (the mother's front takes hers).
    documents = clean_set()
    mother_front, father_front, first_back, second_back = documents[1:5]
    documents.remove(father_front)
    validate_application(documents, region("default"), AS_OF)
    assert (first_back.person, second_back.person) == ("mother", "father")  # 朝阳分局 issued the mother's


def test_a_certificate_read_with_the_mothers_row_under_the_father_too_is_for_review_not_a_failure() -> None:
    # A blurred certificate's rows run together: the mother's name and number read under both parents.
    documents = clean_set()
    certificate = documents[0].fields
    certificate["father_name"] = FieldValue(value="李秀英", confidence=0.9)
    certificate["father_id_number"] = FieldValue(value=MOTHER_ID, confidence=0.99)
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["names.father"] == "fail" and status == "inconsistent"  # as read, a false alarm

    documents[0].fields = distrust_repeats(DocumentType.birth_certificate, certificate)
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["names.father"] == "review" and statuses(checks)["id_numbers.father"] == "review"
    assert status == "needs_review"
    assert documents[0].fields["child_name"].confidence == 0.95  # the rest of the certificate stands


def weighed(name: str, **at: dict[str, float]) -> list[dict[str, float]]:
    """What a recogniser weighed at each character of a name: the character alone, sure of it, except
    at the places given (place index as `_1=...`)."""
    return [at.get(f"_{i}", {char: 1.0}) for i, char in enumerate(name)]


def test_a_blurred_name_is_read_as_the_clear_document_has_it_where_its_recogniser_weighed_that_character() -> None:
    """The certificate's 涵 smeared: the recogniser gave 函 0.98 and 涵 0.02; the household page read 涵
    clearly. The certificate is read 王梓涵, its warning says why, and the names agree."""
    documents = clean_set()
    documents[0].fields["child_name"] = FieldValue(value="王梓函", confidence=0.97,
                                                   alternatives=weighed("王梓函", _2={"函": 0.98, "涵": 0.02}))
    documents[5].fields["name"] = FieldValue(value="王梓涵", confidence=0.99, alternatives=weighed("王梓涵"))
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert documents[0].fields["child_name"].value == "王梓涵" and documents[0].fields["child_name"].confidence < 0.9
    assert any("王梓函" in w and "王梓涵" in w for w in documents[0].warnings)
    assert statuses(checks)["names.child"] == "pass" and status == "complete"
    assert "alternatives" not in documents[0].model_dump()["fields"]["child_name"]


def test_a_transliterated_name_read_without_its_dot_is_given_it_back_and_then_compared_as_any_name() -> None:
    """The certificate's 阿迪力·热合曼 read without its small dot, and its 曼 smeared (量 0.7, 曼 0.3); the
    card reads it whole. The dot is put back where the card has it and the 曼 settled: the names agree.
    A clerk's other name without a dot is still another name."""
    def fathers(certificate: FieldValue, card: FieldValue) -> tuple[Document, str, str]:
        documents = clean_set()
        documents[0].fields["father_name"], documents[2].fields["name"] = certificate, card
        _, checks, _, status = validate_application(documents, region("default"), AS_OF)
        return documents[0], statuses(checks)["names.father"], status

    card = FieldValue(value="阿迪力·热合曼", confidence=0.99, alternatives=weighed("阿迪力·热合曼"))
    certificate, check, status = fathers(FieldValue(value="阿迪力热合量", confidence=0.9, alternatives=weighed(
        "阿迪力热合量", _5={"量": 0.7, "曼": 0.3})), card)
    assert certificate.fields["father_name"].value == "阿迪力·热合曼"
    assert any("阿迪力热合量" in w and "·" in w for w in certificate.warnings)
    assert (check, status) == ("pass", "complete")
    other = FieldValue(value="艾力·热合曼", confidence=0.99, alternatives=weighed("艾力·热合曼"))
    assert fathers(FieldValue(value="阿迪力热合曼", confidence=0.99, alternatives=weighed("阿迪力热合曼")), other)[1] == "fail"


def test_a_name_altered_by_a_clerk_still_fails_however_blurred_the_certificate() -> None:
    """程静和 on the certificate, 程可和 on the card: the recogniser weighed 静 and 合 at that place, never 可.
    However unsure the name was read as a whole (a smeared surname), the two differ plainly: it fails.
    Where its own character was unsure too (静 0.6), it is for staff, however sure the whole run."""
    documents = clean_set()
    documents[0].fields["mother_name"] = FieldValue(value="李静英", confidence=0.6,
                                                    alternatives=weighed("李静英", _1={"静": 0.93, "合": 0.04}))
    documents[1].fields["name"] = FieldValue(value="李秀英", confidence=1.0, alternatives=weighed("李秀英"))
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert documents[0].fields["mother_name"].value == "李静英"
    assert statuses(checks)["names.mother"] == "fail" and status == "inconsistent"
    documents[0].fields["mother_name"].alternatives = weighed("李静英", _1={"静": 0.6, "合": 0.3})
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["names.mother"] == "review" and status == "needs_review"
    # However sure the run was read as a whole (hard set application 25: 叶涵盖 at 0.91, its 盖 at 0.75).
    documents = clean_set()
    documents[0].fields["mother_name"] = FieldValue(value="李静英", confidence=0.95,
                                                    alternatives=weighed("李静英", _1={"静": 0.75, "合": 0.1}))
    documents[1].fields["name"] = FieldValue(value="李秀英", confidence=1.0, alternatives=weighed("李秀英"))
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["names.mother"] == "review" and documents[0].fields["mother_name"].confidence <= 0.75
    # A character read in its traditional form as well (軍 0.66, 军 0.34: 军) was read plainly.
    documents = clean_set()
    documents[0].fields["mother_name"] = FieldValue(value="李军英", confidence=0.93,
                                                    alternatives=weighed("李军英", _1={"軍": 0.66, "军": 0.34}))
    documents[1].fields["name"] = FieldValue(value="李秀英", confidence=1.0, alternatives=weighed("李秀英"))
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert statuses(checks)["names.mother"] == "fail" and status == "inconsistent"


def test_two_readings_that_each_weighed_the_others_character_are_for_staff_to_decide() -> None:
    """字 0.80 / 宇 0.20 on the certificate, 宇 0.74 / 字 0.26 on the card: neither settles it."""
    documents = clean_set()
    documents[0].fields["father_name"] = FieldValue(value="王建字", confidence=0.96,
                                                    alternatives=weighed("王建字", _2={"字": 0.80, "宇": 0.20}))
    documents[2].fields["name"] = FieldValue(value="王建宇", confidence=0.95,
                                             alternatives=weighed("王建宇", _2={"宇": 0.74, "字": 0.26}))
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert (documents[0].fields["father_name"].value, documents[2].fields["name"].value) == ("王建字", "王建宇")
    assert statuses(checks)["names.father"] == "review" and status == "needs_review"
    # A name staff corrected is theirs: never settled from another document.
    documents = clean_set()
    documents[5].fields["name"] = FieldValue(value="王梓函", confidence=1.0, corrected_by="clerk",
                                             alternatives=weighed("王梓函", _2={"函": 0.6, "涵": 0.4}))
    documents[0].fields["child_name"] = documents[0].fields["child_name"].model_copy(
        update={"alternatives": weighed("王梓涵")})
    _, checks, _, _ = validate_application(documents, region("default"), AS_OF)
    assert documents[5].fields["name"].value == "王梓函" and statuses(checks)["names.child"] == "fail"


def test_a_name_with_a_character_lost_is_read_as_the_clear_document_has_it_where_its_recogniser_weighed_it_there() -> None:
    """The household page's 涵 lost to the blur (王梓 read), the recogniser weighing 涵 at 0.13 after 梓: it is
    read 王梓涵 as on the certificate. Where nothing was weighed there, the names differ and staff see it."""
    documents = clean_set()
    documents[5].fields["name"] = FieldValue(value="王梓", confidence=0.98,
                                             alternatives=[{"王": 1.0}, {"梓": 0.99, "+涵": 0.13, "+函": 0.02}])
    documents[0].fields["child_name"] = FieldValue(value="王梓涵", confidence=0.97, alternatives=weighed("王梓涵"))
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert documents[5].fields["name"].value == "王梓涵" and documents[5].fields["name"].confidence < 0.9
    assert any("「王梓」" in w and "王梓涵" in w for w in documents[5].warnings)
    assert statuses(checks)["names.child"] == "pass" and status == "complete"
    documents = clean_set()
    documents[5].fields["name"] = FieldValue(value="王梓", confidence=0.98, alternatives=[{"王": 1.0}, {"梓": 0.99, "+函": 0.02}])
    _, checks, _, _ = validate_application(documents, region("default"), AS_OF)
    assert documents[5].fields["name"].value == "王梓" and statuses(checks)["names.child"] != "pass"


def test_a_blurred_id_number_is_read_as_the_other_document_has_it_only_where_its_check_digit_fails() -> None:
    """The certificate's mother's number read with its twelfth digit 3 as 8 (3 weighed at 0.05): its
    check digit fails, the card's passes, so it is read as on the card, the warning masking both numbers.
    A certificate number that passes its check digit (a clerk's other number) is never changed."""
    misread = MOTHER_ID[:11] + "8" + MOTHER_ID[12:]
    documents = clean_set()
    documents[0].fields["mother_id_number"] = FieldValue(
        value=misread, confidence=0.9, alternatives=weighed(misread, _11={"8": 0.93, "3": 0.05}))
    documents[1].fields["id_number"] = FieldValue(value=MOTHER_ID, confidence=0.99, alternatives=weighed(MOTHER_ID))
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert documents[0].fields["mother_id_number"].value == MOTHER_ID
    assert statuses(checks)["id_numbers.mother"] == "pass" and status == "complete"
    warning = next(w for w in documents[0].warnings if "字迹不清" in w)
    assert MOTHER_ID not in warning and misread not in warning and "110105********0022" in warning
    other = "110105199103070030"  # valid: the clerk wrote another number
    documents = clean_set()
    documents[0].fields["mother_id_number"] = FieldValue(
        value=other, confidence=0.9, alternatives=weighed(other, _16={"3": 0.9, "2": 0.1}, _17={"0": 0.9, "2": 0.1}))
    _, checks, _, _ = validate_application(documents, region("default"), AS_OF)
    assert documents[0].fields["mother_id_number"].value == other and statuses(checks)["id_numbers.mother"] == "fail"


def test_a_birth_date_misread_beside_its_id_number_is_read_as_the_number_encodes_it_where_that_digit_was_weighed() -> None:
    """The household page's 2026 read 2020 (6 weighed at 0.08), its ID number, whose check digit passes,
    encoding 20261102: the date is read 2026-11-02. Not weighed, the date stands, and the checks show it."""
    documents = clean_set()
    documents[5].fields["birth_date"] = FieldValue(value="2020-11-02", confidence=0.98,
                                                   alternatives=weighed("20201102", _3={"0": 0.91, "6": 0.08}))
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    assert documents[5].fields["birth_date"].value == "2026-11-02"
    assert statuses(checks)["birth_date.child"] == "pass" and status == "complete"
    documents = clean_set()
    documents[5].fields["birth_date"] = FieldValue(value="2020-11-02", confidence=0.98, alternatives=weighed("20201102"))
    _, checks, _, _ = validate_application(documents, region("default"), AS_OF)
    assert documents[5].fields["birth_date"].value == "2020-11-02" and statuses(checks)["birth_date.child"] == "fail"


def test_a_county_misread_as_no_county_is_read_as_the_id_number_names_it() -> None:
    """乾县 (Shaanxi, 610424) read 干县, no county's name: the address and the back's issuing authority are
    read 乾县, from the card's number. 礼县 is a county (Gansu): an address there stays as read; so does one in
    清原满族自治县, whose old name 清原县 is one character from its first three."""
    number = "610424199103070026"
    documents = clean_set()
    documents[0].fields["mother_id_number"] = FieldValue(value=number, confidence=0.99)
    documents[1].fields["id_number"] = FieldValue(value=number, confidence=0.99)
    documents[1].fields["address"] = FieldValue(value="陕西省咸阳市干县城南街道王家村10组15号", confidence=0.97)
    documents[3].fields["issuing_authority"] = FieldValue(value="干县公安局", confidence=0.97)
    validate_application(documents, region("default"), AS_OF)
    assert documents[1].fields["address"].value == "陕西省咸阳市乾县城南街道王家村10组15号"
    assert documents[3].fields["issuing_authority"].value == "乾县公安局"
    assert documents[3].person == "mother"
    documents[1].fields["address"] = FieldValue(value="陕西省咸阳市礼县城关镇1号", confidence=0.97)
    validate_application(documents, region("default"), AS_OF)
    assert documents[1].fields["address"].value == "陕西省咸阳市礼县城关镇1号"
    # 清原县, the old name of 清原满族自治县 (210423), is no misreading of the new name's first characters.
    number = "210423199103070025"
    documents[0].fields["mother_id_number"] = documents[1].fields["id_number"] = FieldValue(value=number, confidence=0.99)
    documents[1].fields["address"] = FieldValue(value="辽宁省抚顺市清原满族自治县河口镇新集村6组32号", confidence=0.97)
    validate_application(documents, region("default"), AS_OF)
    assert documents[1].fields["address"].value == "辽宁省抚顺市清原满族自治县河口镇新集村6组32号"


def test_a_districts_bureau_read_a_character_off_as_no_place_is_the_one_the_number_names() -> None:
    """张家口市公安局宣化分局 (the bureau for 宣化区, 130705) read 张家市公安局宣化分局, 口 lost: no city is
    张家市, and the father's number names 宣化区, so the back is read as issued there; 宣华 (no district) for
    宣化 likewise. A branch named with its 区 (重庆市公安局渝中区分局) or without its 新区 (上海市公安局浦东分局)
    is as printed, and so is 阳泉市公安局郊区分局, a real district one character from 城区, the number's
    (140302): a card issued elsewhere stays as read."""
    for number, address, read, settled in (
            ("130705198805120014", "河北省张家口市宣化区南关街道1号", "张家市公安局宣化分局", "张家口市公安局宣化分局"),
            ("130705198805120014", "河北省张家口市宣化区南关街道1号", "张家口市公安局宣华区分局", "张家口市公安局宣化区分局"),
            ("500103198805120018", "重庆市渝中区解放碑街道1号", "重庆市公安局渝中区分局", "重庆市公安局渝中区分局"),
            ("310115198805120018", "上海市浦东新区陆家嘴街道1号", "上海市公安局浦东分局", "上海市公安局浦东分局"),
            ("140302198805120015", "山西省阳泉市城区北大街1号", "阳泉市公安局郊区分局", "阳泉市公安局郊区分局")):
        documents = clean_set()
        documents[0].fields["father_id_number"] = documents[2].fields["id_number"] = FieldValue(value=number, confidence=0.99)
        documents[2].fields["address"] = FieldValue(value=address, confidence=0.97)
        documents[4].fields["issuing_authority"] = FieldValue(value=read, confidence=0.97)
        validate_application(documents, region("default"), AS_OF)
        assert documents[4].fields["issuing_authority"].value == settled, read
        assert documents[4].person == "father", read


def checked(readings: dict[tuple[int, str], FieldValue]) -> tuple[list[Document], dict[str, str], str]:
    """The clean set with these readings (by document index and field) for its own, checked: the documents,
    each check's status and the application's."""
    documents = clean_set()
    for (index, name), reading in readings.items():
        documents[index].fields[name] = reading
    _, checks, _, status = validate_application(documents, region("default"), AS_OF)
    return documents, statuses(checks), status


def name_read(value: str, confidence: float, **at: dict[str, float]) -> FieldValue:
    return FieldValue(value=value, confidence=confidence, alternatives=weighed(value, **at))


def test_two_names_each_blurred_where_the_other_read_clearly_are_read_as_each_has_it_there() -> None:
    """Hard set seed 53, application 2: the certificate read 王馨营 (营 0.57, 蕾 weighed 0.08), the household
    page 三馨蕾 (三 0.79, 王 weighed 0.20). Each misread one place the other read clearly: both are 王馨蕾, each
    saying why. Where one of the two places was weighed by neither (a clerk's change), nothing is settled."""
    household = name_read("三馨蕾", 0.91, _0={"三": 0.79, "王": 0.20})
    documents, checks, _ = checked({(0, "child_name"): name_read("王馨营", 0.9, _2={"营": 0.57, "管": 0.40, "蕾": 0.08}),
                                    (5, "name"): household})
    assert documents[0].fields["child_name"].value == documents[5].fields["name"].value == "王馨蕾"
    assert any("「王馨营」" in w for w in documents[0].warnings) and any("「三馨蕾」" in w for w in documents[5].warnings)
    assert checks["names.child"] == "pass"
    documents, checks, _ = checked({(0, "child_name"): name_read("王馨营", 0.9, _2={"营": 0.57, "管": 0.40}),
                                    (5, "name"): household})
    # The certificate's 营 stands; the page's 三 (no surname) is the father's 王 it weighed (child_surname_weighed).
    assert (documents[0].fields["child_name"].value, documents[5].fields["name"].value) == ("王馨营", "王馨蕾")
    assert checks["names.child"] != "pass"


def test_of_two_readings_each_weighing_the_others_surname_the_one_that_is_a_surname_is_printed() -> None:
    """Hard set seed 53, application 15: 昊子 on the certificate (吴 weighed 0.04), 吴子 on the card (昊 weighed
    0.25): 昊 is no surname (schemas/values/surnames.yaml), 吴 is. Where both are surnames (汪 and 王), staff decide."""
    documents, checks, _ = checked({(0, "father_name"): name_read("昊建国", 0.9, _0={"昊": 0.94, "吴": 0.04}),
                                    (2, "name"): name_read("吴建国", 0.75, _0={"吴": 0.75, "昊": 0.25})})
    assert documents[0].fields["father_name"].value == documents[2].fields["name"].value == "吴建国"
    assert checks["names.father"] == "pass"
    documents, checks, _ = checked({(0, "father_name"): name_read("汪建国", 0.9, _0={"汪": 0.7, "王": 0.3}),
                                    (2, "name"): name_read("王建国", 0.9, _0={"王": 0.75, "汪": 0.25})})
    assert (documents[0].fields["father_name"].value, documents[2].fields["name"].value) == ("汪建国", "王建国")
    assert checks["names.father"] == "review"


def test_a_name_opening_with_no_surname_is_misread_there_however_sure_the_recogniser() -> None:
    """Hard set seed 11, application 16: a certificate blurred past reading gave 美清 (read sure) for the
    child the household page reads 熊清; 美 is no surname: for staff, not a failure (a false alarm). A
    name read with another surname (汪 for 王), sure, still fails."""
    for misread in ("美梓涵", "义包种"):
        _, checks, status = checked({(0, "child_name"): name_read(misread, 0.97)})
        assert checks["names.child"] == "review" and status == "needs_review", misread
    _, checks, status = checked({(0, "child_name"): name_read("汪梓涵", 0.97)})
    assert checks["names.child"] == "fail" and status == "inconsistent"
    # Names 30 (seed 31), application 7: the certificate's 白 misread 自, and the household page's given name
    # a clerk's other character (怡 for 平), each read plainly: that still fails.
    _, checks, status = checked({(0, "child_name"): name_read("自平涵", 0.97), (5, "name"): name_read("王怡涵", 0.99)})
    assert checks["names.child"] == "fail" and status == "inconsistent"


def test_a_childs_name_opening_with_no_surname_takes_the_parents_surname_the_recogniser_weighed_there() -> None:
    """Hard set seed 35035, application 25: the certificate read 闰一馨, 闫 weighed at 0.16, the father 闫华瑞.
    No name opens with 闰 and a child takes a parent's surname: it is 闫一馨, with a warning and for staff
    unless the other document agrees. A surname weighed that neither parent bears settles nothing."""
    def read(**weighed_first: float) -> FieldValue:
        return name_read("三梓涵", 0.9, _0={"三": 0.84, **weighed_first})

    documents, checks, _ = checked({(0, "child_name"): read(王=0.16), (5, "name"): read(王=0.02)})
    assert documents[0].fields["child_name"].value == documents[5].fields["name"].value == "王梓涵"
    assert documents[0].fields["child_name"].confidence < 0.8
    assert any("「三梓涵」" in w and "王梓涵" in w for w in documents[0].warnings)
    assert checks["names.child"] == "pass"
    documents, _, _ = checked({(0, "child_name"): read(马=0.16)})
    assert documents[0].fields["child_name"].value == "三梓涵"
    # Both parents' surnames weighed (王 the father's, 李 the mother's): either could be printed.
    documents, _, _ = checked({(0, "child_name"): read(王=0.1, 李=0.05), (5, "name"): read(王=0.02)})
    assert documents[0].fields["child_name"].value == "三梓涵"
    # The page lost the surname (梓涵), its first character weighing 王: its given name is not cut for a surname.
    documents, _, _ = checked({(5, "name"): name_read("梓涵", 0.9, _0={"梓": 0.8, "王": 0.05})})
    assert documents[5].fields["name"].value in ("梓涵", "王梓涵")


def test_of_two_names_settled_place_by_place_the_one_opening_with_a_surname_is_printed_there() -> None:
    """Hard set seed 35035, application 11: the certificate read 自欢园 (自 at 0.99, 白 at 0.005; 国 weighed
    0.74 under 园), the household page 白欢国 (自 weighed 0.34). Place by place, the page's 自 was the one
    weighed; but no name opens with 自: both are 白欢国."""
    documents, checks, _ = checked({
        (0, "child_name"): name_read("自欢园", 0.68, _0={"自": 0.99, "直": 0.02, "白": 0.005}, _2={"园": 0.45, "国": 0.74}),
        (5, "name"): name_read("白欢国", 0.9, _0={"白": 0.71, "自": 0.34})})
    assert documents[0].fields["child_name"].value == documents[5].fields["name"].value == "白欢国"
    assert checks["names.child"] == "pass"


def test_of_two_surnames_each_weighing_the_other_the_one_a_parent_bears_is_the_childs() -> None:
    """Hard set seed 36036, application 15: the certificate read 国然云 (国 0.60, 田 weighed 0.27), the household
    page 田然云 (田 0.88, 国 weighed 0.03); the father is 田国鑫. Both open with a surname, each weighed the
    other's, and only 田 is a parent's: a child takes a parent's surname. Where both or neither are a parent's,
    or a parent's name differs so, staff decide."""
    def both(certificate: str, page: str) -> dict:
        return {(0, "child_name"): name_read(certificate + "梓涵", 0.9, _0={certificate: 0.6, page: 0.27}),
                (5, "name"): name_read(page + "梓涵", 0.9, _0={page: 0.88, certificate: 0.03})}

    def for_staff(readings: dict, certificate: str, page: str) -> None:
        documents, checks, _ = checked(readings)
        assert (documents[0].fields["child_name"].value, documents[5].fields["name"].value) == (certificate, page)
        assert documents[0].fields["child_name"].confidence < 0.8 and checks["names.child"] != "pass"

    documents, checks, _ = checked(both("汪", "王"))
    assert documents[0].fields["child_name"].value == documents[5].fields["name"].value == "王梓涵"
    assert any("「汪梓涵」" in w for w in documents[0].warnings)
    assert checks["names.child"] == "pass"
    for certificate, page in (("汪", "江"), ("王", "李")):
        for_staff(both(certificate, page), certificate + "梓涵", page + "梓涵")
    # The father's name read unsurely too (汪建国 at 0.7, his card unread): no evidence of the child's surname.
    for_staff({**both("汪", "王"), (0, "father_name"): name_read("汪建国", 0.7), (2, "name"): FieldValue(value=None, confidence=0.0)},
              "汪梓涵", "王梓涵")
    # Both open with the father's 欧, however the surname list splits them (欧阳明, 欧杨明): 阳 is a given name's.
    father = {(0, "father_name"): name_read("欧建国", 0.95), (2, "name"): name_read("欧建国", 0.99)}
    for_staff({**father, (0, "child_name"): name_read("欧阳明", 0.9, _1={"阳": 0.6, "杨": 0.27}),
               (5, "name"): name_read("欧杨明", 0.9, _1={"杨": 0.88, "阳": 0.03})}, "欧阳明", "欧杨明")
    # The mother's name on the certificate (汪秀英, read unsurely) and on her card (李秀英): her own surname is
    # no parent's to take, however surely the card reads it.
    documents, checks, _ = checked({(0, "mother_name"): name_read("汪秀英", 0.7, _0={"汪": 0.6, "李": 0.27}),
                                    (1, "name"): name_read("李秀英", 0.9, _0={"李": 0.88, "汪": 0.03})})
    assert documents[0].fields["mother_name"].value == "汪秀英" and documents[0].fields["mother_name"].confidence < 0.8


def test_the_childs_number_failing_its_check_digit_is_read_as_the_one_weighed_digit_that_passes() -> None:
    """Hard set seed 35035, application 39: the household page's last 0 read 8 at 0.79, 0 weighed at 0.26;
    no other document prints the child's number, and its check digit is the other reading: 0 it is. A digit
    weighed that does not pass, or a number printed crisp with a wrong check digit, still fails."""
    misread = CHILD_ID[:-1] + "8"

    def number(weighed_last: dict[str, float]) -> FieldValue:
        return FieldValue(value=misread, confidence=0.9,
                          alternatives=[*({d: 1.0} for d in misread[:-1]), {"8": 0.79, **weighed_last}])

    documents, checks, _ = checked({(5, "id_number"): number({CHILD_ID[-1]: 0.26})})
    assert documents[5].fields["id_number"].value == CHILD_ID
    assert any("110105********0026" in w for w in documents[5].warnings)
    assert checks["id_number.household_register.child"] == "pass"
    documents, checks, _ = checked({(5, "id_number"): number({"9": 0.26})})
    assert documents[5].fields["id_number"].value == misread and checks["id_number.household_register.child"] == "fail"
    documents, checks, _ = checked({(5, "id_number"): number({})})
    assert checks["id_number.household_register.child"] == "fail"
