"""Ingest: every file becomes pages or a clear reason, on real files written to disk."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from intake.ingest import InputError, decode_file, find_applications, list_files


def jpeg_bytes(size=(120, 80), exif_orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((10, 10, 200), (0, 0, size[0] // 2, size[1] // 4))
    buffer = io.BytesIO()
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


def test_formats_decode_to_bgr_pages(tmp_path: Path) -> None:
    image = Image.new("RGB", (64, 48), (255, 0, 0))
    for ext, fmt in [("png", "PNG"), ("tif", "TIFF"), ("bmp", "BMP"), ("webp", "WEBP"), ("jpg", "JPEG"),
                     ("HEIC", "HEIF")]:  # an iPhone's photo
        image.save(tmp_path / f"x.{ext}", fmt)
        [page] = decode_file(tmp_path / f"x.{ext}", f"x.{ext}")
        assert page.error is None and page.image.shape == (48, 64, 3)
        assert page.image[10, 10, 2] > 200 and page.image[10, 10, 0] < 60  # red stays red in BGR


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    (tmp_path / "IMG_0001.JPG").write_bytes(jpeg_bytes(exif_orientation=6))  # phone held upright: rotate 90
    [page] = decode_file(tmp_path / "IMG_0001.JPG", "IMG_0001.JPG")
    assert page.image.shape[:2] == (120, 80)


def test_a_scanners_16_bit_grey_page_keeps_its_ink(tmp_path: Path) -> None:
    """Scanners save grey at 16 bits a pixel; Pillow's own conversion clipped it at 255, and the whole page,
    ink and all, came out white."""
    grey = np.tile(np.arange(256, dtype=np.uint16), (40, 1))  # from black ink to white paper
    for name, mode, values in (("scan.png", "I;16", grey * 257), ("scan.tif", "I;16", grey * 257),
                               ("scan32.tif", "I", grey.astype(np.int32) * 257),
                               ("float.tif", "F", grey.astype(np.float32) / 255)):
        Image.fromarray(values).save(tmp_path / name)
        [page] = decode_file(tmp_path / name, name)
        assert page.error is None and Image.open(tmp_path / name).mode == mode
        assert np.abs(page.image[:, :, 0].astype(int) - grey).max() <= 1, name


def test_pdf_pages_are_documents(tmp_path: Path) -> None:
    pages = [Image.new("RGB", (300, 200), c) for c in ("white", "grey")]
    pages[0].save(tmp_path / "scan.pdf", save_all=True, append_images=pages[1:])
    decoded = decode_file(tmp_path / "scan.pdf", "scan.pdf")
    assert [p.page for p in decoded] == [1, 2]
    assert all(p.image is not None for p in decoded)


def test_a_multi_page_tiffs_pages_are_documents_and_a_cut_one_keeps_the_pages_before_the_cut(tmp_path: Path) -> None:
    pages = [Image.new("RGB", (300, 200), c) for c in ("white", "grey", "black")]
    pages[0].save(tmp_path / "feeder.tif", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    decoded = decode_file(tmp_path / "feeder.tif", "feeder.tif")
    assert [(p.page, p.error, int(p.image[0, 0, 0])) for p in decoded] == [(1, None, 255), (2, None, 128), (3, None, 0)]

    data = (tmp_path / "feeder.tif").read_bytes()
    (tmp_path / "cut.tif").write_bytes(data[: len(data) // 2])
    first, cut = decode_file(tmp_path / "cut.tif", "cut.tif")
    assert first.page == 1 and first.error is None and int(first.image[0, 0, 0]) == 255
    assert cut.page == 2 and cut.image is None and "damaged or truncated" in cut.error
    # An animation's frames are one picture, not documents.
    pages[0].save(tmp_path / "moving.gif", save_all=True, append_images=pages[1:])
    assert [p.page for p in decode_file(tmp_path / "moving.gif", "moving.gif")] == [1]


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (jpeg_bytes()[:200], "damaged or truncated"),
        (b"hello, this is a text file", "not a recognised image"),
        (b"%PDF-1.4 garbage that is not a pdf", "PDF is damaged"),
    ],
)
def test_bad_files_become_reasons(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "IMG_0002.jpg"
    path.write_bytes(content)
    [page] = decode_file(path, path.name)
    assert page.image is None and reason in page.error


def test_hidden_and_system_files_are_ignored(tmp_path: Path) -> None:
    for name in (".DS_Store", "Thumbs.db", "desktop.ini", "._IMG_1.jpg"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "IMG_1.jpg").write_bytes(jpeg_bytes())
    assert [str(f) for f in list_files(tmp_path).files] == ["IMG_1.jpg"]


def test_batch_and_single_application_folders(tmp_path: Path) -> None:
    for app in ("A", "B"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "1.jpg").write_bytes(jpeg_bytes())
    (tmp_path / "A.truth.json").write_text("{}")
    assert [a.application_id for a in find_applications(tmp_path)] == ["A", "B"]
    assert [a.application_id for a in find_applications(tmp_path / "A")] == ["A"]
    with pytest.raises(InputError):
        find_applications(tmp_path / "nope")


def test_symlink_loop_is_reported_not_followed(tmp_path: Path) -> None:
    (tmp_path / "1.jpg").write_bytes(jpeg_bytes())
    (tmp_path / "loop").symlink_to(tmp_path)
    application = list_files(tmp_path)
    assert [str(f) for f in application.files] == ["1.jpg"]
    assert any("loop" in reason for _, reason in application.problems)
