"""Before the checks: a name, ID number or birth date read two ways where one reading's recogniser saw the
other's character as well; a county read as no county.

A certificate photographed by a moving hand reads 任和字 where the household page reads 任和宇; the
recogniser, at the blurred character, gave 字 0.98 and 宇 0.02. The blur cannot tell them apart, and the
household page, read clearly, can: the certificate is read as 任和宇, with a warning saying so. A name
altered by a clerk (任和轩 on one document) is another character altogether, which the recogniser, at that
place, did not weigh at all: the check still fails. So too a character lost to the blur (薛芳, 琳 weighed
where it was lost), an ID number whose check digit fails against one that passes, a birth date against the
ID number printed beside it, a county the code table does not know against the one the number names, and an
ID card's issuing authority read a character off the bureau that serves the number's county. A reading
with no second document to settle it leans on what the domain knows instead: a child's name opens with a
parent's surname, and a number's check digit must pass.
"""

from __future__ import annotations

import re
from datetime import date

from rapidfuzz.distance import Levenshtein

from intake import idnumber
from intake.models import Document, DocumentType, FieldValue
from intake.normalise import simplified
from intake.ocr import AFTER, SEEN_THERE
from intake.persons import find
from intake.schemas import document_schemas, document_title, value_list

# The names printed on two documents that must agree, by the check that compares them: (document type,
# person or None, field) each.
SAME_NAMES = {
    "names.child": ((DocumentType.birth_certificate, None, "child_name"), (DocumentType.household_register, None, "name")),
    "names.mother": ((DocumentType.birth_certificate, None, "mother_name"), (DocumentType.id_card_front, "mother", "name")),
    "names.father": ((DocumentType.birth_certificate, None, "father_name"), (DocumentType.id_card_front, "father", "name")),
}
# The same for ID numbers.
SAME_NUMBERS = {
    "id_numbers.mother": ((DocumentType.birth_certificate, None, "mother_id_number"), (DocumentType.id_card_front, "mother", "id_number")),
    "id_numbers.father": ((DocumentType.birth_certificate, None, "father_id_number"), (DocumentType.id_card_front, "father", "id_number")),
}
# Documents printing a birth date beside the ID number that encodes it.
DATED_BY_NUMBER = (DocumentType.household_register, DocumentType.id_card_front)
# Readings differing in more characters than this are different names or numbers, however blurred.
AT_MOST_DIFFERING = 2
# The settled reading is as sure as the surer document's, but no surer than this: one document's
# blur was settled by another's reading.
SETTLED = 0.85
# Names differ plainly where, at each place they differ, each reading's own character was read at least
# this sure and the other's not weighed at all. A misread character the recogniser was unsure of (叶涵算's
# 算 at 0.22, 萱 not among its six likeliest) is for staff, not a failure: on hard 60, failing those
# failed 3 applications more that were right.
PLAINLY_READ = 0.9
# Two readings that each weighed the other's character are below validation's trust: staff decide.
UNSETTLED = 0.75
# A character read less surely than validation's trust in a field (0.8) leaves its reading unsure where
# two names differ there. Between this and PLAINLY_READ, the run's own confidence decides (程静和's 静 at
# 0.89 against 程可和: a clerk's change, 可 not weighed, the run read at 0.96: it fails).
UNSURE_CHARACTER = 0.8
# A parent's name read less surely than validation's trust in a field (0.8) is no evidence of the surname
# a child's name opens with (汪建国 for 王建国 on a blurred certificate).
PARENT_READ = 0.8


def reconcile(documents: list[Document], as_of: date) -> set[str]:
    """Names, then a child's surname no document settled, then parents' ID numbers, then the child's number
    against its check digit, then birth dates beside ID numbers and the certificate's against the child's
    number; returns the name checks whose names differ plainly (`reconcile_names`)."""
    plainly_different = reconcile_names(documents)
    child_surname_weighed(documents)
    reconcile_id_numbers(documents)
    childs_number_weighed(documents, as_of)
    reconcile_birth_dates(documents, as_of)
    return plainly_different


