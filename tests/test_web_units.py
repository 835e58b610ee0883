"""The web app's parts without a server: content sniffing, names, limits, storage, corrections, accounts."""

from __future__ import annotations

import io
import logging
import os
import struct
import time
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from intake.models import ApplicationReport
from intake.schemas import region
from intake.validate import validate_application
from intake.web import uploads
from intake.web.auth import hash_password, safe_next, verify_password
from intake.web.cli import MaskIds, cli
from intake.web.corrections import CorrectionError, apply_correction, normalise_value
from intake.web.db import Store, connect, search_text, sqlite_url
from intake.web.uploads import Incoming, UploadRejected, inspect, sanitise, sniff, store
from tests.documents import AS_OF, FATHER_ID, MOTHER_ID, clean_set
from intake.web.worker import Worker



def image_bytes(fmt: str, size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, fmt)
    return out.getvalue()


def incoming(name: str, data: bytes) -> Incoming:
    return Incoming(name=name, stream=io.BytesIO(data), size=len(data))


@pytest.mark.parametrize("fmt,kind", [("JPEG", "jpeg"), ("PNG", "png"), ("TIFF", "tiff"), ("BMP", "bmp"),
                                      ("WEBP", "webp"), ("HEIF", "heic"), ("PDF", "pdf")])
def test_sniff_knows_every_kind_the_pipeline_reads(fmt: str, kind: str) -> None:
    assert sniff(image_bytes(fmt)[:16]) == kind


@pytest.mark.parametrize("head", [b"hello world", b"", b"GIF89a\x01\x00", b"PK\x03\x04zip", b"\x00\x00\x00\x18ftypmp42"])
def test_sniff_refuses_everything_else(head: bytes) -> None:
    assert sniff(head) is None


def test_sanitised_names_are_plain_unique_and_match_the_content() -> None:
    taken: set[str] = set()
    assert sanitise("../../etc/passwd.jpg", "jpeg", taken) == "passwd.jpg"
    assert sanitise("C:\\Users\\me\\IMG_0412.JPG", "jpeg", taken) == "IMG_0412.JPG"
    assert sanitise("img_0412.jpg", "jpeg", taken) == "img_0412-2.jpg"  # the same name, case aside
    assert sanitise(".hidden.png", "png", taken) == "hidden.png"
    assert sanitise("出生证明 扫描.pdf", "pdf", taken) == "出生证明_扫描.pdf"
    assert sanitise("photo.jpg", "png", taken) == "photo.png"  # the suffix follows the content
    assert sanitise("", "jpeg", taken) == "file.jpg"
    assert sanitise("a\x00b\nc.webp", "webp", taken) == "a_b_c.webp"


def test_a_text_file_named_jpg_is_refused_with_its_name() -> None:
    with pytest.raises(UploadRejected) as caught:
        inspect([incoming("IMG_1.jpg", image_bytes("JPEG")), incoming("notes.jpg", b"just some text\n")])
    assert caught.value.status == 415 and "notes.jpg" in caught.value.message and "不支持" in caught.value.message


def test_size_limits_answer_413(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(uploads, "MAX_APPLICATION_BYTES", 3000)
    big = image_bytes("PNG") + b"\x00" * 1000
    with pytest.raises(UploadRejected) as caught:
        inspect([incoming("big.png", big)])
    assert caught.value.status == 413 and "big.png" in caught.value.message
    small = image_bytes("JPEG").ljust(900, b"\x00")
    with pytest.raises(UploadRejected) as caught:
        inspect([incoming(f"{i}.jpg", small) for i in range(4)])
    assert caught.value.status == 413 and "MB" in caught.value.message


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    # A PNG header declaring 30000 x 30000 pixels (900 MP); the pixel data never needs to exist.
    png = image_bytes("PNG", (1, 1))
    ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    import zlib

    bomb = png[:8] + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)) + png[33:]
    with pytest.raises(UploadRejected) as caught:
        inspect([incoming("bomb.png", bomb)])
    assert caught.value.status == 413 and "解压炸弹" in caught.value.message


