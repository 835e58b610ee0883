"""A generated set again under a capture condition the generator does not make, for bench/accuracy.py.

    python bench/variants.py SET OUT wechat     # every image cut to 1280 px on its long side, JPEG 70
    python bench/variants.py SET OUT photocopy  # grey, contrast pushed as a copier does, toner specks
    python bench/variants.py SET OUT dim        # evening light: dark, warm, noisy
    python bench/variants.py SET OUT small      # a thumbnail or low-resolution scan: 900 px on the long side
    python bench/variants.py SET OUT blocky     # saved again and again: JPEG at quality 25
    python bench/variants.py SET OUT fax        # a black-and-white (1-bit) scan
    python bench/variants.py SET OUT crooked    # fed into a scanner askew: turned 5-15 degrees either way
    python bench/variants.py SET OUT shadow     # a phone's or hand's hard shadow across part of the page
    python bench/variants.py SET OUT washed     # overexposed: the ink faded to grey on a white page
    python bench/variants.py SET OUT tinted     # the white balance wrong: paper orange under a bulb, or blue
    python bench/variants.py SET OUT grain      # a small sensor in poor light: heavy noise in every channel
    python bench/variants.py SET OUT far        # taken from further off: the picture a third to a half of a 12 MP frame
    python bench/variants.py SET OUT leaning    # taken from low down, not from above: the far edge 60-75% of the near one
                                                # (the old frame's edge shows on the desk, as a placemat's would)

A document lying turned further than the generator's usual few degrees is made by the generator itself
(`intake samples --skew 25`): a whole photo turned here would show its old frame's edge on the desk.

File names, formats and truth files stay as they are (PDFs and the planted unreadable file are copied
unchanged), so `python bench/accuracy.py --set OUT` scores the variant against the same truth.
"""

from __future__ import annotations

import argparse
import json
import shutil
import zlib
from pathlib import Path

import cv2
import numpy as np

from intake.preprocess import small_turn
from intake.samplegen import files

IMAGES = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff")