def child_surname_weighed(documents: list[Document]) -> None:
    """Settle, in place, a child's name still opening with no surname (the other document settled nothing)
    where the recogniser weighed a parent's surname there (闰一馨, 闫 at 0.16, the father 闫华瑞): no name is
    printed so, a child takes a parent's surname, and a blurred 闫 is read 闰 sure of itself. No surer than
    UNSETTLED: a guess, however likely, for staff unless the other document agrees. Nothing is settled where
    both parents' surnames were weighed, or one no parent bears (目一馨 weighing 马: 闫 was lost), or where the
    other document's reading is longer (梓涵 lost its surname: 王 weighed before 梓 is no reason to drop it),
    nor for a transliterated name (a dot), which has no surname."""
    parents = _parents_surnames(documents)
    ends = [(document, name) for kind, _, name in SAME_NAMES["names.child"]
            if (document := find(documents, kind)) is not None and name in document.fields]
    lengths = {len(document.fields[name].value) for document, name in ends if document.fields[name].value}
    for document, name in ends:
        reading = document.fields[name]
        if (not reading.value or reading.corrected_by or "·" in reading.value or _surname(reading.value) or len(lengths) > 1
                or not reading.alternatives or len(reading.alternatives) != len(reading.value)):
            continue
        weighed = [surname for surname in parents if _read_as(reading, 0, surname) >= SEEN_THERE]
        if len(weighed) == 1:
            _settle(document, name, weighed[0] + reading.value[1:], 0.0, "父母的姓 / a parent's surname", surest=UNSETTLED)


def _parents_surnames(documents: list[Document], surest_than: float = 0.0) -> set[str]:
    """The surnames the parents' names open with, on the certificate and on their ID cards, as read at least
    `surest_than`. A transliterated name (a dot) has none: 阿依古丽·吐尔逊 does not open with 阿."""
    return {reading.value[:_surname(reading.value)] for document in documents for name, reading in document.fields.items()
            if (name in ("mother_name", "father_name") or (document.type == DocumentType.id_card_front and name == "name"))
            and reading.value and "·" not in reading.value and _surname(reading.value) and reading.confidence >= surest_than}


def reconcile_names(documents: list[Document]) -> set[str]:
    """Settle, in place, names read one or two characters apart where one reading also saw the other's.

    Returns the checks (of SAME_NAMES) whose two names differ as plainly as the recogniser can tell: at each
    place they differ, each reading sure of its own character and neither weighing the other's. Those fail
    however unsure the rest of either name was read (龚萱琳 at 0.88 for its 萱, against 龚萱航: 琳 and 航
    each read at 1.00, alone). A name opening with no surname where the other opens with one never does.
    """
    plainly_different = set()
    for check, ends in SAME_NAMES.items():
        found = [(find(documents, kind, person), name) for kind, person, name in ends]
        if any(document is None or name not in document.fields for document, name in found):
            continue
        (a_doc, a_name), (b_doc, b_name) = found
        a, b = a_doc.fields[a_name], b_doc.fields[b_name]
        if a.corrected_by or b.corrected_by or not a.value or not b.value or a.value == b.value:
            continue
        _restore_dot(a_doc, a_name, a, b.value, _title(b_doc))
        _restore_dot(b_doc, b_name, b, a.value, _title(a_doc))
        if a_doc.fields[a_name].value == b_doc.fields[b_name].value:
            continue
        parents = _parents_surnames(documents, surest_than=PARENT_READ) if check == "names.child" else None
        outcome = _reconcile_pair((a_doc, a_name), (b_doc, b_name), parents=parents)
        if outcome == SETTLED_NAMES:
            continue
        if outcome == PLAINLY_DIFFERENT and _differ_past_surname(a.value, b.value):
            # A given name read plainly otherwise differs however its surname was misread (自平辉 against
            # 白怡辉: 平 and 怡, a clerk's change).
            plainly_different.add(check)
        elif _unsure_without_surname((a_doc, a_name), (b_doc, b_name)):
            continue  # a name differing only in a surname it misread (美清) is for staff
        elif outcome == PLAINLY_DIFFERENT:
            plainly_different.add(check)
    return plainly_different


