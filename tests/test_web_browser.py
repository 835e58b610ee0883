"""The front desk in a real browser (Debian's Chromium through Playwright) against a real server.

One officer's morning: log in, drop an application's scans, watch it being
read by the real Tesseract, read the verdict on a desk screen and a phone,
correct a misread field and see the checks run again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intake.web.devserver import DevServer

try:
    from conftest_web import running_server, PASSWORD, USER, application_files, sample_application
except ImportError:  # tests/ imported as a package
    from tests.conftest_web import running_server, PASSWORD, USER, application_files, sample_application

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = Path("/tmp")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make setup)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    yield from running_server(tmp_path_factory.mktemp("browser-data"))


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield launched
        launched.close()


def log_in(page, base: str, next_path: str = "/") -> None:  # noqa: ANN001 - playwright Page
    page.goto(base + next_path)
    assert "/login" in page.url  # every page sends a stranger to the login form
    page.fill("input[name=name]", USER)
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    assert page.locator(".flash.error").inner_text().startswith("用户名或密码错误")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + next_path)


def test_upload_verdict_and_correction(server: DevServer, browser, tmp_path: Path) -> None:  # noqa: ANN001
    files = application_files(sample_application(tmp_path))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    log_in(page, server.url, "/applications/new")
    errors: list[str] = []  # from here on: the wrong password above rightly logged a 401
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    assert page.locator("select[name=region] option").count() >= 1
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.input_value("input[name=as_of]"))
    page.set_input_files("#files", [str(f) for f in files])
    assert page.locator("#chosen li").count() == len(files)
    page.click("#submit")
    page.wait_for_url(re.compile(r"/applications/\d{8}-[0-9a-f]+$"), timeout=60_000)
    app_id = page.url.rsplit("/", 1)[-1]
    # The progress panel polls the API and reloads into the verdict when the worker is done.
    page.wait_for_selector("#verdict", timeout=240_000)

    report = page.request.get(f"{server.url}/api/applications/{app_id}").json()["report"]
    assert page.locator(".materials li").count() == 8  # the default region's eight required materials
    absent = page.locator(".materials li.absent").count()
    assert absent >= len(report["missing"]) and (absent == 0) == (not report["missing"])
    assert page.locator(".checks li").count() == len(report["checks"])
    for status in ("fail", "review"):
        assert page.locator(f".checks li.{status}").count() == sum(c["status"] == status for c in report["checks"])
    assert page.locator("article.document").count() == len(report["documents"])
    page.wait_for_function("() => [...document.querySelectorAll('article.document img')].every(i => i.complete)")
    shown = page.evaluate("[...document.querySelectorAll('article.document img')].filter(i => i.naturalWidth > 0).length")
    assert shown == sum(d["type"] != "unreadable" for d in report["documents"])
    if report["deadline"]["deadline"]:
        assert report["deadline"]["deadline"] in page.locator(".deadline").inner_text()

    page.screenshot(path=str(SCREENSHOTS / "intake-verdict-desktop.png"), full_page=True)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                has_touch=True, storage_state=context.storage_state())
    phone_page = phone.new_page()
    phone_page.goto(page.url)
    phone_page.wait_for_selector("#verdict")
    phone_page.wait_for_function("() => [...document.querySelectorAll('article.document img')].every(i => i.complete)")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the verdict page scrolls sideways on a phone ({width} px)"
    phone_page.screenshot(path=str(SCREENSHOTS / "intake-verdict-phone.png"), full_page=True)
    phone_page.goto(f"{server.url}/applications/new")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path=str(SCREENSHOTS / "intake-upload-phone.png"), full_page=True)
    phone.close()

    # Correct a name: on the birth certificate when it was found, else on the first document that has one.
    documents = report["documents"]
    index = next((i for i, d in enumerate(documents) if d["type"] == "birth_certificate"),
                 next((i for i, d in enumerate(documents) if d["type"] in ("id_card_front", "household_register")), None))
    assert index is not None, "no document with a name was recognised"
    field = "child_name" if documents[index]["type"] == "birth_certificate" else "name"
    card = page.locator(f"#doc-{index}")
    row = card.locator("tr", has=page.locator(f"input[name=field][value={field}]"))
    row.locator("summary").click()
    row.locator("input[name=value]").fill("欧阳测试")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(".flash", timeout=30_000)
    assert "已更正并重新检查" in page.locator(".flash").inner_text()
    assert "欧阳测试" in card.inner_text() and "已更正" in card.inner_text()
    history = page.locator("section.card", has_text="更正记录").inner_text()
    assert USER in history and "欧阳测试" in history

    corrected = page.request.get(f"{server.url}/api/applications/{app_id}").json()["report"]
    value = corrected["documents"][index]["fields"][field]
    assert value == {"value": "欧阳测试", "confidence": 1.0, "corrected_by": USER}
    if field == "child_name":
        names = next(c for c in corrected["checks"] if c["id"] == "names.child")
        assert names["status"] != "pass"  # the checks ran again on the corrected value
    assert corrected["status"] in ("inconsistent", "incomplete", "needs_review")
    page.screenshot(path=str(SCREENSHOTS / "intake-verdict-corrected.png"), full_page=True)

    # The list and the search find it by the corrected name.
    page.goto(f"{server.url}/?q=欧阳测试")
    assert page.locator(f"a[href='/applications/{app_id}']").count() == 1
    page.click("button.link")  # log out
    page.wait_for_url(re.compile(r"/login$"))
    assert not errors, errors
    context.close()
