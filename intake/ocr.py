"""Stage 4: OCR engines behind one small interface, in a registry the CLI chooses from.

An engine turns a prepared grey image into words with boxes and confidences
(`read_page`), and reads one cropped line with an optional character whitelist
(`read_line`) for a second look at a field. Engines are created once per
process and kept loaded: loading Tesseract's Chinese model costs more than
reading a page.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable, Protocol

import numpy as np
from PIL import Image

from intake.models import OcrText, Word


class EngineError(Exception):
    """The OCR engine cannot run on this machine (exit status 1, with the fix)."""


class Engine(Protocol):
    name: str
    # Whether read_page(layout="auto") is a different reading worth a second look (another
    # layout analysis or another engine), or the same reading again.
    second_layout: bool
    # Whether the engine reads the page in colour as captured (flattened and upright) rather than the
    # grey page cleaned for Tesseract (light evened, ruled lines erased).
    reads_colour: bool

    def read_page(self, image: np.ndarray, layout: str = "sparse") -> OcrText: ...

    def read_line(self, image: np.ndarray, whitelist: str | None = None) -> tuple[str, float]: ...

    def orientation(self, image: np.ndarray) -> tuple[int, float]:
        """Quarter turns (counter-clockwise) that would make the page upright, and how sure, in [0, 1]."""
        ...


def osd_orientation(image: np.ndarray) -> tuple[int, float]:
    """Tesseract's OSD guess at the page's turn, its confidence (0 to about 10 and more) brought to [0, 1]."""
    from intake.preprocess import detect_orientation

    turn, confidence = detect_orientation(image)
    return turn, min(1.0, confidence / 10)


def tessdata_dir() -> str:
    """Where the Chinese model lives: TESSDATA_PREFIX, else Debian's tesseract-ocr-chi-sim."""
    candidates = [os.environ.get("TESSDATA_PREFIX", "")] + [
        f"/usr/share/tesseract-ocr/{v}/tessdata" for v in ("5", "4.00", "4")
    ] + ["/usr/share/tessdata", "/usr/local/share/tessdata"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "chi_sim.traineddata").exists():
            return candidate
    raise EngineError(
        "找不到 Tesseract 中文模型 chi_sim.traineddata / Tesseract's Chinese model is not installed: "
        "run `make setup` (it installs tesseract-ocr-chi-sim)"
    )


# Sparse text finds labelled fields on cards and in table grids; the automatic page layout finds the
# rows sparse mode sometimes drops. The second is only used for a second look.
LAYOUTS = {"sparse": 11, "auto": 3}


def quiet_leptonica() -> None:
    """Leptonica, under Tesseract, prints "Error in boxClipToRectangle" and the like for boxes it
    clips itself, harmless, onto the staff's progress bar. Its errors are values here, so it is
    told to print nothing (L_SEVERITY_NONE = 6): the copy tesserocr's wheel bundles (in
    tesserocr.libs), which is the one in use, else the system's."""
    import ctypes
    import ctypes.util
    import importlib.util

    spec = importlib.util.find_spec("tesserocr")
    bundled = []
    if spec is not None and spec.origin:
        bundled = sorted(Path(spec.origin).parent.parent.glob("tesserocr.libs/libleptonica*.so*"))
    names = [str(p) for p in bundled] or [ctypes.util.find_library("leptonica") or ctypes.util.find_library("lept")]
    for name in filter(None, names):
        try:
            ctypes.CDLL(name).setMsgSeverity(6)
        except (OSError, AttributeError):
            pass


