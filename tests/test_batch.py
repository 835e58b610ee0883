"""Batches: a run killed part-way resumes to the same report, and a Dask cluster gives the same report as local workers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from intake.batch import STORE, run_batch
from intake.ingest import find_applications
from intake.ocr import DEFAULT_ENGINE

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "demo"
AS_OF = date(2026, 11, 24)


def small_batch(root: Path, applications: int = 3, files: int = 2) -> Path:
    """A few applications of a few real sample scans each, to keep the real OCR quick."""
    batch = root / "batch"
    for folder in sorted(p for p in SAMPLES.iterdir() if p.is_dir())[:applications]:
        (batch / folder.name).mkdir(parents=True)
        for path in sorted(folder.iterdir())[:files]:
            shutil.copy(path, batch / folder.name / path.name)
    return batch


def comparable(report: dict) -> dict:
    for application in report["applications"]:
        application["seconds"] = 0
    return report


def stored(out: Path) -> int:
    try:
        with sqlite3.connect(out / STORE) as db:
            return db.execute("select count(*) from results").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_killed_run_resumes_to_the_same_report(tmp_path: Path) -> None:
    batch = small_batch(tmp_path)
    reference = run_batch(find_applications(batch), tmp_path / "reference", AS_OF, "default", DEFAULT_ENGINE, 1)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "intake.cli", "scan", str(batch), "--out", str(out), "--as-of", AS_OF.isoformat(),
               "--workers", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 240
    while stored(out) < 1 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert process.poll() is None, "the run finished before it could be killed; use a bigger batch"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = stored(out)
    assert 1 <= done_before < 3 and not (out / "report.json").exists()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    resumed = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert stored(out) == 3
    assert [a["application_id"] for a in resumed["applications"]] == [a.application_id for a in reference.applications]
    assert comparable(resumed) == comparable(reference.model_dump(mode="json"))


def test_dask_cluster_gives_the_same_report_as_local_workers(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    batch = small_batch(tmp_path, applications=2, files=2)
    applications = find_applications(batch)
    local = run_batch(applications, tmp_path / "local", AS_OF, "default", DEFAULT_ENGINE, 2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_batch(applications, tmp_path / "dask", AS_OF, "default", DEFAULT_ENGINE, 2,
                           scheduler=cluster.scheduler_address)
    assert comparable(remote.model_dump(mode="json")) == comparable(local.model_dump(mode="json"))


def test_a_changed_folder_reads_only_its_new_and_changed_files(tmp_path: Path, monkeypatch) -> None:
    """The store keys whole folders; the page cache keys file contents, so a renamed file is not read again."""
    import intake.pipeline

    batch = small_batch(tmp_path, applications=1, files=3)
    out = tmp_path / "out"
    first = run_batch(find_applications(batch), out, AS_OF, "default", DEFAULT_ENGINE, 1)
    folder = next(batch.iterdir())
    files = sorted(folder.iterdir())
    files[0].rename(folder / f"renamed{files[0].suffix}")  # same content, new name
    extra = sorted(p for p in next(p for p in sorted(SAMPLES.iterdir()) if p.is_dir() and p.name != folder.name).iterdir())[0]
    shutil.copy(extra, folder / f"added{extra.suffix}")  # a file the cache has never seen
    read = []
    real = intake.pipeline.read_document
    monkeypatch.setattr(intake.pipeline, "read_document", lambda page, engine: read.append(page.file) or real(page, engine))
    second = run_batch(find_applications(batch), out, AS_OF, "default", DEFAULT_ENGINE, 1)
    assert sorted(set(read)) == [f"added{extra.suffix}"]
    before = {d.file: d for d in first.applications[0].documents}
    after = {d.file: d for d in second.applications[0].documents}
    assert after[f"renamed{files[0].suffix}"].fields == before[files[0].name].fields
    assert len(after) == len(before) + 1


def test_a_batch_run_again_by_a_newer_reader_is_read_again(tmp_path: Path, monkeypatch) -> None:
    """Reports an older reader stored are not handed back after an upgrade: the pages are read again."""
    import intake.pipeline

    batch = small_batch(tmp_path, applications=1, files=2)
    out = tmp_path / "out"
    run_batch(find_applications(batch), out, AS_OF, "default", DEFAULT_ENGINE, 1)
    done = []
    run_batch(find_applications(batch), out, AS_OF, "default", DEFAULT_ENGINE, 1, on_done=lambda report, cached: done.append(cached))
    assert done == [True]
    monkeypatch.setattr(intake.pipeline, "READER_VERSION", intake.pipeline.READER_VERSION + 1)
    read = []
    real = intake.pipeline.read_document
    monkeypatch.setattr(intake.pipeline, "read_document", lambda page, engine: read.append(page.file) or real(page, engine))
    run_batch(find_applications(batch), out, AS_OF, "default", DEFAULT_ENGINE, 1, on_done=lambda report, cached: done.append(cached))
    assert done == [True, False]
    assert len(read) == 2
