"""The documents list: names elided at the end with their extension kept, the full name in the
tooltip. Elided in the middle, names sharing their start and end looked identical."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from desktop_rag.qt.library_panel import LibraryPanel

NAMES = ["example-10k.html", "example-with-scripts.html", "embedding-benchmarks.pdf",
         "embedding-models.pdf", "embedded-images-tables.pdf", "notes"]


def _doc(name: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, path=f"/home/user/Documents/{name}", doc_id=name,
                           short_id=name[:6], file_type=name.rpartition(".")[2] or "txt",
                           pages=3, chunks=12, state="imported", error="", duplicate_of="",
                           warnings="")


def _shown(panel: LibraryPanel) -> dict[str, str]:
    """Each name as the list paints it in its current width."""
    table = panel.table
    delegate = table.itemDelegateForColumn(0) or table.itemDelegate()
    shown = {}
    for row in range(panel.proxy.rowCount()):
        index = panel.proxy.index(row, 0)
        option = QStyleOptionViewItem()
        option.initFrom(table.viewport())
        option.widget = table
        option.rect = table.visualRect(index)
        delegate.initStyleOption(option, index)
        shown[index.data()] = option.text
    return shown


def test_names_are_elided_at_the_end_keeping_the_extension(qtbot):
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(400, 400)
    panel.show()
    panel.set_documents([_doc(n) for n in NAMES])
    qtbot.wait(10)
    shown = _shown(panel)
    metrics = panel.table.fontMetrics()
    width = panel.table.columnWidth(0)
    assert any("…" in text for text in shown.values()), (width, shown)
    # Names differing after their first few characters stay apart: 'example-10k.html' is
    # whole and 'example-with-….html' is not 'examp….html' twice.
    assert shown["example-10k.html"] != shown["example-with-scripts.html"]
    for name, text in shown.items():
        assert metrics.horizontalAdvance(text) < width, (name, text, width)
        if "." in name:
            assert text.endswith("." + name.rpartition(".")[2]), (name, text)
        if "…" in text:  # what is kept is the start of the name
            assert name.startswith(text.split("…")[0]), (name, text)
    row = panel.model.docs.index(next(d for d in panel.model.docs
                                      if d.name == "example-with-scripts.html"))
    tooltip = panel.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.splitlines()[0] == "example-with-scripts.html (html)"


def test_a_wide_list_shows_whole_names(qtbot):
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    panel.set_documents([_doc(n) for n in NAMES])
    qtbot.wait(10)
    assert set(_shown(panel).values()) == set(NAMES)
