"""A generated set again under a capture condition the generator does not make, for bench/accuracy.py.

    python bench/variants.py SET OUT wechat     # every image cut to 1280 px on its long side, JPEG 70
    python bench/variants.py SET OUT photocopy  # grey, contrast pushed as a copier does, toner specks
    python bench/variants.py SET OUT dim        # evening light: dark, warm, noisy

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


CONDITIONS = {"wechat": wechat, "photocopy": photocopy, "dim": dim}


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
