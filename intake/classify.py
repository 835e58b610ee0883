"""Stage 5: decide what document a page is, from what is printed on it and never from its file name.

Each document type lists its identifying words in schemas/; the type whose
words are most present wins. A page with almost no text is the baby's photo
when it looks like a photograph, else unknown.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from intake.models import DocumentType, OcrText, Prepared
from intake.normalise import simplified
from intake.photo import count_faces, two_tone
from intake.schemas import document_schemas

# Fewer recognised Chinese characters than this, with confidence, and the page is not a document.
MIN_DOCUMENT_CHARS = 8
# Keyword score from which a page is taken to be that document (two labels, or one and a near miss).
LABELS_FOUND = 1.5


def confident_text(ocr: OcrText, least: float = 0.5) -> str:
    """The words read with at least `least` confidence, row by row and left to right: a label printed
    spread across its cell (姓　　名) is read as one word a character, and only in that order are they
    the label again. A traditional form read (性別) is the printed simplified one."""
    return simplified("".join("".join(w.text for line in ocr.lines() for w in line if w.confidence >= least).split()))


# What a printed title read counts, in keywords.
TITLE = 3.0


def keyword_scores(ocr: OcrText) -> dict[DocumentType, float]:
    return _keyword_scores(ocr, confident_text(ocr))


def _keyword_scores(ocr: OcrText, text: str) -> dict[DocumentType, float]:
    """Labels count where read confidently (`text`); a printed title counts wherever it is read."""
    everything = confident_text(ocr, least=0.0)
    return {doc_type: keyword_score(text, schema.classify.keywords)
            + TITLE * (keyword_score(everything, schema.classify.titles) > 0)
            for doc_type, schema in document_schemas().items()}


def has_labels(ocr: OcrText) -> bool:
    """Whether a reading holds enough of some document's printed words, or all of its values' forms,
    to be the right way up."""
    return max(keyword_scores(ocr).values(), default=0) >= LABELS_FOUND or by_forms(ocr) is not None


def by_forms(ocr: OcrText) -> DocumentType | None:
    """The document all of whose values' forms (`classify.forms`) some line of the reading shows."""
    lines = ["".join(w.text for w in line if w.confidence >= 0.5) for line in ocr.lines()]
    return next((doc_type for doc_type, schema in document_schemas().items() if schema.classify.forms
                 and all(any(re.search(form, line) for line in lines) for form in schema.classify.forms)), None)


# How sure a type told by its values' forms alone is: less than by its labels, so a second reading is compared.
BY_FORMS = 0.6


def classify_page(ocr: OcrText, prepared: Prepared) -> tuple[DocumentType, float]:
    text = confident_text(ocr)
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    scores = _keyword_scores(ocr, text)
    best = max(scores, key=lambda t: scores[t], default=None)
    if best is not None and scores[best] >= LABELS_FOUND and cjk >= MIN_DOCUMENT_CHARS:
        ranked = sorted(scores.values(), reverse=True)
        margin = ranked[0] - (ranked[1] if len(ranked) > 1 else 0)
        return best, round(min(1.0, 0.5 + 0.15 * margin), 3)
    formed = by_forms(ocr)
    if formed is not None:
        return formed, BY_FORMS
    views = [im for im in (prepared.colour, prepared.page.image) if im is not None]
    if any(count_faces(image) > 0 for image in views):
        return DocumentType.photo, 0.9
    if cjk < MIN_DOCUMENT_CHARS and looks_like_photo(prepared):
        return DocumentType.photo, 0.7
    return DocumentType.unknown, 0.3


def keyword_score(text: str, keywords: list[str]) -> float:
    """Each keyword found counts 1, or 0.6 with one character misread (long keywords only)."""
    score = 0.0
    for keyword in keywords:
        if keyword in text:
            score += 1.0
        elif len(keyword) >= 4 and _near(text, keyword):
            score += 0.6
    return score


def _near(text: str, keyword: str) -> bool:
    n = len(keyword)
    return any(sum(a != b for a, b in zip(text[i:i + n], keyword)) <= 1 for i in range(len(text) - n + 1))


# Of a black-and-white copy with no text read, at least this share dark: a photo's eyes, mouth and hair,
# not a blank sheet's specks.
LEAST_INK = 0.005


def looks_like_photo(prepared: Prepared) -> bool:
    """A photograph has smooth tones and colour, unlike a blank or printed page. A black-and-white copy
    has no tones left: a light-skinned baby is a white page with eyes, mouth and hair on it, and, since
    no text was read there, it is taken for the photo rather than for nothing (staff see its faces unsure)."""
    image = prepared.colour if prepared.colour is not None else prepared.page.image
    if image is None:
        return False
    small = cv2.resize(image, (200, 200), interpolation=cv2.INTER_AREA)
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    spread = float(np.percentile(grey, 95) - np.percentile(grey, 5))
    return spread > 40 or (two_tone(image) and float(np.mean(grey < 40)) >= LEAST_INK)
