"""Small drawing helpers shared by the document layouts.

Documents are drawn with Pillow at real size times a scale in px/mm, so every
layout is written in millimetres and stays right whatever scale was drawn.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from . import fonts


class Canvas:
    """A Pillow image addressed in millimetres."""

    def __init__(self, w_mm: float, h_mm: float, scale: float, paper=(250, 250, 246), rng=None, strength=0.3):
        """A blank sheet; with `rng`, `paper` is the tint of a guilloche security pattern."""
        self.scale = scale
        self.w_mm, self.h_mm = w_mm, h_mm
        size = (round(w_mm * scale), round(h_mm * scale))
        self.img = guilloche(size, rng, paper, strength) if rng is not None else Image.new("RGB", size, paper)
        self.draw = ImageDraw.Draw(self.img)

    def px(self, mm: float) -> int:
        return round(mm * self.scale)

    def text(self, x, y, s, face, size_mm, fill=(20, 20, 20), anchor="ls", spacing_mm=0.0) -> float:
        """Draw `s` with its baseline at y (mm); returns the x (mm) where it ended."""
        f = fonts.font(fonts.for_text(face, s), self.px(size_mm))
        if not spacing_mm:
            self.draw.text((self.px(x), self.px(y)), s, font=f, fill=fill, anchor=anchor)
            return x + self.draw.textlength(s, font=f) / self.scale
        # Letter-spaced text (names on cards, titles) is drawn one glyph at a time.
        cx = x
        for ch in s:
            self.draw.text((self.px(cx), self.px(y)), ch, font=f, fill=fill, anchor=anchor)
            cx += self.draw.textlength(ch, font=f) / self.scale + spacing_mm
        return cx - spacing_mm

    def width(self, s, face, size_mm) -> float:
        return self.draw.textlength(s, font=fonts.font(fonts.for_text(face, s), self.px(size_mm))) / self.scale

    def centred(self, cx, y, s, face, size_mm, fill=(20, 20, 20), spacing_mm=0.0):
        w = self.width(s, face, size_mm) + spacing_mm * max(0, len(s) - 1)
        self.text(cx - w / 2, y, s, face, size_mm, fill, spacing_mm=spacing_mm)

    def rect(self, x0, y0, x1, y1, outline=None, fill=None, width_mm=0.3, radius_mm=0.0):
        box = [self.px(x0), self.px(y0), self.px(x1), self.px(y1)]
        w = max(1, self.px(width_mm)) if outline else 0
        if radius_mm:
            self.draw.rounded_rectangle(box, self.px(radius_mm), fill=fill, outline=outline, width=w)
        else:
            self.draw.rectangle(box, fill=fill, outline=outline, width=w)

    def line(self, x0, y0, x1, y1, fill=(40, 40, 40), width_mm=0.25):
        self.draw.line([self.px(x0), self.px(y0), self.px(x1), self.px(y1)], fill=fill,
                       width=max(1, self.px(width_mm)))

    def ellipse(self, x0, y0, x1, y1, outline=None, fill=None, width_mm=0.3):
        self.draw.ellipse([self.px(x0), self.px(y0), self.px(x1), self.px(y1)], fill=fill,
                          outline=outline, width=max(1, self.px(width_mm)) if outline else 0)


def fit(c: Canvas, s: str, face, size_mm: float, max_w: float, min_mm: float = 2.6) -> float:
    """The largest size <= size_mm (in steps of 0.1) at which `s` fits in max_w millimetres."""
    while size_mm > min_mm and c.width(s, face, size_mm) > max_w:
        size_mm -= 0.1
    return size_mm


def wrap(s: str, per_line: int) -> list[str]:
    return [s[i:i + per_line] for i in range(0, len(s), per_line)] or [""]


def guilloche(size: tuple[int, int], rng, colour, strength: float = 0.35) -> Image.Image:
    """A pale security-paper pattern: interfering sine waves, computed at low resolution."""
    w, h = size
    k = 5  # pattern computed at 1/k resolution, then upscaled: it is only a faint backdrop
    sw, sh = max(8, w // k), max(8, h // k)
    y, x = np.ogrid[0:sh, 0:sw]
    x, y = x.astype(np.float32), y.astype(np.float32)
    f1, f2, f3 = rng.uniform(0.04, 0.12, 3)
    p = (np.sin(x * f1 + 3 * np.sin(y * f2)) + np.sin(y * f3 + 2 * np.sin(x * f1 / 2))) / 2
    p = (np.abs(p) < 0.12).astype(np.float32) * strength
    base = np.array(colour, np.float32)
    white = np.array([252, 252, 250], np.float32)
    mix = white + (base - white) * (0.35 + p[..., None])
    return Image.fromarray(cv2.resize(mix.clip(0, 255).astype(np.uint8), (w, h), interpolation=cv2.INTER_LINEAR))


def stamp(canvas: Canvas, cx, cy, r_mm, text: str, face, rng, colour=(200, 30, 40), alpha=0.55):
    """A round red seal: ring, star and the text along the upper arc, pasted semi-transparent."""
    s = canvas.scale
    size = int(2 * r_mm * s) + 4
    layer = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(layer)
    c = size / 2
    rp = r_mm * s
    d.ellipse([c - rp, c - rp, c + rp, c + rp], outline=255, width=max(2, int(0.6 * s)))
    star = [(c + math.cos(math.radians(-90 + i * 36)) * rp * (0.28 if i % 2 == 0 else 0.11),
             c + math.sin(math.radians(-90 + i * 36)) * rp * (0.28 if i % 2 == 0 else 0.11)) for i in range(10)]
    d.polygon(star, fill=255)
    f = fonts.font(fonts.for_text(face, text), int(rp * 0.26))
    n = len(text)
    span = min(250.0, 22.0 * n)
    for i, ch in enumerate(text):
        ang = -90 - span / 2 + span * (i + 0.5) / n
        glyph = Image.new("L", (int(rp * 0.4), int(rp * 0.4)), 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=f, fill=255, anchor="mm")
        glyph = glyph.rotate(-(ang + 90), resample=Image.BILINEAR)
        gx = c + math.cos(math.radians(ang)) * rp * 0.74 - glyph.width / 2
        gy = c + math.sin(math.radians(ang)) * rp * 0.74 - glyph.height / 2
        layer.paste(255, (int(gx), int(gy)), glyph)
    layer = layer.rotate(float(rng.uniform(-25, 25)), resample=Image.BILINEAR)
    # Real seals print unevenly: thin the ink with a random mask.
    mottle = rng.uniform(0.55, 1.0, (size // 6 + 1, size // 6 + 1)).astype(np.float32)
    mottle = cv2.resize(mottle, (size, size), interpolation=cv2.INTER_LINEAR)
    a = (np.asarray(layer, np.float32) * mottle * alpha).astype(np.uint8)
    ink = Image.new("RGB", (size, size), colour)
    canvas.img.paste(ink, (int(cx * s - size / 2), int(cy * s - size / 2)), Image.fromarray(a))


def emblem(canvas: Canvas, cx, cy, r_mm, colour=(205, 40, 40)):
    """A stylised round emblem (ring, five stars, wall): not the real national emblem."""
    canvas.ellipse(cx - r_mm, cy - r_mm, cx + r_mm, cy + r_mm, outline=(210, 170, 60), fill=colour, width_mm=0.6)
    gold = (235, 195, 70)
    for dx, dy, k in [(0, -0.35, 0.3), (-0.42, -0.15, 0.12), (-0.28, -0.5, 0.12), (0.28, -0.5, 0.12),
                      (0.42, -0.15, 0.12)]:
        _star(canvas, cx + dx * r_mm, cy + dy * r_mm, k * r_mm, gold)
    canvas.rect(cx - 0.5 * r_mm, cy + 0.1 * r_mm, cx + 0.5 * r_mm, cy + 0.45 * r_mm, fill=gold)
    for i in range(5):
        x = cx - 0.45 * r_mm + i * 0.225 * r_mm
        canvas.rect(x, cy + 0.02 * r_mm, x + 0.12 * r_mm, cy + 0.1 * r_mm, fill=gold)


def _star(canvas: Canvas, cx, cy, r_mm, fill):
    pts = []
    for i in range(10):
        r = r_mm if i % 2 == 0 else r_mm * 0.4
        a = math.radians(-90 + i * 36)
        pts.append((canvas.px(cx + math.cos(a) * r), canvas.px(cy + math.sin(a) * r)))
    canvas.draw.polygon(pts, fill=fill)


def silhouette(canvas: Canvas, x0, y0, x1, y1, rng):
    """A grey portrait box with a drawn head-and-shoulders shape (no real face), clipped to the box."""
    tone = int(rng.integers(150, 200))
    w, h = canvas.px(x1 - x0), canvas.px(y1 - y0)
    box = Image.new("RGB", (w, h), (tone + 30, tone + 32, tone + 36))
    d = ImageDraw.Draw(box)
    dark = (tone - 90, tone - 88, tone - 85)
    d.ellipse([0.05 * w, 0.74 * h, 0.95 * w, 1.45 * h], fill=dark)
    d.ellipse([0.28 * w, 0.16 * h, 0.72 * w, 0.68 * h], fill=dark)
    d.rectangle([0.42 * w, 0.6 * h, 0.58 * w, 0.8 * h], fill=dark)
    canvas.img.paste(box, (canvas.px(x0), canvas.px(y0)))


def chip(canvas: Canvas, x, y, w_mm=11.0, h_mm=9.0):
    """A gold contact chip as on bank cards."""
    canvas.rect(x, y, x + w_mm, y + h_mm, fill=(214, 180, 95), outline=(150, 120, 50), radius_mm=1.5, width_mm=0.2)
    for f in (0.33, 0.66):
        canvas.line(x, y + h_mm * f, x + w_mm, y + h_mm * f, fill=(150, 120, 50), width_mm=0.15)
    canvas.line(x + w_mm / 2, y, x + w_mm / 2, y + h_mm, fill=(150, 120, 50), width_mm=0.15)


def soften(img: Image.Image, radius_px: float) -> Image.Image:
    """Printed ink is never pixel-sharp; a tiny blur keeps edges natural."""
    return img.filter(ImageFilter.GaussianBlur(radius_px)) if radius_px > 0 else img


def ink(rng, base=(25, 25, 30), spread=25) -> tuple[int, int, int]:
    """A dark ink colour that varies from one document to the next (black, blue-black, brown-black)."""
    return tuple(int(np.clip(b + rng.integers(-spread // 2, spread), 0, 90)) for b in base)
