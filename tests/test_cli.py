"""The command line's promises: help for every command, exit codes, usage errors in the user's terms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from intake.cli import app

runner = CliRunner()


@pytest.mark.parametrize("command", ["scan", "samples", "check-id", "schema", "serve", "users"])
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_unknown_region_is_a_usage_error_listing_the_known_ones(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(tmp_path), "--out", str(tmp_path / "out"), "--region", "atlantis"])
    assert result.exit_code == 2
    assert "atlantis" in result.output and "default" in result.output and "three-months" in result.output


def test_missing_input_and_bad_date_are_usage_errors(tmp_path: Path) -> None:
    assert runner.invoke(app, ["scan", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]).exit_code == 2
    result = runner.invoke(app, ["scan", str(tmp_path), "--out", str(tmp_path / "o"), "--as-of", "24/11/2026"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    assert runner.invoke(app, ["scan", str(tmp_path), "--out", str(tmp_path / "o"), "--engine", "nope"]).exit_code == 2


def test_empty_application_folder_gets_a_report(tmp_path: Path) -> None:
    (tmp_path / "APP-1").mkdir()
    (tmp_path / "APP-1" / "IMG_0001.jpg").write_bytes(b"")
    result = runner.invoke(app, ["scan", str(tmp_path / "APP-1"), "--out", str(tmp_path / "out"), "--as-of", "2026-11-24"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    [application] = report["applications"]
    assert application["status"] == "incomplete"
    assert application["documents"][0]["type"] == "unreadable" and "empty" in application["documents"][0]["error"]
    assert "birth_certificate" in application["missing"]


def test_check_id_exit_codes() -> None:
    ok = runner.invoke(app, ["check-id", "11010519491231002X"])
    assert ok.exit_code == 0 and "11010519491231002X" in ok.output
    bad = runner.invoke(app, ["check-id", "11010519491231002X", "110105194912310021"])
    assert bad.exit_code == 1 and "校验" in bad.output


def test_schema_is_json_schema_of_the_report() -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).output)
    assert schema["title"] == "Report" and "applications" in schema["properties"]