SETTLED_NAMES, PLAINLY_DIFFERENT = "settled", "plainly different"


def _reconcile_pair(*ends: tuple[Document, str], parents: set[str] | None = None) -> str | None:
    """Two differing names: SETTLED_NAMES where one reading (or each, place by place) is settled to the other,
    PLAINLY_DIFFERENT where each read its own character plainly; readings left unsure are made so in place.
    `parents`: the surnames a child's name may open with (none for a parent's name)."""
    (a_doc, a_name), (b_doc, b_name) = ends
    a, b = a_doc.fields[a_name], b_doc.fields[b_name]
    if len(a.value) != len(b.value):
        (document, name, shorter), (other, _, longer) = sorted([(a_doc, a_name, a), (b_doc, b_name, b)],
                                                            key=lambda end: len(end[2].value or ""))
        if _lost_character(shorter, longer.value):
            _settle(document, name, longer.value, longer.confidence, _title(other))
            return SETTLED_NAMES
        return None
    places = _differing(a.value, b.value)
    if len(places) > AT_MOST_DIFFERING:
        return None
    a_sees, b_sees = _seen(a, a.value, b.value, places), _seen(b, b.value, a.value, places)
    if a_sees is not False and b_sees is not False and (a_sees or b_sees):
        # Each reading weighed the other's character, or one did and the other cannot say: a surname
        # only one of them opens with is the one printed (吴子 and 昊子, each weighing the other's); of a
        # child's two surnames each weighing the other's, the one only a parent bears (国然云 against 田然云,
        # the father 田国鑫).
        surnamed = _surnamed(a.value, b.value, places)
        if surnamed is None and parents and a_sees and b_sees:
            surnamed = _parents_surname_of_one(a.value, b.value, places, parents)
        if surnamed is not None:
            (document, name, other), clear = ((a_doc, a_name, b_doc), b) if surnamed else ((b_doc, b_name, a_doc), a)
            _settle(document, name, clear.value, clear.confidence, _title(other))
            return SETTLED_NAMES
    if a_sees is None or b_sees is None:  # a reading that cannot say
        return None
    if a_sees and b_sees:
        # Each reading weighed the other's character too (字 0.80 and 宇 0.20 on one, 宇 0.74 and 字 0.26
        # on the other): neither document settles it, and neither reading is one to stand behind.
        _for_staff(a_doc, a_name)
        _for_staff(b_doc, b_name)
        return None
    if not a_sees and not b_sees:
        merged = _settled_place_by_place(a, b, places)
        if merged:
            # Each blurred at one place the other read clearly (王馨营 and 三馨蕾, each weighing the
            # other's character there): both are read as the other has each place.
            _settle(a_doc, a_name, merged, b.confidence, _title(b_doc))
            _settle(b_doc, b_name, merged, a.confidence, _title(a_doc))
            return SETTLED_NAMES
        if _plainly_read(a, places) and _plainly_read(b, places):
            return PLAINLY_DIFFERENT
        # A reading unsure of its own character where the names differ (叶涵盖 read at 0.91 as a run,
        # its 盖 at 0.75) is no surer than that character: for staff, not a failure.
        for document, name, reading in ((a_doc, a_name, a), (b_doc, b_name, b)):
            there = min(_read_as(reading, i) for i in places)
            if there < UNSURE_CHARACTER:
                document.fields[name] = reading.model_copy(update={"confidence": min(reading.confidence, there)})
        return None
    # The reading that weighed the other's character is the blurred one; the other saw only its own.
    document, name, other, settled = (a_doc, a_name, b_doc, b) if a_sees else (b_doc, b_name, a_doc, a)
    _settle(document, name, settled.value, settled.confidence, _title(other))
    return SETTLED_NAMES


