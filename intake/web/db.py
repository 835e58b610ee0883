"""The web app's tables (staff, applications, corrections) and the queries on them.

SQLite in the data folder by default, any SQLAlchemy URL when given; a plain
`postgresql://user:password@host:port/db` goes through psycopg 3 (the
`postgresql+psycopg` dialect). An application row is written only after its
files are on disk, and a report is stored whole as the contract's JSON, with a
few columns derived from it (status, child's name, a search text) so lists and
searches need no parsing.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import (Column, Date, DateTime, Integer, MetaData, String, Table, Text, create_engine, event,
                        func, or_, select, update)
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from intake.models import ApplicationReport

metadata = MetaData()

users = Table(
    "users", metadata,
    Column("name", String(64), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

applications = Table(
    "applications", metadata,
    Column("id", String(40), primary_key=True),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("created_by", String(64), nullable=False),
    Column("region", String(64), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("files", Integer, nullable=False, default=0),
    Column("state", String(16), nullable=False, index=True),  # queued | running | done | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("status", String(16)),  # the report's status once done
    Column("child_name", Text),
    Column("search", Text, nullable=False, default=""),
    Column("report", Text),
    Column("error", Text),
    Column("updated_at", DateTime, nullable=False),
)

corrections = Table(
    "corrections", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("application_id", String(40), nullable=False, index=True),
    Column("document_index", Integer, nullable=False),
    Column("file", Text, nullable=False),
    Column("page", Integer, nullable=False),
    Column("field", String(64), nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("corrected_by", String(64), nullable=False),
    Column("corrected_at", DateTime, nullable=False),
)

# Fields whose values staff search by: people's names and identity numbers.
SEARCH_FIELDS = {"name", "child_name", "mother_name", "father_name", "id_number", "mother_id_number",
                 "father_id_number", "social_security_number", "certificate_number"}


class DatabaseError(RuntimeError):
    """The database URL is wrong or its server cannot be reached: a message for the operator, Chinese first."""


# A bare `postgresql://` would make SQLAlchemy look for psycopg2, which is not installed, and
# `postgres://` (as some hosts spell it) is no dialect at all: both mean PostgreSQL through psycopg 3.
# An explicit driver (`postgresql+asyncpg://`, ...) is left as written.
POSTGRES_SCHEMES = {"postgresql", "postgres"}
CONNECT_TIMEOUT = 10  # seconds; a wrong host fails the start with a message instead of hanging


def engine_url(url: str) -> URL:
    """The URL SQLAlchemy is given: `postgresql://...` becomes `postgresql+psycopg://...`."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError("数据库地址无法解析 / the database URL could not be parsed; it looks like "
                            "postgresql://USER:PASSWORD@HOST:5432/DATABASE or sqlite:////path/intake.db") from None
    if parsed.drivername in POSTGRES_SCHEMES:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def shown_url(engine: Engine) -> str:
    """The engine's URL for logs and messages, password hidden."""
    return engine.url.render_as_string(hide_password=True)


def connect(url: str) -> Engine:
    """An engine with the tables created; SQLite in WAL mode and fully synced, so a commit survives a crash."""
    parsed = engine_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30})

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API connection
                cursor = dbapi_connection.cursor()
                cursor.execute("pragma journal_mode=wal")
                cursor.execute("pragma synchronous=full")
                cursor.execute("pragma busy_timeout=30000")
                cursor.close()
        elif parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            engine = create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT})
        else:
            engine = create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(f"没有这种数据库的驱动 / no driver for the database {parsed.drivername!r} "
                            f"(PostgreSQL: postgresql://...; SQLite: sqlite:///...): {exc}") from None
    try:
        metadata.create_all(engine)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip() if exc.orig is not None else str(exc)
        raise DatabaseError(f"无法连接数据库 / cannot reach the database {shown_url(engine)}: {reason}") from None
    return engine


def sqlite_url(data: Path) -> str:
    return f"sqlite:///{(data / 'intake.db').resolve()}"


def search_text(report: ApplicationReport) -> str:
    """Names and numbers from every document, upper-cased so an `x` typed finds an `X` read."""
    values = {report.application_id}
    for document in report.documents:
        for name, field in document.fields.items():
            if name in SEARCH_FIELDS and field.value:
                values.add(field.value)
    return " | ".join(sorted(values)).upper()


def child_name(report: ApplicationReport) -> str | None:
    """The child's name for the list: the birth certificate's, else the household page's."""
    for doc_type, field in (("birth_certificate", "child_name"), ("household_register", "name")):
        for document in report.documents:
            value = document.fields.get(field)
            if document.type.value == doc_type and value and value.value:
                return value.value
    return None


