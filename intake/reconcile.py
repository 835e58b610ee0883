"""Before the checks: a name two documents read differently where one reading's recogniser saw the other's
character as well.

A certificate photographed by a moving hand reads 任和字 where the household page reads 任和宇; the
recogniser, at the blurred character, gave 字 0.98 and 宇 0.02. The blur cannot tell them apart, and the
household page, read clearly, can: the certificate is read as 任和宇, with a warning saying so. A name
altered by a clerk (任和轩 on one document) is another character altogether, which the recogniser, at that
place, did not weigh at all: the check still fails.
"""

from __future__ import annotations

from intake.models import Document, DocumentType, FieldValue
from intake.persons import find
from intake.schemas import document_schemas

# The names printed on two documents that must agree, by the check that compares them: (document type,
# person or None, field) each.
SAME_NAMES = {
    "names.child": ((DocumentType.birth_certificate, None, "child_name"), (DocumentType.household_register, None, "name")),
    "names.mother": ((DocumentType.birth_certificate, None, "mother_name"), (DocumentType.id_card_front, "mother", "name")),
    "names.father": ((DocumentType.birth_certificate, None, "father_name"), (DocumentType.id_card_front, "father", "name")),
}
# The other document's character counts as seen where the recogniser gave it at least this probability
# (a clearly read character leaves every other below 0.005).
SEEN_THERE = 0.01
# Names differing in more characters than this are different names, however blurred.
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


def reconcile_names(documents: list[Document]) -> set[str]:
    """Settle, in place, names read one or two characters apart where one reading also saw the other's.

    Returns the checks (of SAME_NAMES) whose two names differ as plainly as the recogniser can tell: at each
    place they differ, each reading sure of its own character and neither weighing the other's. Those fail
    however unsure the rest of either name was read (龚萱琳 at 0.88 for its 萱, against 龚萱航: 琳 and 航
    each read at 1.00, alone).
    """
    plainly_different = set()
    for check, ends in SAME_NAMES.items():
        found = [(find(documents, kind, person), name) for kind, person, name in ends]
        if any(document is None or name not in document.fields for document, name in found):
            continue
        (a_doc, a_name), (b_doc, b_name) = found
        a, b = a_doc.fields[a_name], b_doc.fields[b_name]
        if a.corrected_by or b.corrected_by or not a.value or not b.value or a.value == b.value or len(a.value) != len(b.value):
            continue
        places = [i for i, (x, y) in enumerate(zip(a.value, b.value)) if x != y]
        if len(places) > AT_MOST_DIFFERING:
            continue
        a_sees, b_sees = _seen(a, b.value, places), _seen(b, a.value, places)
        if a_sees is None or b_sees is None:  # a reading that cannot say
            continue
        if a_sees and b_sees:
            # Each reading weighed the other's character too (字 0.80 and 宇 0.20 on one, 宇 0.74 and 字 0.26
            # on the other): neither document settles it, and neither reading is one to stand behind.
            a_doc.fields[a_name] = a.model_copy(update={"confidence": min(a.confidence, UNSETTLED)})
            b_doc.fields[b_name] = b.model_copy(update={"confidence": min(b.confidence, UNSETTLED)})
            continue
        if not a_sees and not b_sees:
            if _plainly_read(a, places) and _plainly_read(b, places):
                plainly_different.add(check)
            continue
        # The reading that weighed the other's character is the blurred one; the other saw only its own.
        document, name, misread, other, settled = (a_doc, a_name, a, b_doc, b) if a_sees else (b_doc, b_name, b, a_doc, a)
        document.fields[name] = misread.model_copy(update={
            "value": settled.value, "confidence": min(max(misread.confidence, settled.confidence), SETTLED)})
        schema = document_schemas().get(other.type)
        chinese, english = (schema.title.split(" / ", 1) + [""])[:2] if schema else (other.type.value, other.type.value)
        document.warnings.append(f"「{misread.value}」字迹不清，按{chinese}读作「{settled.value}」 / "
                                 f"{misread.value} is unclear here and was read as on the {english}: {settled.value}")
    return plainly_different


def _plainly_read(reading: FieldValue, places: list[int]) -> bool:
    """Whether each of the reading's own characters at those places was read at PLAINLY_READ or more."""
    return all(reading.alternatives[i].get(reading.value[i], 0.0) >= PLAINLY_READ for i in places)


def _seen(reading: FieldValue, other: str, places: list[int]) -> bool | None:
    """Whether the recogniser weighed the other name's character at each place the two differ; None for
    a reading that kept no alternatives (another engine's, or a crop's)."""
    if not reading.alternatives or len(reading.alternatives) != len(reading.value or ""):
        return None
    return all(reading.alternatives[i].get(other[i], 0.0) >= SEEN_THERE for i in places)
