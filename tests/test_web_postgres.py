"""The web app on a real PostgreSQL server: `intake serve --database-url postgresql://...`.

A throwaway cluster of the test's own (Debian's `postgresql` package, installed
by `make setup`: initdb into a temporary folder, run by an unprivileged user
because PostgreSQL refuses to run as root, on a free port of 127.0.0.1 with a
password) holds everything: the staff accounts, an application uploaded over
the API, its verdict and an officer's correction. Psycopg reads the rows
back directly, so nothing can pass through a SQLite file by mistake.

The server reads with the engine named by `INTAKE_WEB_ENGINE` (default
`tesseract`, the quickest real engine): one application of two scans keeps the
module to about 20 seconds.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from typer.testing import CliRunner

from intake.idnumber import mask
from intake.models import DocumentType
from intake.web.cli import ID_LIKE, cli
from intake.web.corrections import field_kinds
from intake.web.devserver import DevServer, free_port

try:
    from conftest_web import PASSWORD, USER, csrf_of, logged_in, multipart, running_server
    from test_web_api import api, wait_done
except ImportError:  # tests/ imported as a package
    from tests.conftest_web import PASSWORD, USER, csrf_of, logged_in, multipart, running_server
    from tests.test_web_api import api, wait_done

PG_BINARIES = "/usr/lib/postgresql/*/bin"
MAKE_SETUP = ("PostgreSQL's server is not installed (no initdb and pg_ctl under /usr/lib/postgresql/*/bin): "
              "run `make setup`, which installs Debian's package `postgresql`")
ENGINE = os.environ.get("INTAKE_WEB_ENGINE", "tesseract")
DB_USER, DB_NAME = "intake_app", "intake_web"
DB_PASSWORD = "pg s3cret/@:?"  # characters a URL must quote: proves the URL is parsed, not pasted
SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "demo" / "APP-0002-966060"
# The two scans to upload (a birth certificate and the mother's ID card): a small application, read quickly.
UPLOAD = {("birth_certificate", "child"), ("id_card_front", "mother")}
SAMPLE_AS_OF = date(2026, 11, 24)
OTHER_USER, OTHER_PASSWORD = "li.na", "another long password"
CORRECTED_NAME = "王测试"


def masked(value: object) -> str:
    """For assertion messages: the value as JSON with every ID number masked."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return ID_LIKE.sub(lambda m: mask(m.group(0)), text)[:3000]


def pg_bin() -> Path:
    """The newest installed server's bin folder, or a failure saying how to install it (never a skip)."""
    found = [Path(p) for p in glob.glob(PG_BINARIES) if (Path(p) / "initdb").exists() and (Path(p) / "pg_ctl").exists()]
    if not found:
        pytest.fail(MAKE_SETUP, pytrace=False)
    return max(found, key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)] or [0])


@dataclass
class Cluster:
    bin: Path
    folder: Path
    port: int
    run_as: dict

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    @property
    def url(self) -> str:
        """What a user types: a plain postgresql:// URL (the app maps it to psycopg 3)."""
        return f"postgresql://{DB_USER}:{quote(DB_PASSWORD, safe='')}@127.0.0.1:{self.port}/{DB_NAME}"

    def run(self, *args: str, timeout: float = 120) -> None:
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": str(self.folder),
               "TZ": os.environ.get("TZ", "UTC")}
        done = subprocess.run([str(self.bin / args[0]), *args[1:]], cwd=self.folder, env=env, capture_output=True,
                              text=True, timeout=timeout, **self.run_as)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            pytest.fail(f"{args[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n{log}", pytrace=False)

    def connect(self, dbname: str = DB_NAME, **kwargs) -> psycopg.Connection:  # noqa: ANN003
        return psycopg.connect(host="127.0.0.1", port=self.port, user=DB_USER, password=DB_PASSWORD, dbname=dbname,
                               connect_timeout=10, **kwargs)


def unprivileged() -> tuple[dict, int | None, int | None]:
    """subprocess arguments that drop root (PostgreSQL will not run as root), with the uid and gid; none if not root."""
    if os.geteuid() != 0:
        return {}, None, None
    for name in ("postgres", "nobody"):  # the Debian package's own user, else the classic nobody
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            continue
        return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}, account.pw_uid, account.pw_gid
    pytest.fail("running as root and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as",
                pytrace=False)