class TesseractEngine:
    """Tesseract through tesserocr's in-process API; pytesseract when tesserocr is unavailable."""

    name = "tesseract"
    second_layout = True
    reads_colour = False
    orientation = staticmethod(osd_orientation)

    def __init__(self, lang: str = "chi_sim") -> None:
        self.lang = lang
        self.path = tessdata_dir()
        try:
            import tesserocr

            # After the import: importing tesserocr sets Leptonica's message level back to its own.
            quiet_leptonica()
            self._tesserocr = tesserocr
            # One API, its layout mode switched per call: each API loads its own copy of the Chinese
            # model (about 100 MB), and a worker's memory is what limits how many run on a machine.
            self._api = tesserocr.PyTessBaseAPI(path=self.path, lang=lang)
        except ImportError:
            self._tesserocr = None

    def read_page(self, image: np.ndarray, layout: str = "sparse") -> OcrText:
        height, width = image.shape[:2]
        if self._tesserocr is not None:
            api = self._api
            api.SetPageSegMode(LAYOUTS[layout])
            api.SetVariable("tessedit_char_whitelist", "")
            api.SetImage(Image.fromarray(image))
            tsv = api.GetTSVText(0)
        else:
            import pytesseract

            tsv = pytesseract.image_to_data(
                Image.fromarray(image), lang=self.lang, config=f"--psm {LAYOUTS[layout]} --tessdata-dir {self.path}"
            )
        return OcrText(words=parse_tsv(tsv), width=width, height=height, source=self.name)

    def read_line(self, image: np.ndarray, whitelist: str | None = None) -> tuple[str, float]:
        if self._tesserocr is not None:
            api = self._api
            api.SetPageSegMode(self._tesserocr.PSM.SINGLE_LINE)
            api.SetVariable("tessedit_char_whitelist", whitelist or "")
            api.SetImage(Image.fromarray(image))
            text = api.GetUTF8Text()
            confidences = api.AllWordConfidences()
        else:
            import pytesseract

            config = f"--psm 7 --tessdata-dir {self.path}"
            if whitelist:
                config += f" -c tessedit_char_whitelist={whitelist}"
            data = parse_tsv(pytesseract.image_to_data(Image.fromarray(image), lang=self.lang, config=config))
            text = "".join(w.text for w in data)
            confidences = [w.confidence * 100 for w in data]
        conf = (sum(confidences) / len(confidences) / 100) if confidences else 0.0
        return "".join(text.split()), max(0.0, min(1.0, conf))


def parse_tsv(tsv: str) -> list[Word]:
    """Tesseract's TSV (level 5 rows are words) into words numbered by text line."""
    words: list[Word] = []
    line_ids: dict[tuple[str, str, str, str], int] = {}
    for row in tsv.splitlines():
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        key = (cols[1], cols[2], cols[3], cols[4])
        line = line_ids.setdefault(key, len(line_ids))
        left, top, w, h = (int(float(c)) for c in cols[6:10])
        conf = max(0.0, min(1.0, float(cols[10]) / 100))
        words.append(Word(text=text, box=(left, top, left + w, top + h), confidence=conf, line=line))
    return words


# Long side of the page the detector first looks at: enough to find which way up it is and how large
# its text is. The page is looked at again, larger (up to PAGE_SIDE), only where its text is small.
FIRST_LOOK_SIDE = 640
PAGE_SIDE = 1280
# Text runs at least this high (pixels, median, as the detector sees the first look) are found whole at
# FIRST_LOOK_SIDE: an ID or insurance card's, the card filling the page (27-40). A certificate's or
# household page's small print (14-23), or a card on a larger page, needs PAGE_SIDE: at less, blurred
# certificates lost labels and names.
LARGE_TEXT = 24
# The longest text runs are the surest of their direction; a few are enough.
VOTING_RUNS = 8


def run_sides(boxes: np.ndarray) -> list[tuple[float, float]]:
    """Each text run's extent across and down the page (PP-OCR gives its corners clockwise from the top left)."""
    return [(max(np.linalg.norm(b[0] - b[1]), np.linalg.norm(b[2] - b[3])),
             max(np.linalg.norm(b[0] - b[3]), np.linalg.norm(b[1] - b[2]))) for b in boxes]


