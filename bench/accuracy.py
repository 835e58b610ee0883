"""How well intake reads and judges a generated set, against the set's ground truth.

    python bench/accuracy.py --count 30 --seed 7 [--difficulty hard] [--engine rapidocr]
    python bench/accuracy.py --set DIR            # an existing generated set
    python bench/accuracy.py ... --save NAME      # keep the figures in bench/runs/ and compare with the last kept run

Prints field accuracy per document type and field (a field is right only when
the whole value is exactly right), classification, person and status accuracy,
planted problems caught, false alarms, how well confidence separates right
from wrong, and seconds per application.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from intake.batch import run_batch
from intake.ocr import DEFAULT_ENGINE
from intake.ingest import find_applications
from intake.models import Report
from intake.validate import TRUST

RUNS = Path(__file__).parent / "runs"
console = Console()


def load_truth(set_dir: Path) -> dict[str, dict]:
    return {p.name.removesuffix(".truth.json"): json.loads(p.read_text(encoding="utf-8")) for p in sorted(set_dir.glob("*.truth.json"))}


def score(report: Report, truth: dict[str, dict]) -> dict:
    fields = defaultdict(lambda: [0, 0])  # "type.field" -> [right, total]
    confidence_bins = {"high": [0, 0], "low": [0, 0]}
    classified, persons, statuses = [0, 0], [0, 0], [0, 0]
    planted_caught, planted_total, false_alarms, missed, clean_apps = 0, 0, [], [], 0
    failures = []
    for app in report.applications:
        expected = truth.get(app.application_id)
        if expected is None:
            continue
        found = {(d.file, d.page): d for d in app.documents}
        for doc in expected["documents"]:
            got = found.get((doc["file"], doc["page"]))
            classified[1] += 1
            right_type = got is not None and got.type.value == doc["type"]
            classified[0] += right_type
            if not right_type:
                failures.append(f"{app.application_id}/{doc['file']}: type {got.type.value if got else None} != {doc['type']}")
            if doc["type"] in ("id_card_front", "id_card_back", "social_security_card"):
                persons[1] += 1
                persons[0] += bool(right_type and got.person == doc["person"])
                if right_type and got.person != doc["person"]:
                    failures.append(f"{app.application_id}/{doc['file']}: {doc['type']} person {got.person} != {doc['person']}")
            for name, value in doc.get("fields", {}).items():
                read = got.fields.get(name) if right_type else None
                ok = read is not None and read.value == value
                fields[f"{doc['type']}.{name}"][0] += ok
                fields[f"{doc['type']}.{name}"][1] += 1
                if read is not None:
                    confidence_bins["high" if read.confidence >= TRUST else "low"][0] += ok
                    confidence_bins["high" if read.confidence >= TRUST else "low"][1] += 1
                if not ok and right_type:
                    failures.append(f"{app.application_id}/{doc['file']}: {name} {read.value if read else None!r} != {value!r}")
        want = expected["expected"]
        statuses[1] += 1
        statuses[0] += app.status == want["status"]
        failed = {c.id.split(".")[0] for c in app.checks if c.status == "fail"}
        reviewed = {c.id.split(".")[0] for c in app.checks if c.status == "review"}
        if expected["planted"]:
            planted_total += 1
            caught = set(want["failing_checks"]) <= failed and set(want.get("missing", [])) <= set(app.missing) \
                and set(want.get("review_checks", [])) <= (reviewed | failed)
            planted_caught += caught
            if not caught:
                checks = {c.id: c.status for c in app.checks if c.status != "pass"}
                missed.append(f"{app.application_id}: {expected['planted']} ({expected.get('note', '')}); {app.status}, {checks}")
        else:
            clean_apps += 1
        unexpected = failed - set(want["failing_checks"])
        if unexpected:
            false_alarms.append(f"{app.application_id}: {sorted(unexpected)}")
    return {
        "fields": {k: v for k, v in sorted(fields.items())},
        "classification": classified, "person": persons, "status": statuses,
        "planted": [planted_caught, planted_total], "false_alarms": false_alarms, "missed": missed, "clean_apps": clean_apps,
        "confidence": confidence_bins, "failures": failures,
    }


def ratio(pair: list[int]) -> float:
    return pair[0] / pair[1] if pair[1] else float("nan")


def per_type(fields: dict[str, list[int]]) -> dict[str, list[int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, (right, total) in fields.items():
        totals[key.split(".")[0]][0] += right
        totals[key.split(".")[0]][1] += total
    return dict(totals)


def print_scores(result: dict, seconds: float, applications: int, previous: dict | None) -> None:
    def delta(key: str, value: float) -> str:
        if not previous or key not in previous.get("summary", {}):
            return ""
        change = value - previous["summary"][key]
        return "" if abs(change) < 1e-9 else (f"[green]+{change:.3f}[/]" if change > 0 else f"[red]{change:.3f}[/]")

    table = Table(title="字段准确率 / field accuracy (exact whole value)")
    for column in ("field", "right", "total", "accuracy", "vs last"):
        table.add_column(column)
    for key, pair in result["fields"].items():
        table.add_row(key, str(pair[0]), str(pair[1]), f"{ratio(pair):.3f}", delta(key, ratio(pair)))
    for key, pair in per_type(result["fields"]).items():
        table.add_row(f"[bold]{key} (all)[/]", str(pair[0]), str(pair[1]), f"[bold]{ratio(pair):.3f}[/]", delta(key, ratio(pair)))
    overall = [sum(p[0] for p in result["fields"].values()), sum(p[1] for p in result["fields"].values())]
    table.add_row("[bold]all fields[/]", str(overall[0]), str(overall[1]), f"[bold]{ratio(overall):.3f}[/]", delta("fields", ratio(overall)))
    console.print(table)
    summary = Table(title="总体 / overall")
    for column in ("measure", "value", "vs last"):
        summary.add_column(column)
    rows = [
        ("classification", result["classification"]), ("person (ID cards, insurance card)", result["person"]),
        ("status", result["status"]), ("planted problems caught", result["planted"]),
        ("confident fields right (conf >= %.2f)" % TRUST, result["confidence"]["high"]),
        ("unsure fields right (conf < %.2f)" % TRUST, result["confidence"]["low"]),
    ]
    for label, pair in rows:
        summary.add_row(label, f"{pair[0]}/{pair[1]} = {ratio(pair):.3f}", delta(label, ratio(pair)))
    summary.add_row("false alarms (fail not planted)", str(len(result["false_alarms"])), "")
    summary.add_row("applications", str(applications), "")
    summary.add_row("seconds per application (wall)", f"{seconds / max(applications, 1):.2f}", "")
    console.print(summary)
    for line in result["false_alarms"]:
        console.print(f"  false alarm: {line}")
    for line in result["missed"]:
        console.print(f"  planted, not caught: {line}")


def summary_of(result: dict) -> dict[str, float]:
    values = {key: ratio(pair) for key, pair in result["fields"].items()}
    values.update({key: ratio(pair) for key, pair in per_type(result["fields"]).items()})
    values["fields"] = ratio([sum(p[0] for p in result["fields"].values()), sum(p[1] for p in result["fields"].values())])
    values.update({"classification": ratio(result["classification"]), "person (ID cards, insurance card)": ratio(result["person"]),
                   "status": ratio(result["status"]), "planted problems caught": ratio(result["planted"])})
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", type=Path, help="an existing generated set (default: generate one)")
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--difficulty", default="normal", choices=["easy", "normal", "hard"])
    parser.add_argument("--engine", default=DEFAULT_ENGINE)
    parser.add_argument("--region", default="default")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--save", help="keep this run's figures under bench/runs/ with this name")
    parser.add_argument("--show-failures", type=int, default=20, help="how many wrong fields to list")
    args = parser.parse_args(argv)

    import os

    work = Path(tempfile.mkdtemp(prefix="intake-bench-"))
    set_dir = args.set
    if set_dir is None:
        from intake.samplegen import generate_set

        set_dir = work / "set"
        console.print(f"generating {args.count} applications (seed {args.seed}, {args.difficulty}) in {set_dir}")
        generate_set(set_dir, count=args.count, seed=args.seed, as_of=date(2026, 11, 24), difficulty=args.difficulty)
    truth = load_truth(set_dir)
    as_of = date.fromisoformat(next(iter(truth.values()))["as_of"]) if truth else date.today()
    applications = find_applications(set_dir)
    started = time.perf_counter()
    report = run_batch(applications, work / "out", as_of, args.region, args.engine, args.workers or os.cpu_count() or 1)
    seconds = time.perf_counter() - started
    result = score(report, truth)
    previous = None
    runs = sorted(RUNS.glob("*.json"))
    if runs:
        previous = json.loads(runs[-1].read_text(encoding="utf-8"))
        console.print(f"compared with {runs[-1].name}")
    print_scores(result, seconds, len(report.applications), previous)
    for line in result["failures"][: args.show_failures]:
        console.print(f"  wrong: {line}", markup=False)
    if args.save:
        RUNS.mkdir(exist_ok=True)
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{args.save}.json"
        record = {"args": {k: str(v) for k, v in vars(args).items()}, "summary": summary_of(result),
                  "seconds_per_application": seconds / max(len(report.applications), 1)}
        (RUNS / name).write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
        console.print(f"saved bench/runs/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