def wechat(image: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    return files.wechat_sized(image), 70


def photocopy(image: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    grey = cv2.convertScaleAbs(grey, alpha=1.8, beta=-120)
    grey[rng.random(grey.shape) < 0.002] = 0
    return grey, 80


def dim(image: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    light = image.astype(np.float32) * 0.45
    if light.ndim == 3:
        light[..., 0] *= 0.8  # less blue: a warm lamp
    light += rng.normal(0, 6, light.shape)
    return np.clip(light, 0, 255).astype(np.uint8), 75


def small(image: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    scale = 900 / max(image.shape[:2])
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image, 85


def blocky(image: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    # Through JPEG at 25 whatever the file's own format: a PNG made from such a JPEG keeps its blocks.
    _, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 25])
    return cv2.imdecode(encoded, cv2.IMREAD_UNCHANGED), 25


def fax(image: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    # A scanner's black-and-white mode: one threshold for the whole page, no grey left.
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return ink, 90


def crooked(image: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    angle = float(rng.uniform(5, 15) * rng.choice([-1, 1]))
    # The whole turned image kept, on the scanner lid's white.
    matrix, size = small_turn(image.shape, angle, whole=True)
    return cv2.warpAffine(image, matrix, size, flags=cv2.INTER_CUBIC, borderValue=(255, 255, 255)), 85


def shadow(image: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    # A straight-edged shadow across the page (the phone held over it under a ceiling lamp): the side of
    # a random line darkened to 40-60%, its edge a few pixels soft, crossing whatever text lies there.
    h, w = image.shape[:2]
    angle = rng.uniform(0, np.pi)
    nx, ny = np.cos(angle), np.sin(angle)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    distance = (xx - w * rng.uniform(0.3, 0.7)) * nx + (yy - h * rng.uniform(0.3, 0.7)) * ny
    edge = max(2.0, 0.004 * max(h, w))
    dark = float(rng.uniform(0.4, 0.6))
    light = 1.0 - (1.0 - dark) / (1.0 + np.exp(-distance / edge))
    if image.ndim == 3:
        light = light[..., None]
    return np.clip(image.astype(np.float32) * light, 0, 255).astype(np.uint8), 85


def washed(image: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    # Too much light: black ink comes out mid-grey, the paper white, the colours faint.
    return cv2.convertScaleAbs(image, alpha=0.45, beta=150), 85


def tinted(image: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    # A phone that did not correct a bulb's warm light (white paper comes out orange, as a red seal's
    # paper would) or a cold fluorescent tube's. Grey images stay grey: a scanner has its own light.
    if image.ndim == 2:
        return image, 85
    if rng.random() < 0.6:
        gains = (rng.uniform(0.45, 0.6), rng.uniform(0.75, 0.85), 1.0)  # blue, green, red: orange
    else:
        gains = (1.0, rng.uniform(0.85, 0.95), rng.uniform(0.6, 0.75))
    return np.clip(image.astype(np.float32) * np.array(gains, np.float32), 0, 255).astype(np.uint8), 85


def grain(image: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    noisy = image.astype(np.float32) + rng.normal(0, rng.uniform(14, 20), image.shape).astype(np.float32)
    return np.clip(noisy, 0, 255).astype(np.uint8), 85


def far(image: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    # The phone held further off: what was the whole picture is a third to a half of the frame's width on
    # a plain desk, and the frame is a 12 MP phone's (4032 pixels) at most.
    share = rng.uniform(0.33, 0.5)
    scale = min(1.0, 4032 * share / max(image.shape[:2]))
    if scale < 1:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = image.shape[:2]
    frame_h, frame_w = round(h / share), round(w / share)
    channels = 1 if image.ndim == 2 else 3
    desk = np.float32(desk_colour(image))
    noise = rng.normal(0, 3, (frame_h, frame_w, channels)).astype(np.float32)
    canvas = np.clip(desk + noise, 0, 255).astype(np.uint8)
    if image.ndim == 2:
        canvas = canvas[..., 0]
    top, left = int(rng.integers(0, frame_h - h + 1)), int(rng.integers(0, frame_w - w + 1))
    canvas[top:top + h, left:left + w] = image
    return canvas, 90


def desk_colour(image: np.ndarray) -> tuple[float, ...]:
    """The desk as the picture's own edge shows it (a scan's white: a page on a white desk)."""
    channels = 1 if image.ndim == 2 else 3
    edge = np.concatenate([side.reshape(-1, channels) for side in (image[:4], image[-4:], image[:, :4], image[:, -4:])])
    return tuple(float(v) for v in np.median(edge, axis=0))


def leaning(image: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    # Taken from low down across the counter: one edge (top, bottom, left or right) drawn in to 60-75% of
    # the opposite one, and the picture squashed towards it as the view foreshortens it.
    h, w = image.shape[:2]
    near, far_share = np.float32([[0, 0], [w, 0], [w, h], [0, h]]), float(rng.uniform(0.6, 0.75))
    inset, squash = (1 - far_share) / 2, float(rng.uniform(0.8, 0.9))
    moved = near.copy()
    side = int(rng.integers(4))  # which edge is far: top, right, bottom, left
    corners = [(0, 1), (1, 2), (2, 3), (3, 0)][side]
    along, across = (0, 1) if side in (0, 2) else (1, 0)
    length, depth = (w, h) if side in (0, 2) else (h, w)
    for corner in corners:
        moved[corner, along] += inset * length * (1 if moved[corner, along] == 0 else -1)
        moved[corner, across] += (1 - squash) * depth * (1 if moved[corner, across] == 0 else -1)
    matrix = cv2.getPerspectiveTransform(near, moved)
    return cv2.warpPerspective(image, matrix, (w, h), flags=cv2.INTER_CUBIC, borderValue=desk_colour(image)), 88


CONDITIONS = {"wechat": wechat, "photocopy": photocopy, "dim": dim, "small": small, "blocky": blocky, "fax": fax,
              "crooked": crooked, "shadow": shadow, "washed": washed,
              "tinted": tinted, "grain": grain, "far": far, "leaning": leaning}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("condition", choices=sorted(CONDITIONS))
    args = parser.parse_args(argv)
    change = CONDITIONS[args.condition]
    shutil.copytree(args.set, args.out, dirs_exist_ok=True)
    broken = {(truth.name[: -len(".truth.json")], doc["file"])
              for truth in args.set.glob("*.truth.json")
              for doc in json.loads(truth.read_text(encoding="utf-8"))["documents"] if doc["type"] == "unreadable"}
    rewritten = 0
    for path in sorted(args.out.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in IMAGES or (path.parent.name, path.name) in broken:
            continue
        image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        if image is None:
            continue
        if image.ndim == 3 and image.shape[2] == 4:
            image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
        # Noise drawn per file from its own name: the same variant whatever order the disk lists files in.
        rng = np.random.default_rng(zlib.crc32(str(path.relative_to(args.out)).encode()))
        changed, quality = change(image, rng)
        ext = {".tif": ".tiff"}.get(path.suffix.lower(), path.suffix.lower())
        params = {".jpg": [cv2.IMWRITE_JPEG_QUALITY, quality], ".jpeg": [cv2.IMWRITE_JPEG_QUALITY, quality],
                  ".webp": [cv2.IMWRITE_WEBP_QUALITY, quality]}.get(ext, [])
        ok, encoded = cv2.imencode(ext, changed, params)
        if ok:
            path.write_bytes(encoded.tobytes())
            rewritten += 1
    print(f"{rewritten} images rewritten ({args.condition}) in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
