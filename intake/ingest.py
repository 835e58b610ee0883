"""Stage 1: find applications and their files, and decode every file into pages.

Nothing here raises for a bad file: a file that cannot be decoded becomes a
page with an ``error``, which the report shows as an ``unreadable`` document.
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from pathlib import Path
from typing import Iterator

import numpy as np
import pillow_heif
from PIL import Image, ImageOps

from intake.models import ApplicationInput, Page

# Files a desktop or phone leaves beside scans; never documents.
IGNORED_NAMES = {".ds_store", "thumbs.db", "desktop.ini", ".localized"}
# A phone photo is ~12 MP, a 600 dpi A4 scan ~35 MP; past this it is a bomb, not a document.
MAX_PIXELS = 80_000_000
# A PDF page with no picture on it is rendered at a resolution where body text is comfortably readable by
# OCR, and at least this long (a card-sized page at 200 dpi would be 670 pixels across).
PDF_DPI = 200
PDF_LEAST_LONG_SIDE = 1800
# Past this nothing is read better: the pages are cut to it before OCR anyway.
PDF_MOST_LONG_SIDE = 4000
MAX_FILE_BYTES = 200 * 1024 * 1024

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# An iPhone saves its photos as HEIC, and a photo copied off the phone keeps that form.
pillow_heif.register_heif_opener()


class InputError(Exception):
    """The INPUT path itself is unusable (a usage error, exit status 2)."""


def _is_ignored(name: str) -> bool:
    return name.startswith(".") or name.lower() in IGNORED_NAMES or name.startswith("~$")


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        return sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []


def _is_batch(folder: Path) -> bool:
    """A batch folder holds application folders and no documents of its own."""
    entries = [e for e in _entries(folder) if not _is_ignored(e.name)]
    has_dirs = any(e.is_dir(follow_symlinks=False) for e in entries)
    has_documents = any(
        e.is_file() and not e.name.lower().endswith((".json", ".csv", ".txt", ".md")) for e in entries
    )
    return has_dirs and not has_documents


def find_applications(root: Path) -> list[ApplicationInput]:
    """The applications under INPUT: INPUT itself, or each of its sub-folders."""
    if not root.exists():
        raise InputError(f"输入路径不存在 / input path does not exist: {root}")
    if not root.is_dir():
        raise InputError(f"输入必须是文件夹 / input must be a folder: {root}")
    if _is_batch(root):
        folders = [Path(e.path) for e in _entries(root) if e.is_dir(follow_symlinks=False) and not _is_ignored(e.name)]
    else:
        folders = [root]
    return [list_files(folder) for folder in folders]


def list_files(folder: Path) -> ApplicationInput:
    """Every candidate document file below an application folder (recursively, no symlink loops)."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    seen_dirs: set[tuple[int, int]] = set()

    def walk(directory: Path) -> None:
        try:
            st = directory.stat()
        except OSError as exc:
            problems.append((_rel(directory, folder), f"无法打开文件夹 / cannot open folder: {exc.strerror}"))
            return
        if (st.st_dev, st.st_ino) in seen_dirs:
            problems.append((_rel(directory, folder), "文件夹循环链接 / folder link loop"))
            return
        seen_dirs.add((st.st_dev, st.st_ino))
        for entry in _entries(directory):
            if _is_ignored(entry.name):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    walk(path)
                elif entry.is_file():
                    files.append(path.relative_to(folder))
                else:
                    problems.append((_rel(path, folder), "不是普通文件或链接失效 / not a regular file or a broken link"))
            except OSError as exc:
                problems.append((_rel(path, folder), f"无法访问 / cannot access: {exc.strerror}"))

    walk(folder)
    return ApplicationInput(application_id=display_name(folder.name), folder=folder, files=sorted(files), problems=problems)


def _rel(path: Path, folder: Path) -> str:
    try:
        return display_name(path.relative_to(folder))
    except ValueError:
        return display_name(path)