def test_store_writes_every_file_into_its_own_folder_and_nothing_on_refusal(tmp_path: Path) -> None:
    app_id, names = store(tmp_path, [incoming("a.jpg", image_bytes("JPEG")), incoming("a.jpg", image_bytes("PNG"))], AS_OF)
    assert names == ["a.jpg", "a.png"]
    assert sorted(p.name for p in (tmp_path / app_id).iterdir()) == names
    with pytest.raises(UploadRejected):
        store(tmp_path, [incoming("ok.jpg", image_bytes("JPEG")), incoming("bad.jpg", b"text")], AS_OF)
    assert [p.name for p in tmp_path.iterdir()] == [app_id]  # no half-stored application


def test_leftovers_of_a_crash_before_the_answer_are_tidied(tmp_path: Path) -> None:
    folder, orphans = tmp_path / "uploads", tmp_path / "orphans"
    for name in ("20261124-aaaa", ".incoming-20261124-bbbb", "20261124-cccc"):
        (folder / name).mkdir(parents=True)
    tidied = uploads.clean_leftovers(folder, {"20261124-aaaa"}, orphans)
    assert sorted(tidied) == [".incoming-20261124-bbbb", "20261124-cccc"]
    assert [p.name for p in folder.iterdir()] == ["20261124-aaaa"]
    assert [p.name for p in orphans.iterdir()] == ["20261124-cccc"]  # set aside, never deleted


def clean_report() -> ApplicationReport:
    documents = clean_set()
    missing, checks, deadline, status = validate_application(documents, region("default"), AS_OF)
    return ApplicationReport(application_id="x", status=status, missing=missing, documents=documents, checks=checks,
                             deadline=deadline)


def test_a_correction_reruns_the_checks_and_records_the_officer() -> None:
    report = clean_report()
    assert report.status == "complete"
    wrong, old, new = apply_correction(report, 5, "name", "王子涵", "zhang.wei", "default", AS_OF)
    assert (old, new) == ("王梓涵", "王子涵")
    assert wrong.status == "inconsistent"
    assert next(c for c in wrong.checks if c.id == "names.child").status == "fail"
    corrected = wrong.documents[5].fields["name"]
    assert corrected.corrected_by == "zhang.wei" and corrected.confidence == 1.0
    assert report.documents[5].fields["name"].value == "王梓涵"  # the stored report is not changed in place
    fixed, _, _ = apply_correction(wrong, 5, "name", " 王梓涵 ", "li.na", "default", AS_OF)
    assert fixed.status == "complete"


def test_corrected_values_take_the_contract_form_or_are_refused() -> None:
    assert normalise_value("date", "2026/11/2") == "2026-11-02"
    assert normalise_value("id_number", "11010519910307002x") == "11010519910307002X"
    assert normalise_value("sex", "女") == "female"
    assert normalise_value("validity_until", "长期") == "长期"
    assert normalise_value("name", "") is None
    for kind, text in [("date", "yesterday"), ("id_number", "12345"), ("sex", "?"), ("count", "many")]:
        with pytest.raises(CorrectionError):
            normalise_value(kind, text)
    with pytest.raises(CorrectionError):
        apply_correction(clean_report(), 0, "no_such_field", "x", "zhang.wei", "default", AS_OF)


def test_search_text_holds_names_and_numbers_in_upper_case() -> None:
    text = search_text(clean_report())
    assert "王梓涵" in text and MOTHER_ID in text and "A12345678" not in text


