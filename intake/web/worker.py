"""Read applications off the request path: a small process pool fed by one thread per process.

OCR is CPU bound, so it runs in worker processes, each keeping its engine
loaded between applications (the pipeline's `get_engine` caches per process).
One feeder thread per process takes the next queued id, marks it running,
waits for the pool and stores the report; so `running` in the database means
running, and the rest wait as `queued`. The queue lives in the database: at
start every application left queued or running is queued again, which is why
an upload answered 201 is never lost to a crash.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path
from typing import Callable

from intake.models import ApplicationReport
from intake.web.db import Store

log = logging.getLogger("intake.web")
# A worker process that dies (not an exception: a crash) gets the application one more try;
# a server restart is not counted, it is not the application's fault.
MAX_ATTEMPTS = 2


def _warm(engine: str) -> None:
    """Pool initialiser: load the OCR engine once per process, before the first application waits for it."""
    # One Tesseract per worker process, each on one core: its own OpenMP threads would only fight the
    # other workers (and the server) for the same cores. Set before tesserocr is first imported.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        from intake.ocr import get_engine

        get_engine(engine)
    except Exception:  # noqa: BLE001 - the job itself reports a broken engine as its error
        pass


def run_job(folder: str, as_of: str, region: str, engine: str) -> str:
    """In a worker process: the whole pipeline on one stored application; the report as JSON."""
    from intake.ingest import list_files
    from intake.memory import returned_after
    from intake.pipeline import process_application

    with returned_after():
        report = process_application(list_files(Path(folder)), date.fromisoformat(as_of), region, engine)
    return report.model_dump_json()


class Worker:
    def __init__(self, store: Store, uploads: Path, engine: str, processes: int = 1,
                 job: Callable[[str, str, str, str], str] = run_job) -> None:
        self.job = job  # a module-level function (it is sent to the worker process); tests inject faults
        self.store = store
        self.uploads = uploads
        self.engine = engine
        self.processes = max(1, processes)
        self.jobs: queue.Queue[str | None] = queue.Queue()
        self.threads: list[threading.Thread] = []
        self.pool: ProcessPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._stopping = False

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: forking a server with live threads and DB connections is unsafe.
        return ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_warm, initargs=(self.engine,))

    def start(self) -> None:
        self.pool = self._new_pool()
        for n in range(self.processes):
            thread = threading.Thread(target=self._feed, name=f"intake-feeder-{n}", daemon=True)
            thread.start()
            self.threads.append(thread)
        for row in self.store.unfinished():
            log.info("re-queued %s after a restart", row["id"])
            self.store.set_state(row["id"], "queued")
            self.jobs.put(row["id"])

    def submit(self, app_id: str) -> None:
        self.jobs.put(app_id)

    def stop(self) -> None:
        self._stopping = True
        for _ in self.threads:
            self.jobs.put(None)
        if self.pool is not None:
            # Whatever is mid-way stays `running` in the database and is re-queued at the next start,
            # so the workers are ended now rather than waited for (an application takes ~10-30 s).
            processes = list(getattr(self.pool, "_processes", {}).values())
            self.pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()

    def _feed(self) -> None:
        while True:
            app_id = self.jobs.get()
            if app_id is None:
                return
            try:
                self._run(app_id)
            except Exception:  # noqa: BLE001 - one application's trouble must not stop the feeder
                log.exception("application %s could not be processed", app_id)
                self.store.set_state(app_id, "failed", "内部错误 / internal error")

    def _run(self, app_id: str) -> None:
        row = self.store.get(app_id)
        if row is None or row["state"] not in ("queued", "running"):
            return
        self.store.set_state(app_id, "running")
        pool = self.pool
        assert pool is not None
        try:
            future = pool.submit(self.job, str(self.uploads / app_id), row["as_of"].isoformat(), row["region"],
                                 self.engine)
        except RuntimeError:
            return  # the pool is shut down: the server is stopping; the row stays running and is re-queued at start
        try:
            result = future.result()
        except BrokenProcessPool:
            if self._stopping:
                return  # we ended the workers ourselves; the row stays running and is re-queued at start
            self._replace_pool(pool)
            if row["attempts"] + 1 >= MAX_ATTEMPTS:
                log.warning("worker process died on %s again; giving up", app_id)
                self.store.set_state(app_id, "failed", "识别进程崩溃 / the OCR worker process crashed on this application",
                                     count_attempt=True)
                return
            log.warning("worker process died on %s; queued again", app_id)
            self.store.set_state(app_id, "queued", count_attempt=True)
            self.jobs.put(app_id)
            return
        except CancelledError:
            return  # cancelled by a stopping server; re-queued at the next start
        except Exception as exc:  # noqa: BLE001 - a broken engine or a bug: the application fails, visibly
            log.warning("application %s failed: %s", app_id, type(exc).__name__)
            self.store.set_state(app_id, "failed", f"处理失败 / processing failed: {type(exc).__name__}: {exc}")
            return
        report = ApplicationReport.model_validate_json(result)
        self.store.store_report(app_id, report)
        log.info("application %s done: %s in %.1f s", app_id, report.status, report.seconds)

    def _replace_pool(self, broken: ProcessPoolExecutor) -> None:
        with self._pool_lock:
            if self.pool is broken:
                broken.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool()
