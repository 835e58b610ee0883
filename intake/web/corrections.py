"""An officer's correction of one misread field, and the checks run again without OCR.

The stored report already holds every document the pipeline read; the
corrected field replaces the reading (confidence 1, `corrected_by` the
officer) and `validate_application` runs on the rebuilt documents. What the
officer typed is put in the contract's value form first, so "2026/11/2" and
"2026-11-02" compare equal, and nonsense is refused with a message instead of
failing a check.
"""

from __future__ import annotations

import re
from datetime import date

from intake import normalise
from intake.models import ApplicationReport, Document, DocumentType, FieldValue
from intake.schemas import document_schemas, region as load_region
from intake.validate import validate_application

# The photo's fields come from image analysis, not a schema; an officer may settle them by eye.
PHOTO_FIELDS = {"faces": "count", "plain_background": "yes_no"}


class CorrectionError(ValueError):
    """The typed value cannot be a value of that field (a message for the officer, Chinese first)."""


def field_kinds(doc_type: DocumentType) -> dict[str, str]:
    """The fields an officer may correct on a document of this type, with their kinds."""
    if doc_type == DocumentType.photo:
        return dict(PHOTO_FIELDS)
    schema = document_schemas().get(doc_type)
    return {name: spec.kind for name, spec in schema.fields.items()} if schema else {}


def normalise_value(kind: str, text: str) -> str | None:
    """The typed text in the contract's form; empty means "cannot be read" (null)."""
    text = text.strip()
    if not text:
        return None
    if kind == "count":
        if not text.isdigit() or int(text) > 20:
            raise CorrectionError("请输入人脸数量（数字） / enter the number of faces (a digit)")
        return str(int(text))
    if kind == "yes_no":
        lowered = text.lower()
        if lowered in ("yes", "y", "是", "纯色"):
            return "yes"
        if lowered in ("no", "n", "否", "不是"):
            return "no"
        raise CorrectionError("请输入 是/yes 或 否/no / enter yes or no")
    if kind == "id_number":
        # The officer's reading is final: no repair, only the printed form (upper-case X, no spaces).
        value = normalise.clean(text).upper().replace("×", "X")
        if not re.fullmatch(r"\d{17}[\dX]", value):
            raise CorrectionError("身份证号码应为 18 位（最后一位可为 X） / an ID number has 18 characters (the last may be X)")
        return value
    if kind in ("date", "validity_from"):
        found = normalise.parse_date(text)
        if found is None:
            raise CorrectionError("日期格式应为 YYYY-MM-DD / a date looks like 2026-11-02")
        return found.isoformat()
    if kind == "validity_until":
        if "长期" in text:
            return "长期"
        found = normalise.parse_date(text)
        if found is None:
            raise CorrectionError("有效期至应为日期或“长期” / valid until is a date or 长期")
        return found.isoformat()
    if kind == "sex":
        value, _ = normalise.sex(text)
        if value is None:
            raise CorrectionError("性别应为 男 或 女 / sex is 男 (male) or 女 (female)")
        return value
    if kind == "name":
        value, _ = normalise.name(text)
        if value is None:
            raise CorrectionError("姓名应为汉字 / a name is written in Chinese characters")
        return value
    # Numbers and free text: the printed text with spaces removed, as the contract says.
    return normalise.clean(text)


def apply_correction(report: ApplicationReport, index: int, field: str, typed: str, officer: str,
                     region: str, as_of: date) -> tuple[ApplicationReport, str | None, str | None]:
    """The report with one field corrected and every check re-run; also the old and new values."""
    documents = [Document.model_validate(d.model_dump()) for d in report.documents]
    if not 0 <= index < len(documents):
        raise CorrectionError("没有这个文件 / no such document")
    document = documents[index]
    kinds = field_kinds(document.type)
    if field not in kinds:
        raise CorrectionError(f"此文件没有字段 {field} / this document has no field {field}")
    new = normalise_value(kinds[field], typed)
    old = document.fields[field].value if field in document.fields else None
    document.fields[field] = FieldValue(value=new, confidence=1.0, corrected_by=officer)
    missing, checks, deadline, status = validate_application(documents, load_region(region), as_of)
    updated = report.model_copy(update={"documents": documents, "missing": missing, "checks": checks,
                                        "deadline": deadline, "status": status})
    return updated, old, new
