"""The stages composed: an application folder in, an application report out.

ingest -> preprocess -> ocr (upright, then straight) -> classify -> extract -> validate;
a page whose fields still read badly is deblurred (preprocess) and extracted again.
A page that fails anywhere becomes a document with an error; it never stops
the application, and an application never stops the batch.
"""

from __future__ import annotations

import re
import time
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from intake.classify import classify_page, has_labels
from intake.deblur import blur_line, deconvolve_colour
from intake.extract import distrust_repeats, extract_fields
from intake.ingest import load_pages
from intake.models import (ApplicationInput, ApplicationReport, Document, DocumentType, FieldValue, OcrText, Page,
                           Prepared, Word)
from intake.normalise import CJK
from intake.ocr import AFTER, DEFAULT_ENGINE, Engine, get_engine, merge_rows
from intake.photo import analyse_photo
from intake.preprocess import (cleaned_grey, prepare_page, rotate_quarter, rotate_small,
                               small_turn, to_grey)
from intake.schemas import region as load_region
from intake.validate import validate_application

if TYPE_CHECKING:
    from intake.batch import DocumentCache

def process_application(application: ApplicationInput, as_of: date, region: str = "default",
                        engine: str = DEFAULT_ENGINE, documents: DocumentCache | None = None) -> ApplicationReport:
    """`documents`, when given, holds pages already read (by content hash): they are not read again."""
    started = time.perf_counter()
    rules = load_region(region)
    reader = get_engine(engine)
    read = [read_cached(page, reader, documents) for page in load_pages(application)]
    missing, checks, deadline, status = validate_application(read, rules, as_of)
    return ApplicationReport(
        application_id=application.application_id, status=status, missing=missing, documents=read,
        checks=checks, deadline=deadline, seconds=round(time.perf_counter() - started, 2),
    )


# Part of the cache key: bump it when a change to the reading stages changes what a page reads as.
READER_VERSION = 46


def read_cached(page: Page, engine: Engine, documents: DocumentCache | None) -> Document:
    if documents is None or page.sha256 is None or page.image is None:
        return read_document(page, engine)
    key = f"{page.sha256}:{page.page}:{engine.name}:{READER_VERSION}"
    known = documents.get(key)
    if known is not None:
        return known.model_copy(update={"file": page.file})
    document = read_document(page, engine)
    if document.error is None:  # a failure may be passing (memory, a killed engine): read it again next time
        documents.put(key, document)
    return document


def read_document(page: Page, engine: Engine) -> Document:
    if page.image is None:
        return Document(file=page.file, page=page.page, type=DocumentType.unreadable, error=page.error)
    try:
        prepared, ocr, second_reading_done = read_upright(page_for(engine, prepare_page(page)), engine)
        prepared, ocr = straightened(prepared, ocr)
        doc_type, type_confidence = classify_page(ocr, prepared)
        second = None
        if type_confidence < SURE_TYPE and another_reading_differs(ocr, second_reading_done, engine):
            # Few of the type's own words read, and as many of another's (a blurred certificate's long
            # labels lost, 姓名 性别 民族 住址 left, as on an ID card): the second reading decides.
            second = engine.read_page(second_view(engine, prepared), layout="auto")
            second_type, second_confidence = classify_page(second, prepared)
            if second_confidence > type_confidence:
                # The reading that told the type is the one fields are read from first.
                doc_type, type_confidence = second_type, second_confidence
                ocr, second = second, ocr
        if doc_type == DocumentType.photo:
            fields = analyse_photo(*[im for im in (prepared.colour, page.image) if im is not None])
        else:
            fields, second = read_fields(doc_type, prepared, ocr, second, second_reading_done, engine)
            if any(needs_second_look(f) for f in fields.values()):
                prepared, fields = read_deblurred(doc_type, prepared, fields, (second or ocr).words, engine)
            fields = distrust_repeats(doc_type, fields)
    except Exception as exc:  # one page's failure is a finding in its application, not a crash
        return Document(file=page.file, page=page.page, type=DocumentType.unknown,
                        error=f"处理失败 / processing failed: {type(exc).__name__}: {exc}")
    return Document(
        file=page.file, page=page.page, type=doc_type, fields=fields, warnings=prepared.warnings,
        rotation=prepared.rotation, rotation_confidence=prepared.rotation_confidence, type_confidence=type_confidence,
    )


