"""Bad input is a finding, never a stopped batch: one generated corpus, every item checked through `intake scan`."""

from __future__ import annotations

import io
import json
import os
import zlib
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from intake.cli import app
from intake.ingest import decode_file

GOOD_JPEG = io.BytesIO()
Image.new("RGB", (400, 300), (240, 240, 240)).save(GOOD_JPEG, "JPEG")
GOOD_PNG = io.BytesIO()
Image.new("RGB", (400, 300), (240, 240, 240)).save(GOOD_PNG, "PNG")


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims a huge size: the classic decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    rows = zlib.compress(b"\x00" * (width + 1) * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def encrypted_pdf() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


GBK_NAME = "照片.jpg".encode("gbk")  # as an old Windows zip names it

# application folder -> (file name, content, words the reason must contain)
CORPUS: dict[str, tuple[str, bytes, str]] = {
    "zero-byte": ("IMG_0001.jpg", b"", "empty"),
    "truncated-jpeg": ("IMG_0002.jpg", GOOD_JPEG.getvalue()[: len(GOOD_JPEG.getvalue()) // 3], "truncated"),
    "truncated-png": ("Scan_0001.png", GOOD_PNG.getvalue()[:60], "truncated"),
    "text-named-jpg": ("photo.jpg", "这不是图片 / not an image\n".encode(), "not a recognised image"),
    "bomb": ("bomb.png", png_header_only(60000, 60000), "decompression bomb"),
    "huge": ("big.png", png_header_only(20000, 20000), "decompression bomb"),
    "corrupt-pdf": ("scan.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage", "PDF is damaged"),
    "password-pdf": ("locked.pdf", encrypted_pdf(), "password"),
}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> dict:
    batch = tmp_path_factory.mktemp("bad")
    for folder, (name, content, _) in CORPUS.items():
        (batch / folder).mkdir()
        (batch / folder / name).write_bytes(content)
        (batch / folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
        (batch / folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    (batch / "empty-folder").mkdir()
    (batch / "symlink-loop").mkdir()
    (batch / "symlink-loop" / "again").symlink_to(batch / "symlink-loop")
    non_utf8 = os.fsencode(batch / "non-utf8-name") + b"/" + GBK_NAME
    os.makedirs(os.path.dirname(non_utf8))
    with open(non_utf8, "wb") as handle:
        handle.write(GOOD_JPEG.getvalue())
    result = CliRunner().invoke(app, ["scan", str(batch), "--out", str(batch / "out"), "--as-of", "2026-11-24",
                                      "--workers", "2", "--engine", "tesseract"])
    assert result.exit_code == 0, result.output
    report = json.loads((batch / "out" / "report.json").read_text(encoding="utf-8"))
    return {a["application_id"]: a for a in report["applications"]}


@pytest.mark.parametrize("folder", sorted(CORPUS))
def test_each_bad_file_is_reported_with_its_reason(scanned: dict, folder: str) -> None:
    name, _, reason = CORPUS[folder]
    application = scanned[folder]
    [document] = application["documents"]  # hidden and system files were ignored
    assert document["file"] == name and document["type"] == "unreadable"
    assert reason in document["error"]
    assert any(c["id"] == "documents.unreadable" and c["status"] == "review" for c in application["checks"])


def test_every_folder_got_a_report(scanned: dict) -> None:
    assert set(scanned) == set(CORPUS) | {"empty-folder", "symlink-loop", "non-utf8-name"}
    assert scanned["empty-folder"]["status"] == "incomplete" and scanned["empty-folder"]["documents"] == []


def test_symlink_loop_is_a_finding(scanned: dict) -> None:
    [document] = scanned["symlink-loop"]["documents"]
    assert "loop" in document["error"]


def test_non_utf8_name_is_shown_escaped(scanned: dict) -> None:
    [document] = scanned["non-utf8-name"]["documents"]
    assert document["file"] == GBK_NAME.decode("utf-8", "backslashreplace") and "\\x" in document["file"]
    assert document["type"] != "unreadable"


def test_unreadable_permission_is_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "IMG_0003.jpg"
    path.write_bytes(GOOD_JPEG.getvalue())
    path.chmod(0)
    if os.geteuid() != 0:
        [page] = decode_file(path, path.name)
        assert "permission" in page.error
        return
    # root reads anything: check as an ordinary user in a child process, as an office account would run it.
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        os.setgid(65534)
        os.setuid(65534)
        [page] = decode_file(path, path.name)
        os.write(write_end, (page.error or "").encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(child, 0)
    error = os.read(read_end, 4096).decode()
    assert "permission" in error
