"""The stages composed: an application folder in, an application report out.

ingest -> preprocess -> ocr (upright) -> classify -> extract -> validate.
A page that fails anywhere becomes a document with an error; it never stops
the application, and an application never stops the batch.
"""

from __future__ import annotations

import re
import time
from datetime import date

from intake.classify import classify_page, has_labels
from intake.extract import extract_fields
from intake.ingest import load_pages
from intake.models import ApplicationInput, ApplicationReport, Document, DocumentType, FieldValue, OcrText, Page, Prepared
from intake.ocr import Engine, get_engine
from intake.photo import analyse_photo
from intake.preprocess import detect_orientation, prepare_page, rotate_quarter
from intake.schemas import region as load_region
from intake.validate import validate_application

def process_application(application: ApplicationInput, as_of: date, region: str = "default",
                        engine: str = "hybrid") -> ApplicationReport:
    started = time.perf_counter()
    rules = load_region(region)
    reader = get_engine(engine)
    documents = [read_document(page, reader) for page in load_pages(application)]
    missing, checks, deadline, status = validate_application(documents, rules, as_of)
    return ApplicationReport(
        application_id=application.application_id, status=status, missing=missing, documents=documents,
        checks=checks, deadline=deadline, seconds=round(time.perf_counter() - started, 2),
    )


def read_document(page: Page, engine: Engine) -> Document:
    if page.image is None:
        return Document(file=page.file, page=page.page, type=DocumentType.unreadable, error=page.error)
    try:
        flat = prepare_page(page)
        prepared, ocr = read_upright(flat, engine)
        second_reading_done = not has_labels(ocr)
        if second_reading_done:
            # No turn of the first reading found a document's labels: the photo, or a page only the
            # second reader can read. Which of the two, the second reading says.
            prepared, ocr = read_upright(flat, engine, layout="auto")
        doc_type, type_confidence = classify_page(ocr, prepared)
        if doc_type == DocumentType.photo:
            fields = analyse_photo(*[im for im in (prepared.colour, page.image) if im is not None])
        else:
            fields = extract_fields(doc_type, ocr, prepared, engine)
            if not second_reading_done and any(needs_second_look(f) for f in fields.values()):
                second = extract_fields(doc_type, engine.read_page(prepared.image, layout="auto"), prepared, engine)
                fields = {name: better(fields[name], second.get(name)) for name in fields}
    except Exception as exc:  # one page's failure is a finding in its application, not a crash
        return Document(file=page.file, page=page.page, type=DocumentType.unknown,
                        error=f"处理失败 / processing failed: {type(exc).__name__}: {exc}")
    return Document(
        file=page.file, page=page.page, type=doc_type, fields=fields, warnings=prepared.warnings,
        rotation=prepared.rotation, type_confidence=type_confidence,
    )


# A field read below this (two readings that disagree, or one that is unsure) is worth a second
# reading of the whole page with another engine or layout analysis.
SECOND_LOOK_BELOW = 0.8


def needs_second_look(field: FieldValue) -> bool:
    return field.value is None or field.confidence < SECOND_LOOK_BELOW


def better(first: FieldValue, second: FieldValue | None) -> FieldValue:
    if second is None or second.value is None:
        return first
    if second.value == first.value:
        return FieldValue(value=first.value, confidence=max(first.confidence, second.confidence, 0.9))
    if first.value is None or second.confidence >= first.confidence:
        return second
    return first


def text_score(ocr: OcrText) -> float:
    """How much confidently read Chinese a reading holds: upright pages score far higher."""
    return sum(w.confidence * len(re.findall(r"[\u4e00-\u9fff]", w.text)) for w in ocr.words if w.confidence > 0.6)


def read_upright(prepared: Prepared, engine: Engine, layout: str = "sparse") -> tuple[Prepared, OcrText]:
    """OCR the page the right way up: Tesseract's OSD guesses, the printed labels confirm.

    A reading in which a document's own labels appear is upright; only when none
    appear are the other quarter turns read, so a clear page costs one reading.
    """
    assert prepared.image is not None
    turns, confidence = detect_orientation(prepared.image)
    order = [turns] + [t for t in (0, 2, 1, 3) if t != turns]
    best: tuple[float, int, OcrText] | None = None
    for t in order:
        ocr = engine.read_page(rotate_quarter(prepared.image, t), layout=layout)
        score = text_score(ocr)
        if best is None or score > best[0]:
            best = (score, t, ocr)
        if has_labels(ocr):
            best = (score, t, ocr)
            break
    assert best is not None
    score, t, ocr = best
    rotated = prepared.model_copy(update={
        "image": rotate_quarter(prepared.image, t),
        "colour": rotate_quarter(prepared.colour, t) if prepared.colour is not None else None,
        "rotation": (t * 90) % 360,
        "rotation_confidence": round(min(1.0, confidence / 10) if t == turns else 0.5, 2),
    })
    return rotated, ocr