def display_name(path: Path | str) -> str:
    """A file name as text: bytes that are not UTF-8 (old Windows zips, GBK names) shown as \\xNN."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def load_pages(application: ApplicationInput) -> Iterator[Page]:
    """Decode each file of an application into pages; a bad file becomes one page with an error.

    One file at a time: a worker holds one file's decoded pages, not a whole application's photos."""
    for name, reason in application.problems:
        yield Page(file=name, error=reason)
    for rel in application.files:
        yield from decode_file(application.folder / rel, display_name(rel))


def decode_file(path: Path, name: str) -> list[Page]:
    try:
        size = path.stat().st_size
        if size == 0:
            return [Page(file=name, error="空文件 / empty file (0 bytes)")]
        if size > MAX_FILE_BYTES:
            return [Page(file=name, error=f"文件过大 / file too large ({size // 1048576} MB)")]
        data = path.read_bytes()
    except PermissionError:
        return [Page(file=name, error="没有读取权限 / no permission to read the file")]
    except OSError as exc:
        return [Page(file=name, error=f"无法读取 / cannot read: {exc.strerror or exc}")]
    digest = hashlib.sha256(data).hexdigest()
    if data[:5] == b"%PDF-":
        pages = decode_pdf(data, name)
    else:
        pages = decode_image(data, name)
    for page in pages:
        page.sha256 = digest
    return pages


def decode_image(data: bytes, name: str) -> list[Page]:
    """An image's pages: one, or each page of a multi-page TIFF (a scanner's feeder writes one file a batch).

    A TIFF damaged past its first pages keeps the pages before the damage, and a page saying why."""
    pages: list[Page] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's complaints about a damaged file are the page's error
            with Image.open(io.BytesIO(data)) as im:
                # Only a TIFF's pages are documents: the other frames of a GIF, WebP or HEIC are an
                # animation's or a live photo's, the same picture again.
                several = im.format == "TIFF"
                while True:
                    im.load()
                    pages.append(Page(file=name, page=len(pages) + 1, image=_to_bgr(ImageOps.exif_transpose(im))))
                    if not several:
                        return pages
                    try:
                        im.seek(len(pages))
                    except EOFError:
                        return pages
    except Image.DecompressionBombError:
        reason = "图像像素过多，疑似解压炸弹 / image has too many pixels (decompression bomb)"
    # Decoders raise what their format's parser meets (a TIFF's missing tag is a KeyError or TypeError).
    except Exception as exc:  # noqa: BLE001
        damaged = bool(pages) or data.startswith((b"\xff\xd8\xff", b"\x89PNG", b"II*\x00", b"MM\x00*"))
        reason = ("图像文件已损坏或被截断 / image file is damaged or truncated" if damaged
                  else "不是可识别的图像或 PDF / not a recognised image or PDF") + f" ({type(exc).__name__})"
    return pages + [Page(file=name, page=len(pages) + 1, error=reason)]


def decode_pdf(data: bytes, name: str) -> list[Page]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            return [Page(file=name, error="PDF 有密码保护 / PDF is password-protected")]
        return [Page(file=name, error=f"PDF 已损坏 / PDF is damaged ({exc})")]
    pages: list[Page] = []
    try:
        for index in range(len(pdf)):
            try:
                pdf_page = pdf[index]
                bitmap = pdf_page.render(scale=_render_scale(pdf_page))
                pages.append(Page(file=name, page=index + 1, image=_to_bgr(bitmap.to_pil())))
            except Exception as exc:  # pdfium raises plain errors for damaged page trees
                pages.append(Page(file=name, page=index + 1, error=f"PDF 页面无法渲染 / page cannot be rendered ({exc})"))
    finally:
        pdf.close()
    if not pages:
        return [Page(file=name, error="PDF 没有页面 / PDF has no pages")]
    return pages


def _render_scale(pdf_page) -> float:
    """Pixels a point to render a page at. A PDF's page size is whatever its maker chose: a phone photo
    put in a PDF at Pillow's 72 dpi is a 38-inch page, at 600 dpi a 4.6-inch one, so rendering at a fixed
    dpi made that photo 7600 pixels wide or 920. A page that is mostly a picture is rendered at the
    picture's own pixels."""
    import pypdfium2.raw as pdfium_c

    width, height = pdf_page.get_size()
    scale = max(PDF_DPI / 72, PDF_LEAST_LONG_SIDE / max(width, height, 1))
    for picture in pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = picture.get_bounds()
        # A logo or a stamp on a printed page says nothing of the page's own resolution.
        if (right - left) * (top - bottom) >= 0.25 * width * height:
            scale = max(picture.get_px_size()) / max(right - left, top - bottom, 1)
            break
    scale = min(scale, PDF_MOST_LONG_SIDE / max(width, height, 1))
    return min(scale, (MAX_PIXELS / max(width * height, 1)) ** 0.5)


def _grey_to_8_bits(im: Image.Image) -> Image.Image:
    """A scanner's 16-bit grey (or a 32-bit or floating-point one) as 8 bits. Pillow's own conversion clips
    at 255, so a 16-bit scan, whose paper is near 65535, came out white from edge to edge."""
    values = np.asarray(im, dtype=np.float64)
    if im.mode.startswith("I;16") or values.max(initial=0) > 255:
        values = values / 257
    elif im.mode == "F" and values.max(initial=0) <= 1.0:
        values = values * 255
    return Image.fromarray(np.clip(values, 0, 255).round().astype(np.uint8), "L")


def _to_bgr(im: Image.Image) -> np.ndarray:
    if im.mode.startswith(("I", "F")):
        im = _grey_to_8_bits(im)
    if im.mode not in ("RGB", "L"):
        if "A" in im.getbands() or im.mode == "P":
            background = Image.new("RGB", im.size, "white")
            rgba = im.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            im = background
        else:
            im = im.convert("RGB")
    if im.mode == "L":
        im = im.convert("RGB")
    array = np.asarray(im)
    return np.ascontiguousarray(array[:, :, ::-1])
