"""Shared helpers of the web tests: a sample application to upload, and a logged-in HTTP client.

The samples come from `intake.samplegen.generate_set` (real synthetic scans
with ground truth); where that is not installed, a few documents drawn here
with Pillow stand in, so the web tests never depend on it to run.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import httpx
from PIL import Image, ImageDraw, ImageFont

from intake.ingest import list_files
from intake.ocr import DEFAULT_ENGINE
from intake.web.devserver import DevServer, add_user

AS_OF = date(2026, 11, 24)
USER, PASSWORD = "zhang.wei", "correct horse battery"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

DRAWN = {
    "birth.jpg": ["出生医学证明", "新生儿姓名 王梓涵  性别 女", "出生时间 2026年11月02日",
                  "母亲姓名 李秀英  身份证件号码 110105199103070022",
                  "父亲姓名 王建国  身份证件号码 110105198805120018", "出生证编号 O440123456"],
    "mother_front.png": ["姓名 李秀英", "性别 女  民族 汉", "出生 1991年3月7日", "住址 北京市朝阳区建国路88号",
                         "公民身份号码 110105199103070022"],
    "hukou.jpg": ["常住人口登记卡", "姓名 王梓涵  户主或与户主关系 女", "性别 女  出生日期 2026年11月02日",
                  "公民身份号码 110105202611020026"],
}


def _drawn_application(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    font = ImageFont.truetype(FONT, 40) if Path(FONT).exists() else ImageFont.load_default()
    for name, lines in DRAWN.items():
        im = Image.new("RGB", (1400, 120 + 80 * len(lines)), "white")
        draw = ImageDraw.Draw(im)
        for i, line in enumerate(lines):
            draw.text((60, 60 + 80 * i), line, fill="black", font=font)
        im.save(folder / name, quality=92)
    return folder


def sample_application(out: Path, seed: int = 11) -> Path:
    """One application folder of scans to upload."""
    try:
        from intake.samplegen import generate_set
    except ImportError:
        return _drawn_application(out / "drawn-1")
    return generate_set(out, count=1, seed=seed, as_of=AS_OF)[0]


def application_files(folder: Path) -> list[Path]:
    return [folder / rel for rel in list_files(folder).files]


def multipart(paths: list[Path]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def logged_in(base_url: str) -> httpx.Client:
    """A client holding a session cookie, as a browser would after the login form."""
    client = httpx.Client(base_url=base_url, timeout=60)
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"name": USER, "password": PASSWORD, "csrf_token": token, "next": "/"})
    assert answer.status_code == 303, answer.text
    return client


def running_server(data: Path, database_url: str | None = None, engine: str = DEFAULT_ENGINE):
    """A real `intake serve` on `data` (and `database_url`, else SQLite in `data`) with one staff account
    and the default engine, for a module's tests."""
    add_user(data, USER, PASSWORD, database_url)
    with DevServer(data, engine=engine, workers=1, database_url=database_url) as running:
        yield running
