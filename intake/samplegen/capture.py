"""Turn a clean rendered document into what an applicant uploads: a phone photo or a flatbed scan.

The pipeline is scored on captures it has never seen, so every setting is drawn
at random per file: desk texture, framing, perspective, quarter turns, light
falloff, shadows, glare, blur, sensor noise, colour cast and compression.
"easy" gives clean flatbed scans only; "hard" turns every phone effect on at
the top of its range. Heavy per-pixel work is done at low resolution and
upscaled (light fields, textures, chroma noise) to keep a capture well under
0.2 s.

Conventions recorded in the truth file: `skew` is the small rotation in degrees,
positive = counter-clockwise as seen; `rotation` is the quarter turn applied
after it, clockwise, so a reader undoes it by turning counter-clockwise.
"""

from __future__ import annotations

import math
import os

import cv2
import numpy as np
from PIL import Image

# `intake samples --skew` sets the most a phone photo's document lies turned (degrees; by default 6, hard 9),
# for sets that try the reader on slants the usual sets do not reach; spawned generator processes inherit it.
SKEW_ENV = "INTAKE_SAMPLE_SKEW"
WOODS = [(150, 105, 70), (120, 80, 50), (180, 140, 100), (95, 65, 45), (200, 170, 130)]
CLOTHS = [(60, 70, 90), (150, 40, 50), (70, 100, 70), (200, 200, 195), (40, 40, 45), (170, 150, 120), (90, 60, 110)]
DESKS = [(235, 235, 230), (200, 200, 200), (60, 60, 62), (225, 215, 195), (180, 195, 205)]


def _split(doc: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """RGB pixels and, for cards with round corners, the alpha mask (0-1)."""
    if doc.mode == "RGBA":
        arr = np.asarray(doc)
        return np.ascontiguousarray(arr[..., :3]), arr[..., 3].astype(np.float32) / 255.0
    return np.asarray(doc.convert("RGB")), None


def _upscale(small: np.ndarray, w: int, h: int) -> np.ndarray:
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _background(rng, w: int, h: int, shade: np.ndarray | None = None) -> tuple[np.ndarray, str]:
    """A desk surface (wood grain, woven cloth or plain desk) made at 1/4 size.

    `shade` (1/4 size, 0-1) darkens the desk where the document casts its contact shadow.
    """
    sw, sh = w // 4 + 1, h // 4 + 1
    y, x = np.mgrid[0:sh, 0:sw].astype(np.float32)
    kind = ["wood", "cloth", "desk"][int(rng.integers(3))]
    if kind == "wood":
        # long parallel grain lines, gently bent, plus fine streaks along the grain
        base = np.array(WOODS[int(rng.integers(len(WOODS)))], np.float32)
        a = rng.uniform(0, math.pi)
        v = -x * math.sin(a) + y * math.cos(a)
        bend = _upscale(rng.normal(0, 1, (4, 4)).astype(np.float32), sw, sh) * rng.uniform(4, 12)
        f = rng.uniform(0.15, 0.35)
        grain = 0.5 + 0.5 * np.sin((v + bend) * f) * np.sin((v + bend) * f * 0.37 + 1.3)
        streak = cv2.GaussianBlur(rng.standard_normal((sh, sw), dtype=np.float32), (0, 0), 1.0)
        tex = 0.82 + 0.22 * grain ** 2 + 0.05 * streak
    elif kind == "cloth":
        base = np.array(CLOTHS[int(rng.integers(len(CLOTHS)))], np.float32)
        f = rng.uniform(0.6, 1.2)
        tex = 0.9 + 0.06 * np.sin(x * f) * np.sin(y * f) + 0.04 * rng.standard_normal((sh, sw), dtype=np.float32)
    else:
        base = np.array(DESKS[int(rng.integers(len(DESKS)))], np.float32)
        tex = 0.97 + 0.03 * _upscale(rng.normal(0, 1, (6, 8)).astype(np.float32), sw, sh)
    if shade is not None:
        tex = tex * (1 - shade)
    small = np.clip(base * tex[..., None] + 3 * rng.standard_normal((sh, sw, 3), dtype=np.float32), 0, 255)
    small = small.astype(np.uint8)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR), kind


