"""Cold start of the desktop window: time to the first paint, and resident memory.

    python benchmarks/startup.py [--runs 5] [--chunks 10000]

Each run is a fresh process (offscreen Qt, a fresh data folder holding one small imported
library), timed from the moment it is started to the first paint of the main window, then
to the library's document list being shown, and checked for responsiveness (a zero-delay timer
posted after the paint must fire quickly). Resident memory is read at the paint and after the
documents are shown, before any import. The baseline in the same run is an empty QMainWindow in
a fresh process: what Qt alone costs on this machine.
Targets (issue 4): under 2 s to a painted, responsive window; under 400 MB before an import.

The same window then opens a library of 10,000 chunks (--chunks; 100 documents, synthetic
vectors, committed and indexed as an import leaves them), timed to its documents shown, also
without the documents snapshot its last write kept (a library last written by an older
version: the list is then read through LanceDB). Target (issue 18): its documents shown under
1 s after the window's first paint; the heavy modules loaded at that moment are listed.
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
        result["documents"] = len(window.documents)
        result["modules_at_documents"] = sorted(m for m in HEAVY if m in sys.modules)
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


BUILD = r"""
import hashlib, sys, time
import numpy as np
from desktop_rag.core.ingest.chunking import Chunk
from desktop_rag.core.ingest.elements import Element
from desktop_rag.core.store import schema as S
from desktop_rag.core.store.indexes import maintain
from desktop_rag.core.store.libraries import open_library
chunks, documents = int(sys.argv[1]), 100
library = open_library()
library.model = {"id": "sentence-transformers/all-MiniLM-L6-v2", "dimension": 384,
                 "normalized": True}
library.save_meta()
rng = np.random.default_rng(0)
words = "bread river library answer question window search model vector page".split()
batch = []
for d in range(documents):
    name = f"document-{d:03d}.txt"
    n = chunks // documents + (d < chunks % documents)
    texts = [" ".join(rng.choice(words, 60)) for _ in range(n)]
    vectors = rng.standard_normal((n, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    record = S.DocumentRecord(path=f"/documents/{name}", name=name, file_type="txt",
                              doc_id=hashlib.sha256(name.encode()).hexdigest(), mime="text/plain")
    batch.append((record, [Element(t, "NarrativeText") for t in texts],
                  [Chunk(i, t, 0, len(t), (), "", ("NarrativeText",), 70)
                   for i, t in enumerate(texts)], vectors))
    if len(batch) == 10:  # ten commits, as ten import runs would leave the tables
        library.commit_new_documents(batch)
        batch = []
maintain(library)
print(library.chunks_table.count_rows())
"""


def prepare_large(home: Path, chunks: int) -> None:
    """A library of `chunks` chunks in 100 documents, built in seconds (no model, no parsing)."""
    env = {**os.environ, "DESKTOP_RAG_HOME": str(home)}
    out = subprocess.run([sys.executable, "-c", BUILD, str(chunks)], env=env, check=True,
                         capture_output=True, text=True)
    assert int(out.stdout.split()[-1]) == chunks, out.stdout


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
    parser.add_argument("--chunks", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home, large = Path(tmp) / "home", Path(tmp) / "large"
        prepare_home(home)
        prepare_large(large, args.chunks)
        snapshot = large / "data" / "libraries" / "default" / "documents-snapshot.json"
        kept = snapshot.read_bytes() if snapshot.exists() else None  # None: before issue 18
        app, base, big, cold = [], [], [], []
        for _ in range(args.runs):  # interleaved, so load changes hit all alike
            base.append(run("baseline", home))
            app.append(run("app", home))
            big.append(run("app", large))
            snapshot.unlink(missing_ok=True)
            cold.append(run("app", large))
            if kept is not None:
                snapshot.write_bytes(kept)
    med = lambda rows, key: statistics.median(r[key] for r in rows)  # noqa: E731
    after_paint = lambda rows: statistics.median(  # noqa: E731
        r["documents_s"] - r["paint_s"] for r in rows)
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
        f"big_{args.chunks}_chunks_documents": big[-1]["documents"],
        "big_paint_s": med(big, "paint_s"),
        "big_documents_shown_s": med(big, "documents_s"),
        "big_documents_after_paint_s": after_paint(big),
        "big_documents_after_paint_s_max": max(r["documents_s"] - r["paint_s"] for r in big),
        "big_heavy_modules_at_documents": big[-1]["modules_at_documents"],
        "big_no_snapshot_shown_s": med(cold, "documents_s"),
        "big_no_snapshot_after_paint_s": after_paint(cold),
    }
    for key, value in report.items():
        print(f"{key:28} {value:.3f}" if isinstance(value, float) else f"{key:28} {value}")
    ok = report["app_paint_s"] < 2.0 and report["app_idle_rss_mb"] < 400
    print("targets (paint < 2 s, idle < 400 MB):", "met" if ok else "NOT met")
    print(f"target ({args.chunks} chunks: documents < 1 s after the paint):",
          "met" if report["big_documents_after_paint_s"] < 1.0 else "NOT met")


if __name__ == "__main__":
    main()
