"""Small upright JPEG previews of an application's documents, made on first view and kept.

Uploads stay outside every served path; a preview is rendered from the stored
file (the PDF page, or the image with its EXIF turn), turned the way the
pipeline read it upright, and cached under DATA/thumbs/<id>/.
"""

from __future__ import annotations

import io
import os
import secrets
import threading
from pathlib import Path

from PIL import Image, ImageOps

from intake.ingest import MAX_PIXELS
from intake.models import Document

SIZES = {"thumb": 480, "large": 1600}
# PDFium is not thread-safe, and previews are made in the server's thread pool: one PDF at a time.
_pdfium = threading.Lock()


def _source(path: Path, page: int, side: int) -> Image.Image:
    if path.read_bytes()[:5] == b"%PDF-":
        import pypdfium2 as pdfium

        with _pdfium:
            pdf = pdfium.PdfDocument(path)
            try:
                pdf_page = pdf[page - 1]
                width, height = pdf_page.get_size()
                # copy(): the bitmap's memory belongs to the document, which is closed below.
                return pdf_page.render(scale=side / max(width, height)).to_pil().copy()
            finally:
                pdf.close()
    im = Image.open(path)
    if im.width * im.height > MAX_PIXELS:
        raise ValueError("too many pixels")
    # A JPEG can decode straight at a fraction of its size: a 12 MP phone photo previews in milliseconds.
    im.draft("RGB", (side, side))
    return ImageOps.exif_transpose(im)


def preview(uploads: Path, thumbs: Path, app_id: str, index: int, document: Document, size: str) -> bytes | None:
    """The preview's JPEG bytes, or None when the file cannot be rendered (the report says why)."""
    cached = thumbs / app_id / f"{index}-{size}.jpg"
    if cached.exists():
        return cached.read_bytes()
    folder = (uploads / app_id).resolve()
    source = (folder / document.file).resolve()
    if folder not in source.parents or not source.is_file():
        return None  # a stored report names only files in its own folder; anything else is refused
    side = SIZES[size]
    try:
        im = _source(source, document.page, side).convert("RGB")
        if document.rotation:
            im = im.rotate(-document.rotation, expand=True)  # the pipeline's turn is clockwise
        im.thumbnail((side, side))
        out = io.BytesIO()
        im.save(out, "JPEG", quality=82)
    except Exception:  # noqa: BLE001 - an unreadable upload has no preview; the report explains it
        return None
    data = out.getvalue()
    cached.parent.mkdir(parents=True, exist_ok=True)
    temporary = cached.with_name(f".{cached.name}.{secrets.token_hex(4)}")  # two viewers may race
    temporary.write_bytes(data)
    os.replace(temporary, cached)
    return data