def page_for(engine: Engine, prepared: Prepared) -> Prepared:
    """The page as the engine reads it: the cleaned grey page, or the colour page for an engine that reads colour."""
    if not engine.reads_colour or prepared.colour is None:
        return prepared
    return prepared.model_copy(update={"image": prepared.colour})


def second_view(engine: Engine, prepared: Prepared) -> np.ndarray:
    """The page for a second reading: an engine that read the colour page reads the cleaned grey one,
    where a blurred page's faint strokes stand out (each view reads some pages the other misreads)."""
    if engine.reads_colour and prepared.colour is not None:
        return cleaned_grey(prepared.colour)
    return prepared.image


def read_fields(doc_type: DocumentType, prepared: Prepared, ocr: OcrText, second: OcrText | None,
                second_reading_done: bool, engine: Engine) -> tuple[dict[str, FieldValue], OcrText | None]:
    """The fields from the first reading, with the second reading's where the first left them unsure."""
    fields = extract_fields(doc_type, ocr, prepared, engine)
    if another_reading_differs(ocr, second_reading_done, engine) and any(needs_second_look(f) for f in fields.values()):
        second = second or engine.read_page(second_view(engine, prepared), layout="auto")
        second_fields = extract_fields(doc_type, second, prepared, engine)
        fields = {name: better(fields[name], second_fields.get(name)) for name in fields}
    return fields, second


# Said whenever the page was read again sharpened, which also helps a page only a little out of focus.
BLUR_UNDONE = "图像模糊或有拖影（已还原后重新识读）/ image is blurred or smeared (read again with the blur undone)"


def another_reading_differs(ocr: OcrText, second_reading_done: bool, engine: Engine) -> bool:
    """Whether reading the page in the "auto" layout would read it another way. An engine with one
    layout would read it the same way again, and its values, agreeing with themselves, would look sure;
    but a page whose runs were found on a reduced copy (large text) is found at full detail the second
    time (a card's last character in a run, 城 read as 坊 at 640 pixels, reads right at 1280), and an
    engine that read the colour page reads the cleaned grey one (`second_view`)."""
    return ocr.coarse or engine.reads_colour or (not second_reading_done and engine.second_layout)


# A value read off a page with its blur undone is a guess at what the blur hid (ringing turns 廖 into
# 摩, sure of it): staff review it, unless it was read at least SURE_DEBLURRED (two readings of the
# page agreeing, or an ID number whose check digit passes).
DEBLURRED_AT_MOST = 0.75
SURE_DEBLURRED = 0.9


def unsure(field: FieldValue | None) -> FieldValue | None:
    if field is None or field.confidence >= SURE_DEBLURRED:
        return field
    return field.model_copy(update={"confidence": min(field.confidence, DEBLURRED_AT_MOST)})


def read_deblurred(doc_type: DocumentType, prepared: Prepared, fields: dict[str, FieldValue], words: list[Word],
                   engine: Engine) -> tuple[Prepared, dict[str, FieldValue]]:
    """The page read again with the motion blur its text runs (`words`) show undone, its values taken
    where surer than the blurred reading's; the page and fields unchanged when the runs show none."""
    if prepared.colour is None:
        return prepared, fields
    try:
        kernel = blur_line(to_grey(prepared.colour), words, engine.read_line)
    except Exception:  # another reading is optional; the page as read stands
        return prepared, fields
    if kernel is None:
        return prepared, fields
    colour = deconvolve_colour(prepared.colour, kernel)
    # The page as the engine reads it (page_for), the grey page cleaned only for an engine that reads it.
    sharper = prepared.model_copy(update={"image": colour if engine.reads_colour else cleaned_grey(colour),
                                          "colour": colour, "warnings": [*prepared.warnings, BLUR_UNDONE]})
    sharp_fields, _ = read_fields(doc_type, sharper, engine.read_page(sharper.image, layout="sparse"), None, False, engine)
    return sharper, {name: better(fields[name], unsure(sharp_fields.get(name))) for name in fields}


# A type decided with a margin of fewer than two of its words over the next type's is read again.
SURE_TYPE = 0.8

# A field read below this (two readings that disagree, or one that is unsure) is worth a second
# reading of the whole page with another engine or layout analysis.
SECOND_LOOK_BELOW = 0.8


def needs_second_look(field: FieldValue) -> bool:
    return field.value is None or field.confidence < SECOND_LOOK_BELOW


