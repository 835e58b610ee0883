"""The JSON API of the contract: upload an application, then poll for its report.

`POST /api/applications` answers 201 only after every file is fsynced and the
application's row committed; the form page's no-script fallback shares
`receive_application` with it, so both paths check and store the same way.
"""

from __future__ import annotations

import logging
from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from intake.schemas import regions
from intake.web.auth import api_user
from intake.web.db import report_dict
from intake.web.uploads import MAX_FILES, Incoming, UploadRejected, store

log = logging.getLogger("intake.web")
router = APIRouter(prefix="/api")


async def read_form(request: Request):  # noqa: ANN201 - starlette FormData
    try:
        # One more than allowed, so too many files gets our own message rather than the parser's.
        return await request.form(max_files=MAX_FILES + 1, max_fields=20)
    except HTTPException as exc:
        raise UploadRejected(400, f"上传的表单无法解析 / the upload form could not be read ({exc.detail})") from exc


def parse_options(region: str | None, as_of: str | None) -> tuple[str, date]:
    region = (region or "default").strip() or "default"
    if region not in regions():
        raise UploadRejected(400, f"未知地区 / unknown region {region!r}; known: {', '.join(sorted(regions()))}")
    if not as_of or not as_of.strip():
        return region, date.today()
    try:
        return region, date.fromisoformat(as_of.strip())
    except ValueError:
        raise UploadRejected(400, f"申请日期应为 YYYY-MM-DD / as_of must be a date like 2026-11-24, not {as_of!r}") from None


async def receive_application(request: Request, form, user: str) -> str:  # noqa: ANN001 - starlette FormData
    """Check and durably store the form's files, record the application, queue it; its id."""
    region, as_of = parse_options(form.get("region"), form.get("as_of"))
    files = [Incoming(name=f.filename or "", stream=f.file, size=f.size or 0)
             for f in form.getlist("files")
             # An empty file input (the camera button, unused) still sends an unnamed empty part.
             if isinstance(f, UploadFile) and (f.filename or f.size)]
    state = request.app.state
    app_id, names = await run_in_threadpool(store, state.uploads, files, date.today())
    await run_in_threadpool(state.store.add_application, app_id, user, region, as_of, len(names))
    state.worker.submit(app_id)
    log.info("application %s stored by %s: %d files, region %s, as of %s", app_id, user, len(names), region, as_of)
    return app_id


@router.post("/applications", status_code=201)
async def create_application(request: Request, user: str = Depends(api_user)) -> JSONResponse:
    form = await read_form(request)
    try:
        app_id = await receive_application(request, form, user)
    finally:
        await form.close()
    return JSONResponse({"id": app_id}, status_code=201, headers={"Location": f"/api/applications/{app_id}"})


@router.get("/applications/{app_id}")
def get_application(app_id: str, request: Request, user: str = Depends(api_user)) -> dict:
    row = request.app.state.store.get(app_id)
    if row is None:
        raise HTTPException(404, "没有这份申请 / no such application")
    answer = {"state": row["state"], "report": report_dict(row)}
    # Beyond the contract, for the progress display: why it failed, and how many are ahead in the queue.
    answer["error"] = row["error"]
    if row["state"] == "queued":
        answer["position"] = request.app.state.store.queue_position(app_id, row["created_at"])
    return answer
