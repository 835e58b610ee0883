"""A morning rush at the front desk: several clients upload at once; how long until each verdict?

    python bench/web_burst.py                      # 20 generated applications, 4 clients, 2 OCR workers
    python bench/web_burst.py --count 8 --clients 2 --workers 1 --set DIR

Starts a real server (`intake serve`, real Tesseract, SQLite in a temporary
data folder), then each client uploads its share of the applications back to
back with HTTP Basic and polls until every one is done. Prints each upload as
it is stored (201) and each report as it is done, then the total time, the
throughput and the per-application latency (upload start to report seen) at
p50 and p95; also how many statuses agree with the set's ground truth.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import httpx

from intake.ingest import list_files
from intake.ocr import DEFAULT_ENGINE
from intake.web.devserver import DevServer, add_user

USER, PASSWORD = "bench", "bench-password"
POLL_SECONDS = 0.5
print_lock = threading.Lock()


def say(text: str) -> None:
    with print_lock:
        print(text, flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def client(name: str, url: str, folders: list[Path], as_of: date, results: dict[str, dict], started: float) -> None:
    """Upload every folder of this client's share, then poll them all until done."""
    http = httpx.Client(base_url=url, auth=(USER, PASSWORD), timeout=120)
    pending: dict[str, dict] = {}
    for folder in folders:
        t0 = time.perf_counter()
        files = [("files", (rel.name, (folder / rel).read_bytes(), "application/octet-stream"))
                 for rel in list_files(folder).files]
        answer = http.post("/api/applications", files=files, data={"as_of": as_of.isoformat(), "region": "default"})
        if answer.status_code != 201:
            say(f"[{name}] {folder.name}: upload refused {answer.status_code} {answer.text[:200]}")
            results[folder.name] = {"state": "refused", "latency": None}
            continue
        app_id = answer.json()["id"]
        pending[app_id] = {"folder": folder.name, "t0": t0, "files": len(files)}
        say(f"[{name}] {time.perf_counter() - started:6.1f}s  201 stored  {folder.name} -> {app_id} "
            f"({len(files)} files, {time.perf_counter() - t0:.2f} s)")
    while pending:
        for app_id, info in list(pending.items()):
            body = http.get(f"/api/applications/{app_id}").json()
            if body["state"] in ("done", "failed"):
                latency = time.perf_counter() - info["t0"]
                status = body["report"]["status"] if body["report"] else None
                results[info["folder"]] = {"state": body["state"], "status": status, "latency": latency,
                                           "seconds": body["report"]["seconds"] if body["report"] else None}
                say(f"[{name}] {time.perf_counter() - started:6.1f}s  {body['state']:<6} {app_id} {status or body.get('error')} "
                    f"latency {latency:.1f} s")
                del pending[app_id]
        time.sleep(POLL_SECONDS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="OCR worker processes of the server")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--as-of", default="2026-11-24")
    parser.add_argument("--set", type=Path, help="an existing generated set instead of a new one")
    parser.add_argument("--engine", default=DEFAULT_ENGINE)
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)

    with tempfile.TemporaryDirectory(prefix="intake-burst-") as tmp:
        work = Path(tmp)
        if args.set:
            folders = sorted(p for p in args.set.iterdir() if p.is_dir())[: args.count]
            truth_dir = args.set
        else:
            from intake.samplegen import generate_set

            t = time.perf_counter()
            folders = generate_set(work / "set", count=args.count, seed=args.seed, as_of=as_of)
            truth_dir = work / "set"
            print(f"generated {len(folders)} applications in {time.perf_counter() - t:.1f} s", flush=True)
        truth = {p.name.removesuffix(".truth.json"): json.loads(p.read_text(encoding="utf-8"))
                 for p in truth_dir.glob("*.truth.json")}
        data = work / "data"
        add_user(data, USER, PASSWORD)
        shares = [folders[i::args.clients] for i in range(args.clients)]
        results: dict[str, dict] = {}
        with DevServer(data, engine=args.engine, workers=args.workers) as server:
            print(f"server {server.url} with {args.workers} OCR worker(s); {args.clients} clients", flush=True)
            started = time.perf_counter()
            threads = [threading.Thread(target=client, args=(f"c{i + 1}", server.url, share, as_of, results, started))
                       for i, share in enumerate(shares)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            total = time.perf_counter() - started

    done = [r for r in results.values() if r["state"] == "done"]
    latencies = [r["latency"] for r in done]
    agree = sum(1 for name, r in results.items() if name in truth and truth[name]["expected"]["status"] == r.get("status"))
    print()
    print(f"uploads stored (201): {sum(r['state'] != 'refused' for r in results.values())}/{len(folders)}")
    print(f"reports done:         {len(done)}/{len(folders)}  (failed: {sum(r['state'] == 'failed' for r in results.values())})")
    print(f"total time:           {total:.1f} s  ({60 * len(done) / total:.1f} applications/min)")
    if latencies:
        print(f"latency p50 / p95:    {percentile(latencies, .5):.1f} s / {percentile(latencies, .95):.1f} s "
              f"(min {min(latencies):.1f}, max {max(latencies):.1f})")
        print(f"pipeline seconds:     mean {statistics.mean(r['seconds'] for r in done):.1f} s per application in a worker")
    if truth:
        print(f"status as planted:    {agree}/{len(folders)}")
    return 0 if len(done) == len(folders) else 1


if __name__ == "__main__":
    sys.exit(main())
