"""The pages officers use: log in, today's list and search, a new application, its verdict, corrections.

Every page needs a session (`page_user` redirects to the login page otherwise)
and every form carries the session's CSRF token. Uploads from the page go
through the API with the page's script; the plain form post is the fallback
for a browser without it.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from intake.idnumber import mask
from intake.models import ApplicationReport
from intake.schemas import region as load_region, regions
from intake.web import labels
from intake.web.api import read_form, receive_application
from intake.web.auth import check_csrf, csrf_token, login, page_user, safe_next, session_user
from intake.web.corrections import CorrectionError, apply_correction, field_kinds
from intake.web.thumbs import SIZES, preview
from intake.web.uploads import MAX_APPLICATION_BYTES, MAX_FILE_BYTES, MB, UploadRejected

log = logging.getLogger("intake.web")
router = APIRouter()
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals.update(labels=labels, mask=mask)


def render(request: Request, template: str, user: str | None, status_code: int = 200, **context: object) -> HTMLResponse:
    context.update(user=user, csrf=csrf_token(request), flash=request.session.pop("flash", None))
    return templates.TemplateResponse(request, template, context, status_code=status_code)


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:  # noqa: A002 - the query parameter's name
    if session_user(request):
        return RedirectResponse(safe_next(next), 303)
    return render(request, "login.html", None, next=safe_next(next))


@router.post("/login")
async def login_submit(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    target = safe_next(str(form.get("next", "/")))
    ok = await run_in_threadpool(lambda: bool(name) and request.app.state.basic_cache.check(
        request.app.state.store, name, password))
    if not ok:
        log.info("failed login for %r", name[:64])
        return render(request, "login.html", None, status_code=401, next=target, name=name,
                      error="用户名或密码错误 / wrong name or password")
    login(request, name)
    log.info("%s logged in", name)
    return RedirectResponse(target, 303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    request.session.clear()
    return RedirectResponse("/login", 303)


@router.get("/")
def index(request: Request, q: str = "", user: str = Depends(page_user)) -> Response:
    store = request.app.state.store
    rows = store.search(q) if q.strip() else store.list_day(date.today())
    return render(request, "list.html", user, rows=rows, q=q, today=date.today())


@router.get("/applications/new")
def new_page(request: Request, user: str = Depends(page_user)) -> Response:
    return new_form(request, user)


def new_form(request: Request, user: str, error: str | None = None, status_code: int = 200,
             region: str = "default", as_of: str | None = None) -> Response:
    return render(request, "new.html", user, status_code=status_code, error=error, regions=regions(),
                  region=region, as_of=as_of or date.today().isoformat(),
                  max_file_mb=MAX_FILE_BYTES // MB, max_application_mb=MAX_APPLICATION_BYTES // MB)


@router.post("/applications")
async def new_submit(request: Request, user: str = Depends(page_user)) -> Response:
    form = await read_form(request)
    try:
        check_csrf(request, form.get("csrf_token"))
        app_id = await receive_application(request, form, user)
    except UploadRejected as exc:
        return new_form(request, user, exc.message, exc.status, str(form.get("region") or "default"),
                        str(form.get("as_of") or "") or None)
    finally:
        await form.close()
    return RedirectResponse(f"/applications/{app_id}", 303)


def load(request: Request, app_id: str) -> dict:
    row = request.app.state.store.get(app_id)
    if row is None:
        raise HTTPException(404, "没有这份申请 / no such application")
    return row


@router.get("/applications/{app_id}")
def application_page(app_id: str, request: Request, user: str = Depends(page_user)) -> Response:
    row = load(request, app_id)
    report = ApplicationReport.model_validate_json(row["report"]) if row["report"] else None
    context: dict[str, object] = {"row": row, "report": report}
    if report is not None:
        context.update(
            requirements=labels.requirement_rows(report, load_region(row["region"])),
            checks=sorted(report.checks, key=lambda c: labels.CHECK_ORDER[c.status]),
            kinds=[field_kinds(d.type) for d in report.documents],
            corrections=request.app.state.store.corrections_of(app_id),
        )
    return render(request, "application.html", user, **context)


@router.get("/applications/{app_id}/documents/{index}/{size}.jpg")
def document_preview(app_id: str, index: int, size: str, request: Request, user: str = Depends(page_user)) -> Response:
    row = load(request, app_id)
    report = ApplicationReport.model_validate_json(row["report"]) if row["report"] else None
    if report is None or size not in SIZES or not 0 <= index < len(report.documents):
        raise HTTPException(404, "没有这个文件 / no such document")
    state = request.app.state
    data = preview(state.uploads, state.thumbs, app_id, index, report.documents[index], size)
    if data is None:
        raise HTTPException(404, "无法预览 / no preview")
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})


@router.post("/applications/{app_id}/corrections")
async def correct(app_id: str, request: Request, user: str = Depends(page_user)) -> Response:
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    row = load(request, app_id)
    if row["state"] != "done" or not row["report"]:
        raise HTTPException(409, "申请尚未处理完 / the application is not finished yet")
    try:
        index = int(str(form.get("document", "")))
    except ValueError:
        raise HTTPException(400, "缺少文件编号 / document missing") from None
    field, typed = str(form.get("field", "")), str(form.get("value", ""))
    report = ApplicationReport.model_validate_json(row["report"])
    try:
        updated, old, new = apply_correction(report, index, field, typed, user, row["region"], row["as_of"])
    except CorrectionError as exc:
        request.session["flash"] = {"kind": "error", "text": str(exc)}
        return RedirectResponse(f"/applications/{app_id}#doc-{index}", 303)
    document = updated.documents[index]
    request.app.state.store.add_correction(app_id, index, document.file, document.page, field, old, new, user, updated)
    shown = mask(new) if new and ("id_number" in field or field == "social_security_number") else new
    log.info("%s corrected %s of %s document %d to %s", user, field, app_id, index, shown)
    request.session["flash"] = {"kind": "ok", "text": f"已更正并重新检查：{labels.STATUS[updated.status]} / corrected and re-checked"}
    return RedirectResponse(f"/applications/{app_id}#doc-{index}", 303)
