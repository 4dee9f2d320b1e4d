"""The main window: library on the left, chat in the middle, inspector tabs on the right.

The window assembles the panels, menus and status bar, and connects them to the controllers
that do the work: qt/library_controller.py (which library, its documents), import_controller
(imports), documents_controller (chunks, re-chunking, removal), ask_controller (answers),
conversation_controller (the conversation, its sources, export) and ollama_controller (the
server, models, pulls). Heavy libraries load on the worker threads, after the first paint.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
)

from desktop_rag.core import paths
from desktop_rag.qt.ask_controller import AskController
from desktop_rag.qt.chat_panel import ChatPanel
from desktop_rag.qt.chunks_tab import ChunksTab
from desktop_rag.qt.conversation_controller import ConversationController
from desktop_rag.qt.documents_controller import DocumentsController
from desktop_rag.qt.generation_panel import GenerationPanel
from desktop_rag.qt.i18n import LanguageMenu
from desktop_rag.qt.import_controller import ImportController
from desktop_rag.qt.inspector import PassagesTab, PromptTab
from desktop_rag.qt.language_notice import LanguageNotice
from desktop_rag.qt.library_controller import LibraryController
from desktop_rag.qt.library_panel import LibraryPanel
from desktop_rag.qt.library_watch import LibraryWatch
from desktop_rag.qt.ollama_controller import OllamaController
from desktop_rag.qt.ollama_guide import OllamaGuide
from desktop_rag.qt.ollama_status import OllamaStatus
from desktop_rag.qt.source_viewer import SourceViewer
from desktop_rag.qt.summary_controller import SummaryController, SummaryProgressStrip
from desktop_rag.qt.tokens_view import TokensView

if TYPE_CHECKING:
    from desktop_rag.core.answer.conversations import Conversation
    from desktop_rag.core.workspace import Workspace
    from desktop_rag.qt.jobs import Job


def window_settings() -> QSettings:
    # Beside the libraries' own settings, so DESKTOP_RAG_HOME moves (and isolates) it too.
    return QSettings(str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    library_opened = Signal(str)
    documents_loaded = Signal()
    answer_finished = Signal(object)  # the core Answer
    ollama_checked = Signal(bool)

    def __init__(self, library: str | None = None, host: str | None = None,
                 embedder: Any = None) -> None:
        """embedder: an already loaded one to share (tests); by default each library loads
        its own model on first need."""
        super().__init__()
        self.setWindowTitle("desktop-rag")
        self.setAcceptDrops(True)
        self.settings = window_settings()
        self._build_panels()
        self._build_controllers(host, embedder)
        self._build_actions()
        self._connect()
        # Text views would take dropped files as text; the window imports them instead.
        for area in self.findChildren(QAbstractScrollArea):
            area.setAcceptDrops(False)
            area.viewport().setAcceptDrops(False)
        self._restore_layout()
        QTimer.singleShot(0, lambda: self.library_ctl.open(library))
        QTimer.singleShot(0, self.ollama_ctl.check)

    # -- building --------------------------------------------------------------------------

    def _build_panels(self) -> None:
        self.library_panel = LibraryPanel()
        self.chat = ChatPanel()
        self.passages = PassagesTab()
        self.chunks = ChunksTab()
        self.prompt = PromptTab()
        self.tokens = TokensView()
        self.viewer = SourceViewer()
        self.generation = GenerationPanel()
        self.inspector = QTabWidget()
        for widget, title in ((self.passages, self.tr("Passages")),
                              (self.chunks, self.tr("Chunks")),
                              (self.prompt, self.tr("Prompt")),
                              (self.tokens, self.tr("Tokens")),
                              (self.viewer, self.tr("Source")),
                              (self.generation, self.tr("Settings"))):
            self.inspector.addTab(widget, title)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.library_panel)
        self.splitter.addWidget(self.chat)
        self.splitter.addWidget(self.inspector)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)

        self.library_choice = QComboBox()
        self.library_choice.setMinimumContentsLength(14)
        self.ollama = OllamaStatus()
        self.embedder_label = QLabel()
        self.size_label = QLabel()
        self.summary_strip = SummaryProgressStrip()
        self.statusBar().addPermanentWidget(self.summary_strip)
        # Permanent widgets: temporary messages ("Answered in 3 s") must not hide them.
        self.statusBar().addPermanentWidget(self.ollama)
        self.statusBar().addPermanentWidget(self.embedder_label)
        self.statusBar().addPermanentWidget(self.size_label)

    def _build_controllers(self, host: str | None, embedder: Any) -> None:
        self.ollama_ctl = OllamaController(self.ollama, self.generation, self.settings, self,
                                           host)
        self.library_ctl = LibraryController(
            self.library_panel, self.library_choice, self, lambda: self.ollama_ctl.host,
            busy=lambda: self.import_job is not None or self.ask_job is not None,
            embedder=embedder)
        self.import_ctl = ImportController(self.library_panel, self)
        self.documents_ctl = DocumentsController(self.chunks, self)
        self.summary_ctl = SummaryController(self.summary_strip,
                                             lambda: self.generation.settings().model, self)
        self.search_check: Any = None  # Library > Check search quality..., made when asked
        # Changes another process makes (a command-line import) show up within seconds.
        self.library_watch = LibraryWatch(
            self.library_ctl, self,
            busy=lambda: self.import_job is not None or self.documents_ctl.working > 0)
        self.conversation_ctl = ConversationController(
            self.chat, self.passages, self.prompt, self.tokens, self.viewer, self,
            answering=lambda: self.ask_job is not None)
        self.ask_ctl = AskController(self.chat, self.generation, self.passages, self.prompt,
                                     self.conversation_ctl, self)
        self.ollama_guide = OllamaGuide(self.ollama_ctl, self.ollama, self.settings, self)
        self.language_notice = LanguageNotice(self, self.settings)

    def _build_actions(self) -> None:
        def action(text: str, slot, shortcut: str | None = None) -> QAction:  # type: ignore[no-untyped-def]
            act = QAction(text, self)
            act.triggered.connect(slot)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            return act

        self.add_files_action = action(self.tr("Add files..."), self.import_ctl.add_files,
                                       "Ctrl+O")
        self.add_folder_action = action(self.tr("Add folder..."), self.import_ctl.add_folder,
                                        "Ctrl+Shift+O")
        self.new_library_action = action(self.tr("New library..."),
                                         self.library_ctl.new_library)
        self.export_action = action(self.tr("Export conversation..."),
                                    self.conversation_ctl.export)
        self.host_action = action(self.tr("Ollama server..."), self.ollama_ctl.choose_host)
        self.find_action = action(self.tr("Search chunks"), self.find_in_chunks, "Ctrl+F")
        self.check_search_action = action(self.tr("Check search quality..."),
                                          self.check_search)
        quit_action = action(self.tr("Quit"), self.close, "Ctrl+Q")
        help_action = action(self.tr("Ollama help"), self.ollama_guide.show_dialog)
        self.language_menu = LanguageMenu(self.settings, self)

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addActions([self.add_files_action, self.add_folder_action])
        file_menu.addSeparator()
        file_menu.addActions([self.new_library_action, self.export_action, self.host_action])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        library_menu = self.menuBar().addMenu(self.tr("&Library"))
        library_menu.addActions([self.new_library_action, self.check_search_action])
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        edit_menu.addMenu(self.language_menu)
        self.menuBar().addMenu(self.tr("&Help")).addAction(help_action)

        toolbar = QToolBar(self.tr("Library"))
        toolbar.setObjectName("libraryToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(self.tr(" Library: ")))
        toolbar.addWidget(self.library_choice)
        toolbar.addAction(self.new_library_action)
        toolbar.addSeparator()
        toolbar.addActions([self.add_files_action, self.add_folder_action])
        self.addToolBar(toolbar)

    def _connect(self) -> None:
        library, imports, documents = self.library_ctl, self.import_ctl, self.documents_ctl
        asking, conversation, ollama = self.ask_ctl, self.conversation_ctl, self.ollama_ctl
        status = self.statusBar()
        summaries = self.summary_ctl
        for controller in (library, imports, asking, conversation, ollama, summaries):
            controller.message.connect(status.showMessage)

        # The library everything works on: each controller learns of a switch.
        self.library_choice.activated.connect(library.choose)
        library.opened.connect(self._show_library)
        for controller in (ollama, imports, documents, conversation, asking, summaries):
            library.opened.connect(controller.set_workspace)
        library.opened.connect(lambda ws: self.library_opened.emit(ws.library.name))
        library.documents_loaded.connect(self.documents_loaded)
        library.size_changed.connect(self.size_label.setText)

        panel = self.library_panel
        panel.add_files_requested.connect(imports.add_files)
        panel.cancel_import_requested.connect(imports.cancel)
        panel.document_selected.connect(documents.show_document)
        panel.remove_requested.connect(documents.remove)
        panel.reindex_requested.connect(documents.reindex)
        panel.summaries_requested.connect(self._build_summaries)
        panel.remove_summaries_requested.connect(summaries.remove)
        tree_view = self.chunks.tree_view
        tree_view.build_requested.connect(lambda doc: summaries.build([doc]))
        tree_view.remove_requested.connect(lambda doc: summaries.remove([doc]))
        tree_view.prompt_requested.connect(summaries.edit_prompt)
        tree_view.summary_selected.connect(self.prompt.show_summary_prompt)
        summaries.tree_changed.connect(self._tree_changed)
        summaries.running_changed.connect(tree_view.set_busy)
        self.passages.children_requested.connect(conversation.show_children)
        imports.documents_changed.connect(library.refresh)
        imports.finished.connect(self.language_notice.check)
        documents.documents_changed.connect(library.refresh)
        self.chunks.preview_requested.connect(documents.preview)
        self.chunks.apply_requested.connect(documents.rechunk)

        self.chat.send_requested.connect(asking.ask)
        self.chat.stop_requested.connect(asking.stop)
        self.chat.citation_clicked.connect(conversation.open_citation)
        self.chat.turn_selected.connect(conversation.select_turn)
        self.chat.conversation_chosen.connect(conversation.choose)
        self.chat.export_requested.connect(conversation.export)
        self.passages.open_requested.connect(conversation.open_hit)
        conversation.source_opening.connect(lambda: self.inspector.setCurrentWidget(self.viewer))
        asking.answered.connect(conversation.select_turn)
        asking.answer_finished.connect(self.answer_finished)
        asking.ended.connect(conversation.show_list)
        asking.ollama_unavailable.connect(self.ollama.set_unavailable)

        self.generation.changed.connect(ollama.save_settings)
        self.generation.pull_requested.connect(ollama.pull)
        self.generation.refresh_models_requested.connect(ollama.check)
        self.ollama.retry_requested.connect(ollama.check)
        ollama.checked.connect(self.ollama_checked)

    def _restore_layout(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:  # first start: 1400x860, less on a small laptop screen (1366x768)
            screen = self.screen().availableGeometry()
            self.resize(min(1400, screen.width() * 95 // 100),
                        min(860, screen.height() * 90 // 100))
        state = self.settings.value("splitter")
        if state is not None:
            self.splitter.restoreState(state)
        self._share_width_at_show = state is None
        self.inspector.setCurrentIndex(int(self.settings.value("inspector_tab", 0)))

    def _show_library(self, workspace: Workspace) -> None:
        self.setWindowTitle(f"{workspace.library.name} — desktop-rag")
        self.embedder_label.setText(self.tr("Embeddings: %1").replace(
            "%1", workspace.embedder_name))

    def _build_summaries(self, docs: list[Any]) -> None:
        """From a document's menu: its tree, shown in the Chunks tab as it grows."""
        if docs:
            self.inspector.setCurrentWidget(self.chunks)
            self.chunks.views.setCurrentIndex(1)
        self.summary_ctl.build(docs)

    def _tree_changed(self, doc: Any) -> None:
        shown = self.chunks.doc
        if shown is not None and shown.doc_id == doc.doc_id:
            self.documents_ctl.show_tree(doc)

    def find_in_chunks(self) -> None:
        self.inspector.setCurrentWidget(self.chunks)
        self.chunks.search.setFocus()
        self.chunks.search.selectAll()

    def check_search(self) -> None:
        if self.search_check is None:
            from desktop_rag.qt.search_check_dialog import SearchCheckDialog

            self.search_check = SearchCheckDialog(lambda: self.workspace,
                                                  self.generation.settings, self)
        self.search_check.show()
        self.search_check.raise_()

    # -- the controllers' state, as tests, benchmarks and scripts/screenshots.py read it ----

    @property
    def workspace(self) -> Workspace | None:
        return self.library_ctl.workspace

    @property
    def documents(self) -> list[Any]:
        return self.library_ctl.documents

    @property
    def _refreshing(self) -> bool:
        return self.library_ctl.refreshing

    @property
    def import_job(self) -> Job | None:
        return self.import_ctl.job

    @property
    def ask_job(self) -> Job | None:
        return self.ask_ctl.job

    @property
    def conversation(self) -> Conversation:
        return self.conversation_ctl.conversation

    @property
    def models(self) -> list[str]:
        return self.ollama_ctl.models

    def import_paths(self, paths: list[Path]) -> None:
        self.import_ctl.import_paths(paths)

    def open_citation(self, turn: int, number: int) -> None:
        self.conversation_ctl.open_citation(turn, number)

    def check_ollama(self) -> None:
        self.ollama_ctl.check()

    # -- events ----------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_ctl.import_paths(paths)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._share_width_at_show:  # first start: at the size the window is shown with
            self._share_width_at_show = False
            width = self.splitter.width()
            library = max(width // 4, self.library_panel.minimumSizeHint().width())
            self.splitter.setSizes([library, (width - library) // 2, (width - library) // 2])

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self.import_ctl.may_quit():
            event.ignore()
            return
        self.ask_ctl.stop_and_wait()
        self.summary_ctl.stop_and_wait()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("splitter", self.splitter.saveState())
        self.settings.setValue("inspector_tab", self.inspector.currentIndex())
        self.settings.sync()
        super().closeEvent(event)
