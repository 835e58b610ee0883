"""Find the CJK fonts installed on the machine and hand out Pillow fonts.

Sample documents must look different from one application to the next, so the
generator draws every document in a font picked from whatever Simplified
Chinese fonts are installed (Noto CJK, WenQuanYi, AR PL). Fonts are found by
globbing the usual Debian folders; a collection (.ttc) holds several faces and
we pick the Simplified Chinese one by its family name, not by a fixed index.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from functools import lru_cache

from PIL import ImageFont

FONT_GLOBS = (
    "/usr/share/fonts/opentype/noto/*CJK*.tt[fc]",
    "/usr/share/fonts/opentype/noto/*CJK*.otf",
    "/usr/share/fonts/truetype/wqy/*.tt[fc]",
    "/usr/share/fonts/truetype/arphic/*.tt[fc]",
    "/usr/share/fonts/truetype/noto/*CJK*.tt[fc]",
)
MONO_GLOBS = ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono*.ttf",)

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
    if "ukai" in low:
        return "kai"
    if "serif" in low or "uming" in low:
        return "serif"
    return "sans"


def _sc_index(path: str) -> int | None:
    """Index of the Simplified Chinese face in a font file, None if it has none."""
    for index in range(12):
        try:
            family, _ = ImageFont.truetype(path, 12, index=index).getname()
        except OSError:
            break
        if "Mono" in family:
            continue
        if any(family.endswith(m) or m in family for m in _SC_MARKS):
            return index
    return None


@lru_cache(maxsize=1)
def faces() -> tuple[Face, ...]:
    """All Simplified Chinese faces found, sorted so choices are reproducible."""
    paths = sorted({p for g in FONT_GLOBS for p in glob.glob(g)})
    found = []
    for path in paths:
        index = _sc_index(path)
        if index is None:
            continue
        label = os.path.splitext(os.path.basename(path))[0]
        found.append(Face(path, index, label, _style(label), "bold" in label.lower()))
    if not found:
        raise RuntimeError(
            "intake.samplegen: no Simplified Chinese font found under /usr/share/fonts "
            "(looked for Noto CJK, WenQuanYi and AR PL fonts). Install them with: "
            "apt-get install fonts-noto-cjk fonts-wqy-zenhei fonts-wqy-microhei "
            "fonts-arphic-ukai fonts-arphic-uming"
        )
    return tuple(found)


@lru_cache(maxsize=1)
def mono_faces() -> tuple[Face, ...]:
    """Monospaced faces for ID numbers (real cards print them in an OCR-B like font):
    DejaVu Sans Mono where installed, and the "Mono CJK SC" face inside Noto Sans CJK."""
    found = [Face(p, 0, os.path.splitext(os.path.basename(p))[0], "sans", "Bold" in p)
             for p in sorted(p for g in MONO_GLOBS for p in glob.glob(g)) if "Oblique" not in p]
    for face in faces():
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