def reconcile_id_numbers(documents: list[Document]) -> None:
    """Settle, in place, a parent's ID number whose check digit fails on one document where it is read one
    or two digits from the number on the other, which passes, and the failing reading weighed those digits.

    A number that passes its check digit is never changed: no single misread digit passes, and a clerk's
    other number (valid too) is what the check is there to catch. One failing it a single digit from the
    other's, that digit not weighed, is left for staff (below validation's trust).
    """
    for ends in SAME_NUMBERS.values():
        found = [(find(documents, kind, person), name) for kind, person, name in ends]
        if any(document is None or not document.fields.get(name) or not document.fields[name].value
               for document, name in found):
            continue
        passing = [idnumber.passes_check_digit(document.fields[name].value) for document, name in found]
        if passing[0] == passing[1]:  # two valid numbers that differ, or no valid one to settle to
            continue
        (document, name), (clear, clear_name) = found if passing[1] else found[::-1]
        misread, settled = document.fields[name], clear.fields[clear_name]
        if _weighed_other(misread, misread.value, settled.value):
            _settle(document, name, settled.value, settled.confidence, _title(clear), masked=True)
        elif (not misread.corrected_by and len(misread.value) == len(settled.value)
              and len(_differing(misread.value, settled.value)) == 1):
            # One digit off the other document's, the recogniser sure of its own (a blurred 3 read 8 at 1.00
            # under glare): as likely misread as misprinted. Staff compare the two; failing the application
            # would send a family to have a right certificate corrected.
            _for_staff(document, name)


def childs_number_weighed(documents: list[Document], as_of: date) -> None:
    """Settle, in place, the child's number on the household page (no other document prints it) where it
    fails its check digit and exactly one digit the recogniser weighed, at one place, makes a number that
    holds (the last 0 read 8 at 0.79, 0 at 0.26): the check digit is the other reading. A guess, for staff
    (UNSETTLED), that settles no birth date. A number printed with a wrong check digit is printed crisp:
    no other digit is weighed, and it still fails."""
    page = find(documents, DocumentType.household_register)
    reading = page.fields.get("id_number") if page else None
    if (not reading or not reading.value or reading.corrected_by or idnumber.passes_check_digit(reading.value)
            or not reading.alternatives or len(reading.alternatives) != len(reading.value)):
        return
    candidates = {reading.value[:i] + digit.upper() + reading.value[i + 1:]
                  for i, there in enumerate(reading.alternatives) for digit, likelihood in there.items()
                  if likelihood >= SEEN_THERE and len(digit) == 1 and digit.upper() != reading.value[i]}
    settled = idnumber.the_one_passing(candidates, as_of)
    if settled:
        _settle(page, "id_number", settled, 0.0, "号码的校验码 / the number's check digit", masked=True, surest=UNSETTLED)
        page.fields["id_number"] = page.fields["id_number"].model_copy(update={"guessed": True})


def reconcile_birth_dates(documents: list[Document], as_of: date) -> None:
    """Settle, in place, a birth date printed beside an ID number (household page, ID card front) that is read
    one or two digits from the date the number encodes, where the date's recogniser weighed those digits:
    the number passes its check digit, so it is read as printed (2020 read where 2026 is blurred, 6 at 0.08).
    So too a date read one digit from the number's and later than the application (2028-11-14 for
    2026-11-14, the 6 read 8 and nothing else weighed): no one applies for a child not yet born, and a
    number whose check digit passes is misread in two places or not at all. The certificate prints no
    number: its date is held to the later-than-the-application rule against the child's number on the
    household page (2076 read for 2026)."""
    dated = [(d, d.fields.get("id_number"), "本页公民身份号码 / the ID number on this page")
             for d in documents if d.type in DATED_BY_NUMBER]
    certificate, page = find(documents, DocumentType.birth_certificate), find(documents, DocumentType.household_register)
    if certificate and page:
        dated.append((certificate, page.fields.get("id_number"),
                      "户口簿上新生儿的公民身份号码 / the child's ID number on the household page"))
    for document, number, source in dated:
        printed = document.fields.get("birth_date")
        # A number restored from a reading a character short is a guess, and settles nothing.
        if (not printed or not printed.value or not number or not number.value or number.guessed
                or not idnumber.passes_check_digit(number.value)):
            continue
        encoded = number.value[6:14]
        # The recogniser's weighing of a date tells a misread digit only where the date's own page prints
        # the number: the certificate's date may differ from the household page's as printed (a clerk's slip).
        prints_number = document.type in DATED_BY_NUMBER
        if ((prints_number and _weighed_other(printed, printed.value.replace("-", ""), encoded))
                or _after_the_application(printed, number.value, as_of)):
            _settle(document, "birth_date", f"{encoded[:4]}-{encoded[4:6]}-{encoded[6:]}", number.confidence, source)


