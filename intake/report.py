"""Stage 8: write the batch's report.json, summary.csv and report.html.

report.json is exactly the contract's shape (the models' dump); the CSV has
one row per application for spreadsheets; the HTML is for people.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path
from typing import Callable

from jinja2 import Environment, PackageLoader, select_autoescape

from intake.models import Report

STATUS_CN = {"complete": "齐全", "incomplete": "缺少材料", "inconsistent": "信息不一致", "needs_review": "需人工复核"}
SUMMARY_COLUMNS = ["application_id", "status", "status_cn", "missing", "failed_checks", "review_checks",
                   "deadline", "days_left", "documents"]


def atomic_write(path: Path, text: str) -> None:
    """Write beside the target and rename, so a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    os.replace(temporary, path)


def report_json(report: Report) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def summary_csv(report: Report) -> str:
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SUMMARY_COLUMNS)
    for app in report.applications:
        writer.writerow([
            app.application_id, app.status, STATUS_CN[app.status], ";".join(app.missing),
            ";".join(c.id for c in app.checks if c.status == "fail"),
            ";".join(c.id for c in app.checks if c.status == "review"),
            app.deadline.deadline.isoformat() if app.deadline.deadline else "",
            "" if app.deadline.days_left is None else app.deadline.days_left,
            len(app.documents),
        ])
    return buffer.getvalue()


_environment = Environment(loader=PackageLoader("intake", "templates"), autoescape=select_autoescape())


def report_html(report: Report) -> str:
    counts = {status: sum(a.status == status for a in report.applications) for status in STATUS_CN}
    return _environment.get_template("report.html").render(report=report, counts=counts, status_cn=STATUS_CN)


WRITERS: dict[str, Callable[[Report], str]] = {
    "report.json": report_json,
    "summary.csv": summary_csv,
    "report.html": report_html,
}


def write_reports(report: Report, out: Path) -> dict[str, Path]:
    written = {}
    for name, render in WRITERS.items():
        atomic_write(out / name, render(report))
        written[name] = out / name
    return written
