"""Stage 7: the checks a case officer makes, and the application's status.

Each check compares what the documents say; a disagreement read with low
confidence is `review` (an officer should look), a confident one is `fail`.
Messages are Chinese first, English after, with ID numbers masked.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from intake import idnumber
from intake.models import Check, Deadline, Document, DocumentType, FieldValue
from intake.persons import PARENTS, assign_persons, find, value
from intake.photo import check_photo
from intake.reconcile import reconcile, reconcile_places
from intake.schemas import Region, document_schemas, document_title

# A field read below this confidence is not trusted to fail an application by itself.
TRUST = 0.80
# A name is read one rare character at a time, and a misread character can come with a high
# confidence (许宇航 read 许字航 at 0.88): on the hard set, names read at 0.85-0.90 were right 19 times
# in 27, at 0.90 and above 323 times in 328. Two names that differ fail only when both are this sure.
NAME_TRUST = 0.90
PERSON_CN = {"mother": "母亲", "father": "父亲", "child": "新生儿"}
PERSON_EN = {"mother": "mother", "father": "father", "child": "child"}


def field(document: Document | None, name: str) -> FieldValue | None:
    if document is None:
        return None
    return document.fields.get(name)


def missing_documents(documents: list[Document], region: Region) -> list[str]:
    missing: list[str] = []
    for requirement in region.required:
        if find(documents, requirement.type, requirement.person) is None and requirement.type.value not in missing:
            missing.append(requirement.type.value)
    return missing


def compare(check_id: str, what_cn: str, what_en: str, a: FieldValue | None, a_doc: str, b: FieldValue | None,
            b_doc: str, mask: bool = False, trust: float = TRUST) -> Check:
    """Two readings of one fact: equal passes; a confident difference fails; an unsure one is review."""
    show = idnumber.mask if mask else (lambda v: v)
    if a is None or b is None:
        return Check(id=check_id, status="skipped", message=f"{what_cn}：缺少文件，未比对 / {what_en}: a document is missing")
    if a.value is None or b.value is None:
        where = a_doc if a.value is None else b_doc
        return Check(id=check_id, status="review",
                     message=f"{where}上的{what_cn}无法识别，请人工核对 / {what_en} could not be read on the {where}; check by eye")
    if a.value == b.value:
        return Check(id=check_id, status="pass", message=f"{what_cn}一致 / {what_en} match: {show(a.value)}")
    # Only a difference both documents were read confidently enough to stand behind fails the application;
    # anything else is for an officer's eyes. The message says how far apart the two readings are.
    unsure = min(a.confidence, b.confidence) < trust
    status = "review" if unsure else "fail"
    verdict_cn = "可能是识别误差，请人工核对" if status == "review" else "不一致"
    verdict_en = "possibly a misreading; check by eye" if status == "review" else "do not match"
    return Check(
        id=check_id, status=status,
        message=f"{what_cn}{verdict_cn}：{a_doc}为「{show(a.value)}」，{b_doc}为「{show(b.value)}」 / "
        f"{what_en} {verdict_en}: {show(a.value)} vs {show(b.value)}",
    )


def document_checks(documents: list[Document]) -> list[Check]:
    checks = []
    for d in documents:
        if d.type == DocumentType.unreadable:
            checks.append(Check(id="documents.unreadable", status="review",
                                message=f"文件无法读取：{d.file}（{d.error}） / file cannot be read: {d.file}"))
        elif d.type == DocumentType.unknown:
            checks.append(Check(id="documents.unknown", status="review",
                                message=f"无法识别文件类型：{d.file} 第{d.page}页 / cannot tell what document {d.file} page {d.page} is"))
    seen: dict[tuple[str, str | None], Document] = {}
    for d in documents:
        if d.type in (DocumentType.unreadable, DocumentType.unknown):
            continue
        key = (d.type.value, d.person)
        if key in seen:
            checks.append(Check(id="documents.duplicate", status="review",
                                message=f"重复的{document_title(d.type)}：{seen[key].file} 与 {d.file} / two of the same document"))
        seen[key] = d
    if not checks:
        checks.append(Check(id="documents.readable", status="pass", message="所有文件均可读取 / every file could be read"))
    return checks


def id_number_checks(documents: list[Document], as_of: date) -> list[Check]:
    # The same number read alike on two documents is what is printed, however unsure each reading was.
    readings: dict[str, int] = {}
    for d in documents:
        for name, read in d.fields.items():
            if read.value and (name == "id_number" or name.endswith("_id_number") or name == "social_security_number"):
                readings[read.value] = readings.get(read.value, 0) + 1
    checks = []
    for d in documents:
        for name, spec in (document_schemas().get(d.type).fields.items() if d.type in document_schemas() else []):
            if spec.kind != "id_number":
                continue
            read = d.fields.get(name)
            owner = name.removesuffix("_id_number") if name.endswith("_id_number") else d.person or "unknown"
            check_id = f"id_number.{d.type.value}.{owner}"
            if read is None or read.value is None:
                checks.append(Check(id=check_id, status="review",
                                    message=f"{document_title(d.type)}上的身份证号码无法识别 / ID number could not be read on {d.file}"))
                continue
            # The card's own printed birth date and sex are checked against the number; a disagreement is
            # only as sure as the less sure of the two readings.
            printed = {k: field(d, k) for k in ("birth_date", "sex")} if name == "id_number" else {}
            printed = {k: v for k, v in printed.items() if v is not None and v.value is not None}
            verdict = idnumber.check(
                read.value,
                printed_birth_date=date.fromisoformat(printed["birth_date"].value) if "birth_date" in printed else None,
                printed_sex=printed["sex"].value if "sex" in printed else None, today=as_of,
            )
            if verdict.valid:  # fails, if at all, only against the card's printed date or sex
                trust = min([read.confidence] + [v.confidence for v in printed.values()])
            else:
                trust = 1.0 if readings.get(read.value, 0) >= 2 else read.confidence
            status = verdict.status
            if status == "fail" and trust < TRUST:
                status = "review"
            reasons = "；".join(verdict.reasons) or "有效 / valid"
            checks.append(Check(id=check_id, status=status,
                                message=f"{document_title(d.type)} {idnumber.mask(read.value)}：{reasons}"))
    return checks


def id_card_checks(documents: list[Document], as_of: date) -> list[Check]:
    checks = []
    for back in (d for d in documents if d.type == DocumentType.id_card_back):
        who = back.person or "unknown"
        check_id = f"id_card.validity.{who}"
        until = value(back, "valid_until")
        start = value(back, "valid_from")
        if until is None:
            checks.append(Check(id=check_id, status="review",
                                message=f"身份证有效期限无法识别：{back.file} / ID card validity could not be read"))
        elif until != "长期" and date.fromisoformat(until) < as_of:
            checks.append(Check(id=check_id, status="fail",
                                message=f"{PERSON_CN.get(who, '')}身份证已过期（有效期至 {until}） / {PERSON_EN.get(who, 'an')} ID card expired on {until}"))
        elif start and date.fromisoformat(start) > as_of:
            checks.append(Check(id=check_id, status="fail",
                                message=f"身份证有效期起始日 {start} 晚于申请日 / ID card validity starts {start}, after the application date"))
        else:
            checks.append(Check(id=check_id, status="pass",
                                message=f"{PERSON_CN.get(who, '')}身份证在有效期内（至 {until}） / ID card valid until {until}"))
    return checks


def cross_checks(documents: list[Document], plainly_different: set[str] = frozenset()) -> list[Check]:
    """`plainly_different`: name checks whose names differ where each reading saw only its own character
    (reconcile): they fail whatever either name's confidence."""
    certificate = find(documents, DocumentType.birth_certificate)
    household = find(documents, DocumentType.household_register)
    bc, hh = "出生医学证明", "户口簿"

    def name_trust(check_id: str) -> float:
        return 0.0 if check_id in plainly_different else NAME_TRUST

    checks = [
        compare("names.child", "新生儿姓名", "child's name", field(certificate, "child_name"), bc, field(household, "name"), hh,
                trust=name_trust("names.child")),
        compare("birth_date.child", "出生日期", "child's birth date", field(certificate, "birth_date"), bc, field(household, "birth_date"), hh),
    ]
    for parent in PARENTS:
        front = find(documents, DocumentType.id_card_front, parent)
        card = f"{PERSON_CN[parent]}身份证"
        checks.append(compare(f"names.{parent}", f"{PERSON_CN[parent]}姓名", f"{parent}'s name",
                              field(certificate, f"{parent}_name"), bc, field(front, "name"), card,
                              trust=name_trust(f"names.{parent}")))
        checks.append(compare(f"id_numbers.{parent}", f"{PERSON_CN[parent]}身份证号码", f"{parent}'s ID number",
                              field(certificate, f"{parent}_id_number"), bc, field(front, "id_number"), card, mask=True))
    child_number = value(household, "id_number")
    birth = field(certificate, "birth_date")
    if child_number and birth and birth.value and len(child_number) == 18:
        inner = f"{child_number[6:10]}-{child_number[10:12]}-{child_number[12:14]}"
        checks.append(compare("birth_date.child_id_number", "新生儿身份证号码中的出生日期", "birth date inside the child's ID number",
                              birth, bc, FieldValue(value=inner, confidence=field(household, "id_number").confidence), hh))
    return checks


