"""Stage 6: read each field of a classified page from the OCR words, anchored on printed labels.

Words are grouped into visual rows; a field's value is the text after its label
on the same row up to the next label, or the row below when the label stands
alone. What the labels are, which part of the page a field lives in and how
its value is normalised all come from schemas/documents/*.yaml.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import numpy as np

from intake import normalise
from intake.models import DocumentType, FieldValue, OcrText, Prepared, Word
from intake.ocr import SEEN_THERE, Engine
from intake.schemas import DocumentSchema, FieldSpec, document_schemas, value_list

PUNCTUATION = ":：;；,，.。、|()（）[]【】_-—~'\"“”/ "
# Below this confidence a number whose check digit fails may be a misreading worth repairing.
REPAIR_BELOW = 0.75
# An ID number made to hold from a reading a character short: never trusted to fail an application.
GUESSED = 0.6
# Below this confidence a value is read a second time on its own crop.
REREAD_BELOW = 0.85
# An ID number whose check digit passes is right unless two of its digits were misread.
CHECKED_ID_NUMBER = 0.85
# The crop reading preferred by the engine (PP-OCR's, over Tesseract's page reading in the hybrid)
# disagreeing with the page: when the engine is this sure of its reading, the value still stands
# above the review line, a little lower for the disagreement (on the benchmark sets 9 in 10 such
# readings were the right ones).
NEAR_CERTAIN = 0.95
DISAGREEING = 0.88


@dataclass
class Row:
    chars: list[str] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)
    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)
    alternatives: list[dict[str, float] | None] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def span(self, start: int, end: int) -> tuple[str, float, tuple[int, int, int, int] | None]:
        text = "".join(self.chars[start:end])
        confs = self.confidences[start:end]
        boxes = self.boxes[start:end]
        box = None
        if boxes:
            box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        return text, (min(confs) if confs else 0.0), box

    @property
    def top(self) -> int:
        return min(b[1] for b in self.boxes)

    @property
    def bottom(self) -> int:
        return max(b[3] for b in self.boxes)


def build_rows(words: list[Word], tilt: float = 0.0) -> list[Row]:
    """Words on one visual row (their vertical centres overlap) become one row, left to right.

    On a page whose text runs slope by `tilt` degrees (too little for the page to be straightened first),
    heights are compared as if it did not: a printed row sloping 50 pixels across the page would otherwise
    part its label (at the left, lower) from its value and the rest of the row (higher).

    A run of text (three characters or more, as PP-OCR's detector gives them) never overlaps
    another word of its row across the page: on a page photographed at a slant, a run's box reaches
    down into the next line's, and the next line's words, under it, start a row of their own
    instead of being read into the middle of it. (Tesseract's boxes for single characters do
    overlap their neighbours, and are left to the centres alone.)
    """
    slope = float(np.tan(np.radians(tilt)))

    def level(word: Word) -> float:  # how far the slope has moved the word down
        return slope * (word.box[0] + word.box[2]) / 2

    groups: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2 - level(w)):
        centre = (word.box[1] + word.box[3]) / 2 - level(word)
        height = word.box[3] - word.box[1]
        fitting = []
        for group in groups:
            g_top = np.median([w.box[1] - level(w) for w in group])
            g_bottom = np.median([w.box[3] - level(w) for w in group])
            if g_top - 0.15 * height <= centre <= g_bottom + 0.15 * height and not any(_across(word, w) for w in group):
                fitting.append((abs(centre - (g_top + g_bottom) / 2), len(fitting), group))
        if fitting:
            min(fitting)[2].append(word)
        else:
            groups.append([word])
    rows = []
    for group in sorted(groups, key=lambda g: min(w.box[1] for w in g)):
        row = Row()
        for word in sorted(group, key=lambda w: w.box[0]):
            text = normalise.clean(word.text)
            # A traditional form (性別 for 性别) is the right character read: labels are matched simplified.
            text = simple if len(simple := normalise.simplified(text)) == len(text) else text
            width = (word.box[2] - word.box[0]) / max(len(text), 1)
            weighed = ([_cleaned(place) if place else place for place in word.alternatives]
                       if word.alternatives and len(word.alternatives) == len(text) else [None] * len(text))
            for index, char in enumerate(text):
                left = int(word.box[0] + index * width)
                row.chars.append(char)
                row.alternatives.append(weighed[index])
                row.confidences.append(word.confidence)
                row.boxes.append((left, word.box[1], int(left + width), word.box[3]))
        if row.chars:
            rows.append(row)
    return rows


def _cleaned(weighed: dict[str, float]) -> dict[str, float]:
    """What was weighed at a place, under the forms the row's text has (a full-width ２, cleaned to 2)."""
    cleaned: dict[str, float] = {}
    for char, likelihood in weighed.items():
        char = char.translate(normalise.FULLWIDTH)
        cleaned[char] = max(cleaned.get(char, 0.0), likelihood)
    return cleaned


def _across(a: Word, b: Word) -> bool:
    """Whether two words, one of them a run of text, share more than a third of the narrower one's width."""
    if max(len(a.text), len(b.text)) < 3:
        return False
    overlap = min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])
    return overlap > min(a.box[2] - a.box[0], b.box[2] - b.box[0]) / 3


Position = tuple[int, int]  # (row, char offset)


# Labels this long are still told with half their characters misread.
LONGEST_LABEL = 8


