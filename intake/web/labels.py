"""What staff read on the pages: every label Chinese first, then English.

Document titles come from schemas/documents/*.yaml where a schema exists; the
rest (the photo, and the two kinds of failure) and the field names are here.
"""

from __future__ import annotations

from intake.models import ApplicationReport, DocumentType
from intake.schemas import Region, document_title

STATUS = {
    "complete": "材料齐全 / complete",
    "incomplete": "缺少材料 / incomplete",
    "inconsistent": "信息不一致 / inconsistent",
    "needs_review": "需人工复核 / needs review",
}
STATE = {
    "queued": "排队中 / queued",
    "running": "识别中 / reading",
    "done": "已完成 / done",
    "failed": "处理失败 / failed",
}
CHECK_STATUS = {"fail": "不通过 / fail", "review": "需复核 / review", "pass": "通过 / pass", "skipped": "未检查 / skipped"}
CHECK_ORDER = {"fail": 0, "review": 1, "pass": 2, "skipped": 3}
PERSON = {"child": "新生儿 / child", "mother": "母亲 / mother", "father": "父亲 / father"}
EXTRA_TITLES = {
    DocumentType.photo: "新生儿照片 / photo of the child",
    DocumentType.unknown: "无法识别的文件 / unrecognised document",
    DocumentType.unreadable: "无法读取的文件 / unreadable file",
}
FIELDS = {
    "child_name": "新生儿姓名 / child's name",
    "child_sex": "新生儿性别 / child's sex",
    "birth_date": "出生日期 / birth date",
    "mother_name": "母亲姓名 / mother's name",
    "mother_id_number": "母亲身份证号 / mother's ID number",
    "father_name": "父亲姓名 / father's name",
    "father_id_number": "父亲身份证号 / father's ID number",
    "certificate_number": "出生证编号 / certificate number",
    "name": "姓名 / name",
    "sex": "性别 / sex",
    "ethnicity": "民族 / ethnicity",
    "address": "住址 / address",
    "id_number": "身份证号 / ID number",
    "issuing_authority": "签发机关 / issuing authority",
    "valid_from": "有效期起 / valid from",
    "valid_until": "有效期至 / valid until",
    "relation": "与户主关系 / relation",
    "social_security_number": "社会保障号码 / social security number",
    "card_number": "卡号 / card number",
    "faces": "人脸数 / faces",
    "plain_background": "纯色背景 / plain background",
    "size": "尺寸 / size",
}
VALUES = {"male": "男 / male", "female": "女 / female", "yes": "是 / yes", "no": "否 / no"}


def title(doc_type: DocumentType | str) -> str:
    doc_type = DocumentType(doc_type)
    return EXTRA_TITLES.get(doc_type) or document_title(doc_type)


def requirement_rows(report: ApplicationReport, rules: Region) -> list[dict[str, object]]:
    """The region's required materials, each with whether a document of that kind (and person) was found."""
    rows = []
    for requirement in rules.required:
        found = next((i for i, d in enumerate(report.documents)
                      if d.type == requirement.type and (requirement.person is None or d.person == requirement.person)),
                     None)
        label = title(requirement.type)
        if requirement.person in ("mother", "father"):
            cn, en = PERSON[requirement.person].split(" / ")
            doc_cn, doc_en = label.split(" / ", 1)
            label = f"{cn}{doc_cn} / {en}'s {doc_en}"
        rows.append({"label": label, "present": found is not None, "index": found})
    return rows
