"""Layout pieces shared by the parts of the Settings tab (qt/generation_panel.py and
qt/template_editor.py): forms whose long rows wrap, rows of widgets, and hints under a field.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QWidget


def wrapping_form(box: QGroupBox) -> QFormLayout:
    layout = QFormLayout(box)
    layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return layout


def row(*widgets: QWidget) -> QWidget:
    line = QWidget()
    layout = QHBoxLayout(line)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return line


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    font = label.font()
    if font.pointSizeF() > 0:  # -1 when the font is sized in pixels
        font.setPointSizeF(font.pointSizeF() * 0.9)
        label.setFont(font)
    return label
