"""Render the window in its main states to PNG files (docs/screenshots/), for the README.

    .venv/bin/python scripts/screenshots.py [--host http://127.0.0.1:11435] [--out docs/screenshots]

Runs the real window offscreen (QT_QPA_PLATFORM=offscreen; no display or Xvfb needed; under a
real X server or `xvfb-run` (Debian packages xvfb, libxcb-cursor0, libxkbcommon-x11-0) it works
with QT_QPA_PLATFORM=xcb too). It uses a fresh data folder, imports a few files of
../shared/corpus, and asks a real model through Ollama (or ../shared/llm-stack) at --host.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
QUESTION = "Which obligations do providers of high-risk AI systems have?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default=os.environ.get("OLLAMA_HOST", "http://127.0.0.1:11435"))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DESKTOP_RAG_HOME"] = tempfile.mkdtemp(prefix="shots-")
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtWidgets import QApplication

    from desktop_rag.core.offline import apply_environment

    apply_environment()
    app = QApplication([])
    app.setStyle("Fusion")
    from desktop_rag.qt.main_window import MainWindow

    window = MainWindow(host=args.host)
    window.resize(1500, 900)
    window.show()

    def pump(condition, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                sys.exit(f"timed out waiting for {what}")
            app.processEvents()
            time.sleep(0.01)

    def shot(name: str) -> None:
        for _ in range(20):
            app.processEvents()
        path = args.out / f"{name}.png"
        window.grab().save(str(path))
        print("wrote", path)

    pump(lambda: window.workspace is not None and not window._refreshing
         and window.library_panel.add_button.isVisible(), 60, "the empty library")
    shot("1-empty-library")

    files = [CORPUS / "eu_ai_act_official.pdf", CORPUS / "pdf" / "multi-column-2p.pdf",
             CORPUS / "pdf" / "password.pdf"]
    files = [f for f in files if f.exists()] or [CORPUS]
    window.import_paths(files)
    # A moment well into the embedding of the big PDF, so the bar shows real progress.
    pump(lambda: "embedding 2" in window.library_panel.progress_label.text(), 900, "embedding")
    shot("2-import-in-progress")
    pump(lambda: window.import_job is None and not window._refreshing, 1800, "the import")

    window.inspector.setCurrentWidget(window.chunks)
    window.library_panel.select_document("eu_ai_act_official.pdf") or \
        window.library_panel.select_document("multi-column-2p.pdf")
    pump(lambda: bool(window.chunks.rows), 60, "the chunks")
    window.chunks.search.setText("high-risk")
    window.chunks.table.setCurrentCell(next(r for r in range(len(window.chunks.rows))
                                          if not window.chunks.table.isRowHidden(r)), 0)
    shot("3-chunk-inspector")
    window.chunks.search.clear()

    pump(lambda: window.ollama.connected is not None, 30, "Ollama")
    if not window.ollama.connected:
        sys.exit(f"no Ollama at {args.host}: start one (bash ../shared/llm-stack/start.sh)")
    window.generation.logprobs_check.setChecked(True)
    window.generation.max_tokens_spin.setValue(160)
    window.generation.temperature_slider.setValue(4)
    window.chat.input.setPlainText(QUESTION)
    window.chat.send_button.click()
    pump(lambda: window.ask_job is None, 900, "the answer")
    window.inspector.setCurrentWidget(window.passages)
    shot("4-answer-with-passages")

    turn = window.chat.turns[-1]
    cited = turn.record.get("citations") or []
    if cited:
        window.open_citation(len(window.chat.turns) - 1, cited[0]["number"])
    else:
        window.passages._open(0)
    pump(lambda: window.viewer.current_path is not None, 30, "the viewer")
    for _ in range(30):  # the viewer frames the passage in a few timer slices
        app.processEvents()
        time.sleep(0.05)
    shot("5-source-at-cited-page")

    window.inspector.setCurrentWidget(window.tokens)
    shot("6-token-probabilities")
    window.inspector.setCurrentWidget(window.prompt)
    shot("7-prompt-and-budget")
    window.inspector.setCurrentWidget(window.generation)
    shot("8-generation-settings")

    # A summary tree of the two-page paper, built by the model (a small text budget per
    # summary, so that it takes a minute or two rather than the AI Act's half hour).
    from desktop_rag.core.store.summary_prompt import SummarySettings, save_summary_settings

    save_summary_settings(window.workspace.library.folder,
                          SummarySettings(budget=600, summary_tokens=96))
    window.library_panel.select_document("multi-column-2p.pdf")
    pump(lambda: window.chunks.doc is not None and window.chunks.doc.name ==
         "multi-column-2p.pdf", 60, "the paper's chunks")
    window.inspector.setCurrentWidget(window.chunks)
    window.chunks.views.setCurrentIndex(1)
    window.chunks.tree_view.build_button.click()
    pump(lambda: "cluster 2/" in window.summary_strip.label.text(), 600, "the tree's progress")
    shot("9-summary-tree-building")
    pump(lambda: not window.summary_ctl.running, 1800, "the summary tree")
    tree = window.chunks.tree_view
    pump(lambda: tree.tree.topLevelItemCount() > 0, 60, "the tree view")
    top = tree.tree.topLevelItem(0)
    top.setExpanded(True)
    tree.tree.setCurrentItem(top.child(0) or top)
    shot("10-summary-tree")
    window.close()


if __name__ == "__main__":
    main()