def large_text(boxes: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Whether the text runs found at FIRST_LOOK_SIDE stand LARGE_TEXT high there (median)."""
    heights = [min(sides) for sides in run_sides(boxes)]
    return float(np.median(heights)) * min(FIRST_LOOK_SIDE, max(shape[:2])) / max(shape[:2]) >= LARGE_TEXT


# Text runs recognised at once: a batch is padded to its longest run, and six of a certificate's long
# rows cost 350 MB at once and more time (8 pages: 17.6 s at six, 12.0 s at two, 12.8 s one at a time).
RECOGNISED_TOGETHER = 2


class RapidOcrEngine:
    """PP-OCR models run by onnxruntime; the models ship inside the `rapidocr` wheel."""

    name = "rapidocr"
    second_layout = False
    # PP-OCR was trained on photographs: on the cleaned grey page, evening the light blew a blurred JPEG's
    # blocks up into noise and the small print of a certificate's labels went (新生儿姓名 read 6生186);
    # on the colour page they read, and with them the names they label.
    reads_colour = True

    def __init__(self) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise EngineError(
                "RapidOCR 未安装 / RapidOCR is not installed: `.venv/bin/pip install -e '.[rapidocr]'`"
            ) from exc
        # One thread: batch workers are one per core already, and threads fighting for cores only slow each other.
        threads = int(os.environ.get("INTAKE_OCR_THREADS", "1"))
        self._ocr = RapidOCR(params={
            "Global.log_level": "error",
            # The detector at its default (shorter side >= 736) ran on whole 1800-pixel pages; text
            # boxes found on a page at most 1280 pixels long cost half the time and the recogniser
            # still reads each box from the full-size page. At 960 it took half as long again and
            # half the memory, but on blurred phone shots it lost labels (父亲姓名 read as 父姓名)
            # and with them the names.
            "Det.limit_type": "max",
            "Det.limit_side_len": PAGE_SIDE,
            "Rec.rec_batch_num": RECOGNISED_TOGETHER,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })
        self._detector, self._turned_runs = self._ocr._load_det_model(), self._ocr._load_cls_model()
        self._recogniser = self._ocr._load_rec_model()
        self._least_score = float(self._ocr.cfg.Global.text_score)
        # The last page `orientation` looked at (its key) and the runs it found there: most pages come the
        # right way up, and the page read next is that one, not to be looked at a second time. A page
        # turned before reading is looked at again (runs lying on their side are cut better upright).
        self._first_look: tuple[str, np.ndarray | None] | None = None
        for stage in (self._detector, self._recogniser, self._turned_runs):
            stage.session.session = without_denormals(stage.session.session)

    def _runs(self, colour: np.ndarray, side: int) -> np.ndarray | None:
        """The detector's text runs (four corners each, in the page's pixels) on a copy `side` long."""
        self._detector.limit_side_len = side
        try:
            found = self._detector(colour)
        finally:
            self._detector.limit_side_len = PAGE_SIDE
        return found.boxes if found.boxes is not None and len(found.boxes) else None

    def orientation(self, image: np.ndarray) -> tuple[int, float]:
        """The turn the page's longest text runs vote for: runs taller than wide lie on their side, and
        PP-OCR's direction classifier tells each run's 0 from 180 degrees.

        Found on a small copy of the page (long side FIRST_LOOK_SIDE). Tesseract's OSD, which this
        replaces for this engine, guessed 46 of 54 normal pages and 56 of 83 hard ones right; this 54
        and 79, in about the same time, and a wrong guess costs a whole reading of the page.
        """
        from rapidocr.utils.process_img import get_rotate_crop_image

        colour = _as_bgr(image)
        boxes = self._runs(colour, FIRST_LOOK_SIDE)
        self._first_look = (image_key(image), boxes)
        if boxes is None:
            return 0, 0.0
        sides = run_sides(boxes)
        longest = sorted(range(len(sides)), key=lambda i: -max(sides[i]))[:VOTING_RUNS]
        runs = [get_rotate_crop_image(colour, boxes[i].astype(np.float32)) for i in longest]
        votes = np.zeros(4)
        for i, (label, score) in zip(longest, self._turned_runs(runs).cls_res):
            across, down = sides[i]
            # The crop of a run taller than wide was turned a quarter counter-clockwise before classifying.
            turn = (1 if down >= 1.5 * across else 0) + (2 if "180" in label else 0)
            votes[turn] += score * max(across, down)
        if not votes.sum():
            return 0, 0.0
        turn = int(votes.argmax())
        # The share of the vote, less where few runs voted: a photo's one stray run proves nothing.
        return turn, float(votes[turn] / votes.sum() * (1 - 0.5 ** len(longest)))

    def read_page(self, image: np.ndarray, layout: str = "sparse") -> OcrText:
        """Text runs found at the size the page's text needs (`large_text`; layout "auto": at PAGE_SIDE
        whatever its size), each read from the full-size page."""
        from rapidocr.utils.process_img import get_rotate_crop_image

        height, width = image.shape[:2]
        colour = _as_bgr(image)
        coarse = False
        if layout == "auto":
            boxes = self._runs(colour, PAGE_SIDE)
        else:
            seen = self._first_look if self._first_look and self._first_look[0] == image_key(image) else None
            boxes = seen[1] if seen else self._runs(colour, FIRST_LOOK_SIDE)
            coarse = boxes is not None and large_text(boxes, colour.shape)
            if boxes is not None and not coarse:
                boxes = self._runs(colour, PAGE_SIDE)
        if boxes is None:
            return OcrText(words=[], width=width, height=height, source=self.name, tilt=0.0)
        crops = [get_rotate_crop_image(colour, box.astype(np.float32)) for box in boxes]
        words = [
            Word(text=text, box=(int(box[:, 0].min()), int(box[:, 1].min()), int(box[:, 0].max()), int(box[:, 1].max())),
                 confidence=score, line=index, alternatives=alternatives)
            for index, (box, (text, score, alternatives)) in enumerate(zip(boxes, self._recognise(crops)))
            if text and score >= self._least_score
        ]
        return OcrText(words=merge_rows(words), width=width, height=height, source=self.name, tilt=_tilt(boxes),
                       coarse=coarse)

    def _recognise(self, crops: list[np.ndarray]) -> list[tuple[str, float, list[dict[str, float]]]]:
        """Each text run's reading, its score (rapidocr's: the mean of its characters' probabilities) and,
        for each character, the characters the recogniser weighed there (`alternatives`).

        rapidocr's own recogniser, batched the same way (runs sorted by shape, RECOGNISED_TOGETHER at a
        time, padded to the widest), keeps only the characters it chose; a blurred name's second
        choice (宇 under 字) is what another document's reading can be checked against.
        """
        recogniser = self._recogniser
        height, width = recogniser.rec_image_shape[1:3]
        order = np.argsort([crop.shape[1] / crop.shape[0] for crop in crops])
        read: list[tuple[str, float, list[dict[str, float]]]] = [("", 0.0, [])] * len(crops)
        for start in range(0, len(crops), RECOGNISED_TOGETHER):
            batch = order[start:start + RECOGNISED_TOGETHER]
            widest = max([width / height] + [crops[i].shape[1] / crops[i].shape[0] for i in batch])
            preds = recogniser.session(np.concatenate(
                [recogniser.resize_norm_img(crops[i], widest)[np.newaxis] for i in batch]).astype(np.float32))
            lines, _ = recogniser.postprocess_op(preds)
            for i, probabilities, (text, score) in zip(batch, preds, lines):
                read[i] = ("".join(str(text).split()), float(score),
                           character_alternatives(probabilities, recogniser.postprocess_op.character))
        return read

    def read_line(self, image: np.ndarray, whitelist: str | None = None) -> tuple[str, float]:
        result = self._ocr(_as_bgr(image), use_det=False, use_cls=False, use_rec=True)
        if not result.txts:
            return "", 0.0
        text = "".join("".join(str(t).split()) for t in result.txts)
        if whitelist:
            text = "".join(c for c in text if c in whitelist)
        return text, float(min(result.scores))


# Characters a recogniser weighed below this probability at a place are not kept as alternatives.
LEAST_ALTERNATIVE = 0.005
ALTERNATIVES_KEPT = 6
# Another reading's character counts as seen where the recogniser gave it at least this probability
# (a clearly read character leaves every other below 0.005).
SEEN_THERE = 0.01
# Characters weighed between two read characters (or after the last) are kept under this mark before them,
# in the place of the character before: a blurred name's middle character lost to the blank (薛芳 read,
# 琳 weighed at 0.13 after 芳) is what another document's longer reading can be checked against.
AFTER = "+"
AFTER_KEPT = 3


def character_alternatives(probabilities: np.ndarray, characters: list[str]) -> list[dict[str, float]]:
    """For each character CTC decoding keeps (a run of frames with the same best class, not blank and
    not a space), the classes likeliest over that run's frames, with their highest probability there; and
    the characters likeliest over the blank frames after it, marked AFTER."""
    best = probabilities.argmax(axis=1)
    starts = np.flatnonzero(np.r_[True, best[1:] != best[:-1]])
    alternatives: list[dict[str, float]] = []
    for start, end in zip(starts, [*starts[1:], len(best)]):
        peak = probabilities[start:end].max(axis=0) if end - start > 1 else probabilities[start]
        if best[start] == 0 or characters[best[start]].isspace():
            if alternatives and best[start] == 0:
                kept = np.flatnonzero(peak[1:] >= LEAST_ALTERNATIVE) + 1
                kept = kept[np.argsort(-peak[kept])[:AFTER_KEPT]]
                alternatives[-1].update({AFTER + characters[k]: round(float(peak[k]), 4) for k in kept})
            continue
        kept = np.flatnonzero(peak >= LEAST_ALTERNATIVE)
        # The blank among the six likeliest takes a place: it is the reading's doubt that a character is there.
        kept = kept[np.argsort(-peak[kept])[:ALTERNATIVES_KEPT]]
        alternatives.append({characters[k]: round(float(peak[k]), 4) for k in kept if k})
    return alternatives


def without_denormals(session):
    """The same model with its denormal weights (below 1.2e-38, too small to move any result) set to zero.

    A quarter of two of the detector's largest convolutions' weights are denormal, and the CPU multiplies
    those a hundred times slower than other numbers: the detector took 1.77 s a 1280 x 896 page, 0.80 s
    without them, with the same output to the last bit (the recogniser: 0.119 -> 0.089 s a pair of runs).
    """
    import onnx
    from onnx import numpy_helper
    from onnxruntime import InferenceSession

    model = onnx.load(session._model_path)
    smallest = np.finfo(np.float32).tiny
    for weights in model.graph.initializer:
        values = numpy_helper.to_array(weights)
        if values.dtype != np.float32:
            continue
        denormal = (values != 0) & (np.abs(values) < smallest)
        if denormal.any():
            weights.CopyFrom(numpy_helper.from_array(np.where(denormal, np.float32(0), values), weights.name))
    return InferenceSession(model.SerializeToString(), session._sess_options, providers=session.get_providers())


def _tilt(boxes) -> float:
    """The median slope of the detector's text runs, from the top edge of each run at least three times
    as long as it is high (PP-OCR gives each run's corners clockwise from its top left)."""
    slopes = []
    for box in boxes:
        (x0, y0), (x1, y1), _, (x3, y3) = [(float(x), float(y)) for x, y in box]
        length, height = np.hypot(x1 - x0, y1 - y0), np.hypot(x3 - x0, y3 - y0)
        if length >= 3 * height:
            slopes.append(np.degrees(np.arctan2(y1 - y0, x1 - x0)))
    return float(np.median(slopes)) if slopes else 0.0


def _as_bgr(image: np.ndarray) -> np.ndarray:
    return np.dstack([image] * 3) if image.ndim == 2 else image


def merge_rows(words: list[Word]) -> list[Word]:
    """RapidOCR gives one box per text run; runs on one visual row become one line."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        centre = (word.box[1] + word.box[3]) / 2
        for row in rows:
            top = min(w.box[1] for w in row)
            bottom = max(w.box[3] for w in row)
            if top <= centre <= bottom:
                row.append(word)
                break
        else:
            rows.append([word])
    merged: list[Word] = []
    for index, row in enumerate(sorted(rows, key=lambda r: min(w.box[1] for w in r))):
        merged.extend(w.model_copy(update={"line": index}) for w in row)
    return merged


class HybridEngine:
    """Tesseract finds the page's labels and layout; RapidOCR's recogniser reads each value's own crop.

    Tesseract's Chinese model misreads rare name characters and is sure of itself
    when it does; PP-OCR's recogniser, run without its detector on a crop the
    labels already located, reads them far better at a fraction of a full pass.
    The second look at a page (layout "auto", asked for when fields are still
    missing) is PP-OCR's full detector and recogniser: slower, but it finds the
    labels Tesseract could not.
    """

    name = "hybrid"
    second_layout = True
    reads_colour = False
    orientation = staticmethod(osd_orientation)
    # Whose crop reading wins over whose page reading when the two disagree.
    line_reading_beats = ("tesseract",)

    def __init__(self) -> None:
        self._pages = TesseractEngine()
        self._lines = RapidOcrEngine()

    def read_page(self, image: np.ndarray, layout: str = "sparse") -> OcrText:
        if layout == "auto":  # at full detail: a reading from the small copy would be read again the same way
            return self._lines.read_page(image, layout="auto")
        return self._pages.read_page(image, layout)

    def read_line(self, image: np.ndarray, whitelist: str | None = None) -> tuple[str, float]:
        return self._lines.read_line(image, whitelist)


class ReplayEngine:
    """Replays recorded OCR output (JSON keyed by image hash) for fast, deterministic tests."""

    name = "replay"
    for_tests = True
    second_layout = True
    reads_colour = False
    orientation = staticmethod(osd_orientation)

    def __init__(self, recording: Path | None = None) -> None:
        path = recording or Path(os.environ.get("INTAKE_OCR_RECORDING", "ocr-recording.json"))
        self._pages = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def read_page(self, image: np.ndarray, layout: str = "sparse") -> OcrText:
        key = f"{image_key(image)}:{layout}"
        if key not in self._pages:
            return OcrText(width=image.shape[1], height=image.shape[0])
        return OcrText.model_validate(self._pages[key])

    def read_line(self, image: np.ndarray, whitelist: str | None = None) -> tuple[str, float]:
        return "", 0.0


class CrashingEngine:
    """Fails on every page: proves one bad OCR call is a finding, not a crashed batch."""

    name = "crash"
    for_tests = True
    second_layout = False
    reads_colour = False

    def read_page(self, image: np.ndarray, layout: str = "sparse") -> OcrText:
        raise RuntimeError("OCR engine crashed (fault injection)")

    def read_line(self, image: np.ndarray, whitelist: str | None = None) -> tuple[str, float]:
        raise RuntimeError("OCR engine crashed (fault injection)")

    def orientation(self, image: np.ndarray) -> tuple[int, float]:
        raise RuntimeError("OCR engine crashed (fault injection)")


def image_key(image: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(image).tobytes()).hexdigest()


ENGINES: dict[str, Callable[[], Engine]] = {
    "tesseract": TesseractEngine,
    "rapidocr": RapidOcrEngine,
    "hybrid": HybridEngine,
    "replay": ReplayEngine,
    "crash": CrashingEngine,
}

# The engine staff get unless they choose another (CLI, web app, benchmarks).
DEFAULT_ENGINE = "rapidocr"


def engine_choices() -> list[str]:
    """The engines offered to staff: the registry without the ones made for tests."""
    return [name for name, engine in ENGINES.items() if not getattr(engine, "for_tests", False)]


_loaded: dict[str, Engine] = {}


def get_engine(name: str) -> Engine:
    """The process's engine of that name, created on first use and then kept loaded."""
    if name not in ENGINES:
        raise EngineError(f"未知的 OCR 引擎 / unknown OCR engine {name!r}; choose one of: {', '.join(ENGINES)}")
    if name not in _loaded:
        _loaded[name] = ENGINES[name]()
    return _loaded[name]
