"""Run the web app in a child process on a free local port: for the tests and the burst benchmark.

The child is a real `serve` (uvicorn, the worker pool, SQLite in a data
folder or the database at `database_url`), started in its own process group
so that stopping it, politely or with SIGKILL to imitate a crash, also ends
its OCR worker processes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from intake.ocr import DEFAULT_ENGINE
from intake.web.auth import hash_password
from intake.web.db import Store, connect, sqlite_url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def add_user(data: Path, name: str, password: str, database_url: str | None = None) -> None:
    data.mkdir(parents=True, exist_ok=True)
    store = Store(connect(database_url or sqlite_url(data.resolve())))
    store.add_user(name, hash_password(password))
    store.engine.dispose()


class DevServer:
    def __init__(self, data: Path, engine: str = DEFAULT_ENGINE, workers: int = 1, port: int | None = None,
                 env: dict[str, str] | None = None, database_url: str | None = None) -> None:
        self.data = data
        self.database_url = database_url
        self.engine = engine
        self.workers = workers
        self.port = port or free_port()
        self.env = env or {}
        self.process: subprocess.Popen | None = None
        self.log = data / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "DevServer":
        self.data.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "INTAKE_WEB_ENGINE": self.engine, **self.env}
        command = [sys.executable, "-m", "intake.web.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port),
                   "--data", str(self.data), "--workers", str(self.workers)]
        if self.database_url:
            command += ["--database-url", self.database_url]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/login", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop(kill=True)
        raise RuntimeError(f"server did not start in {timeout} s:\n{self.log.read_text()[-3000:]}")

    def stop(self, kill: bool = False) -> None:
        """SIGTERM (a clean stop) or SIGKILL (a crash) to the server's own process group, then reap it."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL if kill else signal.SIGTERM)
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
        # The group may outlive its leader (a worker mid-page): end what is left of it.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process = None

    def __enter__(self) -> "DevServer":
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