def deadline_check(documents: list[Document], region: Region, as_of: date) -> tuple[Check, Deadline]:
    certificate = find(documents, DocumentType.birth_certificate)
    household = find(documents, DocumentType.household_register)
    # The certificate's date, unless only the household page's was read surely (a blurred certificate's
    # hour run into its day gave a birth after the application: a failure on a guess).
    read_dates = [f for f in (field(certificate, "birth_date"), field(household, "birth_date")) if f and f.value]
    read = next((f for f in read_dates if f.confidence >= TRUST), read_dates[0] if read_dates else None)
    if read is None:
        status = "skipped" if certificate is None and household is None else "review"
        return Check(id="deadline.window", status=status,
                     message="无法确定出生日期，未计算申请期限 / birth date unknown; deadline not computed"), Deadline()
    birth = date.fromisoformat(read.value)
    sure = read.confidence >= TRUST
    if region.window.months:
        month = birth.month - 1 + region.window.months
        year, month = birth.year + month // 12, month % 12 + 1
        deadline = date(year, month, min(birth.day, calendar.monthrange(year, month)[1]))
    else:
        deadline = birth + timedelta(days=region.window.days)
    days_left = (deadline - as_of).days
    info = Deadline(birth_date=birth, deadline=deadline, days_left=days_left)
    if as_of < birth:
        return Check(id="deadline.window", status="fail" if sure else "review",
                     message=f"申请日早于出生日期 {birth} / application date is before the birth date {birth}"), info
    if days_left < 0:
        return Check(id="deadline.window", status="fail" if sure else "review",
                     message=f"已超过申请期限：截止 {deadline}，已逾期 {-days_left} 天 / past the deadline {deadline} by {-days_left} days"), info
    return Check(id="deadline.window", status="pass",
                 message=f"在申请期限内：截止 {deadline}，还剩 {days_left} 天 / within the window: deadline {deadline}, {days_left} days left"), info


