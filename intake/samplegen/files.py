"""File names and file formats, as phones, messengers and scanners produce them.

A name must never give away what the document is, so names are drawn from
camera, WeChat and scanner conventions only. Formats follow the capture: phone
photos are mostly JPEG (sometimes an iPhone's HEIC, a PNG screenshot, a WebP from
a messenger, a BMP from an old tool; one passed on through WeChat is cut to 1280 px);
scans are PNG, TIFF, JPEG or PDF. Encoders are fixed
(no timestamps) so the same seed gives the same bytes.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pillow_heif
from PIL import Image

EXT = {"jpeg": ".jpg", "png": ".png", "tiff": ".tif", "webp": ".webp", "bmp": ".bmp", "pdf": ".pdf", "heic": ".HEIC"}


def pick_format(rng, kind: str) -> str:
    r = rng.random()
    if kind == "scan":
        return "png" if r < 0.25 else "tiff" if r < 0.45 else "jpeg" if r < 0.8 else "pdf"
    return "jpeg" if r < 0.82 else "heic" if r < 0.87 else "png" if r < 0.91 else "webp" if r < 0.985 else "bmp"


def file_name(rng, kind: str, fmt: str, when: datetime, counter: int, habit: float | None = None) -> str:
    """A plausible name for a file made at `when`; `counter` feeds numbered styles.

    `habit` (0-1, one per application) makes most files of one applicant follow
    the same naming style, as files from one phone or one scanner do.
    """

    def pick(styles):
        if habit is not None and rng.random() < 0.7:
            return styles[int(habit * len(styles))]
        return styles[int(rng.integers(len(styles)))]

    # epoch milliseconds as if the clock were UTC+8, independent of this machine's time zone
    ms = int((when - datetime(1970, 1, 1, 8)).total_seconds() * 1000) + int(rng.integers(0, 1000))
    ext = EXT[fmt]
    if kind == "scan":
        styles = [f"Scan_{counter:04d}", f"scan{counter:04d}", f"SCAN_{when:%Y%m%d}_{counter:04d}",
                  f"扫描件_{counter:03d}", f"Scan {when:%Y-%m-%d %H.%M.%S}", f"CCI{when:%m%d%Y}_{counter:04d}",
                  f"img{when:%Y%m%d}_{when:%H%M%S}{counter % 100:02d}", f"{when:%Y%m%d%H%M%S}", f"image{counter:03d}"]
        if fmt == "pdf":
            styles += ["document", f"doc{int(rng.integers(10**7, 10**8))}", "扫描全能王 " + f"{when:%Y-%m-%d %H.%M}"]
        return pick(styles) + (ext.upper() if rng.random() < 0.1 else ext)
    if fmt == "png":
        stem = [f"Screenshot_{when:%Y%m%d-%H%M%S}", f"Screenshot_{when:%Y-%m-%d-%H-%M-%S}-{ms % 1000:03d}",
                f"IMG_{counter + 1000:04d}"][int(rng.integers(3))]
        return stem + ext
    if fmt == "webp":
        return [f"mmexport{ms}", f"{ms}", f"wx_camera_{ms}"][int(rng.integers(3))] + ext
    if fmt == "bmp":
        return f"IMG{counter:04d}.bmp"
    if fmt == "heic":
        return [f"IMG_{counter + 1000:04d}", f"IMG_E{counter + 1000:04d}"][int(rng.integers(2))] + ext
    styles = [(f"IMG_{when:%Y%m%d_%H%M%S}", ".jpg"), (f"IMG_{counter + 1000:04d}", ".JPG"),
              (f"PXL_{when:%Y%m%d_%H%M%S}{ms % 1000:03d}", ".jpg"), (f"mmexport{ms}", ".jpg"),
              (f"微信图片_{when:%Y%m%d%H%M%S}", ".jpg"), (f"{when:%Y%m%d_%H%M%S}", ".jpg"),
              (f"wx_camera_{ms}", ".jpg"), (f"IMG{when:%Y%m%d%H%M%S}", ".jpeg")]
    stem, e = pick(styles)
    return stem + e


# A photo passed on through WeChat (saved from a chat as mmexport… or 微信图片_…, or taken with its
# camera) is sent compressed: its long side cut to 1280 pixels and JPEG-encoded again.
WECHAT_STEMS = ("mmexport", "微信图片_", "wx_camera_")
WECHAT_LONG_SIDE = 1280


def sent_by_wechat(name: str) -> bool:
    stem = Path(name).stem
    return stem.startswith(WECHAT_STEMS) or stem.isdigit()


def wechat_sized(pixels: np.ndarray) -> np.ndarray:
    h, w = pixels.shape[:2]
    scale = WECHAT_LONG_SIDE / max(h, w)
    if scale >= 1:
        return pixels
    return cv2.resize(pixels, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)


def unique(name: str, taken: set[str]) -> str:
    """Add " (1)", " (2)" ... as a browser or file manager does for a repeated name."""
    stem, dot, ext = name.rpartition(".")
    out, n = name, 1
    while out.lower() in taken:
        out = f"{stem} ({n}).{ext}"
        n += 1
    taken.add(out.lower())
    return out


def _pil(pixels: np.ndarray) -> Image.Image:
    return Image.fromarray(pixels, "L" if pixels.ndim == 2 else "RGB")


def save(path: Path, pages: list[np.ndarray], fmt: str, quality: int | None, dpi: int | None) -> None:
    """Write one image (or, for PDF, one page per image) in the given format."""
    if fmt == "jpeg":
        img = pages[0] if pages[0].ndim == 2 else cv2.cvtColor(pages[0], cv2.COLOR_RGB2BGR)
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(quality or 85)])
        path.write_bytes(buf.tobytes())
    elif fmt == "png":
        img = pages[0] if pages[0].ndim == 2 else cv2.cvtColor(pages[0], cv2.COLOR_RGB2BGR)
        ok, buf = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, 1])
        path.write_bytes(buf.tobytes())
    elif fmt == "pdf":
        ims = [_pil(p) for p in pages]
        ims[0].save(path, "PDF", save_all=True, append_images=ims[1:], resolution=float(dpi or 200),
                    quality=int(quality or 85), title=None, creationDate=None, modDate=None)  # no timestamps
    elif fmt == "tiff":  # LZW, as scanner software writes it; cv2 is several times faster than Pillow here
        img = pages[0] if pages[0].ndim == 2 else cv2.cvtColor(pages[0], cv2.COLOR_RGB2BGR)
        ok, buf = cv2.imencode(".tif", img, [cv2.IMWRITE_TIFF_RESUNIT, 2, cv2.IMWRITE_TIFF_XDPI, dpi or 200,
                                             cv2.IMWRITE_TIFF_YDPI, dpi or 200, cv2.IMWRITE_TIFF_COMPRESSION, 5])
        path.write_bytes(buf.tobytes())
    elif fmt == "webp":
        _pil(pages[0]).save(path, "WEBP", quality=int(quality or 80), method=2)
    elif fmt == "bmp":
        _pil(pages[0]).save(path, "BMP")
    elif fmt == "heic":
        pillow_heif.from_pillow(_pil(pages[0])).save(path, quality=int(quality or 80))
    else:
        raise ValueError(f"unknown format {fmt}")


def unreadable_bytes(rng, sample_jpeg: bytes) -> tuple[bytes, str]:
    """Bytes that no image decoder can open, in one of the ways uploads go wrong."""
    kind = ["truncated", "random", "html", "empty"][int(rng.integers(4))]
    if kind == "truncated":
        # cut before the first scan (SOS) segment: headers only, no pixels at all
        sos = sample_jpeg.find(b"\xff\xda")
        return sample_jpeg[: max(2, int(sos * rng.uniform(0.3, 0.95)))], kind
    if kind == "random":
        return rng.integers(0, 256, int(rng.integers(2000, 60000)), dtype=np.uint8).tobytes(), kind
    if kind == "html":
        return ("<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
                "<body><h1>文件已过期或已被清理</h1></body></html>").encode(), kind
    return b"", kind


def sample_jpeg(pixels: np.ndarray) -> bytes:
    """A small real JPEG whose header the truncated-file case starts from."""
    small = cv2.resize(pixels, (200, 150))
    ok, buf = cv2.imencode(".jpg", small)
    return buf.tobytes()


def times(rng, as_of, n: int) -> list[datetime]:
    """When each file was made: a session in the days before the application date."""
    start = datetime(as_of.year, as_of.month, as_of.day) - timedelta(days=int(rng.integers(0, 4)))
    t = start + timedelta(hours=int(rng.integers(8, 21)), minutes=int(rng.integers(0, 60)))
    out = []
    for _ in range(n):
        t += timedelta(seconds=int(rng.integers(4, 300)))
        out.append(t)
    return out


def pdf_bytes_check(path: Path) -> int:
    """Pages in a PDF written here (used by tests)."""
    return Image.open(io.BytesIO(path.read_bytes())).n_frames
