"""The benchmarks can fail: bench/_report.py turns a missed target or a failed check into exit code 1 and writes
the figures to a JSON file; every bench in bench/ reports through it. Fast: nothing is timed or measured here."""

import ast
import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture
def report_module():
    spec = importlib.util.spec_from_file_location("bench_report_under_test", BENCH / "_report.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def test_met_targets_exit_0_and_write_the_figures(report_module, tmp_path):
    report = report_module.Report("demo", params={"rows": 10}, out=tmp_path / "demo.json")
    report.figure("p95", 120, "ms", target=150, baseline=40, baseline_label="raw SQL")
    report.figure("cached", 3, "ms")  # information only: no target, never fails
    report.figure("errors", 0, target=0, op="<=")
    report.figure("rows/s", 30_000, target=25_000, op=">=")
    report.check("restored equals the original", True)
    assert report.finish() == 0
    data = json.loads((tmp_path / "demo.json").read_text())
    assert data["exit_code"] == 0
    assert data["failed"] == []
    assert data["params"] == {"rows": 10}
    assert [f["met"] for f in data["figures"]] == [True, None, True, True]
    assert data["figures"][0]["ratio"] == 3.0
    assert {"date", "commit", "cpu_count", "load_average"} <= set(data["run"])


@pytest.mark.parametrize(
    ("value", "target", "op"),
    [(151, 150, "<"), (1, 0, "<="), (20_000, 25_000, ">="), (299, 300, "==")],
)
def test_a_missed_target_exits_1(report_module, tmp_path, value, target, op):
    report = report_module.Report("demo", out=tmp_path / "demo.json")
    report.figure("measure", value, target=target, op=op)
    assert report.finish() == 1
    assert json.loads((tmp_path / "demo.json").read_text())["failed"] == ["measure"]


def test_a_failed_check_exits_1(report_module, tmp_path):
    report = report_module.Report("demo", out=tmp_path / "demo.json")
    report.figure("p95", 1, "ms", target=150)
    report.check("a new row shows in the next request", False, "learners 10 -> 10")
    assert report.finish(extra={"pages": []}) == 1
    data = json.loads((tmp_path / "demo.json").read_text())
    assert data["failed"] == ["a new row shows in the next request"]
    assert data["pages"] == []


def test_cannot_run_exits_2_and_says_why(report_module, tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_OUT_DIR", str(tmp_path))
    assert report_module.Report("faults").cannot_run("needs root") == 2
    data = json.loads((tmp_path / "faults.json").read_text())
    assert data["exit_code"] == 2
    assert data["cannot_run"] == "needs root"


def test_extra_keys_may_not_hide_the_verdict(report_module, tmp_path):
    report = report_module.Report("demo", out=tmp_path / "demo.json")
    with pytest.raises(ValueError, match="failed"):
        report.finish(extra={"failed": []})


@pytest.mark.parametrize("path", sorted(BENCH.glob("bench_*.py")), ids=lambda p: p.name)
def test_every_bench_reports_through_the_helper_and_exits_with_its_code(path):
    tree = ast.parse(path.read_text())
    imports = {
        a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module == "_report"
        for a in n.names
    }
    assert "Report" in imports, f"{path.name} does not use bench/_report.py"
    main_block = next(n for n in tree.body if isinstance(n, ast.If) and "__main__" in ast.unparse(n.test))
    assert "sys.exit(" in ast.unparse(main_block), f"{path.name} does not exit with its code"