def _light_field(rng, w, h, t_grad, t_vig, shadow, glare, gains) -> tuple[np.ndarray, np.ndarray | None]:
    """Gain (gradient x vignette x soft shadow x colour cast) and additive glare on a 64 x 48 grid.

    Light varies slowly, so it is computed small; _finish upscales it.
    """
    sw, sh = 64, 48
    y, x = np.mgrid[0:sh, 0:sw].astype(np.float32)
    xn, yn = x / (sw - 1) - 0.5, y / (sh - 1) - 0.5
    a = rng.uniform(0, 2 * math.pi)
    light = 1.0 + t_grad * (xn * math.cos(a) + yn * math.sin(a)) * 1.4
    light *= 1.0 - t_vig * (xn ** 2 + yn ** 2) * 2.0
    if shadow:
        # the photographer's hand or phone: a dark region behind a soft straight edge
        b = rng.uniform(0, 2 * math.pi)
        d = xn * math.cos(b) + yn * math.sin(b) - rng.uniform(0.15, 0.4)
        light *= 1.0 - shadow / (1.0 + np.exp(-d * 25))
    spot = np.zeros_like(light)
    if glare:
        gx, gy = rng.uniform(0.25, 0.75), rng.uniform(0.25, 0.75)
        sig = rng.uniform(0.04, 0.08) * max(w, h)
        spot = glare * np.exp(-(((xn + 0.5 - gx) * w) ** 2 + ((yn + 0.5 - gy) * h) ** 2) / (2 * sig ** 2))
    # out = in * light * gains * (1 - spot) + 255 * spot: glare washes towards white
    gain = (light * (1 - spot))[..., None] * np.asarray(gains, np.float32)
    return gain.astype(np.float32), ((255 * spot).astype(np.float32) if glare else None)


def _motion_kernel(length: int, angle: float) -> np.ndarray:
    k = np.zeros((length, length), np.float32)
    c = length // 2
    dx, dy = math.cos(math.radians(angle)) * c, math.sin(math.radians(angle)) * c
    cv2.line(k, (int(round(c - dx)), int(round(c - dy))), (int(round(c + dx)), int(round(c + dy))), 1.0, 1)
    return k / k.sum()


def _blur(img: np.ndarray, rng, level: float, motion: bool) -> tuple[np.ndarray, dict]:
    if level <= 0:
        return img, {"kind": "none"}
    if motion:
        length = max(3, int(round(level)))
        angle = float(rng.uniform(0, 180))
        return cv2.filter2D(img, -1, _motion_kernel(length | 1, angle)), {
            "kind": "motion", "length": length | 1, "angle": round(angle, 1)}
    return cv2.GaussianBlur(img, (0, 0), level), {"kind": "gaussian", "sigma": round(level, 2)}


