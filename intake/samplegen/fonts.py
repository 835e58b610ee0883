"""Find the CJK fonts installed on the machine and hand out Pillow fonts.

Sample documents must look different from one application to the next, so the
generator draws every document in a font picked from whatever Simplified
Chinese fonts are installed (Noto CJK, WenQuanYi, AR PL, LXGW WenKai, Smiley
Sans, Droid Sans Fallback). Fonts are found by globbing the usual Debian folders;
a collection (.ttc) holds several faces and we pick the Simplified Chinese one by
its family name, not by a fixed index. The GB fonts hold only GB 2312's
characters: a text with one they lack is drawn in a face that has them, as a
printer's software falls back.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

FONT_GLOBS = (
    "/usr/share/fonts/opentype/noto/*CJK*.tt[fc]",
    "/usr/share/fonts/opentype/noto/*CJK*.otf",
    "/usr/share/fonts/truetype/wqy/*.tt[fc]",
    "/usr/share/fonts/truetype/arphic/*.tt[fc]",
    "/usr/share/fonts/truetype/noto/*CJK*.tt[fc]",
    "/usr/share/fonts/truetype/arphic-gbsn00lp/*.ttf",
    "/usr/share/fonts/truetype/arphic-gkai00mp/*.ttf",
    "/usr/share/fonts/truetype/lxgw-wenkai/*.ttf",
    "/usr/share/fonts/truetype/smiley-sans/*.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
# `intake samples --fonts` keeps only the faces whose label holds one of these (comma-separated), so a
# set can be drawn in fonts the reader was never tried on; spawned generator processes inherit it.
ONLY_ENV = "INTAKE_SAMPLE_FONTS"
# A single-face font is taken for Simplified Chinese when it draws these (the forms differ from Traditional).
_SC_PROBE = "出生医学证明书户口簿姓名亲关系发证机关"
MONO_GLOBS = ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono*.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationMono-*.ttf")

# Family-name endings that mark the Simplified Chinese face of a collection.
_SC_MARKS = (" SC", " CN", "Zen Hei", "Micro Hei")


@dataclass(frozen=True)
class Face:
    """One usable typeface: the file, the face index inside it, a short label."""

    path: str
    index: int
    label: str  # e.g. "NotoSerifCJK-Bold", recorded in the truth file
    style: str  # "serif", "sans" or "kai": layouts pick label fonts by style
    bold: bool


def _style(label: str) -> str:
    low = label.lower()
    if "kai" in low:
        return "kai"
    if "serif" in low or "uming" in low or "gbsn" in low:
        return "serif"
    return "sans"


def _sc_index(path: str) -> int | None:
    """Index of the Simplified Chinese face in a font file, None if it has none."""
    families = []
    for index in range(12):
        try:
            families.append(ImageFont.truetype(path, 12, index=index).getname()[0])
        except OSError:
            break
    for index, family in enumerate(families):
        if "Mono" not in family and any(family.endswith(m) or m in family for m in _SC_MARKS):
            return index
    # A font of one face is Simplified Chinese when it draws the probe's characters.
    if len(families) == 1 and "Mono" not in families[0] and covers(Face(path, 0, "", "", False), _SC_PROBE):
        return 0
    return None


def faces() -> tuple[Face, ...]:
    """All Simplified Chinese faces found (those named in ONLY_ENV, when set), sorted so choices are
    reproducible."""
    return _faces(os.environ.get(ONLY_ENV, ""))


@lru_cache(maxsize=4)
def _faces(names: str) -> tuple[Face, ...]:
    paths = sorted({p for g in FONT_GLOBS for p in glob.glob(g)})
    only = [part for part in names.split(",") if part]
    found = []
    for path in paths:
        label = os.path.splitext(os.path.basename(path))[0]
        if only and not any(part.lower() in label.lower() for part in only):
            continue
        index = _sc_index(path)
        if index is None:
            continue
        found.append(Face(path, index, label, _style(label), "bold" in label.lower()))
    if not found and only:
        raise RuntimeError(f"intake.samplegen: no installed Chinese font's name holds any of {only}")
    if not found:
        raise RuntimeError(
            "intake.samplegen: no Simplified Chinese font found under /usr/share/fonts "
            "(looked for Noto CJK, WenQuanYi and AR PL fonts). Install them with: "
            "apt-get install fonts-noto-cjk fonts-wqy-zenhei fonts-wqy-microhei "
            "fonts-arphic-ukai fonts-arphic-uming (`make setup` installs these and more)"
        )
    return tuple(found)


@lru_cache(maxsize=1)
def mono_faces() -> tuple[Face, ...]:
    """Monospaced faces for ID numbers (real cards print them in an OCR-B like font):
    DejaVu Sans Mono and Liberation Mono (a Courier, as numbering machines print) where installed, and
    the "Mono CJK SC" face inside Noto Sans CJK; whatever `--fonts` keeps for the rest."""
    found = [Face(p, 0, os.path.splitext(os.path.basename(p))[0], "sans", "Bold" in p)
             for p in sorted(p for g in MONO_GLOBS for p in glob.glob(g)) if "Oblique" not in p and "Italic" not in p]
    for face in _faces(""):
        if face.label.startswith("NotoSansCJK"):
            for index in range(12):
                try:
                    family, _ = ImageFont.truetype(face.path, 12, index=index).getname()
                except OSError:
                    break
                if family == "Noto Sans Mono CJK SC":
                    found.append(Face(face.path, index, "NotoSansMonoCJK" + ("-Bold" if face.bold else ""),
                                      "sans", face.bold))
    return tuple(found) or faces()[:1]


def mono_face(rng=None) -> Face:
    """One of mono_faces(): the first, or a random one when given a generator."""
    pool = mono_faces()
    return pool[int(rng.integers(len(pool)))] if rng is not None else pool[0]


def pick(rng, style: str | None = None, bold: bool | None = None) -> Face:
    """A random face, preferring the wanted style/weight and falling back to any."""
    pool = [f for f in faces() if (style is None or f.style == style) and (bold is None or f.bold == bold)]
    if not pool:
        pool = [f for f in faces() if style is None or f.style == style] or list(faces())
    return pool[int(rng.integers(len(pool)))]


@lru_cache(maxsize=512)
def font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """A loaded font; cached because loading a .ttc costs milliseconds each time."""
    return ImageFont.truetype(face.path, max(6, int(size)), index=face.index)


@lru_cache(maxsize=None)
def _drawn(face: Face, ch: str) -> bytes:
    image = Image.new("L", (40, 40))
    ImageDraw.Draw(image).text((4, 34), ch, font=font(face, 28), fill=255, anchor="ls")
    return image.tobytes()


def covers(face: Face, text: str) -> bool:
    """Whether the face has a glyph of its own for every character (a missing one draws as its box)."""
    missing = _drawn(face, "\U0010fffd")  # a private-use code point no font draws
    return all(ch.isspace() or _drawn(face, ch) != missing for ch in text)


def for_text(face: Face, text: str) -> Face:
    """The face itself when it has every character; else a face that has them, of its style if any."""
    if covers(face, text):
        return face
    found = [f for f in faces() if covers(f, text)]
    same = [f for f in found if f.style == face.style and f.bold == face.bold] or found
    return same[0] if same else face
