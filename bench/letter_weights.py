"""What the recogniser weighed at a certificate number's letter read as a digit (Q read 0), from its raw
probabilities, on generated sets: the evidence for or against telling the letter by faint weights.

    python bench/letter_weights.py SET [SET ...] > weights.jsonl

One JSON line per certificate: its printed number, the run read, and each candidate letter's probability at
the first character (its peak over that character's frames), however small. The run is cut from its word's
upright box, not the detector's turned quadrilateral the pipeline reads, so a page's own reading can weigh
the letters a little differently (seed 36036's application 34). Stop 37 read five hard sets:
of 50 letters read as a digit, Q weighed at 0.0001 or more and above O seven times, six of them Q.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np

from intake.ingest import find_applications, load_pages
from intake.ocr import _as_bgr, get_engine
from intake.pipeline import page_for, prepare_page, read_upright, straightened

LETTERS = "NOPQRD"


def first_character_weights(engine, crop: np.ndarray, place: int) -> dict[str, float] | None:
    """Each candidate letter's peak probability over the frames of the run's character at `place`."""
    recogniser = engine._recogniser
    characters = recogniser.postprocess_op.character
    ratio = max(crop.shape[1] / crop.shape[0], 320 / 48)
    probabilities = recogniser.session(recogniser.resize_norm_img(crop, ratio)[np.newaxis].astype(np.float32))[0]
    best = probabilities.argmax(axis=1)
    kept, previous, frames = -1, 0, []
    for frame, cls in enumerate(best):
        if cls != 0 and cls != previous:
            kept += 1
        if kept == place and cls != 0:
            frames.append(frame)
        previous = cls
    if not frames:
        return None
    peak = probabilities[frames].max(axis=0)
    return {letter: float(f"{peak[characters.index(letter)]:.3g}") for letter in LETTERS}


def main(sets: list[str]) -> None:
    engine = get_engine("rapidocr")
    for root in sets:
        applications = {a.application_id: a for a in find_applications(Path(root))}
        for truth_file in sorted(Path(root).glob("*.truth.json")):
            truth = json.loads(truth_file.read_text(encoding="utf-8"))
            certificate = next((d for d in truth["documents"] if d["type"] == "birth_certificate"), None)
            if certificate is None:
                continue
            line = {"set": root, "application": truth["application_id"],
                    "printed": certificate["fields"]["certificate_number"], "read": None}
            page = next(p for p in load_pages(applications[truth["application_id"]]) if p.file == certificate["file"])
            prepared, ocr, _ = read_upright(page_for(engine, prepare_page(page)), engine)
            prepared, ocr = straightened(prepared, ocr)
            image = _as_bgr(prepared.image)
            for word in ocr.words:
                found = re.search(r"[0-9A-Z][0-9]{9}", word.text)
                x0, y0, x1, y1 = word.box
                if found and image[y0:y1, x0:x1].size:
                    line |= {"read": found.group(0),
                             "weights": first_character_weights(engine, image[y0:y1, x0:x1], found.start())}
                    break
            print(json.dumps(line, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
