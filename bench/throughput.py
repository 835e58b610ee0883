"""Batch throughput: intake against the naive baseline on the same images, in the same run.

    python bench/throughput.py --count 200 [--workers 2] [--set DIR]
    python bench/throughput.py --count 20 --scheduler     # scaling on a local Dask cluster, 1 then 2 workers

The baseline is what an office script would do: `tesseract IMAGE - -l chi_sim`
for every image, one process per image, as many at once as intake has workers.
Peak memory per worker is the largest resident size any worker process reached.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from intake.batch import run_batch
from intake.ingest import find_applications
from intake.ocr import DEFAULT_ENGINE

AS_OF = date(2026, 11, 24)


def images_of(set_dir: Path) -> list[Path]:
    return [p for p in set_dir.rglob("*") if p.is_file() and p.parent != set_dir]


def baseline(images: list[Path], workers: int) -> float:
    def one(path: Path) -> None:
        subprocess.run(["tesseract", str(path), "-", "-l", "chi_sim"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env={**os.environ, "OMP_THREAD_LIMIT": "1"}, check=False)

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, images))
    return time.perf_counter() - started


def intake_run(set_dir: Path, workers: int, engine: str, scheduler: str | None = None) -> float:
    out = Path(tempfile.mkdtemp(prefix="intake-throughput-"))
    applications = find_applications(set_dir)
    started = time.perf_counter()
    run_batch(applications, out, AS_OF, "default", engine, workers, scheduler=scheduler)
    elapsed = time.perf_counter() - started
    shutil.rmtree(out, ignore_errors=True)
    return elapsed


def dask_scaling(set_dir: Path, engine: str) -> None:
    from distributed import LocalCluster

    applications = len(find_applications(set_dir))
    timings = {}
    for n in (1, 2):
        # Quiet: at shutdown the scheduler closes before its workers' last heartbeat, and each worker
        # would print that as an error under the figures. A failed application fails the run anyway.
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.CRITICAL) as cluster:
            timings[n] = intake_run(set_dir, n, engine, scheduler=cluster.scheduler_address)
        print(f"dask, {n} worker(s): {timings[n]:.1f} s, {applications / timings[n] * 60:.1f} applications/min")
    print(f"scaling 1 -> 2 workers: {timings[1] / timings[2]:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", type=Path)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--scheduler", action="store_true", help="measure Dask scaling from 1 to 2 workers")
    parser.add_argument("--engine", default=DEFAULT_ENGINE, help=f"intake's OCR engine (default: {DEFAULT_ENGINE})")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args(argv)

    set_dir = args.set
    if set_dir is None:
        from intake.samplegen import generate_set

        set_dir = Path(tempfile.mkdtemp(prefix="intake-throughput-set-"))
        print(f"generating {args.count} applications in {set_dir} ...", flush=True)
        generate_set(set_dir, count=args.count, seed=args.seed, as_of=AS_OF, difficulty="normal")
    if args.scheduler:
        dask_scaling(set_dir, args.engine)
        return 0
    applications = len(find_applications(set_dir))
    images = images_of(set_dir)
    print(f"{applications} applications, {len(images)} files, {args.workers} workers, engine {args.engine}", flush=True)
    ours = intake_run(set_dir, args.workers, args.engine)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"intake:   {ours:.1f} s, {applications / ours * 60:.1f} applications/min, "
          f"{ours / applications:.2f} s/application, peak {peak_mb:.0f} MB per worker", flush=True)
    if not args.skip_baseline:
        theirs = baseline(images, args.workers)
        print(f"baseline: {theirs:.1f} s, {applications / theirs * 60:.1f} applications/min "
              f"(tesseract CLI per image, {args.workers} at once)")
        print(f"intake / baseline time: {ours / theirs:.2f} (target <= 0.80)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