def _after_the_application(printed: FieldValue, number: str, as_of: date) -> bool:
    """A printed birth date after the application date, one digit from the date the number encodes, which
    is not."""
    born, problem = idnumber.encoded_birth(number, as_of)
    return (not printed.corrected_by and born is not None and problem is None and date.fromisoformat(printed.value) > as_of
            and len(_differing(printed.value.replace("-", ""), number[6:14])) == 1)


def reconcile_places(documents: list[Document]) -> None:
    """Settle, in place, a county on an ID card misread as no county at all (乾县 read 干县, 乾 being rare):
    on a front's address, where its own ID number's county stands after that county's province and city;
    on a back's issuing authority (its county's public security bureau), from either parent's number.

    Only a county name one character from the number's, and itself no county's name in the code table, is
    settled: an address in another county than the number was issued in (the holder moved) stays as read.
    """
    numbers = [read.value for d in documents for name, read in d.fields.items()
               if name.endswith("id_number") and d.type != DocumentType.household_register
               and read.value and idnumber.passes_check_digit(read.value)]
    for document in documents:
        if document.type == DocumentType.id_card_front:
            own = document.fields.get("id_number")
            codes = [own.value[:6]] if own and own.value and idnumber.passes_check_digit(own.value) else []
            name, before = "address", idnumber.region_prefix
        elif document.type == DocumentType.id_card_back:
            codes, name, before = sorted({number[:6] for number in numbers}), "issuing_authority", lambda code: ""
        else:
            continue
        read = document.fields.get(name)
        if not read or not read.value or read.corrected_by:
            continue
        settled = set()
        for code in codes:
            prefix, counties = before(code), idnumber.county_names(code)
            if prefix is None or not read.value.startswith(prefix) or any(read.value.startswith(prefix + c) for c in counties):
                continue
            settled.update(fixed for county in counties if (fixed := _county_settled(read.value, len(prefix), county)))
        source = "身份证号码所示县区 / the county the ID number names"
        if not settled and document.type == DocumentType.id_card_back:
            settled, source = _bureau_settled(read.value, codes), "身份证号码所示县区的公安局 / the bureau of the county the ID number names"
        if len(settled) == 1:
            _settle(document, name, settled.pop(), read.confidence, source)


def _bureau_settled(authority: str, codes: list[str]) -> set[str]:
    """The bureau serving one of the numbers' counties, where the authority reads one character from it
    (张家市公安局宣化分局, 口 lost) and names no place as read (张家市 is no city)."""
    bureaus = {bureau for code in codes for bureau in _bureaus(code)}
    if authority in bureaus or _names_places(authority):
        return set()
    return {bureau for bureau in bureaus if Levenshtein.distance(authority, bureau) == 1}


def _bureaus(code: str) -> set[str]:
    """The names the bureau issuing a county's ID cards is printed under (`issued_by` in the back's schema),
    and the county's own bureau's (六枝特区公安局: a 特区 is no city's district)."""
    forms, city = document_schemas()[DocumentType.id_card_back].issued_by, idnumber.city_name(code)
    if forms is None:
        return set()
    return {name for county in idnumber.county_names(code) for name in (*forms.names(county, city), *forms.names(county, None))}


def _names_places(authority: str) -> bool:
    """Every place an authority names (a county's bureau, or a city's and its district's branch) is one."""
    bureau = re.fullmatch(r"(.+?)公安局(?:(.+?)分局)?", authority)
    if bureau is None:
        return False
    return all(idnumber.names_a_place(place) for place in bureau.groups() if place)


