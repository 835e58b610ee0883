"""`intake serve` and `intake users add|list|remove`: thin commands over the web package.

intake/cli.py mounts `users_app` and `serve`; `python -m intake.web.cli`
runs them on their own (the tests and the burst benchmark start the server so).
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from intake.idnumber import mask

console = Console(stderr=True)
users_app = typer.Typer(help="职员账号 / staff accounts of the web app.", no_args_is_help=True, add_completion=False)

DATA_HELP = "数据文件夹 / data folder (database, uploads)"
URL_HELP = ("数据库地址（默认为数据文件夹中的 SQLite） / database URL (default: SQLite in the data folder), "
            "e.g. postgresql://USER@HOST:5432/DATABASE (password from ~/.pgpass or PGPASSWORD)")
# How long an idle connection is kept open. uvicorn's default of 5 s is shorter than a reverse proxy or
# a client pool keeps one: a request sent on it just as the server closes it is answered by a reset
# (a test's HTTP client got "socket hang up" so). The side that keeps a connection longer must be the server.
KEEP_ALIVE_SECONDS = 75
# An 18-character (or old 15-digit) resident ID number standing alone, not a date-stamped application id.
ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


def _store(data: Path, database_url: Optional[str]):  # noqa: ANN202 - intake.web.db.Store
    from intake.web.db import DatabaseError, Store, connect, sqlite_url

    data.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        return Store(connect(database_url or sqlite_url(data.resolve())))
    except DatabaseError as exc:
        raise _fail(str(exc), 1) from None


def _fail(message: str, code: int) -> typer.Exit:
    console.print(f"[bold red]错误 / Error:[/] {message}")
    return typer.Exit(code)


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="登录名 / login name (letters, digits, . _ -)"),
    data: Path = typer.Option(Path("intake-data"), "--data", help=DATA_HELP),
    database_url: Optional[str] = typer.Option(None, "--database-url", help=URL_HELP),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码 / read the password from stdin"),
) -> None:
    """添加职员账号（已存在则修改密码） / Add a staff account (or set a new password)."""
    from intake.web.auth import hash_password, valid_name

    if not valid_name(name):
        raise _fail("登录名只能包含字母、数字和 . _ - / a login name has letters, digits, . _ - only", 2)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("密码 / password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise _fail("密码至少 8 个字符 / the password needs at least 8 characters", 2)
    store = _store(data, database_url)
    existed = store.user_hash(name) is not None
    store.add_user(name, hash_password(password))
    console.print(f"{'已修改密码' if existed else '已添加'} / {'password changed' if existed else 'added'}: {name}")


@users_app.command("list")
def users_list(
    data: Path = typer.Option(Path("intake-data"), "--data", help=DATA_HELP),
    database_url: Optional[str] = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """列出职员账号 / List the staff accounts."""
    for user in _store(data, database_url).list_users():
        print(f"{user['name']}\t{user['created_at']:%Y-%m-%d %H:%M}")


@users_app.command("remove")
def users_remove(
    name: str = typer.Argument(..., help="登录名 / login name"),
    data: Path = typer.Option(Path("intake-data"), "--data", help=DATA_HELP),
    database_url: Optional[str] = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """删除职员账号（立即失去访问权限） / Remove a staff account (its sessions stop working at once)."""
    if not _store(data, database_url).remove_user(name):
        raise _fail(f"没有这个账号 / no such account: {name}", 1)
    console.print(f"已删除 / removed: {name}")


class MaskIds(logging.Filter):
    """The access log prints URLs, and a search URL can hold an ID number: mask it there."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(ID_LIKE.sub(lambda m: mask(m.group(0)), a) if isinstance(a, str) else a
                                for a in record.args)
        return True


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址 / address to listen on"),
    port: int = typer.Option(8000, "--port", help="端口 / port"),
    data: Path = typer.Option(Path("intake-data"), "--data", help=DATA_HELP),
    database_url: Optional[str] = typer.Option(None, "--database-url", help=URL_HELP),
    workers: int = typer.Option(1, "--workers", min=1, help="识别进程数 / OCR worker processes"),
) -> None:
    """启动前台网页服务 / Run the front-desk web app."""
    import os

    import uvicorn

    from intake.ocr import DEFAULT_ENGINE, ENGINES, EngineError, tessdata_dir
    from intake.web.app import create_app
    from intake.web.db import DatabaseError, shown_url

    engine = os.environ.get("INTAKE_WEB_ENGINE", DEFAULT_ENGINE)
    if engine not in ENGINES:
        raise _fail(f"INTAKE_WEB_ENGINE: 未知的 OCR 引擎 {engine!r} / unknown engine; choose one of {', '.join(ENGINES)}", 2)
    if engine == "tesseract":
        try:
            tessdata_dir()  # fail here with the fix, not later inside every worker
        except EngineError as exc:
            raise _fail(str(exc), 1)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("uvicorn.access").addFilter(MaskIds())
    try:
        app = create_app(data, database_url, engine, workers)
    except DatabaseError as exc:
        raise _fail(str(exc), 1) from None
    if not app.state.store.list_users():
        console.print("[yellow]还没有职员账号，请先运行 / no staff accounts yet; first run:[/] "
                      f"intake users add NAME --data {data}")
    console.print(f"intake 网页服务 / web app: http://{host}:{port}  (数据 / data: {data.resolve()}, "
                  f"数据库 / database: {shown_url(app.state.store.engine)}, 引擎 / engine: {engine})")
    uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=5,
                timeout_keep_alive=KEEP_ALIVE_SECONDS)


cli = typer.Typer(no_args_is_help=True, add_completion=False)
cli.add_typer(users_app, name="users")
cli.command("serve")(serve)

if __name__ == "__main__":
    cli()
