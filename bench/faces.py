"""How well the photo check finds the baby's face, and how seldom it sees one where there is none.

    python bench/faces.py                    # drawn and painted faces, pictures without a face
    python bench/faces.py --set /tmp/hard60  # and a generated set's photos and documents as read

Faces: the generator's painted babies (seeds 0-39) and flat drawings (seeds 1000-1199), and flat drawings
made here another way (`other_maker`: twelve styles the generator does not draw, ten of each: a grey copy,
a white face in outline, eyes shut as arcs, a bonnet, a close-up...), as another maker's samples would be.
No face: the generator's landscapes and still lifes (seeds 40-239), scikit-image's pictures without a person
(each turned four ways, at full and half size), and with --set the first 30 applications' documents. Pictures
are counted as the photo check counts a page already told to be the photo; documents as classification looks
at a page whose text tells no type (a face seen there makes it the photo). With --set, each photo is judged
as the pipeline judges it (pass, fail, or review for staff).
"""

from __future__ import annotations

import argparse
import glob
import json
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from rich.console import Console
from rich.table import Table
from skimage import data

from intake.ingest import decode_file
from intake.models import Document, DocumentType
from intake.photo import analyse_photo, check_photo, count_faces
from intake.preprocess import prepare_page
from intake.samplegen import photo as samplegen_photo

STYLES = ("minimal", "sclera", "asleep", "bonnet", "close-up", "off-centre", "outline", "grey", "blurred",
          "small face", "wide face", "dark skin")
NO_PERSON = ("coffee", "rocket", "chelsea", "coins", "page", "moon", "hubble_deep_field", "immunohistochemistry",
             "retina", "horse", "brick", "grass", "gravel", "text", "clock", "logo", "cell", "colorwheel")


def other_maker(style: str, rng: np.random.Generator) -> np.ndarray:
    """A child drawn flat with PIL's shapes, in BGR: a head, dot eyes, an arc for a mouth, clothes."""
    w, h = [(295, 413), (358, 441), (413, 579), (600, 800)][int(rng.integers(4))]
    background = [(255, 255, 255), (67, 142, 219), (200, 30, 40), (230, 230, 230), (180, 210, 240)][int(rng.integers(5))]
    picture = Image.new("RGB", (w, h), background)
    draw = ImageDraw.Draw(picture)
    skins = [(255, 224, 189), (241, 194, 125), (224, 172, 105), (255, 205, 178), (198, 134, 66)]
    skin = (141, 85, 36) if style == "dark skin" else skins[int(rng.integers(len(skins)))]
    cx, cy = w / 2 + (w * 0.12 if style == "off-centre" else 0), h * 0.45
    fw = w * {"close-up": 0.45, "small face": 0.18, "wide face": 0.36}.get(style, 0.3)
    fh = fw * (0.95 if style == "wide face" else 1.15)
    draw.ellipse([cx - fw * 1.6, cy + fh * 0.9, cx + fw * 1.6, cy + fh * 3], fill=tuple(rng.integers(80, 250, 3).tolist()))
    if style == "outline":
        draw.ellipse([cx - fw, cy - fh, cx + fw, cy + fh], outline=(0, 0, 0), width=4, fill=(255, 255, 255))
    else:
        draw.ellipse([cx - fw, cy - fh, cx + fw, cy + fh], fill=skin)
    if style == "bonnet":
        draw.pieslice([cx - fw * 1.15, cy - fh * 1.2, cx + fw * 1.15, cy + fh * 0.4], 180, 360, fill=(250, 180, 200))
    ey, er = cy - fh * 0.1, fw * 0.1
    for x in (cx - fw * 0.4, cx + fw * 0.4):
        if style == "asleep":
            draw.arc([x - er * 1.5, ey - er, x + er * 1.5, ey + er], 0, 180, fill=(40, 30, 30), width=3)
        elif style == "sclera":
            draw.ellipse([x - er * 1.6, ey - er, x + er * 1.6, ey + er], fill=(255, 255, 255), outline=(0, 0, 0))
            draw.ellipse([x - er * 0.7, ey - er * 0.7, x + er * 0.7, ey + er * 0.7], fill=(60, 40, 20))
        else:
            draw.ellipse([x - er, ey - er, x + er, ey + er], fill=(20, 20, 20))
    draw.arc([cx - fw * 0.35, cy + fh * 0.2, cx + fw * 0.35, cy + fh * 0.6], 20, 160, fill=(200, 60, 60), width=4)
    if style == "blurred":
        picture = picture.filter(ImageFilter.GaussianBlur(3))
    if style == "grey":
        picture = picture.convert("L").convert("RGB")
    return cv2.cvtColor(np.asarray(picture), cv2.COLOR_RGB2BGR)


