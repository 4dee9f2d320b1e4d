"""Cold start of the desktop window: time to the first paint, and resident memory.

    python benchmarks/startup.py [--runs 5]

Each run is a fresh process (offscreen Qt, a fresh data folder holding one small imported
library), timed from the moment it is started to the first paint of the main window, then
to the library's document list being shown (LanceDB loaded on a worker), and checked for
responsiveness (a zero-delay timer posted after the paint must fire quickly). Resident memory
is read at the paint and after the documents are shown, before any import. The baseline in
the same run is an empty QMainWindow in a fresh process: what Qt alone costs on this machine.
Targets (issue 4): under 2 s to a painted, responsive window; under 400 MB before an import.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = r"""
import os, sys, time, json
T0 = float(sys.argv[1])
HEAVY = ("torch", "sentence_transformers", "unstructured", "lancedb")
def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
result = {}
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "paint_s" not in result:
            result["paint_s"] = time.time() - T0
            result["paint_rss_mb"] = rss_mb()
            result["modules_at_paint"] = sorted(m for m in HEAVY if m in sys.modules)
            posted = time.perf_counter()
            def fired():
                result["first_timer_ms"] = (time.perf_counter() - posted) * 1000
                if sys.argv[2] == "baseline":
                    finish()
            QTimer.singleShot(0, fired)
        return False
def finish():
    result.setdefault("modules", sorted(m for m in HEAVY if m in sys.modules))
    print(json.dumps(result), flush=True)
    app.quit()
if sys.argv[2] == "baseline":
    window = QMainWindow()
else:
    from desktop_rag.core.offline import apply_environment
    apply_environment()
    from desktop_rag.qt.main_window import MainWindow
    window = MainWindow()
    def loaded():
        result["documents_s"] = time.time() - T0
        QTimer.singleShot(1000, lambda: (result.__setitem__("idle_rss_mb", rss_mb()), finish()))
    window.documents_loaded.connect(loaded)
paint_filter = FirstPaint()
window.installEventFilter(paint_filter)
window.resize(1400, 860)
window.show()
QTimer.singleShot(60_000, finish)
app.exec()
"""


def prepare_home(home: Path) -> None:
    """A library with one small document, so the window has a real list to show."""
    env = {**os.environ, "DESKTOP_RAG_HOME": str(home)}
    note = home / "note.txt"
    home.mkdir(parents=True, exist_ok=True)
    note.write_text("Sourdough bread needs a starter, flour, water and salt.", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "desktop_rag.cli", "import", str(note)], env=env,
                   check=True, capture_output=True)


def run(kind: str, home: Path) -> dict:
    env = {**os.environ, "DESKTOP_RAG_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    started = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, repr(started), kind], env=env,
                         capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        prepare_home(home)
        app, base = [], []
        for _ in range(args.runs):  # interleaved, so load changes hit both alike
            base.append(run("baseline", home))
            app.append(run("app", home))
    med = lambda rows, key: statistics.median(r[key] for r in rows)  # noqa: E731
    report = {
        "runs": args.runs,
        "baseline_paint_s": med(base, "paint_s"),
        "app_paint_s": med(app, "paint_s"),
        "app_paint_s_max": max(r["paint_s"] for r in app),
        "paint_ratio_to_bare_qt": med(app, "paint_s") / med(base, "paint_s"),
        "app_first_timer_ms": med(app, "first_timer_ms"),
        "app_documents_shown_s": med(app, "documents_s"),
        "app_paint_rss_mb": med(app, "paint_rss_mb"),
        "app_idle_rss_mb": med(app, "idle_rss_mb"),
        "baseline_rss_mb": med(base, "paint_rss_mb"),
        "heavy_modules_at_paint": app[-1]["modules_at_paint"],
        "heavy_modules_when_idle": app[-1]["modules"],
    }
    for key, value in report.items():
        print(f"{key:28} {value:.3f}" if isinstance(value, float) else f"{key:28} {value}")
    ok = report["app_paint_s"] < 2.0 and report["app_idle_rss_mb"] < 400
    print("targets (paint < 2 s, idle < 400 MB):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
