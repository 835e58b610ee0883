"""Accept an application's uploaded files: check them by content, then store them durably.

A file is accepted for what its first bytes say it is (JPEG, PNG, TIFF, BMP,
WebP, HEIC, PDF), never for its name; a phone names a photo anything. Sizes are
capped per file and per application, and an image whose header declares more
pixels than the pipeline would decode is refused at once rather than queued.
Files go to DATA/uploads/.incoming-<id>/, are fsynced, and the folder is
renamed into place and its parent fsynced: only then is the upload answered,
so an answered upload survives a crash or a power cut.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from intake.ingest import MAX_PIXELS

MB = 1024 * 1024
MAX_FILE_BYTES = int(float(os.environ.get("INTAKE_WEB_MAX_FILE_MB", "25")) * MB)
MAX_APPLICATION_BYTES = int(float(os.environ.get("INTAKE_WEB_MAX_APPLICATION_MB", "150")) * MB)
MAX_FILES = 40
# Room for multipart headers and the small form fields around the files.
FORM_OVERHEAD = 1 * MB
# A request declaring more than this is answered without reading it; below it, the body is drained first
# so the client reads the 413 instead of a reset connection.
DRAIN_LIMIT = 4 * MAX_APPLICATION_BYTES
SMALL_BODY = 1 * MB
INCOMING = ".incoming-"

# Suffixes that fit each kind; the first is given to a file whose own suffix does not fit its content.
KINDS = {"jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"), "png": (".png",), "tiff": (".tif", ".tiff"), "bmp": (".bmp",),
         "webp": (".webp",), "heic": (".heic", ".heif"), "pdf": (".pdf",)}
# The brands an ISO media file names after "ftyp" when it holds a HEIF still image (an iPhone's HEIC).
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


class UploadRejected(Exception):
    """An upload the desk must redo: an HTTP status and a message, Chinese first."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Incoming:
    """One uploaded file as the form parser left it (spooled to a temporary file)."""

    name: str
    stream: BinaryIO
    size: int


def sniff(head: bytes) -> str | None:
    """The file's kind from its magic bytes, or None when it is none the pipeline reads."""
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:2] == b"BM" and len(head) >= 14:
        return "bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:5] == b"%PDF-":
        return "pdf"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heic"
    return None


