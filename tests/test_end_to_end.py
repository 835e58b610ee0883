"""`intake scan` end to end on the committed demo samples, with the real Tesseract.

Checks the contract's shape (JSON Schema exported from the models), the golden
files, and that each application's verdict is the one its ground truth expects.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from intake.cli import app
from intake.models import Report
from tests.golden import AS_OF, GOLDEN, SAMPLES, outputs, run_scan


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scan")
    run_scan(out)
    return out


def test_report_json_validates_against_the_exported_schema(scanned: Path) -> None:
    schema = json.loads(CliRunner().invoke(app, ["schema"]).output)
    report = json.loads((scanned / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)
    assert report["schema_version"] == 1 and report["as_of"] == AS_OF and report["region"] == "default"
    Report.model_validate(report)


def test_every_application_is_reported_with_its_files(scanned: Path) -> None:
    report = json.loads((scanned / "report.json").read_text(encoding="utf-8"))
    folders = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir())
    assert sorted(a["application_id"] for a in report["applications"]) == folders
    for application in report["applications"]:
        on_disk = sorted(str(p.relative_to(SAMPLES / application["application_id"]))
                         for p in (SAMPLES / application["application_id"]).rglob("*") if p.is_file())
        assert sorted({d["file"] for d in application["documents"]}) == on_disk


def test_verdicts_match_ground_truth(scanned: Path) -> None:
    report = json.loads((scanned / "report.json").read_text(encoding="utf-8"))
    for application in report["applications"]:
        truth = json.loads((SAMPLES / f"{application['application_id']}.truth.json").read_text(encoding="utf-8"))
        expected = truth["expected"]
        failed = {c["id"].split(".")[0] for c in application["checks"] if c["status"] == "fail"}
        assert set(expected["failing_checks"]) <= failed, (application["application_id"], truth["planted"])
        assert set(expected["missing"]) <= set(application["missing"])


def test_outputs_match_golden_files(scanned: Path) -> None:
    for name, text in outputs(scanned).items():
        golden = (GOLDEN / name).read_text(encoding="utf-8")
        assert text == golden, f"{name} differs from tests/golden/{name}; if intended, run `python -m tests.golden --update`"


def test_summary_has_one_row_per_application(scanned: Path) -> None:
    rows = (scanned / "summary.csv").read_text(encoding="utf-8").strip().splitlines()
    report = json.loads((scanned / "report.json").read_text(encoding="utf-8"))
    assert len(rows) == 1 + len(report["applications"])
    assert "report.html" not in rows[0] and "申请" in (scanned / "report.html").read_text(encoding="utf-8")


def test_second_run_resumes_from_the_store(scanned: Path) -> None:
    before = (scanned / "report.json").read_text(encoding="utf-8")
    run_scan(scanned)  # everything is in results.sqlite: nothing is OCRed again
    after = json.loads((scanned / "report.json").read_text(encoding="utf-8"))
    assert [a["seconds"] for a in after["applications"]] == [a["seconds"] for a in json.loads(before)["applications"]]
