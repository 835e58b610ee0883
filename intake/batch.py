"""Run many applications: worker processes that keep their OCR engine loaded, and a
SQLite store in OUT that records each finished application at once, so a run
stopped by Ctrl-C, a crash or kill -9 resumes where it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from intake.models import ApplicationInput, ApplicationReport, Document, Report

STORE = "results.sqlite"


class Store:
    """Finished applications, keyed by folder; a changed folder or setting is processed again."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("pragma journal_mode=wal")
        self.db.execute("pragma synchronous=full")
        self.db.execute(
            "create table if not exists results (folder text primary key, fingerprint text not null, report text not null)"
        )

    def get(self, folder: str, fingerprint: str) -> ApplicationReport | None:
        row = self.db.execute("select report from results where folder = ? and fingerprint = ?", (folder, fingerprint)).fetchone()
        return ApplicationReport.model_validate_json(row[0]) if row else None

    def put(self, folder: str, fingerprint: str, report: ApplicationReport) -> None:
        self.db.execute("insert or replace into results values (?, ?, ?)", (folder, fingerprint, report.model_dump_json()))

    def close(self) -> None:
        self.db.close()


class DocumentCache:
    """What each page read as, keyed by the file's content hash: a folder that gained or lost a file
    is judged again, but its unchanged files are not read again, whatever they are now called."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None, timeout=60)
        self.db.execute("pragma journal_mode=wal")
        self.db.execute("create table if not exists documents (key text primary key, document text not null)")

    def get(self, key: str) -> Document | None:
        row = self.db.execute("select document from documents where key = ?", (key,)).fetchone()
        if not row:
            return None
        stored = json.loads(row[0])
        document = Document.model_validate(stored["document"])
        for name, alternatives in stored["alternatives"].items():
            document.fields[name].alternatives = alternatives
        return document

    def put(self, key: str, document: Document) -> None:
        # A field's alternatives are left out of the report (and of model_dump), but an application read
        # again from here must be reconciled as it was the first time.
        stored = {"document": document.model_dump(mode="json"),
                  "alternatives": {name: f.alternatives for name, f in document.fields.items() if f.alternatives}}
        self.db.execute("insert or replace into documents values (?, ?)", (key, json.dumps(stored, ensure_ascii=False)))


def fingerprint(application: ApplicationInput, settings: str) -> str:
    """Names, sizes and modification times of the files, plus the run's settings."""
    digest = hashlib.sha256(settings.encode())
    for rel in application.files:
        try:
            st = (application.folder / rel).stat()
            digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
        except OSError:
            digest.update(f"{rel}\0missing\n".encode("utf-8", "surrogateescape"))
    for rel, reason in application.problems:
        digest.update(f"{rel}\0{reason}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _worker_init() -> None:
    # One Tesseract per worker process, each on one core: its own threads only fight the other workers.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _opencv_on_one_thread() -> None:
    """OpenCV's own pool (a thread a core) in each of several workers fights the others for the cores
    (20 applications, 2 workers: 10.88 -> 9.32 s an application on one thread each). Set in the parent
    before a pool forks its workers, which inherit it: resized in a forked child, the pool hangs."""
    import cv2

    cv2.setNumThreads(1)


_caches: dict[Path, DocumentCache] = {}


def _process(application: ApplicationInput, as_of: date, region: str, engine: str,
             cache: Path | None = None) -> ApplicationReport:
    from intake.memory import returned_after
    from intake.pipeline import process_application

    if cache and cache not in _caches:
        _caches[cache] = DocumentCache(cache)
    documents = _caches[cache] if cache else None
    with returned_after():
        return process_application(application, as_of=as_of, region=region, engine=engine, documents=documents)


def run_batch(applications: list[ApplicationInput], out: Path, as_of: date, region: str, engine: str,
              workers: int, on_done: Callable[[ApplicationReport, bool], None] | None = None,
              scheduler: str | None = None) -> Report:
    """Process what the store does not already hold; return the whole batch's report in input order."""
    from intake.pipeline import READER_VERSION

    # A report a reader before this one made is made again: the same pages read better after an upgrade.
    settings = json.dumps({"as_of": as_of.isoformat(), "region": region, "engine": engine, "reader": READER_VERSION})
    store = Store(out / STORE)
    results: dict[str, ApplicationReport] = {}
    todo: list[tuple[ApplicationInput, str]] = []
    for application in applications:
        key = str(application.folder.resolve())
        print_key = fingerprint(application, settings)
        cached = store.get(key, print_key)
        if cached is not None:
            results[key] = cached
            if on_done:
                on_done(cached, True)
        else:
            todo.append((application, print_key))
    try:
        run = (_run_dask(todo, as_of, region, engine, scheduler) if scheduler
               else _run(todo, as_of, region, engine, workers, out / STORE))
        for application, print_key, report in run:
            key = str(application.folder.resolve())
            store.put(key, print_key, report)
            results[key] = report
            if on_done:
                on_done(report, False)
    finally:
        store.close()
    ordered = [results[str(a.folder.resolve())] for a in applications]
    return Report(as_of=as_of, region=region, applications=ordered)


def _failed(application: ApplicationInput, exc: BaseException) -> ApplicationReport:
    """A worker that died on an application still leaves a report that says so."""
    from intake.models import Check

    message = f"处理失败，请人工审核 / processing failed; check by hand: {type(exc).__name__}: {exc}"
    return ApplicationReport(application_id=application.application_id, status="needs_review",
                             checks=[Check(id="documents.processing", status="review", message=message)])


def _run(todo: list[tuple[ApplicationInput, str]], as_of: date, region: str, engine: str,
         workers: int, cache: Path | None = None) -> Iterable[tuple[ApplicationInput, str, ApplicationReport]]:
    if workers <= 1 or len(todo) <= 1:
        _worker_init()
        for application, print_key in todo:
            try:
                report = _process(application, as_of, region, engine, cache)
            except Exception as exc:  # noqa: BLE001 - reported in the application, the batch goes on
                report = _failed(application, exc)
            yield application, print_key, report
        return
    _opencv_on_one_thread()
    queue = list(reversed(todo))
    suspects: list[tuple[ApplicationInput, str]] = []
    while queue:
        with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as pool:
            pending: dict[Future, tuple[ApplicationInput, str]] = {}
            while queue or pending:
                # Keep only a few in flight so a stop loses little work and memory stays flat.
                while queue and len(pending) < 2 * workers:
                    application, print_key = queue.pop()
                    pending[pool.submit(_process, application, as_of, region, engine, cache)] = (application, print_key)
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                if any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                    # A worker killed by the OS (memory, a crash in native code) takes the pool and all
                    # work in flight with it; which application did it is found by retrying each alone.
                    suspects.extend(pending.values())
                    break
                for future in done:
                    application, print_key = pending.pop(future)
                    error = future.exception()
                    yield application, print_key, (_failed(application, error) if error else future.result())
    for application, print_key in suspects:
        with ProcessPoolExecutor(max_workers=1, initializer=_worker_init) as pool:
            future = pool.submit(_process, application, as_of, region, engine, cache)
            error = future.exception()
            yield application, print_key, (_failed(application, error) if error else future.result())


def _run_dask(todo: list[tuple[ApplicationInput, str]], as_of: date, region: str, engine: str,
              scheduler: str) -> Iterable[tuple[ApplicationInput, str, ApplicationReport]]:
    """The same work on a Dask cluster; each Dask worker process keeps its own engine loaded."""
    from distributed import Client, as_completed

    with Client(scheduler) as client:
        client.run(_worker_init)
        client.run(_opencv_on_one_thread)  # Dask's worker processes are started afresh, not forked
        futures = {client.submit(_process, application, as_of, region, engine, pure=False): (application, print_key)
                   for application, print_key in todo}
        for future in as_completed(futures):
            application, print_key = futures[future]
            yield application, print_key, future.result()