def sanitise(name: str, kind: str, taken: set[str]) -> str:
    """A safe, unique file name: no folders, no hidden or control characters, the content's extension."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    stem, dot, suffix = base.rpartition(".") if "." in base else (base, "", "")
    stem = re.sub(r"[^\w\-]+", "_", stem).strip("._-")[:80] or "file"
    # Keep the name staff recognise (IMG_0412.JPG), unless its suffix lies about the content.
    suffix = f".{suffix}" if dot and f".{suffix.lower()}" in KINDS[kind] else KINDS[kind][0]
    candidate, n = f"{stem}{suffix}", 2
    # Case-insensitive, because the pipeline's report names files and staff read names on any file system.
    while candidate.lower() in taken:
        candidate, n = f"{stem}-{n}{suffix}", n + 1
    taken.add(candidate.lower())
    return candidate


def too_large(name: str, limit: int, per: str) -> UploadRejected:
    per_cn, per_en = ("单个文件", "per file") if per == "file" else ("整份申请", "per application")
    return UploadRejected(413, f"文件过大：{name}（{per_cn}上限 {limit // MB} MB） / "
                               f"too large: {name} (limit {limit // MB} MB {per_en})")


def check_pixels(stream: BinaryIO, name: str, kind: str) -> None:
    """Refuse a decompression bomb from its header, before the worker would try to decode it."""
    if kind == "pdf":
        return  # PDF pages are rendered at a capped size by the pipeline
    stream.seek(0)
    try:
        with Image.open(stream) as im:
            width, height = im.size
    except Image.DecompressionBombError:
        width, height = MAX_PIXELS, 2
    except Exception:  # noqa: BLE001 - a damaged image is the report's finding, not the desk's error
        return
    finally:
        stream.seek(0)
    if width * height > MAX_PIXELS:
        raise UploadRejected(413, f"图像像素过多（疑似解压炸弹）：{name}，{width}×{height} / "
                                  f"image has too many pixels (decompression bomb): {name}, {width}x{height}")


def inspect(files: list[Incoming]) -> list[tuple[Incoming, str]]:
    """Every check that needs no disk: count, sizes, kinds, pixels. Raises for the first problem."""
    if not files:
        raise UploadRejected(400, "请选择至少一个文件 / choose at least one file")
    if len(files) > MAX_FILES:
        raise UploadRejected(413, f"文件太多：最多 {MAX_FILES} 个 / too many files: at most {MAX_FILES}")
    total = sum(f.size for f in files)
    if total > MAX_APPLICATION_BYTES:
        raise too_large(f"{len(files)} 个文件 files", MAX_APPLICATION_BYTES, "application")
    checked = []
    for f in files:
        shown = f.name or "?"
        if f.size == 0:
            raise UploadRejected(400, f"空文件：{shown} / empty file: {shown}")
        if f.size > MAX_FILE_BYTES:
            raise too_large(shown, MAX_FILE_BYTES, "file")
        f.stream.seek(0)
        kind = sniff(f.stream.read(16))
        f.stream.seek(0)
        if kind is None:
            raise UploadRejected(415, f"不支持的文件内容：{shown}（只接受 JPEG、PNG、TIFF、BMP、WebP、HEIC 图片或 PDF） / "
                                      f"unsupported content: {shown} (only JPEG, PNG, TIFF, BMP, WebP, HEIC images or PDF)")
        check_pixels(f.stream, shown, kind)
        checked.append((f, kind))
    return checked


def new_id(today: date) -> str:
    return f"{today:%Y%m%d}-{secrets.token_hex(4)}"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store(uploads: Path, files: list[Incoming], today: date) -> tuple[str, list[str]]:
    """Check the files, write them durably under uploads/<id>/, and return the id and stored names."""
    checked = inspect(files)
    app_id = new_id(today)
    incoming = uploads / f"{INCOMING}{app_id}"
    incoming.mkdir(parents=True, mode=0o700)
    names: list[str] = []
    taken: set[str] = set()
    try:
        for f, kind in checked:
            name = sanitise(f.name, kind, taken)
            with open(incoming / name, "xb") as out:
                f.stream.seek(0)
                shutil.copyfileobj(f.stream, out, 1 * MB)
                out.flush()
                os.fsync(out.fileno())
            names.append(name)
        _fsync_dir(incoming)
        os.rename(incoming, uploads / app_id)
        _fsync_dir(uploads)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    return app_id, names


def clean_leftovers(uploads: Path, known_ids: set[str], orphans: Path) -> list[str]:
    """Tidy what a crash left before an upload was answered: incoming folders go, rowless folders are set aside.

    A folder with no row is moved to `orphans`, not deleted: a server pointed at the wrong database
    must not destroy uploads it does not know.
    """
    tidied = []
    if not uploads.exists():
        return tidied
    for entry in uploads.iterdir():
        if entry.is_dir() and entry.name.startswith(INCOMING):
            shutil.rmtree(entry, ignore_errors=True)
            tidied.append(entry.name)
        elif entry.is_dir() and entry.name not in known_ids:
            orphans.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.replace(entry, orphans / entry.name)
            tidied.append(entry.name)
    return tidied


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        self.limit = limit


def body_limit(path: str, method: str) -> int:
    if method == "POST" and path in ("/api/applications", "/applications"):
        return MAX_APPLICATION_BYTES + FORM_OVERHEAD
    return SMALL_BODY


class BodyLimitMiddleware:
    """Stops a request body at the limit while it streams, before the form parser spools it to disk."""

    def __init__(self, app, respond) -> None:  # noqa: ANN001 - ASGI callables
        self.app = app
        self.respond = respond  # (scope, limit) -> ASGI response

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001 - ASGI signature
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"], scope["method"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            if int(declared) <= DRAIN_LIMIT:
                more = True
                while more:  # read and drop, so the client gets to read our answer
                    message = await receive()
                    more = message.get("more_body", False) and message["type"] == "http.request"
            await self.respond(scope, limit)(scope, receive, send)
            return
        received = 0

        async def counted():  # noqa: ANN202
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)
