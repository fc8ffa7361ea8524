"""What every benchmark in bench/ reports, and how it fails: each figure beside its target and its same-run baseline.

    report = Report("places_geojson", params={"spaces": 10_000})
    report.figure("GeoJSON, cold", 120.0, "ms", target=150, baseline=4.2, baseline_label="raw SQL")
    report.figure("GeoJSON, cached", 3.1, "ms", baseline=4.2)          # no target: for information
    report.check("restored database equals the original", digest == before)
    sys.exit(report.finish())

`finish()` prints the table, writes the figures to var/bench/<name>.json (BENCH_OUT_DIR, or `out=`, changes where)
with the machine's cpu count, load average, the date and the git commit, and returns the exit code:
0 every target met and every check held, 1 a target missed or a check failed, 2 the bench could not run
(`cannot_run()`: a precondition such as root or the production stack is missing). The machines are shared and
noisy: a figure is judged against its target once; compare the ratios between runs, not the absolute figures.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import operator
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MET, MISSED, CANNOT_RUN = 0, 1, 2
OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}


@dataclass
class Figure:
    label: str
    value: float
    unit: str = ""
    target: float | None = None  # None: shown for information, never fails
    op: str = "<"  # value <op> target is what meets it
    baseline: float | None = None  # the same quantity of the baseline measured in the same run
    baseline_label: str = ""
    note: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.target is None else bool(OPS[self.op](self.value, self.target))

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


@dataclass
class Check:
    label: str
    ok: bool
    detail: str = ""


@dataclass
class Report:
    name: str
    params: dict[str, Any] = field(default_factory=dict)
    out: Path | None = None
    figures: list[Figure] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.out is None:
            self.out = Path(os.environ.get("BENCH_OUT_DIR") or ROOT / "var" / "bench") / f"{self.name}.json"

    def figure(self, label: str, value: float, unit: str = "", **kw: Any) -> Figure:
        if kw.get("op", "<") not in OPS:
            raise ValueError(f"unknown comparison {kw['op']!r}; one of {', '.join(OPS)}")
        fig = Figure(label, float(value), unit, **kw)
        self.figures.append(fig)
        return fig

    def check(self, label: str, ok: bool, detail: str = "") -> bool:
        self.checks.append(Check(label, bool(ok), detail))
        return bool(ok)

    @property
    def failed(self) -> list[str]:
        return [f.label for f in self.figures if f.met is False] + [c.label for c in self.checks if not c.ok]

    def print_table(self) -> None:
        if self.figures:
            print(f"\n{'measure':<48} {'value':>14} {'baseline':>10} {'ratio':>7} {'target':>14}")
            for f in self.figures:
                target = "" if f.target is None else f"{f.op} {_num(f.target)} {f.unit}".rstrip()
                verdict = {None: "", True: "ok", False: "MISSED"}[f.met]
                base = "" if f.baseline is None else _num(f.baseline)
                ratio = "" if f.ratio is None else f"{f.ratio:.2f}"
                print(
                    f"{f.label[:48]:<48} {(_num(f.value) + ' ' + f.unit).rstrip():>14} {base:>10} {ratio:>7} {target:>14} {verdict}".rstrip()
                )
                if f.baseline_label or f.note:
                    print(
                        f"    {'; '.join(x for x in (f.baseline_label and 'baseline: ' + f.baseline_label, f.note) if x)}"
                    )
        for c in self.checks:
            print(f"check: {c.label}: {'ok' if c.ok else 'FAILED'}{f' ({c.detail})' if c.detail else ''}")

    def finish(self, extra: dict[str, Any] | None = None, *, table: bool = True) -> int:
        """Print the table (unless the bench prints its own), write the JSON file, return the exit code."""
        failed = self.failed
        code = MISSED if failed else MET
        if table:
            self.print_table()
        self._write(code, extra)
        print(f"figures written to {_shown(self.out)}")
        print(f"targets missed or checks failed: {', '.join(failed)}" if failed else "every target met")
        return code

    def cannot_run(self, reason: str) -> int:
        """The bench could not measure anything (a missing precondition): exit 2, said and written down."""
        print(f"cannot run: {reason}")
        self._write(CANNOT_RUN, {"cannot_run": reason})
        return CANNOT_RUN

    def _write(self, code: int, extra: dict[str, Any] | None) -> None:
        data: dict[str, Any] = {
            "bench": self.name,
            "run": machine(),
            "params": self.params,
            "figures": [{**asdict(f), "met": f.met, "ratio": f.ratio} for f in self.figures],
            "checks": [asdict(c) for c in self.checks],
            "failed": self.failed,
            "exit_code": code,
        }
        clash = set(extra or {}) & set(data)
        if clash:
            raise ValueError(f"extra keys clash with the report's own: {sorted(clash)}")
        data.update(extra or {})
        assert self.out is not None
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.out.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n")


def machine() -> dict[str, Any]:
    """Where and when the figures were taken: they mean little without the machine's load beside them."""
    load1, load5, load15 = os.getloadavg()
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "cpu_count": os.cpu_count(),
        "load_average": [round(load1, 2), round(load5, 2), round(load15, 2)],
        "python": platform.python_version(),
        "argv": sys.argv,
    }


def _git(*args: str) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _num(x: float) -> str:
    if not math.isfinite(x):
        return str(x)
    return f"{x:,.0f}" if abs(x) >= 100 or x == int(x) else f"{x:.2f}" if abs(x) >= 1 else f"{x:.3g}"


def _shown(path: Path | None) -> str:
    try:
        return str(Path(path or "").resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