class Store:
    """All reads and writes of the web app's rows; every method is one short transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- staff -------------------------------------------------------------

    def add_user(self, name: str, password_hash: str) -> None:
        with self.engine.begin() as c:
            c.execute(users.delete().where(users.c.name == name))
            c.execute(users.insert().values(name=name, password_hash=password_hash, created_at=datetime.now()))

    def user_hash(self, name: str) -> str | None:
        with self.engine.connect() as c:
            return c.execute(select(users.c.password_hash).where(users.c.name == name)).scalar()

    def list_users(self) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(select(users.c.name, users.c.created_at).order_by(users.c.name))]

    def remove_user(self, name: str) -> bool:
        with self.engine.begin() as c:
            return c.execute(users.delete().where(users.c.name == name)).rowcount > 0

    # --- applications ------------------------------------------------------

    def add_application(self, app_id: str, created_by: str, region: str, as_of: date, files: int) -> None:
        now = datetime.now()
        with self.engine.begin() as c:
            c.execute(applications.insert().values(
                id=app_id, created_at=now, created_by=created_by, region=region, as_of=as_of, files=files,
                state="queued", attempts=0, search=app_id.upper(), updated_at=now))

    def get(self, app_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            row = c.execute(select(applications).where(applications.c.id == app_id)).first()
        return dict(row._mapping) if row else None

    def ids(self) -> set[str]:
        with self.engine.connect() as c:
            return set(c.execute(select(applications.c.id)).scalars())

    def set_state(self, app_id: str, state: str, error: str | None = None, count_attempt: bool = False) -> None:
        values: dict[str, Any] = {"state": state, "error": error, "updated_at": datetime.now()}
        if count_attempt:
            values["attempts"] = applications.c.attempts + 1
        with self.engine.begin() as c:
            c.execute(update(applications).where(applications.c.id == app_id).values(**values))

    def store_report(self, app_id: str, report: ApplicationReport) -> None:
        with self.engine.begin() as c:
            c.execute(update(applications).where(applications.c.id == app_id).values(
                state="done", error=None, status=report.status, report=report.model_dump_json(),
                child_name=child_name(report), search=search_text(report), updated_at=datetime.now()))

    def report(self, app_id: str) -> ApplicationReport | None:
        row = self.get(app_id)
        return ApplicationReport.model_validate_json(row["report"]) if row and row["report"] else None

    def unfinished(self) -> list[dict[str, Any]]:
        """Applications a stopped server left queued or running, oldest first."""
        with self.engine.connect() as c:
            rows = c.execute(select(applications.c.id, applications.c.attempts)
                             .where(applications.c.state.in_(("queued", "running")))
                             .order_by(applications.c.created_at))
            return [dict(r._mapping) for r in rows]

    def queue_position(self, app_id: str, created_at: datetime) -> int:
        with self.engine.connect() as c:
            return c.execute(select(func.count()).select_from(applications).where(
                applications.c.state == "queued", applications.c.created_at < created_at)).scalar() or 0

    def list_day(self, day: date) -> list[dict[str, Any]]:
        start = datetime.combine(day, time())
        end = datetime.combine(day, time.max)
        return self._list(applications.c.created_at.between(start, end))

    def search(self, text: str) -> list[dict[str, Any]]:
        terms = [t for t in text.upper().split() if t]
        if not terms:
            return []
        escaped = [t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for t in terms]
        # Both columns compared upper-cased: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
        conditions = [or_(applications.c.search.like(f"%{t}%", escape="\\"),
                          func.upper(applications.c.created_by).like(f"%{t}%", escape="\\")) for t in escaped]
        return self._list(*conditions, limit=200)

    def _list(self, *conditions: Any, limit: int = 500) -> list[dict[str, Any]]:
        columns = [applications.c[n] for n in ("id", "created_at", "created_by", "region", "as_of", "files",
                                               "state", "status", "child_name", "error")]
        query = select(*columns).where(*conditions).order_by(applications.c.created_at.desc()).limit(limit)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(query)]

    # --- corrections -------------------------------------------------------

    def add_correction(self, app_id: str, index: int, file: str, page: int, field: str, old: str | None,
                       new: str | None, by: str, report: ApplicationReport) -> None:
        """The correction and the re-checked report in one transaction: never one without the other."""
        with self.engine.begin() as c:
            c.execute(corrections.insert().values(
                application_id=app_id, document_index=index, file=file, page=page, field=field, old_value=old,
                new_value=new, corrected_by=by, corrected_at=datetime.now()))
            c.execute(update(applications).where(applications.c.id == app_id).values(
                status=report.status, report=report.model_dump_json(), child_name=child_name(report),
                search=search_text(report), updated_at=datetime.now()))

    def corrections_of(self, app_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            rows = c.execute(select(corrections).where(corrections.c.application_id == app_id)
                             .order_by(corrections.c.corrected_at, corrections.c.id))
            return [dict(r._mapping) for r in rows]


def report_dict(row: dict[str, Any]) -> dict[str, Any] | None:
    return json.loads(row["report"]) if row.get("report") else None
