"""The contract's API against a real server (uvicorn in a child process, SQLite, real Tesseract).

Upload, poll, and the report must be what `process_application` makes of the
same files; bad uploads, limits, CSRF and logins are answered as the contract
says; a crash after the 201 loses nothing.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from intake.ingest import list_files
from intake.models import ApplicationReport
from intake.ocr import DEFAULT_ENGINE
from intake.pipeline import process_application
from intake.web.devserver import DevServer, add_user

try:
    from conftest_web import running_server, AS_OF, PASSWORD, USER, application_files, csrf_of, logged_in, multipart, sample_application
except ImportError:  # tests/ imported as a package
    from tests.conftest_web import (running_server, AS_OF, PASSWORD, USER, application_files, csrf_of, logged_in, multipart,
                                    sample_application)

MB = 1024 * 1024
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    yield from running_server(tmp_path_factory.mktemp("web-data"))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_application(tmp_path_factory.mktemp("samples"))


def api(server: DevServer, auth: tuple[str, str] | None = (USER, PASSWORD)) -> httpx.Client:
    return httpx.Client(base_url=server.url, auth=auth, timeout=120)


def wait_done(client: httpx.Client, app_id: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    seen = set()
    while time.monotonic() < deadline:
        answer = client.get(f"/api/applications/{app_id}")
        assert answer.status_code == 200, answer.text
        body = answer.json()
        seen.add(body["state"])
        assert body["state"] in ("queued", "running", "done", "failed")
        if body["state"] in ("done", "failed"):
            body["seen"] = seen
            return body
        time.sleep(0.5)
    raise AssertionError(f"{app_id} not done in {timeout} s (states seen: {seen})")


def test_without_login_the_api_says_401_and_pages_redirect(server: DevServer) -> None:
    anonymous = httpx.Client(base_url=server.url, timeout=30)
    answer = anonymous.get("/api/applications/whatever")
    assert answer.status_code == 401 and answer.headers["www-authenticate"].startswith("Basic")
    assert "需要登录" in answer.json()["detail"]
    assert anonymous.post("/api/applications", files=multipart([])).status_code == 401
    # The page's own script asks with X-Requested-With: no Basic challenge, so no browser dialog.
    quiet = anonymous.get("/api/applications/whatever", headers={"X-Requested-With": "fetch"})
    assert quiet.status_code == 401 and "www-authenticate" not in quiet.headers
    for page in ("/", "/applications/new", "/applications/whatever", "/?q=x"):
        answer = anonymous.get(page)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=/")
    assert api(server, (USER, "wrong password")).get("/api/applications/x").status_code == 401
    assert api(server, ("nobody", PASSWORD)).get("/api/applications/x").status_code == 401


def test_an_idle_connection_is_still_open_after_the_seconds_a_proxy_or_client_pool_keeps_it(server: DevServer) -> None:
    # A request sent on a kept-alive connection just as the server closes it gets a reset ("socket hang up"):
    # the web test's browser client got one with uvicorn's 5 s. The server must outwait its clients.
    request = f"GET /login HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
        for _ in range(2):
            connection.sendall(request)
            head, body = _read_response(connection)
            assert head.startswith(b"HTTP/1.1 200"), head
            assert "登录" in body.decode()
            time.sleep(8)
            connection.setblocking(False)
            try:
                assert connection.recv(1, socket.MSG_PEEK) != b"", "the server closed an idle connection after 8 s"
            except BlockingIOError:
                pass  # open, nothing to read: as it should be
            connection.settimeout(30)


def _read_response(connection: socket.socket) -> tuple[bytes, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536)
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += connection.recv(65536)
    return head, body


def test_basic_auth_is_accepted(server: DevServer) -> None:
    answer = api(server).get("/api/applications/no-such-id")
    assert answer.status_code == 404 and "没有这份申请" in answer.json()["detail"]


def test_upload_is_read_and_matches_the_pipeline(server: DevServer, sample: Path) -> None:
    files = application_files(sample)
    expected: dict[str, ApplicationReport] = {}
    # The same files through the library, alongside the server's worker (two cores, two readers).
    local = threading.Thread(target=lambda: expected.setdefault(
        "report", process_application(list_files(sample), AS_OF, "default", DEFAULT_ENGINE)))
    client = api(server)
    answer = client.post("/api/applications", files=multipart(files), data={"as_of": AS_OF.isoformat(), "region": "default"})
    assert answer.status_code == 201, answer.text
    app_id = answer.json()["id"]
    assert answer.headers["location"] == f"/api/applications/{app_id}"
    assert sorted(p.name for p in (server.data / "uploads" / app_id).iterdir()) == sorted(p.name for p in files)
    local.start()
    body = wait_done(client, app_id)
    local.join()
    assert body["state"] == "done", body
    got, want = ApplicationReport.model_validate(body["report"]), expected["report"]
    assert got.application_id == app_id
    assert (got.status, got.missing) == (want.status, want.missing)
    assert [(c.id, c.status) for c in got.checks] == [(c.id, c.status) for c in want.checks]
    assert [(d.file, d.type) for d in got.documents] == [(d.file, d.type) for d in want.documents]

    # The officer finds it on today's list, and by a name or number read from it.
    session = logged_in(server.url)
    assert app_id in session.get("/").text
    readable = [f.value for d in got.documents for n, f in d.fields.items() if n in ("name", "id_number") and f.value]
    if readable:
        assert app_id in session.get("/", params={"q": readable[0]}).text
    assert app_id not in session.get("/", params={"q": "不存在的名字"}).text
    page = session.get(f"/applications/{app_id}")
    assert page.status_code == 200 and "所需材料" in page.text and "检查结果" in page.text
    assert session.get(f"/applications/{app_id}/documents/0/thumb.jpg").headers["content-type"] == "image/jpeg"


def test_a_text_file_named_jpg_is_refused_clearly(server: DevServer) -> None:
    before = set((server.data / "uploads").iterdir())
    answer = api(server).post("/api/applications", files=[("files", ("IMG_2001.jpg", b"not a photo at all\n", "image/jpeg"))])
    assert answer.status_code == 415
    detail = answer.json()["detail"]
    assert "IMG_2001.jpg" in detail and "不支持" in detail and "unsupported" in detail
    assert set((server.data / "uploads").iterdir()) == before


def test_bad_form_values_are_refused(server: DevServer) -> None:
    client = api(server)
    assert client.post("/api/applications", data={"region": "default"}).status_code == 400
    one = [("files", ("a.jpg", JPEG_HEAD + b"\x00" * 100, "image/jpeg"))]
    answer = client.post("/api/applications", files=one, data={"region": "atlantis"})
    assert answer.status_code == 400 and "未知地区" in answer.json()["detail"]
    answer = client.post("/api/applications", files=one, data={"as_of": "24/11/2026"})
    assert answer.status_code == 400 and "YYYY-MM-DD" in answer.json()["detail"]


def test_size_limits_answer_413_in_both_languages(server: DevServer) -> None:
    client = api(server)
    big = JPEG_HEAD + b"\x00" * (26 * MB)
    answer = client.post("/api/applications", files=[("files", ("huge.jpg", big, "image/jpeg"))])
    assert answer.status_code == 413
    assert "huge.jpg" in answer.json()["detail"] and "过大" in answer.json()["detail"] and "too large" in answer.json()["detail"]
    part = JPEG_HEAD + b"\x00" * (22 * MB)
    answer = client.post("/api/applications", files=[("files", (f"p{i}.jpg", part, "image/jpeg")) for i in range(7)])
    assert answer.status_code == 413
    assert "150 MB" in answer.json()["detail"] and "过大" in answer.json()["detail"]


def test_forms_and_session_api_calls_need_the_csrf_token(server: DevServer, sample: Path) -> None:
    session = logged_in(server.url)
    one = multipart(application_files(sample)[:1])
    assert session.post("/api/applications", files=one).status_code == 403
    assert session.post("/api/applications", files=one, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert session.post("/applications", files=one, data={"region": "default"}).status_code == 403
    assert session.post("/applications/x/corrections", data={"document": "0", "field": "name", "value": "x"}).status_code == 403
    assert session.post("/logout").status_code == 403
    assert httpx.post(f"{server.url}/login", data={"name": USER, "password": PASSWORD}).status_code == 403
    # With the token the same page form works, and answers with the verdict page.
    token = csrf_of(session.get("/applications/new").text)
    answer = session.post("/applications", files=one, data={"region": "default", "csrf_token": token})
    assert answer.status_code == 303 and answer.headers["location"].startswith("/applications/")
    logout = session.post("/logout", data={"csrf_token": token})
    assert logout.status_code == 303 and session.get("/").status_code == 303


def test_a_crash_after_201_loses_nothing(tmp_path: Path, sample: Path) -> None:
    data = tmp_path / "crash-data"
    add_user(data, USER, PASSWORD)
    files = application_files(sample)[:3]
    first = DevServer(data, engine="replay").start()
    try:
        answer = api(first).post("/api/applications", files=multipart(files), data={"as_of": AS_OF.isoformat()})
        assert answer.status_code == 201
    finally:
        first.stop(kill=True)  # kill -9 the server and its workers right after the answer
    app_id = answer.json()["id"]
    with sqlite3.connect(data / "intake.db") as db:
        (state,) = db.execute("select state from applications where id = ?", (app_id,)).fetchone()
    assert state in ("queued", "running")
    assert len(list((data / "uploads" / app_id).iterdir())) == len(files)
    with DevServer(data, engine="replay") as second:
        body = wait_done(api(second), app_id, timeout=120)
    assert body["state"] == "done" and len(body["report"]["documents"]) == len(files)