def _noise_tiles(rng, shape: tuple, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """Sensor noise as two uint8 images (positive and negative part), tiled from a 256-pixel block.

    Drawing millions of normals per image was the slowest step; a repeating
    block is invisible once blurred and JPEG-compressed, and uint8 arithmetic
    in OpenCV is several times faster than float arithmetic in numpy.
    """
    tile = np.rint(rng.standard_normal((256, 256) + tuple(shape[2:]), dtype=np.float32) * sigma)
    ny, nx = shape[0] // 256 + 1, shape[1] // 256 + 1
    pos = cv2.repeat(np.clip(tile, 0, 255).astype(np.uint8), ny, nx)[: shape[0], : shape[1]]
    neg = cv2.repeat(np.clip(-tile, 0, 255).astype(np.uint8), ny, nx)[: shape[0], : shape[1]]
    return np.ascontiguousarray(pos), np.ascontiguousarray(neg)


def _finish(img: np.ndarray, rng, noise: float, gain: np.ndarray | None = None,
            add: np.ndarray | None = None) -> np.ndarray:
    """img * gain + add + noise in saturating uint8; gain/add are small fields, upscaled here."""
    h, w = img.shape[:2]
    out = img
    if gain is not None:  # fixed point, 1/128 steps: far below the noise
        g8 = cv2.resize(np.clip(gain * 128, 0, 255).astype(np.uint8), (w, h), interpolation=cv2.INTER_LINEAR)
        out = cv2.multiply(out, g8, scale=1 / 128)
    if add is not None:
        a8 = cv2.resize(np.clip(add, 0, 255).astype(np.uint8), (w, h), interpolation=cv2.INTER_LINEAR)
        out = cv2.add(out, cv2.merge([a8] * out.shape[2]) if out.ndim == 3 else a8)
    pos, neg = _noise_tiles(rng, out.shape, noise)
    return cv2.subtract(cv2.add(out, pos), neg)


def _paste(canvas: np.ndarray, doc: np.ndarray, alpha: np.ndarray | None, M: np.ndarray, affine: bool):
    """Warp `doc` onto `canvas` in place (M 2x3 or 3x3), working only on the region it covers."""
    dh, dw = doc.shape[:2]
    corners = np.float32([[0, 0], [dw, 0], [dw, dh], [0, dh]]).reshape(-1, 1, 2)
    pts = cv2.transform(corners, M) if affine else cv2.perspectiveTransform(corners, M)
    pts = pts.reshape(-1, 2)
    x0, y0 = np.maximum(np.floor(pts.min(0)).astype(int) - 2, 0)
    x1, y1 = np.minimum(np.ceil(pts.max(0)).astype(int) + 2, (canvas.shape[1], canvas.shape[0]))
    shift = np.float64([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]])
    Mr = (shift @ (np.vstack([M, [0, 0, 1]]) if affine else M))
    warp = cv2.warpAffine if affine else cv2.warpPerspective
    Mr = Mr[:2] if affine else Mr
    roi = np.ascontiguousarray(canvas[y0:y1, x0:x1])
    size = (int(x1 - x0), int(y1 - y0))
    if alpha is None:
        warp(doc, Mr, size, dst=roi, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_TRANSPARENT)
    else:
        a = warp(alpha, Mr, size, flags=cv2.INTER_LINEAR)
        roi = cv2.blendLinear(warp(doc, Mr, size, flags=cv2.INTER_LINEAR), roi, a, 1 - a)
    canvas[y0:y1, x0:x1] = roi
    return canvas


_TURNS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def _quarter(img: np.ndarray, rotation: int) -> np.ndarray:
    """Turn clockwise by `rotation` degrees (a phone held sideways or upside down)."""
    return cv2.rotate(img, _TURNS[rotation]) if rotation else img


