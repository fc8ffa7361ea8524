"""Benchmark: a full biennial report of the Son La demo (every section, tables and charts) approved (its figures
frozen in both languages) and written as DOCX and PDF by the background task's body, target < 15 s in all; the
PDF must have 40 pages or more. Baseline measured in the same run: reportlab writing the same number of pages of
plain text (the floor of the PDF library alone).
Writes var/bench/reporting.json; exits 1 when the target is missed or a check fails.

Run: .venv/bin/python bench/bench_reporting.py [--small]   (a temporary SQLite file, or DATABASE_URL)
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["TESTING"] = "1"
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="lc_bench_reporting_"))

import django

django.setup()

from _report import Report  # noqa: E402
from django.core.management import call_command  # noqa: E402


def plain_pdf(pages: int) -> float:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    started = time.perf_counter()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for n in range(pages):
        for line in range(60):
            c.drawString(50, 800 - line * 12, f"page {n} line {line} " + "x" * 60)
        c.showPage()
    c.save()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="the tests' small demo instead of the full one")
    args = parser.parse_args()
    report = Report("reporting", params={"demo": "small" if args.small else "full"})
    call_command("migrate", verbosity=0)
    from learningcity.core.demo import DemoContext, create_city
    from learningcity.core.registry import app_modules

    started = time.perf_counter()
    city = create_city()
    ctx = DemoContext(city=city, password="bench-password-123", log=lambda *a: None, small=args.small)
    for module in sorted(app_modules("demo"), key=lambda m: getattr(m, "ORDER", 100)):
        if module.__name__ != "learningcity.reporting.demo":
            module.load(ctx)
    report.figure("demo loaded (setup)", time.perf_counter() - started, "s")

    import pikepdf

    from learningcity.reporting import services
    from learningcity.reporting.models import Document
    from learningcity.reporting.tasks import build

    admin = ctx.users["admin"]
    draft = services.report_create(actor=admin, city=city, kind="biennial", year_from=2024, year_to=2026)
    draft = services.report_send_for_review(actor=admin, report=draft)
    t0 = time.perf_counter()
    approved = services.report_approve(actor=admin, report=draft)
    t_freeze = time.perf_counter() - t0
    timings = {}
    files = {}
    for fmt in ("docx", "pdf"):
        document = Document.objects.create(
            city=city, report=approved, fmt=fmt, language="vi", requested_by=admin
        )
        t0 = time.perf_counter()
        build(document.pk)
        timings[fmt] = time.perf_counter() - t0
        document.refresh_from_db()
        files[fmt] = document.file.read()
    pages = len(pikepdf.open(io.BytesIO(files["pdf"])).pages)
    total = t_freeze + timings["docx"] + timings["pdf"]
    baseline = plain_pdf(pages)
    report.figure("figures frozen (both languages)", t_freeze, "s")
    report.figure("DOCX written", timings["docx"], "s")
    report.figure("PDF written", timings["pdf"], "s")
    report.figure(
        "full report: freeze + DOCX + PDF",
        total,
        "s",
        target=15,
        baseline=baseline,
        baseline_label=f"plain {pages}-page PDF",
    )
    report.figure("PDF pages", pages, "", target=40, op=">=")
    report.figure("DOCX size", len(files["docx"]) / 1e6, "MB")
    report.figure("PDF size", len(files["pdf"]) / 1e6, "MB")
    report.check(
        "the PDF opens and the DOCX is a zip", files["pdf"].startswith(b"%PDF") and files["docx"][:2] == b"PK"
    )
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
