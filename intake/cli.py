"""The command line: thin commands over the library, and the one place errors become exit codes.

Exit status: 0 when every application got a report (whatever its status),
2 for a usage error, 1 when the run itself failed (a broken installation).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from intake.models import Report
from intake.ocr import DEFAULT_ENGINE, engine_choices

app = typer.Typer(help="intake：新生儿医保卡申请材料预审 / pre-screens newborn medical insurance card applications.",
                  no_args_is_help=True, add_completion=False)
console = Console(stderr=True)

STATUS_STYLE = {"complete": "green", "incomplete": "yellow", "inconsistent": "red", "needs_review": "magenta"}


def fail(message: str, code: int) -> typer.Exit:
    console.print(f"[bold red]错误 / Error:[/] {message}")
    return typer.Exit(code)


def parse_as_of(text: Optional[str]) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"--as-of 应为 YYYY-MM-DD / --as-of must be a date like 2026-11-24, not {text!r}", 2)


@app.command()
def scan(
    input: Path = typer.Argument(..., help="一份申请的文件夹，或包含多份申请子文件夹的批次文件夹 / an application folder or a batch folder"),
    out: Path = typer.Option(..., "--out", help="报告输出文件夹 / folder for report.json, summary.csv, report.html"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="申请日期 YYYY-MM-DD（默认今天） / application date"),
    region: str = typer.Option("default", "--region", help="地区规则 / region rule set"),
    engine: str = typer.Option(DEFAULT_ENGINE, "--engine", help=f"OCR 引擎 / OCR engine: {', '.join(engine_choices())}"),
    workers: int = typer.Option(0, "--workers", help="并行进程数（默认全部 CPU） / worker processes (default: all cores)"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask 调度器地址 / run on a Dask cluster, e.g. tcp://10.0.0.5:8786"),
) -> None:
    """批量预审 / Pre-screen a folder of applications and write the reports."""
    from intake.batch import run_batch
    from intake.ingest import InputError, find_applications
    from intake.ocr import ENGINES, EngineError, get_engine
    from intake.report import write_reports
    from intake.schemas import SchemaError, UnknownRegion, region as load_region

    day = parse_as_of(as_of)
    if engine not in ENGINES:
        raise fail(f"未知的 OCR 引擎 {engine!r}；可选 / choose one of: {', '.join(ENGINES)}", 2)
    try:
        load_region(region)
        applications = find_applications(input)
        get_engine(engine)  # fail now, with the fix, rather than inside every worker
    except (UnknownRegion, InputError) as exc:
        raise fail(str(exc), 2)
    except (EngineError, SchemaError) as exc:
        raise fail(str(exc), 1)
    workers = workers or os.cpu_count() or 1
    if not applications:
        console.print("[yellow]没有找到申请 / no applications found[/]")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=console, transient=False) as progress:
        task = progress.add_task("预审中 / screening", total=len(applications))

        def done(_report, _cached: bool) -> None:
            progress.advance(task)

        try:
            report = run_batch(applications, out, day, region, engine, workers, on_done=done, scheduler=scheduler)
        except KeyboardInterrupt:
            raise fail("已中断；再次运行同一命令会从中断处继续 / interrupted; run the same command again to resume", 130)
    written = write_reports(report, out)
    print_summary(report, written["report.html"])


def print_summary(report: Report, html: Path) -> None:
    counts = Counter(a.status for a in report.applications)
    table = Table(title="预审结果 / results")
    table.add_column("结论 / status")
    table.add_column("申请数 / applications", justify="right")
    for status, style in STATUS_STYLE.items():
        table.add_row(f"[{style}]{status}[/]", str(counts.get(status, 0)))
    table.add_row("[bold]合计 / total[/]", str(len(report.applications)))
    Console().print(table)
    Console().print(f"报告 / report: {html.resolve()}")


@app.command()
def schema() -> None:
    """打印 report.json 的 JSON Schema / Print the JSON Schema of report.json."""
    print(json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2))


@app.command()
def samples(
    out: Path = typer.Argument(..., help="输出文件夹 / output folder"),
    count: int = typer.Option(10, "--count", min=1, help="申请份数 / number of applications"),
    seed: int = typer.Option(1, "--seed", help="随机种子（同一种子结果相同） / seed; same seed, same files"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="申请日期 / application date (default 2026-11-24)"),
    difficulty: str = typer.Option("normal", "--difficulty", help="easy | normal | hard"),
    workers: int = typer.Option(1, "--workers", min=1, help="并行进程数 / processes (same files either way)"),
    fonts: Optional[str] = typer.Option(
        None, "--fonts", help="只用名称含这些词的字体（逗号分隔） / only fonts whose name holds one of these, e.g. gbsn,LXGW"),
    problems: Optional[str] = typer.Option(
        None, "--problems", help="每份申请依次只设这些问题（逗号分隔） / plant only these problems, in turn, in every "
                                 "application, e.g. names.child,names.mother"),
    certificate_layout: str = typer.Option(
        "ruled", "--certificate-layout", help="出生医学证明版式 / the birth certificate's layout: ruled (labels "
                                              "in Chinese and English on lines), grid (a table), or mixed"),
    skew: Optional[float] = typer.Option(
        None, "--skew", min=0.0, max=45.0,
        help="手机照片中文件最大倾斜角度 / the most a phone photo's document lies turned, in degrees (default 6, hard 9)"),
    minority_names: Optional[float] = typer.Option(
        None, "--minority-names", min=0.0, max=1.0,
        help="以音译名（如 阿依古丽·买买提）命名的家庭比例 / share of families with transliterated names such as "
             "阿依古丽·买买提 (default: the 维吾尔族 families, about 2%)"),
) -> None:
    """生成合成样例申请 / Generate synthetic sample applications with ground truth."""
    from intake.samplegen import generate_set
    from intake.samplegen.plan import PROBLEMS
    from intake.samplegen.fonts import ONLY_ENV, faces
    from intake.samplegen.capture import SKEW_ENV
    from intake.samplegen.people import MINORITY_ENV

    if fonts:
        os.environ[ONLY_ENV] = fonts
    if minority_names is not None:
        os.environ[MINORITY_ENV] = str(minority_names)
    if skew is not None:
        os.environ[SKEW_ENV] = str(skew)
    try:
        faces()
    except RuntimeError as exc:
        raise fail(f"没有可用的中文字体 / no usable Chinese font: {exc}", 2 if fonts else 1)

    if difficulty not in ("easy", "normal", "hard"):
        raise fail("--difficulty 只能是 easy、normal 或 hard / must be easy, normal or hard", 2)
    planted = [p.strip() for p in problems.split(",") if p.strip()] if problems else None
    unknown = [p for p in planted or [] if p not in PROBLEMS]
    if unknown:
        raise fail(f"未知的问题 / unknown problems: {', '.join(unknown)}; choose from {', '.join(PROBLEMS)}", 2)
    from intake.samplegen.paper import CERTIFICATE_LAYOUTS

    if certificate_layout not in (*CERTIFICATE_LAYOUTS, "mixed"):
        raise fail(f"--certificate-layout 只能是 {'、'.join(CERTIFICATE_LAYOUTS)} 或 mixed / must be "
                   f"{', '.join(CERTIFICATE_LAYOUTS)} or mixed", 2)
    day = parse_as_of(as_of) if as_of else date(2026, 11, 24)
    folders = generate_set(out, count=count, seed=seed, as_of=day, difficulty=difficulty, workers=workers,
                           problems=planted, certificate_layout=certificate_layout)
    Console().print(f"已生成 {len(folders)} 份申请 / wrote {len(folders)} applications to {out}")


@app.command("check-id")
def check_id(numbers: list[str] = typer.Argument(..., help="身份证号码 / ID numbers")) -> None:
    """校验身份证号码 / Check Chinese resident ID numbers (exit 0 when all are valid)."""
    from intake.idnumber import check_id_command

    raise typer.Exit(check_id_command(numbers))


from intake.web.cli import serve, users_app  # noqa: E402  (the staff web app's commands)

app.add_typer(users_app, name="users", help="员工账号 / staff accounts for the web app")
app.command("serve")(serve)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