def test_store_searches_names_and_numbers(tmp_path: Path) -> None:
    db = Store(connect(sqlite_url(tmp_path)))
    db.add_application("20261124-a", "zhang.wei", "default", AS_OF, 8)
    db.store_report("20261124-a", clean_report())
    db.add_application("20261124-b", "zhang.wei", "default", AS_OF, 1)
    assert [r["id"] for r in db.search("梓涵")] == ["20261124-a"]
    assert [r["id"] for r in db.search(MOTHER_ID.lower())] == ["20261124-a"]
    assert db.search("100%") == [] and db.search("_") == []
    assert [r["child_name"] for r in db.list_day(date.today())] == [None, "王梓涵"]
    assert [r["id"] for r in db.unfinished()] == ["20261124-b"]


def test_passwords_are_argon2_and_checked(tmp_path: Path) -> None:
    db = Store(connect(sqlite_url(tmp_path)))
    db.add_user("li.na", hash_password("s3cret-pass"))
    assert db.user_hash("li.na").startswith("$argon2")
    assert verify_password(db, "li.na", "s3cret-pass")
    assert not verify_password(db, "li.na", "wrong")
    assert not verify_password(db, "nobody", "s3cret-pass")


def test_users_commands_add_list_remove(tmp_path: Path) -> None:
    runner = CliRunner()
    data = str(tmp_path / "d")
    added = runner.invoke(cli, ["users", "add", "wang.fang", "--data", data, "--password-stdin"], input="long enough pw\n")
    assert added.exit_code == 0, added.output
    listed = runner.invoke(cli, ["users", "list", "--data", data])
    assert listed.exit_code == 0 and listed.output.startswith("wang.fang\t")
    assert runner.invoke(cli, ["users", "add", "bad name", "--data", data, "--password-stdin"], input="x" * 9).exit_code == 2
    assert runner.invoke(cli, ["users", "add", "shorty", "--data", data, "--password-stdin"], input="short\n").exit_code == 2
    assert runner.invoke(cli, ["users", "remove", "wang.fang", "--data", data]).exit_code == 0
    assert runner.invoke(cli, ["users", "remove", "wang.fang", "--data", data]).exit_code == 1
    assert runner.invoke(cli, ["users", "list", "--data", data]).output == ""


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for args in (["serve"], ["users", "add"], ["users", "list"], ["users", "remove"]):
        assert runner.invoke(cli, [*args, "--help"]).exit_code == 0


def test_access_log_masks_id_numbers() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s"', ("127.0.0.1", "GET",
                               f"/?q={MOTHER_ID}&app=20261124-0a1b2c3d"), None)
    MaskIds().filter(record)
    assert MOTHER_ID not in record.getMessage() and "110105********0022" in record.getMessage()
    assert "20261124-0a1b2c3d" in record.getMessage()  # application ids are not personal data


def dying_job(folder: str, as_of: str, region: str, engine: str) -> str:
    """Fault injection: the worker process dies outright, as a crash inside native OCR code would."""
    os._exit(3)


def failing_job(folder: str, as_of: str, region: str, engine: str) -> str:
    raise RuntimeError("engine exploded")


@pytest.mark.parametrize("job,message", [(dying_job, "崩溃"), (failing_job, "engine exploded")])
def test_a_crashing_worker_fails_the_application_not_the_server(tmp_path: Path, job, message: str) -> None:  # noqa: ANN001
    db = Store(connect(sqlite_url(tmp_path)))
    db.add_application("20261124-a", "zhang.wei", "default", AS_OF, 1)
    worker = Worker(db, tmp_path, "replay", 1, job=job)
    worker.start()  # picks the queued application up from the database, as after a restart
    try:
        deadline = time.monotonic() + 60
        while db.get("20261124-a")["state"] != "failed" and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        worker.stop()
    row = db.get("20261124-a")
    assert row["state"] == "failed" and message in row["error"]
    assert row["attempts"] == (2 if job is dying_job else 0)  # a dead process gets one more try


def test_login_redirects_stay_on_this_site() -> None:
    assert safe_next("/applications/x?y=1") == "/applications/x?y=1"
    for bad in ("//evil.example", "https://evil.example", "/\\evil", None, ""):
        assert safe_next(bad) == "/"