def no_person(name: str) -> np.ndarray:
    picture = getattr(data, name)()
    if picture.dtype != np.uint8:
        picture = (picture.astype(float) / picture.max() * 255).astype(np.uint8)
    if picture.ndim == 2:
        return cv2.cvtColor(picture, cv2.COLOR_GRAY2BGR)
    return cv2.cvtColor(picture[:, :, :3], cv2.COLOR_RGB2BGR)


def bgr(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def judged(picture: np.ndarray) -> int:
    """Faces as the photo check counts them, in a picture already told to be the photo."""
    return int(analyse_photo(picture)["faces"].value)


def one_face(pictures, count=judged) -> tuple[int, int]:
    """How many of the pictures one face is found in, of how many."""
    counts = [count(picture) for picture in pictures]
    return sum(n == 1 for n in counts), len(counts)


def a_face(pictures, count=judged) -> tuple[int, int]:
    """How many of the pictures any face is seen in, of how many."""
    counts = [count(picture) for picture in pictures]
    return sum(n > 0 for n in counts), len(counts)


def turned(picture: np.ndarray):
    for turns in range(4):
        for scale in (0.5, 1.0):
            yield cv2.resize(np.ascontiguousarray(np.rot90(picture, turns)), None, fx=scale, fy=scale)


def set_pages(folder: Path, photos: bool):
    """(truth, truth entry, page) of the set's photos, or of its first 30 applications' documents."""
    truths = sorted(glob.glob(str(folder / "*.truth.json")))
    for truth_file in truths if photos else truths[:30]:
        truth = json.loads(Path(truth_file).read_text(encoding="utf-8"))
        application = Path(truth_file[:-len(".truth.json")])
        for entry in truth["documents"]:
            if (entry["type"] == "photo") != photos or entry["type"] == "unreadable":
                continue
            for page in decode_file(application / entry["file"], entry["file"]):
                if page.image is not None:
                    yield truth, entry, page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, help="a generated set: its photos judged, its documents looked at")
    args = parser.parse_args()
    table = Table(title="人脸 / faces")
    for column in ("pictures (counted as the photo check counts, unless said)", "one face found / a face seen", "share"):
        table.add_column(column)

    def row(label: str, counted: tuple[int, int]) -> None:
        table.add_row(label, f"{counted[0]}/{counted[1]}", f"{counted[0] / max(1, counted[1]):.3f}")

    row("painted babies (generator, seeds 0-39): one face found",
        one_face(bgr(samplegen_photo.baby_face(np.random.default_rng(seed))) for seed in range(40)))
    row("drawn children (generator, seeds 1000-1199): one face found",
        one_face(bgr(samplegen_photo.drawn_face(np.random.default_rng(seed))) for seed in range(1000, 1200)))
    rng = np.random.default_rng(5)
    for style in STYLES:
        row(f"drawn another way, {style}: one face found", one_face(other_maker(style, rng) for _ in range(10)))
    row("landscapes and still lifes (generator, seeds 40-239): a face seen",
        a_face(bgr(samplegen_photo.no_face(np.random.default_rng(seed))) for seed in range(40, 240)))
    row(f"scikit-image's {len(NO_PERSON)} pictures without a person, 8 views each: a face seen",
        a_face(view for name in NO_PERSON for view in turned(no_person(name))))
    if args.set:
        # As classification looks at a page whose text tells no type: a face makes it the photo.
        row(f"documents of {args.set.name}'s first 30 applications: a face seen (classification's count)",
            a_face((page.image for _, _, page in set_pages(args.set, photos=False)), count=count_faces))
        verdicts: dict[str, dict[str, int]] = {}
        for truth, entry, page in set_pages(args.set, photos=True):
            prepared = prepare_page(page)
            fields = analyse_photo(*[view for view in (prepared.colour, page.image) if view is not None])
            verdict = check_photo(Document(file=entry["file"], page=1, type=DocumentType.photo, fields=fields)).status
            kind = "no face (planted)" if "photo.no_face" in truth["planted"] else entry["capture"].get("drawing", "painted")
            verdicts.setdefault(kind, {}).setdefault(verdict, 0)
            verdicts[kind][verdict] += 1
        for kind, counts in sorted(verdicts.items()):
            table.add_row(f"{args.set.name}'s photos, {kind}", ", ".join(f"{v} {n}" for v, n in sorted(counts.items())), "")
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