def _county_settled(text: str, at: int, county: str) -> str | None:
    """The text with the county's name at `at`, where it reads one character from it, not its last (县, 区,
    市: 清原县 is the old name of 清原满族自治县, not a misreading of its first three characters), and as no
    county."""
    read = text[at:at + len(county)]
    if (len(read) != len(county) or read[-1] != county[-1] or sum(x != y for x, y in zip(read, county)) != 1
            or idnumber.is_county_name(read)):
        return None
    return text[:at] + county + text[at + len(county):]


def _surname(name: str) -> int:
    """How many of the name's first characters are a surname (schemas/values/surnames.yaml); 0 for none."""
    known = value_list("surnames")
    return next((length for length in (2, 1) if name[:length] in known), 0)


def _surname_of_one(a: str, b: str) -> bool | None:
    """Whether `b` alone of two names opens with a surname (True) or `a` alone (False); None when both or
    neither do."""
    return _second_alone(bool(_surname(a)), bool(_surname(b)))


def _second_alone(a_has: bool, b_has: bool) -> bool | None:
    """True where only the second of two names has it, False where only the first, None where both or neither."""
    return None if a_has == b_has else b_has


def _in_surnames(a: str, b: str, places: list[int]) -> bool:
    """Whether two names differ in their surnames only (the longer of the two's)."""
    return all(place < max(_surname(a), _surname(b)) for place in places)


def _surnamed(a: str, b: str, places: list[int]) -> bool | None:
    """`_surname_of_one`, where two names differ in their surnames only; else None."""
    return _surname_of_one(a, b) if _in_surnames(a, b, places) else None


def _parents_surname_of_one(a: str, b: str, places: list[int], parents: set[str]) -> bool | None:
    """Whether `b` alone of two names differing in their surnames only opens with one of the parents' surnames
    (True), or `a` alone (False); else None. Opening with one, not being one: 欧阳明 and 欧杨明 both open with
    the father's 欧, however the surname list splits them."""
    if not _in_surnames(a, b, places):
        return None
    return _second_alone(*(any(name.startswith(surname) for surname in parents) for name in (a, b)))


def _unsure_without_surname(*ends: tuple[Document, str]) -> bool:
    """Of two names differing at their first character, the one opening with no surname where the other
    opens with one is misread there, however sure the recogniser was (美清 for 熊清, off a certificate blurred
    past reading): no surer than UNSETTLED, for staff. Whether there was one."""
    (a_doc, a_name), (b_doc, b_name) = ends
    a, b = a_doc.fields[a_name].value, b_doc.fields[b_name].value
    surnamed = _surname_of_one(a, b) if a[0] != b[0] else None
    if surnamed is None:
        return False
    _for_staff(*((a_doc, a_name) if surnamed else (b_doc, b_name)))
    return True


def _differ_past_surname(a: str, b: str) -> bool:
    """Whether two names of one length differ after the longer of their surnames (after the first character,
    where neither has one)."""
    start = max(_surname(a), _surname(b), 1)
    return any(x != y for x, y in zip(a[start:], b[start:]))


def _settled_place_by_place(a: FieldValue, b: FieldValue, places: list[int]) -> str | None:
    """The name both readings make where, at each place they differ, exactly one weighed the other's
    character (that one misread it); None where a place has no such reading."""
    merged = list(a.value)
    for place in places:
        a_sees, b_sees = _seen(a, a.value, b.value, [place]), _seen(b, b.value, a.value, [place])
        if a_sees == b_sees:
            return None
        # At a surname's place, the reading that opens with one is the one printed, however sure the other
        # (自欢园 at 0.99, weighing 白 at 0.005, against 白欢国, weighing 自 at 0.34).
        surnamed = _surnamed(a.value, b.value, [place])
        merged[place] = b.value[place] if (a_sees if surnamed is None else surnamed) else a.value[place]
    return "".join(merged)


def _weighed_other(reading: FieldValue, own: str, other: str) -> bool:
    """Whether a reading not corrected by staff (`own`: its value, or a date's digits) differs from `other` in
    one or two places and weighed the other's character at each."""
    if reading.corrected_by or own == other or len(own) != len(other):
        return False
    places = _differing(own, other)
    return len(places) <= AT_MOST_DIFFERING and bool(_seen(reading, own, other, places))