def better(first: FieldValue, second: FieldValue | None) -> FieldValue:
    """The surer of two readings of a field, two that agree surer still; what each weighed at each
    character is kept (`weighed_together`) for reconcile."""
    if second is None or second.value is None:
        return first
    if second.value == first.value:
        agreeing = 0.0 if first.guessed and second.guessed else 0.9
        chosen = first.model_copy(update={"confidence": max(first.confidence, second.confidence, agreeing),
                                          "guessed": first.guessed and second.guessed})
    elif first.value is not None and (fuller := _fuller(first, second)) is not None:
        chosen = fuller
    else:
        chosen = second if first.value is None or second.confidence >= first.confidence else first
    return chosen.model_copy(update={"alternatives": weighed_together(chosen, first, second)})


# A character the recogniser weighed in a blank this likely, between two it read, was there.
WEIGHED_IN_GAP = 0.1
# The longer reading's own character there must be this sure.
READ_IN_GAP = 0.8


def _fuller(a: FieldValue, b: FieldValue) -> FieldValue | None:
    """Of two readings one character apart, the longer, where the shorter is it with one character lost
    between two others and its recogniser weighed a character in that blank (万天, 满 at 0.29 after 万;
    the other reading 万琳天, 琳 at 0.90): a surer-looking reading is not surer of a character it lost."""
    shorter, longer = sorted((a, b), key=lambda reading: len(reading.value or ""))
    own, full = shorter.value or "", longer.value or ""
    if (len(full) != len(own) + 1 or not shorter.alternatives or not longer.alternatives
            or len(shorter.alternatives) != len(own) or len(longer.alternatives) != len(full)):
        return None
    for place in range(1, len(own)):
        if own != full[:place] + full[place + 1:] or longer.alternatives[place].get(full[place], 0.0) < READ_IN_GAP:
            continue
        gap = shorter.alternatives[place - 1]
        if any(key.startswith(AFTER) and re.fullmatch(rf"[{CJK}]", key[len(AFTER):]) and likelihood >= WEIGHED_IN_GAP
               for key, likelihood in gap.items()):
            return longer
    return None


def weighed_together(chosen: FieldValue, *readings: FieldValue) -> list[dict[str, float]] | None:
    """At each character of the chosen value, every character any reading of the same length weighed there
    (a blurred 璐 read 箱 on one reading and 弱 on another, 璐 weighed only on the first). A value read off
    a crop kept none of its own: its characters count at its confidence (田班 read off a crop that caught
    the cell's border, 琳 weighed at 0.96 on the page)."""
    # (Alternatives one to a character: a date's are its eight digits', not its value's ten characters.)
    others = [reading for reading in readings if reading is not chosen and reading.alternatives and reading.value
              and chosen.value and len(reading.value) == len(chosen.value) == len(reading.alternatives)]
    if chosen.value is None or not (chosen.alternatives or others):
        return chosen.alternatives
    merged = [dict(weighed) for weighed in chosen.alternatives or [{char: chosen.confidence} for char in chosen.value]]
    for reading in readings:
        if reading.alternatives and reading.value and len(reading.value) == len(chosen.value):
            for place, weighed in zip(merged, reading.alternatives):
                for char, likelihood in weighed.items():
                    place[char] = max(place.get(char, 0.0), likelihood)
    return merged


def read_upright(prepared: Prepared, engine: Engine) -> tuple[Prepared, OcrText, bool]:
    """OCR the page the right way up; also says whether the second reader has already read it.

    The engine guesses the turn (Tesseract's OSD; the rapidocr engine, its text runs' directions) and
    the first reader reads the page that way up: a
    reading in which a document's printed labels appear is upright, and a clear page costs
    just that. Otherwise the second reader (PP-OCR's detector and recogniser in the hybrid
    engine) reads it at the same turn; where its detector finds no text at all the page is
    the photo or blank, and no other turn is tried; where the text runs across the reading
    the page is sideways and the quarter turns are tried before the half turn.
    """
    assert prepared.image is not None
    guess, confidence = engine.orientation(prepared.image)
    guessed = rotate_quarter(prepared.image, guess)
    first = engine.read_page(guessed, layout="sparse")
    if upright(first):
        return _turned(prepared, guess, guess, confidence, True), first, False
    layout = "auto" if engine.second_layout else "sparse"
    reading = engine.read_page(guessed, layout=layout) if engine.second_layout else first
    best = (text_score(reading), guess, reading)
    if upright(reading):
        return _turned(prepared, guess, guess, confidence, True), reading, True
    if len(reading.words) >= MIN_TEXT_RUNS:
        sideways = [(guess + 1) % 4, (guess + 3) % 4]
        for turn in [*sideways, (guess + 2) % 4] if _runs_across(reading) else [(guess + 2) % 4, *sideways]:
            ocr = engine.read_page(rotate_quarter(prepared.image, turn), layout=layout)
            if upright(ocr):
                return _turned(prepared, turn, guess, confidence, True), ocr, True
            best = max(best, (text_score(ocr), turn, ocr), key=lambda b: b[0])
    _, turn, ocr = best
    return _turned(prepared, turn, guess, confidence, False), ocr, True