@pytest.fixture(scope="module")
def cluster():
    """A PostgreSQL cluster of the test's own, on a free port of 127.0.0.1; stopped and deleted afterwards."""
    binaries = pg_bin()
    run_as, uid, gid = unprivileged()
    # In /tmp itself, not pytest's tmp_path: pytest's folders are root's, mode 700, closed to the server's user.
    folder = Path(tempfile.mkdtemp(prefix="intake-pg-", dir="/tmp" if uid is not None else None))
    password_file = folder / "password"
    password_file.write_text(DB_PASSWORD + "\n")
    if uid is not None:
        for path in (folder, password_file):
            os.chown(path, uid, gid)
    running = Cluster(binaries, folder, free_port(), run_as)
    started = False
    try:
        running.run("initdb", "-D", str(running.data), "-U", DB_USER, f"--pwfile={password_file}", "-E", "UTF8",
                    "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync")
        password_file.unlink()
        # Throwaway data: no fsync. Sockets in the cluster's own folder, TCP on loopback only.
        options = (f"-c listen_addresses=127.0.0.1 -p {running.port} -k {folder} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        running.run("pg_ctl", "-D", str(running.data), "-l", str(running.log), "-w", "-t", "60", "-o", options, "start")
        started = True
        with running.connect("postgres", autocommit=True) as admin:
            admin.execute(f"create database {DB_NAME} encoding 'UTF8' template template0")
        yield running
    finally:
        if started:
            running.run("pg_ctl", "-D", str(running.data), "-m", "fast", "-w", "-t", "60", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def server(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory):
    yield from running_server(tmp_path_factory.mktemp("pg-web-data"), cluster.url, ENGINE)


@pytest.fixture(scope="module")
def uploaded(server: DevServer) -> dict:
    """One application of two scans sent over the API by a second officer, then read to its verdict."""
    added = CliRunner().invoke(cli, ["users", "add", OTHER_USER, "--data", str(server.data), "--database-url",
                                     server.database_url, "--password-stdin"], input=OTHER_PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    truth = json.loads(SAMPLE.with_name(SAMPLE.name + ".truth.json").read_text(encoding="utf-8"))
    files = [SAMPLE / d["file"] for d in truth["documents"] if (d["type"], d["person"]) in UPLOAD]
    assert len(files) == len(UPLOAD), "samples/demo changed: the test's two scans are not there"
    client = api(server, (OTHER_USER, OTHER_PASSWORD))
    answer = client.post("/api/applications", files=multipart(files),
                         data={"as_of": SAMPLE_AS_OF.isoformat(), "region": "default"})
    assert answer.status_code == 201, answer.text
    app_id = answer.json()["id"]
    body = wait_done(client, app_id, timeout=240)
    assert body["state"] == "done", masked(body)
    return {"id": app_id, "files": files, "truth": truth, "body": body}


def test_the_postgresql_server_is_installed() -> None:
    assert (pg_bin() / "postgres").exists(), MAKE_SETUP


def test_the_tables_and_the_staff_account_are_in_postgresql(cluster: Cluster, server: DevServer) -> None:
    with cluster.connect() as db:
        tables = {name for (name,) in db.execute(
            "select table_name from information_schema.tables where table_schema = 'public'")}
        (stored_hash,) = db.execute("select password_hash from users where name = %s", (USER,)).fetchone()
    assert {"users", "applications", "corrections"} <= tables
    assert stored_hash.startswith("$argon2")
    assert not (server.data / "intake.db").exists(), "a SQLite database appeared beside the PostgreSQL one"
    log = "".join(server.log.read_text(encoding="utf-8", errors="replace").split())  # the console wraps lines
    # The server says which database it uses, with the password hidden.
    assert f"postgresql+psycopg://{DB_USER}:***@127.0.0.1:{cluster.port}/{DB_NAME}" in log
    assert "".join(DB_PASSWORD.split()) not in log and quote(DB_PASSWORD, safe="") not in log


def test_upload_verdict_and_correction_are_stored_in_postgresql(cluster: Cluster, server: DevServer,
                                                                uploaded: dict) -> None:
    app_id, report = uploaded["id"], uploaded["body"]["report"]
    assert report["application_id"] == app_id
    assert sorted(d["file"] for d in report["documents"]) == sorted(p.name for p in uploaded["files"])
    assert report["status"] in ("complete", "incomplete", "inconsistent", "needs_review")
    assert "household_register" in report["missing"]  # not uploaded, whatever the scans were read as

    # The verdict the API answered is the row PostgreSQL holds.
    with cluster.connect() as db:
        row = db.execute("select state, status, created_by, files, as_of, report from applications where id = %s",
                         (app_id,)).fetchone()
    assert row is not None, f"{app_id} is not in PostgreSQL"
    state, status, created_by, files, as_of, stored = row
    assert (state, status, created_by, files, as_of) == ("done", report["status"], OTHER_USER, 2, SAMPLE_AS_OF)
    assert json.loads(stored) == report, masked({"api": report, "postgresql": json.loads(stored)})

    # The officer's list and search come from PostgreSQL: today's list, and by who uploaded it
    # (typed in any case: PostgreSQL's LIKE, unlike SQLite's, minds case).
    session = logged_in(server.url)
    assert app_id in session.get("/").text
    assert app_id in session.get("/", params={"q": OTHER_USER.upper()}).text
    assert app_id not in session.get("/", params={"q": "不存在的名字"}).text

    # Correct the child's name on the birth certificate (else a name on whatever document was read).
    documents = report["documents"]
    targets = [(i, name) for i, d in enumerate(documents) for name, kind in field_kinds(DocumentType(d["type"])).items()
               if kind == "name"]
    assert targets, f"engine {ENGINE!r} read neither scan's type: {masked([d['type'] for d in documents])}"
    index, field = next(((i, f) for i, f in targets if f == "child_name"), targets[0])
    page = session.get(f"/applications/{app_id}")
    answer = session.post(f"/applications/{app_id}/corrections", data={
        "document": str(index), "field": field, "value": CORRECTED_NAME, "csrf_token": csrf_of(page.text)})
    assert answer.status_code == 303, answer.text[:500]

    with cluster.connect() as db:
        corrections = db.execute("select document_index, file, field, new_value, corrected_by from corrections "
                                 "where application_id = %s", (app_id,)).fetchall()
        (stored,) = db.execute("select report from applications where id = %s", (app_id,)).fetchone()
    assert corrections == [(index, documents[index]["file"], field, CORRECTED_NAME, USER)]
    corrected = json.loads(stored)["documents"][index]["fields"][field]
    assert (corrected["value"], corrected["corrected_by"]) == (CORRECTED_NAME, USER), masked(corrected)

    # And read back through the app: the API's report, the verdict page's record, a search by the new name.
    again = api(server).get(f"/api/applications/{app_id}").json()["report"]
    assert again["documents"][index]["fields"][field]["value"] == CORRECTED_NAME
    page = session.get(f"/applications/{app_id}").text
    assert "更正记录" in page and USER in page and CORRECTED_NAME in page
    assert app_id in session.get("/", params={"q": CORRECTED_NAME}).text


def test_users_commands_work_on_postgresql(cluster: Cluster, server: DevServer, uploaded: dict) -> None:
    listed = CliRunner().invoke(cli, ["users", "list", "--data", str(server.data), "--database-url", cluster.url])
    assert listed.exit_code == 0, listed.output
    assert [line.split("\t")[0] for line in listed.output.splitlines()] == sorted([USER, OTHER_USER])


def test_another_server_with_an_empty_data_folder_reads_it_all_from_postgresql(
        cluster: Cluster, uploaded: dict, tmp_path: Path) -> None:
    # Nothing on disk but PostgreSQL: the accounts and the verdict must come from there.
    with DevServer(tmp_path / "empty", engine="replay", database_url=cluster.url) as second:
        answer = api(second, (OTHER_USER, OTHER_PASSWORD)).get(f"/api/applications/{uploaded['id']}")
        assert api(second, (OTHER_USER, "wrong password")).get("/api/applications/x").status_code == 401
    assert answer.status_code == 200
    body = answer.json()
    with cluster.connect() as db:
        (stored,) = db.execute("select report from applications where id = %s", (uploaded["id"],)).fetchone()
    assert body["state"] == "done" and body["report"]["application_id"] == uploaded["id"]
    assert body["report"] == json.loads(stored), masked({"api": body["report"], "postgresql": json.loads(stored)})


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    url = f"postgresql://{DB_USER}:{quote(DB_PASSWORD, safe='')}@127.0.0.1:{free_port()}/{DB_NAME}"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["users", "list", "--data", str(tmp_path), "--database-url", url])
    assert result.exit_code == 1, result.output
    said = "".join(result.output.split())  # the console wraps long lines
    assert "无法连接数据库" in said and "cannotreachthedatabase" in said and f"127.0.0.1:{url.rsplit(':', 1)[1]}" in said
    assert "".join(DB_PASSWORD.split()) not in said and quote(DB_PASSWORD, safe="") not in said
    assert time.monotonic() - started < 30
