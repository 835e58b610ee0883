"""Hand-built documents of one clean application, for tests of what is decided from read fields."""

from __future__ import annotations

from datetime import date

from intake.models import Document, DocumentType, FieldValue

AS_OF = date(2026, 11, 24)
MOTHER_ID = "110105199103070022"
FATHER_ID = "110105198805120018"
CHILD_ID = "110105202611020026"


def doc(doc_type: str, person: str | None = None, confidence: float = 0.95, **fields: str) -> Document:
    return Document(
        file=f"{doc_type}-{person}.jpg", type=DocumentType(doc_type), person=None,
        fields={k: FieldValue(value=v, confidence=confidence) for k, v in fields.items()},
    )


def clean_set() -> list[Document]:
    return [
        doc("birth_certificate", child_name="王梓涵", child_sex="female", birth_date="2026-11-02",
            mother_name="李秀英", mother_id_number=MOTHER_ID, father_name="王建国", father_id_number=FATHER_ID,
            certificate_number="O440123456"),
        doc("id_card_front", name="李秀英", sex="female", ethnicity="汉", birth_date="1991-03-07",
            address="北京市朝阳区建国路88号", id_number=MOTHER_ID),
        doc("id_card_front", name="王建国", sex="male", ethnicity="汉", birth_date="1988-05-12",
            address="北京市海淀区中关村大街1号", id_number=FATHER_ID),
        doc("id_card_back", issuing_authority="北京市公安局朝阳分局", valid_from="2020-03-01", valid_until="2040-03-01"),
        doc("id_card_back", issuing_authority="北京市公安局海淀分局", valid_from="2016-06-01", valid_until="2036-06-01"),
        doc("household_register", name="王梓涵", relation="女", sex="female", birth_date="2026-11-02", id_number=CHILD_ID),
        doc("photo", faces="1", plain_background="yes", size="600x800"),
        doc("social_security_card", name="李秀英", social_security_number=MOTHER_ID, card_number="A12345678"),
    ]