# Text runs sloping more than this after deskewing (a card laid askew on a scanner's glass, too small on
# the page for its outline or the page's rows to show it) run into the rows above and below them, and
# a label's value is taken from the wrong row. Beyond the largest, the slope is a guess from a few runs.
TILT_STRAIGHTENED = 3.0
TILT_LARGEST = 30.0


def straightened(prepared: Prepared, ocr: OcrText) -> tuple[Prepared, OcrText]:
    """The page turned straight by its text runs' own slope, and the runs moved with it.

    Each run was read along its slope already: only where it stands changes, so the page is not read
    again (reading the straightened page again cost the hard set 14% more time for 3 fields in 1990).
    """
    if not TILT_STRAIGHTENED < abs(ocr.tilt) <= TILT_LARGEST or prepared.image is None:
        return prepared, ocr
    matrix, (width, height) = small_turn(prepared.image.shape, ocr.tilt, whole=True)
    straight = prepared.model_copy(update={
        "image": rotate_small(prepared.image, ocr.tilt, whole=True),
        "colour": rotate_small(prepared.colour, ocr.tilt, whole=True) if prepared.colour is not None else None,
    })
    cos, sin = abs(np.cos(np.radians(ocr.tilt))), abs(np.sin(np.radians(ocr.tilt)))
    squeeze = cos * cos - sin * sin
    words = []
    for word in ocr.words:
        left, top, right, bottom = word.box
        x, y = matrix @ np.array([(left + right) / 2, (top + bottom) / 2, 1.0])
        # A run of length L and height H sloping by the tilt fills an upright box of
        # (L cos + H sin) by (L sin + H cos): solved back for L and H.
        across, down = right - left, bottom - top
        length = max((across * cos - down * sin) / squeeze, 1.0)
        tall = max((down * cos - across * sin) / squeeze, 1.0)
        box = (int(x - length / 2), int(y - tall / 2), int(x + length / 2), int(y + tall / 2))
        words.append(word.model_copy(update={"box": box}))
    return straight, ocr.model_copy(update={"words": merge_rows(words), "width": width, "height": height, "tilt": 0.0})


def upright(ocr: OcrText) -> bool:
    """A document's labels read, in lines that run across the reading. (PP-OCR turns tall text
    boxes before recognising them, so a page on its side can show its labels all the same.)"""
    return has_labels(ocr) and not _runs_across(ocr)


# Fewer text runs than this found by the detector and the page holds no text to turn upright
# (a baby photo gives none or one stray character; an ID card back, four).
MIN_TEXT_RUNS = 2


def _runs_across(ocr: OcrText) -> bool:
    """Most text runs taller than wide: the lines run top to bottom, so the page lies on its side."""
    tall = sum(1 for w in ocr.words if (w.box[3] - w.box[1]) > 1.5 * (w.box[2] - w.box[0]))
    return tall > len(ocr.words) / 2


def _turned(prepared: Prepared, turn: int, guess: int, guess_confidence: float, labels_read: bool) -> Prepared:
    """The page at that turn, with how sure the turn is: labels read that way up make it near
    certain (more so when the engine's guess was that turn too); without them, only the guess counts."""
    guessed = guess_confidence if turn == guess else 0.0
    sure = (0.9 + 0.1 * guessed) if labels_read else (guessed if turn == guess else 0.3)
    return prepared.model_copy(update={
        "image": rotate_quarter(prepared.image, turn),
        "colour": rotate_quarter(prepared.colour, turn) if prepared.colour is not None else None,
        "rotation": (turn * 90) % 360,
        "rotation_confidence": round(sure, 2),
    })


def text_score(ocr: OcrText) -> float:
    """How much confidently read Chinese a reading holds: upright pages score far higher."""
    return sum(w.confidence * len(re.findall(r"[\u4e00-\u9fff]", w.text)) for w in ocr.words if w.confidence > 0.6)