def phone(doc: Image.Image, rng, hard: bool, is_card: bool) -> tuple[np.ndarray, dict]:
    """A phone photo of `doc` lying on a desk; returns RGB uint8 pixels and the settings used."""
    rgb, alpha = _split(doc)
    dh, dw = rgb.shape[:2]
    u = (lambda lo, hi: float(rng.uniform(lo + (hi - lo) * 0.75, hi))) if hard else (
        lambda lo, hi: float(rng.uniform(lo, hi)))
    long_side = int(rng.uniform(2000, 2600) if hard else rng.uniform(1600, 3000))
    aspect = [4 / 3, 4 / 3, 16 / 9, 3 / 2][int(rng.integers(4))]
    # cards are sometimes shot in the "wrong" orientation; pages fill the frame the natural way
    portrait = dh > dw if (hard or not is_card or rng.random() < 0.75) else dh <= dw
    fw, fh = (int(long_side / aspect), long_side) if portrait else (long_side, int(long_side / aspect))
    fill = u(0.5, 0.85) if is_card else u(0.72, 0.92)
    if hard:
        fill = float(rng.uniform(0.6, 0.72) if is_card else rng.uniform(0.72, 0.8))
    scale = fill * min(fw / dw, fh / dh)
    # shrink once with area averaging, so the perspective warp does not alias the text
    small = cv2.resize(rgb, (max(8, int(dw * scale)), max(8, int(dh * scale))), interpolation=cv2.INTER_AREA)
    sa = None if alpha is None else cv2.resize(alpha, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_AREA)
    sh_, sw_ = small.shape[:2]
    most = float(os.environ.get(SKEW_ENV) or (9 if hard else 6))
    skew = (u(0, most) if hard else float(rng.uniform(0, most))) * (1 if rng.random() < 0.5 else -1)
    persp = u(0.06, 0.1) if hard else float(rng.uniform(0, 0.06))
    src = np.float32([[0, 0], [sw_, 0], [sw_, sh_], [0, sh_]])
    rot = cv2.getRotationMatrix2D((sw_ / 2, sh_ / 2), skew, 1.0)
    dst = np.hstack([src, np.ones((4, 1), np.float32)]) @ rot.T.astype(np.float32)
    dst += rng.uniform(-persp, persp, (4, 2)).astype(np.float32) * np.float32([sw_, sh_])
    # fit inside the frame with a margin, then place it off-centre by chance
    margin = 0.03 * min(fw, fh)
    span = dst.max(0) - dst.min(0)
    k = min(1.0, (fw - 2 * margin) / span[0], (fh - 2 * margin) / span[1])
    dst = (dst - dst.mean(0)) * k
    lo, hi = margin - dst.min(0), np.float32([fw, fh]) - margin - dst.max(0)
    hi = np.maximum(hi, lo)  # people aim at the middle: stay within the central half of the free room
    dst += (lo + hi) / 2 + (hi - lo) / 2 * rng.uniform(-0.5, 0.5, 2).astype(np.float32)
    M = cv2.getPerspectiveTransform(src, dst.astype(np.float32))

    # a soft contact shadow just outside the document's edge, drawn into the desk texture
    sm = np.zeros((fh // 4 + 1, fw // 4 + 1), np.float32)
    cv2.fillConvexPoly(sm, (dst / 4 + float(rng.uniform(1, 4))).astype(np.int32), 1.0)
    canvas, texture = _background(rng, fw, fh, 0.35 * cv2.GaussianBlur(sm, (0, 0), 3))
    out = _paste(canvas, small, sa, M, affine=False)

    motion = rng.random() < (0.5 if hard else 0.3)
    if hard:
        level = u(3, 7) if motion else u(0.5, 1.5)  # the top of each range: still readable by a person
    else:
        level = (float(rng.uniform(3, 6)) if motion else float(rng.uniform(0.3, 1.1))) if rng.random() < 0.6 else 0
    out, blur = _blur(out, rng, level, motion)  # on uint8 before lighting: same look, far cheaper
    shadow = u(0.2, 0.4) if hard else (float(rng.uniform(0.15, 0.35)) if rng.random() < 0.3 else 0.0)
    glare = u(0.3, 0.6) if hard else (float(rng.uniform(0.3, 0.6)) if rng.random() < 0.2 else 0.0)
    gains = 1 + rng.uniform(-1, 1, 3).astype(np.float32) * (u(0.1, 0.15) if hard else float(rng.uniform(0, 0.08)))
    gain, add = _light_field(rng, fw, fh, u(0.35, 0.5) if hard else u(0.0, 0.35),
                             u(0.3, 0.45) if hard else u(0.0, 0.3), shadow, glare, gains)
    noise = u(4, 10) if hard else float(rng.uniform(2, 7))
    out = _finish(out, rng, noise, gain, add)
    turn = int(rng.integers(1, 4)) * 90 if hard else (int(rng.integers(1, 4)) * 90 if rng.random() < 0.25 else 0)
    out = _quarter(out, turn)
    return out, {
        "kind": "phone", "rotation": turn, "skew": round(skew, 2), "perspective": round(persp, 3),
        "blur": blur, "noise": round(noise, 1), "light": {"shadow": round(shadow, 2), "glare": round(glare, 2)},
        "colour_gains": [round(float(g), 3) for g in gains], "background": texture,
        "size": [int(out.shape[1]), int(out.shape[0])],
    }


def scan_dpi(rng, easy: bool) -> int:
    """A scanner resolution; one applicant usually scans everything at the same setting."""
    return int([200, 240, 300][int(rng.integers(3))] if easy else [150, 200, 240, 300][int(rng.integers(4))])


def scan(doc: Image.Image, rng, easy: bool, px_per_mm: float, size_mm: tuple,
         dpi: int | None = None, card: bool = False) -> tuple[np.ndarray, dict]:
    """A flatbed scan: white lid, small skew, maybe greyscale; returns RGB (or grey) pixels and settings.

    A page goes in against the glass's edge, nearly straight; a card laid on the glass by hand lies
    as it fell, up to 12 degrees (except in easy sets)."""
    rgb, alpha = _split(doc)
    dpi = dpi or scan_dpi(rng, easy)
    k = dpi / 25.4 / px_per_mm
    small = cv2.resize(rgb, (int(rgb.shape[1] * k), int(rgb.shape[0] * k)), interpolation=cv2.INTER_AREA)
    sa = None if alpha is None else cv2.resize(alpha, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_AREA)
    sh_, sw_ = small.shape[:2]
    mm = dpi / 25.4
    most = 1.5 if easy else 12 if card else 3
    skew = float(rng.uniform(-most, most))
    M = cv2.getRotationMatrix2D((sw_ / 2, sh_ / 2), skew, 1.0)
    corners = cv2.transform(np.float32([[0, 0], [sw_, 0], [sw_, sh_], [0, sh_]]).reshape(-1, 1, 2), M).reshape(-1, 2)
    M[:, 2] -= corners.min(0)  # the skewed document's bounding box now starts at (0, 0)
    bw, bh = corners.max(0) - corners.min(0)
    ox, oy = float(rng.uniform(2, 8)) * mm, float(rng.uniform(2, 8)) * mm
    bed_w = (216 if size_mm[0] > 200 else 210) * mm
    if rng.random() < 0.4 and ox + bw < bed_w - mm and oy + bh < 297 * mm - mm:
        cw, ch = int(bed_w), int(297 * mm)  # the whole A4 bed, document near a corner
    else:  # auto-cropped to the document plus a margin (always when it would not fit the bed)
        ox = oy = float(rng.uniform(3, 12)) * mm
        cw, ch = int(bw + 2 * ox), int(bh + 2 * oy)
    M[:, 2] += (ox, oy)
    # the white lid, with the thin grey shadow scanners show along the paper edge (at 1/4 size)
    lid = float(rng.uniform(242, 255))
    q = np.zeros((ch // 4 + 1, cw // 4 + 1), np.float32)
    M4 = M.copy()
    M4[:, 2] /= 4  # same rotation, quarter-size translation
    shape4 = np.ones((sh_ // 4 + 1, sw_ // 4 + 1), np.float32) if sa is None else cv2.resize(
        sa, (sw_ // 4 + 1, sh_ // 4 + 1), interpolation=cv2.INTER_AREA)  # cards: round corners
    cv2.warpAffine(shape4, M4, (q.shape[1], q.shape[0]), dst=q, borderMode=cv2.BORDER_TRANSPARENT)
    edge = np.clip(cv2.GaussianBlur(q, (0, 0), 1.0) - q, 0, 1)
    canvas = _upscale(np.repeat((lid * (1 - 0.6 * edge))[..., None], 3, axis=2).astype(np.uint8), cw, ch)
    out = _paste(canvas, small, sa, M, affine=True)
    out = cv2.convertScaleAbs(out, alpha=float(rng.uniform(0.97, 1.03)), beta=float(rng.uniform(-4, 4)))
    sigma = float(rng.uniform(0.3, 0.7))
    out = cv2.GaussianBlur(out, (0, 0), sigma)
    grey = bool(rng.random() < (0.2 if easy else 0.3))
    if grey:
        out = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)
    noise = float(rng.uniform(0.5, 1.5) if easy else rng.uniform(1, 3))
    out = _finish(out, rng, noise)
    return out, {
        "kind": "scan", "rotation": 0, "skew": round(skew, 2), "dpi": dpi, "grey": grey,
        "blur": {"kind": "gaussian", "sigma": round(sigma, 2)}, "noise": round(noise, 1),
        "size": [int(out.shape[1]), int(out.shape[0])],
    }


def digital(img: np.ndarray, rng) -> tuple[np.ndarray, dict]:
    """A photo file as the camera or photo studio delivered it (only recompressed later)."""
    return img, {"kind": "digital", "rotation": 0, "skew": 0.0, "blur": {"kind": "none"},
                 "size": [int(img.shape[1]), int(img.shape[0])]}