def _differing(own: str, other: str) -> list[int]:
    """Where two readings of the same length differ."""
    return [i for i, (x, y) in enumerate(zip(own, other)) if x != y]


def _for_staff(document: Document, name: str) -> None:
    """The field as read, no surer than UNSETTLED: staff decide."""
    reading = document.fields[name]
    document.fields[name] = reading.model_copy(update={"confidence": min(reading.confidence, UNSETTLED)})


def _settle(document: Document, name: str, value: str, clear_confidence: float, source: str, masked: bool = False,
            surest: float = SETTLED) -> None:
    """The field read as `value`, as the clearer reading has it, with a warning naming where it was read."""
    misread = document.fields[name]
    document.fields[name] = misread.model_copy(update={
        "value": value, "confidence": min(max(misread.confidence, clear_confidence), surest)})
    was, now = (idnumber.mask(misread.value), idnumber.mask(value)) if masked else (misread.value, value)
    chinese, english = (source.split(" / ", 1) + [""])[:2]
    document.warnings.append(f"「{was}」字迹不清，按{chinese}读作「{now}」 / {was} is unclear here and was read as on {english}: {now}")


def _restore_dot(document: Document, name: str, reading: FieldValue, other: str, source: str) -> None:
    """A transliterated name read without its dot (阿迪力热合曼: the dot is small, and a blur or the detector
    loses it) is given it back where the other document's reading has it; it is then compared as any name."""
    if "·" in reading.value or other.count("·") != 1 or len(reading.value) != len(other) - 1:
        return
    at, weighed = other.index("·"), reading.alternatives
    fits = weighed is not None and len(weighed) == len(reading.value)  # what was weighed at each character
    document.fields[name] = reading.model_copy(update={
        "value": reading.value[:at] + "·" + reading.value[at:],
        "alternatives": [*weighed[:at], {"·": 1.0}, *weighed[at:]] if fits else None})
    chinese, english = source.split(" / ", 1)
    document.warnings.append(f"「{reading.value}」缺少间隔号「·」，按{chinese}补上 / {reading.value} was read without its "
                             f"dot, put back as on {english}")


def _title(document: Document) -> str:
    chinese, english = (document_title(document.type).split(" / ", 1) + [document.type.value])[:2]
    return f"{chinese} / the {english}"


def _lost_character(reading: FieldValue, longer: str) -> bool:
    """Whether the reading is the longer name with one character lost, a character the recogniser weighed
    where it was lost (薛芳 for 薛芳琳, 琳 weighed at 0.13 after 芳)."""
    own = reading.value or ""
    if len(longer) != len(own) + 1 or not reading.alternatives or len(reading.alternatives) != len(own):
        return False
    return any(own == longer[:place] + longer[place + 1:]
               and reading.alternatives[place - 1].get(AFTER + longer[place], 0.0) >= SEEN_THERE
               for place in range(1, len(longer)))


def _plainly_read(reading: FieldValue, places: list[int]) -> bool:
    """Whether each of the reading's own characters at those places was read at PLAINLY_READ or more."""
    return all(_read_as(reading, i) >= PLAINLY_READ for i in places)


def _read_as(reading: FieldValue, place: int, char: str | None = None) -> float:
    """How likely the recogniser found that character (the reading's own) at that place: its printed form and
    any traditional form of it (軍 0.66 and 军 0.34, read 军) together."""
    wanted = char or reading.value[place]
    return min(1.0, sum(likelihood for weighed, likelihood in reading.alternatives[place].items()
                        if not weighed.startswith(AFTER) and simplified(weighed) == wanted))


def _seen(reading: FieldValue, own: str, other: str, places: list[int]) -> bool | None:
    """Whether the recogniser weighed the other's character at each place the two differ; None for a
    reading that kept no alternatives (another engine's, or a crop's). `own` is what the alternatives are
    of: the value, or a date's eight digits."""
    if not reading.alternatives or len(reading.alternatives) != len(own):
        return None
    return all(_read_as(reading, i, other[i]) >= SEEN_THERE for i in places)