def find_label(rows: list[Row], label: str, start: Position = (0, 0), end: Position | None = None,
               shadowed_by: tuple[str, ...] = (), others: tuple[str, ...] = (),
               resolve: bool = True) -> tuple[int, int, int] | None:
    """First (row, start, end) of label between two positions; one wrong character is allowed in long labels
    and half of them in the longest (户主或与户主关系 printed small and light, read 户玉成与户主美系), unless the
    text read is another label or as near to one (父亲姓名 is not a misread 母亲姓名, nor 绿亲姓名 either,
    unless 父亲姓名 is read plainly elsewhere on the page: `resolve`)."""
    end = end or (len(rows), 0)
    tolerances = (0, 1, len(label) // 2) if len(label) >= LONGEST_LABEL else (0, 1) if len(label) >= 3 else (0,)
    for tolerance in tolerances:
        for r in range(start[0], min(end[0] + 1, len(rows))):
            text = rows[r].text
            found = []  # (characters wrong, where): the window read best, where a half-read label fits two
            for i in range(0, len(text) - len(label) + 1):
                if (r, i) < start or (r, i) >= end:
                    continue
                window = text[i:i + len(label)]
                wrong = _places_wrong(window, label)
                if wrong > tolerance:
                    continue
                if tolerance and any(_as_near(window, other, wrong) and not (resolve and _read_elsewhere(rows, other, window, (r, i), others))
                                     for other in others if other != label):
                    continue
                # A label read with a character wrong may lie in a longer one read as wrong (No3 in IDNo360...).
                if any(_inside(text, i, len(label), longer, wrong) for longer in shadowed_by):
                    continue
                found.append((wrong, i))
            if found:
                i = min(found)[1]
                return r, i, i + len(label)
    return _label_one_short(rows, label, start, end, others) if len(label) >= 4 else None


def _label_one_short(rows: list[Row], label: str, start: Position, end: Position,
                     others: tuple[str, ...]) -> tuple[int, int, int] | None:
    """A long label read whole but for one character inside it, left out (出生日期 read 出生期), unless what
    is left is part of another label."""
    shorts = [short for short in _one_short(label) if not any(short in other for other in others if other != label)]
    for r in range(start[0], min(end[0] + 1, len(rows))):
        for short in shorts:
            for found in re.finditer(re.escape(short), rows[r].text):
                if start <= (r, found.start()) < end:
                    return r, found.start(), found.end()
    return None


@functools.cache
def _one_short(label: str) -> tuple[str, ...]:
    """The label with one of its inner characters left out, as a reading that lost it has it."""
    return tuple(label[:k] + label[k + 1:] for k in range(1, len(label) - 1))


def _as_near(window: str, other: str, wrong: int) -> bool:
    """Whether the text read is another label, or as near to it as to the one sought: 绿亲姓名 is as
    much a misread 母亲姓名 as 父亲姓名, and taken for the father's it gave him the mother's name."""
    return window == other or (len(other) == len(window) and _places_wrong(window, other) <= wrong)


def _read_elsewhere(rows: list[Row], other: str, window: str, at: Position, others: tuple[str, ...]) -> bool:
    """Whether a text read as near to `other` as to the label sought is not `other` after all: `other` is
    read, as no other label, elsewhere on the page (绿亲姓名 is 母亲姓名 where 父亲姓名 was read below it)."""
    if window == other:
        return False
    hit = find_label(rows, other, others=others, resolve=False)
    return hit is not None and hit[:2] != at


def _places_wrong(read: str, printed: str) -> int:
    """At how many places a reading differs from the text printed, character by character."""
    return sum(a != b for a, b in zip(read, printed))


def _inside(text: str, i: int, length: int, longer: str, wrong: int = 0) -> bool:
    """Whether text[i:i+length] is part of an occurrence of a longer label (姓名 inside 母亲姓名), read with
    at most `wrong` characters wrong."""
    for j in range(max(0, i + length - len(longer)), i + 1):
        window = text[j:j + len(longer)]
        if len(window) == len(longer) and _places_wrong(window, longer) <= wrong:
            return True
    return False


def extract_fields(doc_type: DocumentType, ocr: OcrText, prepared: Prepared, engine: Engine) -> dict[str, FieldValue]:
    schema = document_schemas().get(doc_type)
    if schema is None:
        return {}
    rows = build_rows(ocr.words, ocr.tilt)
    printed = [label for spec in schema.fields.values() for label in spec.labels] + schema.other_labels
    all_labels = sorted(set(printed), key=len, reverse=True)
    prefer_lines = ocr.source in getattr(engine, "line_reading_beats", ())
    fields = {name: read_field(rows, spec, all_labels, prepared, engine, prefer_lines) for name, spec in schema.fields.items()}
    _fill_missing_ids(rows, schema, fields, all_labels)
    _fill_unlabelled(rows, schema, fields, all_labels)
    _fill_missing_relation(rows, schema, fields, all_labels)
    _fill_by_layout(rows, schema, fields, all_labels, ocr.width)
    _read_right_cell(rows, schema, fields, prepared, engine, ocr.width, all_labels)
    _name_without_relation(rows, schema, fields, all_labels)
    _no_label_for_a_name(schema, fields, all_labels)
    return fields


def _no_label_for_a_name(schema: DocumentSchema, fields: dict[str, FieldValue], all_labels: list[str]) -> None:
    """A name that holds a printed label, or is one read with a character wrong, is the grid's next label
    taken where the name was lost (年龄, 性别文 from 性别 女, 出生时到): no name is read there."""
    def label_like(value: str) -> bool:
        return any(label in value or (len(label) >= 3 and len(label) == len(value)
                                      and _places_wrong(label, value) <= 1) for label in all_labels)

    for name, spec in schema.fields.items():
        value = fields[name].value
        if spec.kind == "name" and value and label_like(value):
            fields[name] = FieldValue(value=None, confidence=0.0)


# Below validation's trust: a value that may be another person's on the page is for staff to decide.
REPEATED = 0.5


def distrust_repeats(doc_type: DocumentType, fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """Fields the schema says never agree, read the same: their confidence falls to REPEATED."""
    schema = document_schemas().get(doc_type)
    if schema is None:
        return fields
    fields = dict(fields)
    for group in schema.distinct:
        read = [fields[name].value for name in group if name in fields and fields[name].value is not None]
        for name in group:
            got = fields.get(name)
            if got is not None and got.value is not None and read.count(got.value) > 1:
                fields[name] = got.model_copy(update={"confidence": min(got.confidence, REPEATED)})
    return fields


def _section(rows: list[Row], spec: FieldSpec, others: tuple[str, ...]) -> tuple[Position, Position | None] | None:
    """Where on the page the field's label may be; None when the section's own heading was not read,
    since then the first such label on the page may belong to another section (the mother's, not the father's)."""
    start: Position = (0, 0)
    end: Position | None = None
    heading_short = False
    if spec.section and spec.section.after:
        hits = [(label, find_label(rows, label, others=others)) for label in spec.section.after]
        label, hit = next(((label, h) for label, h in hits if h), ("", None))
        if hit is None:
            return None
        start, heading_short = (hit[0], hit[2]), hit[2] - hit[1] < len(label)
    if spec.section:
        for label in spec.section.before:
            hit = find_label(rows, label, start=start, others=others)
            if hit:
                end = (hit[0], hit[1])
                break
    # A heading read a character short (母姓名) with the next one not read at all bounds nothing sure
    # enough: the mother's section would run on to the father's number. The last section (the father's)
    # runs to the page's end however its heading was read (父姓名).
    if heading_short and end is None and spec.section.before:
        return None
    return start, end


def read_field(rows: list[Row], spec: FieldSpec, all_labels: list[str], prepared: Prepared, engine: Engine,
               prefer_lines: bool = False) -> FieldValue:
    section = _section(rows, spec, tuple(all_labels))
    if section is None:
        return FieldValue(value=None, confidence=0.0)
    start, end = section
    labelled = None
    for label in spec.labels:
        longer = tuple(other for other in all_labels if label in other and other != label)
        hit = find_label(rows, label, start, end, shadowed_by=longer, others=tuple(all_labels))
        if hit is None:
            continue
        labelled = labelled or hit
        value = _value_after(rows, hit, spec, all_labels, prepared, engine, prefer_lines)
        if value.value is not None:
            return value
    if labelled is not None and spec.kind in normalise.ONE_CHARACTER:
        return _lone_character(rows[labelled[0]], labelled, spec.kind, prepared, engine)
    if labelled is None:
        return _after_a_broken_label(rows, spec, all_labels, prepared, engine, prefer_lines, section)
    return FieldValue(value=None, confidence=0.0)


def _after_a_broken_label(rows: list[Row], spec: FieldSpec, all_labels: list[str], prepared: Prepared, engine: Engine,
                          prefer_lines: bool, section: tuple[Position, Position | None]) -> FieldValue:
    """A value whose label, at the start of a row of its section, a photo cut short at its left edge (名杨清宁:
    姓 outside the picture) or a close crop or a faint print half misread (住址 read 生址, 姓名 read 注名); taken
    where what follows reads as the field's value and opens as its kind does (an address with its province's
    name, never a number), unsure. (Outside its section the label may be read whole: the father's number's.)"""
    (first, _), end = section
    for label in spec.labels:
        others = [other for other in all_labels if other != label]
        for r in range(first, end[0] if end else len(rows)):
            row = rows[r]
            length = _broken_label_length(row, label, others)
            if not length:
                continue
            found = _value_after(rows, (r, 0, length), spec, all_labels, prepared, engine, prefer_lines)
            opening = rf"[{normalise.CJK}]" if spec.kind in normalise.WRAPPING else "."
            if (found.value is not None and re.match(opening, found.value)
                    and normalise.NORMALISERS[spec.kind](found.value)[1]):
                return found.model_copy(update={"confidence": min(found.confidence, UNLABELLED)})
    return FieldValue(value=None, confidence=0.0)


def _broken_label_length(row: Row, label: str, others: list[str]) -> int:
    """How many of the row's first characters are what is left of the label: the whole label half misread,
    or its end where the row starts at the picture's left edge (within a character's height of it); 0 when
    neither, or when what is left could be one of the `others` labels' too (新生姓名 is half of 父亲姓名 and
    of 母亲姓名)."""
    window = row.text[:len(label)]
    if _half_a_label(window, label) and not any(_half_a_label(window, other) for other in others):
        return len(label)
    if row.boxes and row.boxes[0][0] <= row.bottom - row.top:
        return _label_end(row.text, label, others)
    return 0


def _label_end(text: str, label: str, others: list[str], leaving: int = 0) -> int:
    """How many of the text's first characters are the label's end, its start lost (名杨清宁 at a photo's left
    edge; 名顾嘉蕾, 姓 washed off by too much light), where that end is part of none of the `others` labels
    and leaves at least `leaving` characters."""
    return next((k for k in range(len(label) - 1, 0, -1) if text.startswith(label[-k:]) and len(text) - k >= leaving
                 and not any(label[-k:] in other for other in others)), 0)


# Where a lone character is looked for: windows a character and a half wide, moved half a character at
# a time, from the end of its label to this many characters from the label's start. Read alone, a
# blurred 女 the recogniser left out of 性别 Sex 女 reads at 0.98.
LONE_REACH = 8
LONE_SURE = 0.8


def _lone_character(row: Row, hit: tuple[int, int, int], kind: str, prepared: Prepared, engine: Engine) -> FieldValue:
    _, start, end = hit
    if prepared.image is None or end <= start:
        return FieldValue(value=None, confidence=0.0)
    top, bottom = min(b[1] for b in row.boxes[start:end]), max(b[3] for b in row.boxes[start:end])
    size = max(bottom - top, 8)
    best: tuple[float, str | None] = (0.0, None)
    left = row.boxes[start][0] + (end - start) * size
    while left < row.boxes[start][0] + LONE_REACH * size:
        text, confidence = _read_crop(prepared, engine, (int(left), top, int(left + 1.5 * size), bottom),
                                      normalise.WHITELISTS[kind])
        value, plausible = normalise.NORMALISERS[kind](text)
        if plausible and confidence > best[0]:
            best = (confidence, value)
        left += size / 2
    if best[0] < LONE_SURE:
        return FieldValue(value=None, confidence=0.0)
    return FieldValue(value=best[1], confidence=round(best[0] * 0.9, 3))


def _value_after(rows: list[Row], hit: tuple[int, int, int], spec: FieldSpec, all_labels: list[str],
                 prepared: Prepared, engine: Engine, prefer_lines: bool) -> FieldValue:
    r, _, label_end = hit
    normaliser = normalise.NORMALISERS[spec.kind]
    candidates = [(r, label_end)]
    # The next row holds the value unless it opens with a label, even half misread (住别男: 性别 男, the
    # name's row, tilted, read above its label).
    if r + 1 < len(rows) and not any(rows[r + 1].text.startswith(label) or _half_a_label(rows[r + 1].text[:len(label)], label)
                                     for label in all_labels):
        candidates.append((r + 1, 0))
    for row_index, offset in candidates:
        row = rows[row_index]
        gap = _column_gap(row, offset)
        stop = _next_label(row.text, offset, all_labels, spec.followed_by, gap)
        if spec.kind in normalise.ONE_RUN:
            # A misread label found inside the value (a quarter of its characters wrong, or read whole but
            # one) cuts it short of one: the grid's cell ends at the gap before the label.
            short = gap < len(row.boxes) and not normaliser(row.text[offset:stop])[1] and normaliser(row.text[offset:gap])[1]
            stop = gap if short else min(stop, gap)
        if spec.kind in ("validity_from", "validity_until"):
            stop = len(row.text)
        text, confidence, box = row.span(offset, stop)
        more: list[Row] = []
        if spec.kind in normalise.WRAPPING:
            more = _address_rows(rows, row_index, all_labels, _value_column(rows, hit, row_index))
            text += "".join(extra.text for extra in more)
            confidence = min([confidence, *(min(extra.confidences) for extra in more)])
        value, plausible = normaliser(text.strip(PUNCTUATION))
        if spec.kind == "certificate_number" and value is not None and not plausible:
            value = _weighed_letter(row, offset, stop, value)
        entry = _weighed_entry(row, offset, stop, value, spec.kind) if plausible and spec.kind in CLOSED_LISTS else None
        value = entry or value
        if value is not None and spec.kind not in normalise.WRAPPING:
            printed = _date_stretch(row, offset, stop) if spec.kind == "date" else (offset, stop)
            confidence = _value_confidence(row, *printed, value, confidence)
        if entry:
            confidence = min(confidence, WEIGHED_ENTRY)
        if plausible and spec.kind == "id_number":
            # The check digit catches every single misread digit: a number that passes it is misread
            # in two places or not at all, whatever the engine thought of each character.
            confidence = max(confidence, CHECKED_ID_NUMBER)
        if box is not None and spec.kind in normalise.WHITELISTS and (prefer_lines or not plausible or confidence < REREAD_BELOW):
            crop = _value_box(row, offset, stop, prepared, hit if row_index == r else None)
            if spec.kind in normalise.WRAPPING:
                crop = (crop[0], crop[1], crop[2], _address_bottom(rows, row_index, more))
            labels = (rows[r].text[hit[1]:label_end], tuple(all_labels))
            value, plausible, confidence = _second_reading(prepared, engine, crop, spec.kind, text, value, plausible,
                                                           confidence, prefer_lines, labels)
        if value is None and spec.kind == "id_number" and not re.search(r"[0-9Xx]{18}", row.text):
            # No reading held a whole number (a whole one failing its check is what is printed, for the
            # check to catch; one whose first digit the label's match took is found by its form): a repeat
            # the recogniser wrote once, restored, is a guess.
            restored = normalise.restored_id_number(text)
            if restored:
                return FieldValue(value=restored, confidence=round(min(confidence, GUESSED), 3), guessed=True)
        if value is not None:
            return FieldValue(value=value, confidence=round(confidence * (1.0 if plausible else 0.4), 3),
                              alternatives=_alternatives(row, offset, stop, value, spec.kind))
    return FieldValue(value=None, confidence=0.0)


# Kinds printed from a closed list (schemas/values/) that a blurred character can shorten to another entry.
CLOSED_LISTS = {"relation": "relations"}
# An entry read through a character the recogniser only weighed is for staff to look at.
WEIGHED_ENTRY = 0.75


def _weighed_entry(row: Row, offset: int, stop: int, value: str, kind: str) -> str | None:
    """The one longer entry of the kind's list the whole reading is, through characters the recogniser weighed
    where it read others, where the reading held only a shorter entry inside it (班女 holds 女; 孙 weighed
    at 0.03 where 班 was read: 孙女)."""
    places = [i for i in range(offset, stop) if re.fullmatch(rf"[{normalise.CJK}]", row.chars[i])]
    read = "".join(row.chars[i] for i in places)
    if value == read or value not in read:
        return None
    entries = [entry for entry in value_list(CLOSED_LISTS[kind]) if len(entry) == len(read) and value in entry
               and all(char == own or (row.alternatives[i] or {}).get(char, 0.0) >= SEEN_THERE
                       for char, own, i in zip(entry, read, places))]
    return entries[0] if len(entries) == 1 else None


def _weighed_letter(row: Row, offset: int, stop: int, value: str) -> str:
    """A certificate number whose letter was read as a digit (0 for O or Q): the letter the recogniser saw
    there (Q at 0.20 under a blurred 0) over the digit's look-alike (O). Still unsure: the value's crop is
    read again, and a crop reading a letter outright decides."""
    at = row.text.find(value[1:], offset, stop)
    if at <= offset or not row.chars[at - 1].isdigit() or not row.alternatives[at - 1]:
        return value
    letters = {char: likelihood for char, likelihood in row.alternatives[at - 1].items()
               if len(char) == 1 and "A" <= char <= "Z" and likelihood >= SEEN_THERE}
    return max(letters, key=letters.get) + value[1:] if letters else value


# The kinds of value reconcile settles from what the recogniser weighed: a date's are its eight digits'.
WEIGHED_KINDS = ("name", "id_number", "date")


def _alternatives(row: Row, offset: int, stop: int, value: str, kind: str) -> list[dict[str, float]] | None:
    """What the recogniser weighed at each character of a value read off this stretch of the row (at each of
    a date's eight digits), when the value is read there as it stands (not a crop's reading that differs)."""
    if kind not in WEIGHED_KINDS:
        return None
    if kind == "date":
        places = [i for i in range(*_date_stretch(row, offset, stop)) if row.chars[i].isdigit()][:8]
        found = "".join(row.chars[i] for i in places) == value.replace("-", "")
        weighed = [row.alternatives[i] for i in places] if found else []
    else:
        at = row.text.find(value, offset, stop)
        weighed = row.alternatives[at:at + len(value)] if at >= 0 else []
    return weighed if weighed and all(weighed) else None


def _value_box(row: Row, offset: int, stop: int, prepared: Prepared,
               hit: tuple[int, int, int] | None) -> tuple[int, int, int, int]:
    """Where the value is printed: from the label's end to the next label (or the page's edge), a row high.

    Wider than the characters OCR found, because the characters it dropped are the ones worth a second look.
    The label's end is taken as the nearer of where OCR put it and where square CJK characters put it,
    since a word that runs label, English and value together has its character boxes guessed.
    """
    width = prepared.image.shape[1] if prepared.image is not None else max(b[2] for b in row.boxes)
    left = row.boxes[offset - 1][2] if offset > 0 else max(row.boxes[0][0] - 20, 0)
    if hit is not None:
        _, start, end = hit
        left = min(left, row.boxes[start][0] + int((end - start) * (row.bottom - row.top) * 1.05))
    right = row.boxes[stop][0] if stop < len(row.boxes) else width
    return left, row.top, max(right, left + 1), row.bottom


# A gap this many times a row's height between two words of a row separates two cells of a grid.
COLUMN_GAP = 2.5


# A gap this many times a row's height parts a grid's label cell from its value cell (a name is one run).
CELL_GAP = 1.0


def _gap_before(row: Row, i: int, times: float = COLUMN_GAP) -> bool:
    return i > 0 and row.boxes[i][0] - row.boxes[i - 1][2] > times * (row.bottom - row.top)


def _column_gap(row: Row, offset: int) -> int:
    """Where the first gap between columns after the value's first character is, else the row's end."""
    return next((i for i in range(offset + 1, len(row.boxes)) if _gap_before(row, i)), len(row.boxes))


def _date_stretch(row: Row, offset: int, stop: int) -> tuple[int, int]:
    """Where on the row a date is printed, of the stretch read for it (as the date's normaliser reads it, its
    ends' punctuation stripped): a misread English label before it (出生时间 (0r1h 2026年10月28日) gave its
    digits' doubt to the date, which was read again on its crop, wrong)."""
    text = row.text[offset:stop]
    start = offset + len(text) - len(text.lstrip(PUNCTUATION))
    span = normalise.date_span(text.strip(PUNCTUATION))
    return (start + span[0], start + span[1]) if span else (offset, stop)


def _value_confidence(row: Row, start: int, stop: int, value: str, fallback: float) -> float:
    """The least sure of the characters that make up the value (English labels beside it do not count)."""
    wanted = set(value)
    confidences = [c for ch, c in zip(row.chars[start:stop], row.confidences[start:stop]) if ch in wanted]
    return min(confidences) if confidences else fallback


# Labels this long are told by any two of their characters in a row.
LONG_LABEL = 6


def _next_label(text: str, offset: int, labels: list[str], followed_by: list[str] = (), cell_end: int | None = None) -> int:
    """Where the value ends: at the next label, even misread (a quarter of a long label's characters
    wrong), or at the first character of the label printed right after this value. A label is never
    counted back across `cell_end`, the gap between a grid's columns after the value."""
    positions = [text.find(label, offset) for label in labels if not label.isascii()]
    # An English label (No.) met before any of the value is the English of this label (ID No.).
    positions += [p for label in labels if label.isascii()
                  if (p := text.find(label, offset)) > offset and re.search(rf"[{normalise.CJK}0-9]", text[offset:p])]
    for label in labels:
        if len(label) < 4:
            continue
        # A long label read whole but one character is where that reading puts it: counted as misread
        # characters, the rest would slide onto the value (朱涵丽户或与户主关系, 主 lost, cutting 丽).
        short = [found for form in _one_short(label) if (found := text.find(form, offset + 1)) > 0]
        if short:
            positions.append(min(short))
            continue
        positions.append(next((i for i in range(offset + 1, len(text) - len(label) + 1)
                               if _misread_label_at(text, i, label)), -1))
        if len(label) >= LONG_LABEL:
            # Two of a long label's characters side by side (主或 of 户主或与户主关系, read 产主或与产主类系 or
            # P主或产主天系 from a small print) are no name's or address's: the label starts there, or at
            # the pair itself when the value covers the label's start (the title 常住人口登记卡 run into the
            # name's row as 严安人口登记卡). Counted back from the pair found first: a character the
            # reading lost between pairs (户主或户主关系, 与 lost) would put a later pair's start inside the value.
            pairs = {label[k:k + 2]: label.find(label[k:k + 2]) for k in range(len(label) - 1)}
            found_pairs = [(found, k) for pair, k in pairs.items() if (found := text.find(pair, offset + 1)) >= 0]
            if found_pairs:
                found, k = min(found_pairs)
                start = found - k if found - k > offset else found
                # The reading lost a character of the label before the pair (户主 read 王): counted back,
                # the label would start in the value's cell.
                positions.append(cell_end if cell_end is not None and start < cell_end <= found else start)
    for label in followed_by:
        # Its first character, even with the rest misread or lost (年23, 性到一男); but not where that
        # character comes twice: the first is the value's own (李永年年龄34).
        if early := re.search(rf"{re.escape(label[0])}(?!{re.escape(label[0])})", text[offset + 2:]):
            positions.append(offset + 2 + early.start())
        # Its first character lost, the label's last one still stands before the number it labels (龄40).
        if late := re.search(rf"{re.escape(label[-1])}(?=[0-9])", text[offset + 2:]):
            positions.append(offset + 2 + late.start())
    positions = [p for p in positions if p > offset]
    return min(positions, default=len(text))


def _value_column(rows: list[Row], hit: tuple[int, int, int], row_index: int) -> int:
    """Left of this the rows below belong to the label column: a value printed after its label
    continues under the value (so left of the label's middle is the next label), one printed
    under its label continues under itself."""
    r, start, end = hit
    if row_index == r:
        return (rows[r].boxes[start][0] + rows[r].boxes[end - 1][2]) // 2
    row = rows[row_index]
    return row.boxes[0][0] - (row.bottom - row.top) // 2


def _address_rows(rows: list[Row], row_index: int, labels: list[str], column: int) -> list[Row]:
    """Addresses wrap onto following rows until the next labelled row (or the ID number's, or one
    read clearly from the label column: a label misread); on a card photographed at a slant one printed
    line can come out as two rows."""
    more = []
    for row in rows[row_index + 1:row_index + 5]:
        if any(label in row.text for label in labels) or re.search(r"\d{15}", row.text) or _starts_in(row, column):
            break
        more.append(row)
    return more


def _starts_in(row: Row, column: int) -> bool:
    """A row read clearly from left of the value column: a label. (Tesseract's unsure debris from a card's
    background pattern starts anywhere, and the address's own next line can follow it.)"""
    return row.boxes[0][0] < column and row.confidences[0] >= 0.5


def _address_bottom(rows: list[Row], row_index: int, more: list[Row]) -> int:
    """Where a wrapped address may end: above the next labelled row, at most three lines down
    (OCR can drop an address's last line, and the second reading should not)."""
    row = rows[row_index]
    limit = row.bottom + 3 * (row.bottom - row.top)
    after = rows[row_index + 1 + len(more)] if row_index + 1 + len(more) < len(rows) else None
    if after is not None:
        limit = min(limit, after.top - 2)
    return max(limit, *(extra.bottom for extra in more), row.bottom)


def _second_reading(prepared: Prepared, engine: Engine, box: tuple[int, int, int, int], kind: str, first_text: str,
                    value: str | None, plausible: bool, confidence: float,
                    prefer_second: bool = False,
                    labels: tuple[str, tuple[str, ...]] = ("", ())) -> tuple[str | None, bool, float]:
    """Read the value's own line (or lines) again, restricted to the characters its kind allows.

    Two readings that agree are trusted more than either; two that disagree are
    trusted less, unless the reading preferred is near certain. An ID number
    read confidently twice the same way is what is printed, even with a wrong
    check digit: repairing it would hide exactly what the check must catch, so
    look-alike digits are swapped only in unsure readings.
    """
    second_text, second_confidence = _read_crop(prepared, engine, box, normalise.WHITELISTS[kind],
                                                   kind in normalise.WRAPPING)
    second_text = strip_labels(second_text, *labels)
    second, second_ok = normalise.NORMALISERS[kind](second_text)
    if second_ok and plausible and second == value:
        return value, True, max(confidence, second_confidence)
    if second_ok and not plausible:
        return second, True, second_confidence * 0.95
    # Here a crop reading that normalised is one that disagrees with a plausible first reading.
    if prefer_second and kind not in normalise.WRAPPING and (second_ok or value is not None or second_text):
        # The two disagree, or the crop gave nothing: a third reading, of the text the detector finds
        # in the crop, decides. The recogniser alone on a crop drops a value's first character after a
        # wide blank (金斌伟 read 斌伟) or reads nothing at all; the detector's box holds just the value.
        third_text, third_confidence = _read_crop(prepared, engine, box, None, lines=True)
        third, third_ok = normalise.NORMALISERS[kind](strip_labels(third_text, *labels))
        if third_ok and third == value:
            # Two engines agree: the page was Tesseract's (`prefer_second`), the crop PP-OCR's. The same
            # engine twice (PP-OCR's page and crop, or its crop twice) on a blurred page misreads the
            # same character twice: that proves nothing, and made blurred names confidently wrong.
            return third, True, max(confidence, third_confidence)
        if third_ok and not second_ok and not plausible:
            return third, True, third_confidence * 0.95
        if third_ok and second_ok and len(third) == len(second) + 1 and second in (third[1:], third[:-1]):
            # The page's reading agrees with neither (到金光伟村), the crop's lost a character the
            # detector's box kept (斌伟, 金斌伟): the fuller one, as a disagreement.
            return third, True, third_confidence * DISAGREEING
    if second_ok and plausible and kind == "name" and len(value) == len(second) + 1 and second in (value[1:], value[:-1]):
        # The crop's edge cut off a character the page read whole (孙华 for 孙华波, its box guessed short).
        return value, True, confidence
    if second_ok and plausible:
        if prefer_second or second_confidence > confidence:
            sure = second_confidence * DISAGREEING if prefer_second and second_confidence >= NEAR_CERTAIN else 0.75
            return second, True, min(second_confidence, sure)
        return value, True, min(confidence, 0.6)
    if kind == "id_number" and not plausible and max(confidence, second_confidence) < REPAIR_BELOW:
        for text in (first_text, second_text):
            repaired, ok = normalise.id_number(text, swaps=True)
            if ok:
                return repaired, True, min(confidence, 0.6)
    if value is None and second:
        return second, False, second_confidence
    return value, plausible, confidence


def strip_labels(text: str, label: str, labels: tuple[str, ...]) -> str:
    """A crop's reading without the printed labels it caught at its edges (名 of 姓名, 性 of 性别)."""
    for known in labels:
        text = text.replace(known, " ")
    text = text.strip(PUNCTUATION)
    if _opening_label(text, label):
        return strip_labels(text[len(label):], "", labels)
    for size in range(len(label) - 1, 0, -1):
        if text.startswith(label[-size:]):
            text = text[size:]
            break
    for size in range(3, 0, -1):
        if len(text) > size and any(known.startswith(text[-size:]) for known in labels):
            text = text[:-size]
            break
    return text.strip(PUNCTUATION)


def _opening_label(text: str, label: str) -> bool:
    """Whether the text opens with the whole label half misread (姓名 read 姓器 before 冯雌测), its first
    character read right, and a value of two characters or more after it."""
    return len(label) >= 2 and len(text) >= len(label) + 2 and text[0] == label[0] and _half_a_label(text[:len(label)], label)


def _read_crop(prepared: Prepared, engine: Engine, box: tuple[int, int, int, int], whitelist: str | None,
               lines: bool = False) -> tuple[str, float]:
    """The crop read as one line, or, with `lines`, as a small page of lines (an address that wraps)."""
    if prepared.image is None:
        return "", 0.0
    left, top, right, bottom = box
    # A line's crop keeps a margin a third of its height; a crop of several lines a thin one, or it
    # reaches into the lines above and below (the birth date and ID number around an address).
    pad = 4 if lines else max(6, (bottom - top) // 3)
    height, width = prepared.image.shape[:2]
    crop = prepared.image[max(top - pad, 0):min(bottom + pad, height), max(left - pad, 0):min(right + pad, width)]
    if crop.size == 0:
        return "", 0.0
    try:
        if not lines:
            return engine.read_line(crop, whitelist=whitelist)
        rows = build_rows(engine.read_page(crop, layout="auto").words)
        return "".join(row.text for row in rows), min((min(row.confidences) for row in rows), default=0.0)
    except Exception:  # a second look is optional; the first reading stands
        return "", 0.0


def _fill_missing_relation(rows: list[Row], schema: DocumentSchema, fields: dict[str, FieldValue],
                           labels: list[str]) -> None:
    """A relation whose label was misread is still the one word of the register's list on the child's page.
    Single characters (子, 女) are too common elsewhere on the page, and words of the label itself (户主)
    too likely a remnant of it, to be taken without their label. Where the name's label was lost too, the
    name is the Chinese just before the relation on its row (龙泽孙子), as the grid prints them."""
    relation = next((name for name, spec in schema.fields.items() if spec.kind == "relation"), None)
    if relation is None or fields[relation].value is not None:
        return
    known = sorted((v for v in value_list("relations") if len(v) >= 2 and not any(v in label for label in labels)),
                   key=len, reverse=True)
    name = next((name for name, spec in schema.fields.items() if spec.kind == "name"), None)

    def found(entry: str, before: str) -> None:
        fields[relation] = FieldValue(value=entry, confidence=UNLABELLED)
        if name is not None and fields[name].value is None and normalise.NORMALISERS["name"](before)[1]:
            fields[name] = FieldValue(value=before, confidence=UNLABELLED)

    for row in rows:
        text = _without_labels(row.text, labels)
        entry = next((v for v in known if v in text), None)
        if entry is not None:
            before = re.findall(rf"[{normalise.CJK}]+", text[:text.index(entry)])
            found(entry, before[-1] if before else "")
            return
    # Any entry, a single character too, that is the whole right-hand cell of a row whose left-hand cell
    # is a name and no label (刘雨欣 | 女: both labels lost on a black-and-white copy).
    entries = value_list("relations")
    for row in rows:
        cut = next((i for i in range(2, len(row.text)) if _gap_before(row, i, CELL_GAP)), None)
        if (cut is not None and row.text[cut:] in entries and not any(label in row.text for label in labels)
                and normalise.NORMALISERS["name"](row.text[:cut])[1]):
            found(row.text[cut:], row.text[:cut])
            return


def _name_without_relation(rows: list[Row], schema: DocumentSchema, fields: dict[str, FieldValue],
                           all_labels: list[str]) -> None:
    """The relation printed after the name often runs into it (冯皓刚长子) when the label between them
    was misread or a crop reaches past it: a name ending in the relation read (or in the first
    character of a two-character one) loses it, unless a label was read right after the whole name and
    the relation after that (余然子 户主或与户主关系 子: the son's name ends in 子 too)."""
    relation_field = next((name for name, spec in schema.fields.items() if spec.kind == "relation"), None)
    relation = fields[relation_field].value if relation_field else None
    if not relation:
        return
    # The whole relation, or the start of a two-character one where the crop was cut (夏乐志孙, 孙子).
    tails = [relation] + ([relation[:1]] if len(relation) >= 2 else [])
    for name, spec in schema.fields.items():
        value = fields[name].value
        if spec.kind != "name" or not value:
            continue
        tail = next((t for t in tails if value.endswith(t) and len(value) - len(t) >= 2), None)
        if tail and not _relation_after(rows, value, relation, all_labels) \
                and not _relation_on_its_own_row(rows, value[:-len(tail)], relation, schema.fields[relation_field].labels):
            fields[name] = fields[name].model_copy(update={"value": value[:-len(tail)]})


def _relation_on_its_own_row(rows: list[Row], stem: str, relation: str, labels: list[str]) -> bool:
    """Whether the name was printed after a colon (a form of one field a row, 姓名：韩轩子, which the grid
    never prints) and the relation read after its label on a row without the name: such a form cannot have
    run one into the other. Without the colon a relation read on the row below may still be the one the
    name's reading ran into (姓名杨帆宜子 over 户主或与户主关系子)."""
    if not any(re.search(rf"[:：]\s*{re.escape(stem)}", row.text) for row in rows):
        return False
    for row in rows:
        if stem in row.text:
            continue
        blanked = _without_labels(row.text, labels)
        start = next((i for i, (a, b) in enumerate(zip(blanked, row.text)) if a != b), None)
        if start is not None and relation in blanked[start:]:
            return True
    return False


def _relation_after(rows: list[Row], value: str, relation: str, labels: list[str]) -> bool:
    """Whether a row holds the name with a label, even misread, starting right after it, and the relation
    read after that label."""
    for row in rows:
        at = row.text.find(value)
        end = at + len(value)
        if at >= 0 and _next_label(row.text, end - 1, labels) == end and relation in row.text[end + 1:]:
            return True
    return False


def _without_labels(text: str, labels: list[str]) -> str:
    """The row with its labels blanked out, misread ones too (户主或与产主未系 holds 户主, a relation)."""
    for label in labels:
        text = text.replace(label, " " * len(label))
        if len(label) >= 4:
            for i in range(len(text) - len(label) + 1):
                if _misread_label_at(text, i, label):
                    text = text[:i] + " " * len(label) + text[i + len(label):]
    return text


def _misread_label_at(text: str, i: int, label: str) -> bool:
    """A long label at text[i:], a quarter of its characters misread at most."""
    window = text[i:i + len(label)]
    return len(window) == len(label) and _places_wrong(window, label) <= len(label) // 4


# A value found by its form alone, its label unread, is unsure: staff look at it.
UNLABELLED = 0.7


def _fill_unlabelled(rows: list[Row], schema: DocumentSchema, fields: dict[str, FieldValue],
                     all_labels: list[str]) -> None:
    """A field whose label was not read, found by the one form only it takes on the page (an address with
    the rows it wraps onto). One the layout places by another field's label that was read is left to it."""
    for name, spec in schema.fields.items():
        if fields[name].value is not None or not spec.unlabelled or any(find_label(rows, label) for label in spec.above):
            continue
        form = re.compile(spec.unlabelled)
        for r, row in enumerate(rows):
            # A label misread past recognition (签发机关 read 签装机美) still stands where it is printed, at
            # the row's start: the value's form is looked for after it first (性到一男: the form holds the label).
            start = next((len(label) for label in spec.labels if _half_a_label(row.text[:len(label)], label)), 0)
            match = form.search(row.text, start) or form.search(row.text)
            if match is None:
                continue
            # The wrapped lines start under the first, a character's height either way.
            more = (_address_rows(rows, r, all_labels, row.boxes[match.start()][0] - (row.bottom - row.top))
                    if spec.kind in normalise.WRAPPING else [])
            value, plausible = normalise.NORMALISERS[spec.kind](match.group() + "".join(extra.text for extra in more))
            if value is not None and plausible:
                confidence = min(row.confidences[match.start():match.end()] + [min(extra.confidences) for extra in more])
                fields[name] = FieldValue(value=value, confidence=round(min(confidence, UNLABELLED), 3),
                                          alternatives=_alternatives(row, match.start(), match.end(), value, spec.kind))
                break


def _fill_by_layout(rows: list[Row], schema: DocumentSchema, fields: dict[str, FieldValue],
                    all_labels: list[str], width: int) -> None:
    """A field whose label was not read, found where the layout puts it: alone on the row above another
    field's label, at the start of a row before one, or in the right-hand cell of a grid's row after one."""
    for name, spec in schema.fields.items():
        if fields[name].value is not None:
            continue
        beside = _beside(rows, spec, all_labels, width) or _in_row_with(rows, spec, all_labels, width)
        if beside is not None:
            fields[name] = beside
            continue
        places = [(label, True) for label in spec.above] + [(label, False) for label in spec.before]
        for label, above in places:
            hit = find_label(rows, label)
            if hit is None or (above and hit[0] == 0) or (not above and hit[1] < 2):
                continue
            row = rows[hit[0] - 1] if above else rows[hit[0]]
            end = len(row.text) if above else hit[1]
            # Only the cell next to the label: one of its own label misread past finding (姓者) stands
            # apart, across a gap between columns.
            begin = max((i for i in range(1, end) if _gap_before(row, i, CELL_GAP)), default=0)
            begin += _own_label_opening(row.text[begin:end], spec.labels, all_labels)
            text = row.text[begin:end]
            # The row above may be the card's title where the value's own row was not read at all.
            printed = [*all_labels, *schema.classify.titles, *schema.classify.keywords]
            if any(known in text for known in printed) or not re.fullmatch(rf"[{normalise.CJK}·]+", text):
                continue
            value, plausible = normalise.NORMALISERS[spec.kind](text)
            if value is not None and plausible:
                confidence = min(min(row.confidences[begin:end]), UNLABELLED)
                fields[name] = FieldValue(value=value, confidence=round(confidence, 3),
                                          alternatives=_alternatives(row, begin, end, value, spec.kind))
                break


def _own_label_opening(text: str, labels: list[str], all_labels: list[str]) -> int:
    """How many of a cell's first characters are its own label: whole but misread (姓者), or its end where
    its start was lost (名顾嘉蕾)."""
    return next((len(own) for own in labels if _opening_label(text, own)), 0) or next(
        (k for own in labels if (k := _label_end(text, own, [o for o in all_labels if o != own], leaving=2))), 0)


# Labels stand in the page's left fifth, values right of it.
LABEL_COLUMN = 0.2


def _in_row_with(rows: list[Row], spec: FieldSpec, all_labels: list[str], width: int) -> FieldValue | None:
    """The first cell right of the label column on the row `row_with` names (its labels, and as many ID
    number rows above it): a parent's name on the certificate's row whose nationality was read."""
    if spec.row_with is None:
        return None
    numbers = 0
    for row in rows:
        if re.search(r"\d{15}", row.text):
            numbers += 1
            continue
        if numbers != spec.row_with.numbers_above or not any(label in row.text for label in spec.row_with.labels):
            continue
        start = next((i for i, box in enumerate(row.boxes) if box[0] > LABEL_COLUMN * (width or row.boxes[-1][2])), None)
        if start is None:
            return None
        start = _past_label(row.text, start, all_labels)
        end = min(next((i for i in range(start + 1, len(row.boxes)) if _gap_before(row, i, CELL_GAP)), len(row.boxes)),
                  _next_label(row.text, start, all_labels, spec.followed_by))
        # A label's English read into the cell (Mother's Name as km>>=5m) opens it: the name is the Chinese
        # that closes it, before the next label (美怡欣年龄34), or what is left of it (阿娜尔·塔依尔年23).
        name = re.search(rf"[{normalise.CJK}·]+$", row.text[start:end])
        if name is None:
            return None
        start += name.start()
        text = row.text[start:end]
        # The row's own words (中国, its nationality, where the name was lost) are not the name either.
        if any(known in text for known in [*all_labels, *spec.row_with.labels]):
            return None
        value, plausible = normalise.NORMALISERS[spec.kind](text)
        if value is None or not plausible:
            return None
        return FieldValue(value=value, confidence=round(min(min(row.confidences[start:end]), UNLABELLED), 3),
                          alternatives=_alternatives(row, start, end, value, spec.kind))
    return None


def _past_label(text: str, start: int, labels: list[str]) -> int:
    """Where a cell starting at `start` starts past a label running across it: a label read in one run with
    its value has its characters' boxes guessed, and the cell's edge falls inside it (绿系姓|名于博博)."""
    for label in labels:
        for inside in range(1, min(len(label), start + 1)):
            if text[start - inside:start - inside + len(label)] == label:
                return start - inside + len(label)
    return start


def _beside(rows: list[Row], spec: FieldSpec, all_labels: list[str], width: int) -> FieldValue | None:
    """The value in the right-hand cell of the row of a `beside` label, after a gap between columns."""
    for label in spec.beside:
        hit = find_label(rows, label)
        if hit is None:
            continue
        row = rows[hit[0]]
        # The right-hand cell's label starts a little left of the page's middle, the left-hand value well left.
        right_half = 0.4 * (width or row.boxes[-1][2])
        start = next((i for i in range(hit[2], len(row.boxes)) if _gap_before(row, i) and row.boxes[i][0] > right_half),
                     len(row.boxes))
        text = row.text[start:]
        # Two of a label's characters open the cell: its label was read, misread past finding (户主改与户主免孙女).
        if not text or any(known in text for known in all_labels) or any(text[:2] in known for known in all_labels):
            continue
        value, plausible = normalise.NORMALISERS[spec.kind](text)
        if value is not None and plausible:
            return FieldValue(value=value, confidence=round(min(min(row.confidences[start:]), UNLABELLED), 3),
                              alternatives=_alternatives(row, start, len(row.text), value, spec.kind))
    return None


# The right-hand cell of a row starts right of this share of the page's width.
RIGHT_CELL = 0.45
# A lone character read from a cell the detector found nothing in: staff look at it.
CELL_READ_AT_MOST = 0.5


def _read_right_cell(rows: list[Row], schema: DocumentSchema, fields: dict[str, FieldValue], prepared: Prepared,
                     engine: Engine, width: int, all_labels: list[str]) -> None:
    """A short value still missing (the certificate's 性别 Sex 女, the household page's 子 beside a label
    printed small, both faint and found by no detector), read off the right-hand cell of its `beside`
    label's row as one line: 性一女, or 文 for a blurred 女; an entry of a closed list only as one of it."""
    for name, spec in schema.fields.items():
        short = spec.kind in normalise.ONE_CHARACTER or spec.kind in CLOSED_LISTS
        # A value not on its list (长 for 长女, 曾用书: a label's misreading) is as good as missing.
        known = fields[name].value is not None and (spec.kind not in CLOSED_LISTS
                                                    or fields[name].value in value_list(CLOSED_LISTS[spec.kind]))
        if known or not short or not width:
            continue
        hit = next(filter(None, (find_label(rows, label) for label in spec.beside)), None)
        if hit is None:
            continue
        row = rows[hit[0]]
        box = (int(RIGHT_CELL * width), row.top, width, row.bottom)
        text, confidence = _read_crop(prepared, engine, box, None)
        value, plausible = normalise.NORMALISERS[spec.kind](_without_labels(text, all_labels))
        if value is not None and (plausible or spec.kind not in CLOSED_LISTS):
            fields[name] = FieldValue(value=value, confidence=round(min(confidence, CELL_READ_AT_MOST), 3))


def _half_a_label(text: str, label: str) -> bool:
    """Half the label's characters where they should be, and nothing but Chinese (no value's digits)."""
    return (len(text) == len(label) >= 2 and re.fullmatch(rf"[{normalise.CJK}]+", text) is not None
            and 2 * sum(a == b for a, b in zip(text, label)) >= len(label))


def _fill_missing_ids(rows: list[Row], schema: DocumentSchema, fields: dict[str, FieldValue], all_labels: list[str]) -> None:
    """When an ID number's label was not read, a number elsewhere on the page still counts: the page prints
    them in the schema's order (the mother's above the father's), so each missing field takes one between
    the numbers read before and after it and within its section's headings where read (父姓名 still bounds
    the mother's from below), valid numbers first, in page order. One whose check digit fails is taken as
    read and unsure (the father's 370402... read 270402... under a 父亲姓名 glare: what reconcile can settle
    against his card, where the recogniser weighed 3 there). Page order holds over validity: the mother's
    number misread, and the father's misread into another valid one, are still each their own."""
    id_fields = [name for name, spec in schema.fields.items() if spec.kind == "id_number"]
    found = [(r, *normalise.id_number(row.text)) for r, row in enumerate(rows)]
    found = [(r, value, valid) for r, value, valid in found if value is not None]

    def rows_of(value: str) -> list[int]:
        # A value read again off its crop is its row's reading with a digit or two otherwise.
        exact = [r for r, read, _ in found if read == value]
        return exact or [r for r, read, _ in found if len(read) == len(value) and _places_wrong(read, value) <= 2]

    def heading(labels: list[str]) -> int | None:
        hit = next((h for label in labels if (h := find_label(rows, label, others=tuple(all_labels)))), None)
        return hit[0] if hit else None

    taken = {fields[name].value for name in id_fields if fields[name].value}
    for i, name in enumerate(id_fields):
        if fields[name].value is not None:
            continue
        section = schema.fields[name].section
        lower = [r for n in id_fields[:i] if fields[n].value for r in rows_of(fields[n].value)]
        upper = [r for n in id_fields[i + 1:] if fields[n].value for r in rows_of(fields[n].value)]
        if section and (start := heading(section.after)) is not None:
            lower.append(start - 1)  # a number may share its heading's row, read in one run with it
        if section and (end := heading(section.before)) is not None:
            upper.append(end)
        after, before = max(lower, default=-1), min(upper, default=len(rows))
        missing = [n for n in id_fields[i:] if fields[n].value is None]
        between = [(r, value, valid) for r, value, valid in found if after < r < before and value not in taken]
        # As many numbers as fields still missing, valid ones first, then in the order printed.
        chosen = sorted(sorted(between, key=lambda f: not f[2])[:len(missing)])
        if not chosen:
            continue
        r, value, valid = chosen[0]
        row = rows[r]
        fields[name] = FieldValue(value=value, confidence=round(min(row.confidences) * (0.8 if valid else 0.4), 3),
                                  alternatives=_alternatives(row, 0, len(row.text), value, "id_number"))
        taken.add(value)