def insurance_check(documents: list[Document], region: Region) -> Check:
    card = find(documents, DocumentType.social_security_card)
    if card is None:
        return Check(id="insurance.holder", status="skipped", message="缺少社会保障卡 / no social security card")
    certificate = find(documents, DocumentType.birth_certificate)
    number, name = field(card, "social_security_number"), field(card, "name")
    if card.person in region.insurance_holders:
        front = find(documents, DocumentType.id_card_front, card.person)
        expected = value(front, "id_number") or value(certificate, f"{card.person}_id_number")
        if number and number.value and expected and number.value != expected:
            return compare("insurance.holder", "社会保障号码", "social security number", number, "社会保障卡",
                           FieldValue(value=expected, confidence=1.0), f"{PERSON_CN[card.person]}身份证", mask=True)
        return Check(id="insurance.holder", status="pass",
                     message=f"社会保障卡属于{PERSON_CN[card.person]} / the card belongs to the {card.person}")
    if card.person is not None:
        return Check(id="insurance.holder", status="fail",
                     message=f"本地区只接受{'或'.join(PERSON_CN[p] for p in region.insurance_holders)}的社会保障卡 / this region accepts only the {' or '.join(region.insurance_holders)}'s card")
    unsure = (name is None or name.value is None or name.confidence < TRUST) and (number is None or number.value is None or number.confidence < TRUST)
    shown = name.value if name and name.value else "?"
    return Check(id="insurance.holder", status="review" if unsure else "fail",
                 message=f"社会保障卡（{shown}）不属于父母任何一方 / the social security card ({shown}) belongs to neither parent")


def application_status(missing: list[str], checks: list[Check]) -> str:
    statuses = {c.status for c in checks}
    if "fail" in statuses:
        return "inconsistent"
    if missing:
        return "incomplete"
    if "review" in statuses:
        return "needs_review"
    return "complete"


def validate_application(documents: list[Document], region: Region, as_of: date) -> tuple[list[str], list[Check], Deadline, str]:
    # Before whose-card-is-whose: a back is matched to a front by its issuing authority's county.
    reconcile_places(documents)
    assign_persons(documents)
    plainly_different = reconcile(documents, as_of)
    missing = missing_documents(documents, region)
    checks = document_checks(documents)
    checks += id_number_checks(documents, as_of)
    checks += id_card_checks(documents, as_of)
    checks += cross_checks(documents, plainly_different)
    deadline, info = deadline_check(documents, region, as_of)
    checks.append(deadline)
    checks.append(insurance_check(documents, region))
    checks.append(check_photo(find(documents, DocumentType.photo)))
    return missing, checks, info, application_status(missing, checks)
