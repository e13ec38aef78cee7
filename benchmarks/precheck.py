"""Precision and recall of the evidence pre-check on generated documents (`make bench-precheck`,
also run by `make bench`).

Generates a set of real-looking evidence documents for a 2026 assessment whose rows accept
documents of 2024-2026 (T-0..T-2): decrees, reports and attendance lists, typed (WeasyPrint) and
scanned (pages rasterised, tilted, speckled, back into a PDF without text), about half of them
right and the others of a wrong year (typed as 2026, dated years earlier), of another region,
decrees without a number, or blank. Each one goes through the same pre-check the worker runs
(precheck.check_path, plus the row's year rule) and its findings are compared with the ones the
document was made to deserve. Prints:

    BENCH precheck documents=N typed=T scanned=S doc_precision=P doc_recall=R finding_precision=FP
          finding_recall=FR typed_ms=MT scanned_ms=MS
    BENCH precheck_<kind> documents=... doc_precision=... doc_recall=... finding_precision=... finding_recall=...
    BENCH precheck_finding code=C tp=... fp=... fn=...

"doc": a document flagged with any warning, against the documents made wrong; "finding": each
expected finding code (year_mismatch, year_outside, other_region, no_number, empty) against the
codes found. PRECHECK_DOCS sets the number of documents (default 40), PRECHECK_SEED the seed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("LUMBUNG_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from lumbung.assessment import precheck  # noqa: E402
from lumbung.assessment.models import Document  # noqa: E402
from lumbung.assessment.tests import evidence_samples  # noqa: E402

YEAR = 2026
ALLOWED = {YEAR, YEAR - 1, YEAR - 2}
CODES = ("year_mismatch", "year_outside", "other_region", "no_number", "empty")


def found_codes(sample, folder: Path) -> tuple[set[str], float]:
    path = folder / f"{sample.name}.pdf"
    path.write_bytes(sample.data)
    started = time.perf_counter()
    status, result = precheck.check_path(
        path, "pdf", region_name=evidence_samples.OWN[0], typed_year=sample.typed_year,
        typed_number=sample.typed_number, typed_date=None,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    document = Document(precheck=result, precheck_status=status)
    findings = precheck.row_findings(document, ALLOWED)
    return {f["code"] for f in findings if f["level"] == precheck.WARNING}, elapsed


def ratios(pairs) -> dict:
    """Document and finding precision/recall over (expected, found) pairs."""
    doc = Counter()
    finding = Counter()
    for expected, found in pairs:
        doc["tp"] += bool(expected) and bool(found)
        doc["fp"] += not expected and bool(found)
        doc["fn"] += bool(expected) and not found
        finding["tp"] += len(expected & found)
        finding["fp"] += len(found - expected)
        finding["fn"] += len(expected - found)

    def share(a, b):
        return a / (a + b) if a + b else 1.0

    return {
        "doc_precision": share(doc["tp"], doc["fp"]), "doc_recall": share(doc["tp"], doc["fn"]),
        "finding_precision": share(finding["tp"], finding["fp"]),
        "finding_recall": share(finding["tp"], finding["fn"]),
    }  # fmt: skip


def main() -> int:
    if not precheck.ocr_available():
        print("BENCH precheck skipped=tesseract-or-poppler-missing (scripts/install-system-packages.sh installs them)")
        return 0
    count = int(os.environ.get("PRECHECK_DOCS", "40"))
    seed = int(os.environ.get("PRECHECK_SEED", "7"))
    generated = time.perf_counter()
    samples = evidence_samples.catalogue(assessment_year=YEAR, count=count, seed=seed)
    generated = time.perf_counter() - generated
    results = []
    with tempfile.TemporaryDirectory(prefix="precheck-bench-") as folder:
        for sample in samples:
            found, elapsed = found_codes(sample, Path(folder))
            results.append((sample, found, elapsed))
            if os.environ.get("PRECHECK_VERBOSE"):
                print(f"  {sample.name:38s} expected={sorted(sample.expected)} found={sorted(found)} {elapsed:.1f}s")
    typed = [r for r in results if not r[0].scanned]
    scanned = [r for r in results if r[0].scanned]

    def line(name, group, extra=""):
        figures = ratios((sample.expected, found) for sample, found, _elapsed in group)
        text = " ".join(f"{key}={value:.3f}" for key, value in figures.items())
        print(f"BENCH {name} documents={len(group)} {text}{extra}")

    def mean_ms(group):
        return round(1000 * sum(r[2] for r in group) / len(group)) if group else 0

    timing = f" typed={len(typed)} scanned={len(scanned)} typed_ms={mean_ms(typed)} scanned_ms={mean_ms(scanned)}"
    line("precheck", results, timing + f" generate_s={generated:.1f}")
    line("precheck_typed", typed)
    line("precheck_scanned", scanned)
    for code in CODES:
        tp = sum(code in s.expected and code in f for s, f, _e in results)
        fp = sum(code not in s.expected and code in f for s, f, _e in results)
        fn = sum(code in s.expected and code not in f for s, f, _e in results)
        print(f"BENCH precheck_finding code={code} tp={tp} fp={fp} fn={fn}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
