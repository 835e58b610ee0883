"""Golden files: intake's outputs on the committed demo samples, with run-specific parts stripped.

    .venv/bin/python -m tests.golden --update    # after an intended change; review the diff before committing
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "demo"
GOLDEN = Path(__file__).resolve().parent / "golden"
AS_OF = "2026-11-24"


def run_scan(out: Path) -> None:
    from typer.testing import CliRunner

    from intake.cli import app

    result = CliRunner().invoke(app, ["scan", str(SAMPLES), "--out", str(out), "--as-of", AS_OF, "--workers", "2"])
    assert result.exit_code == 0, result.output


def stable_json(text: str) -> str:
    data = json.loads(text)
    for application in data["applications"]:
        application["seconds"] = 0
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def stable_text(text: str) -> str:
    return re.sub(r"/[^\s\"<>]*/", "/", text)


NORMALISE = {"report.json": stable_json, "summary.csv": stable_text, "report.html": stable_text}


def outputs(out: Path) -> dict[str, str]:
    return {name: fix((out / name).read_text(encoding="utf-8")) for name, fix in NORMALISE.items()}


def main() -> int:
    if "--update" not in sys.argv:
        print(__doc__)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        run_scan(Path(tmp))
        GOLDEN.mkdir(exist_ok=True)
        for name, text in outputs(Path(tmp)).items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
            print(f"wrote {GOLDEN / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
