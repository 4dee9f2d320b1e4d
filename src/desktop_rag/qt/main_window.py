"""The main window: library on the left, chat in the middle, inspector tabs on the right.

The window owns no logic of its own: it starts core work through Jobs (qt/jobs.py) and routes
their events to the panels. Heavy libraries load on the worker threads, after the first paint.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

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
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
)

from desktop_rag.core import paths
from desktop_rag.core.answer.conversations import Conversation
from desktop_rag.core.workspace import Workspace
from desktop_rag.qt.chat_panel import ChatPanel, TurnView
from desktop_rag.qt.chunks_tab import ChunksTab
from desktop_rag.qt.generation_panel import GenerationPanel
from desktop_rag.qt.i18n import LanguageMenu, with_prompt_language
from desktop_rag.qt.inspector import PassagesTab, PromptTab
from desktop_rag.qt.jobs import Job, call_in_background, run_job
from desktop_rag.qt.language_notice import LanguageNotice
from desktop_rag.qt.library_panel import LibraryPanel
from desktop_rag.qt.ollama_guide import OllamaGuide
from desktop_rag.qt.ollama_status import OllamaStatus, not_running_text
from desktop_rag.qt.source_viewer import SourceViewer
from desktop_rag.qt.tokens_view import TokensView


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
        self._shared_embedder = embedder
        self.setWindowTitle("desktop-rag")
        self.setAcceptDrops(True)
        self.settings = window_settings()
        self.workspace: Workspace | None = None
        self.conversation = Conversation()
        self.import_job: Job | None = None
        self.ask_job: Job | None = None
        self.pending_imports: list[Path] = []
        self.documents: list[Any] = []
        self.models: list[str] = []
        self.selected_turn: int | None = None
        self._refreshing = self._refresh_again = False
        self._just_pulled: str | None = None
        self._host = host or self.settings.value("ollama_host", "", str) or None

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
        self.library_choice.activated.connect(self._library_chosen)
        self.ollama = OllamaStatus()
        self.ollama_guide = OllamaGuide(self)  # the setup dialog, offered at start if needed
        self.language_notice = LanguageNotice(self, self.settings)
        self.embedder_label = QLabel()
        self.size_label = QLabel()
        # Permanent widgets: temporary messages ("Answered in 3 s") must not hide them.
        self.statusBar().addPermanentWidget(self.ollama)
        self.statusBar().addPermanentWidget(self.embedder_label)
        self.statusBar().addPermanentWidget(self.size_label)
        self._build_actions()
        self._connect()
        # Text views would take dropped files as text; the window imports them instead.
        for area in self.findChildren(QAbstractScrollArea):
            area.setAcceptDrops(False)
            area.viewport().setAcceptDrops(False)
        self._restore_layout()
        QTimer.singleShot(0, lambda: self.open_library(library))
        QTimer.singleShot(0, self.check_ollama)

    # -- building --------------------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(text: str, slot, shortcut: str | None = None) -> QAction:  # type: ignore[no-untyped-def]
            act = QAction(text, self)
            act.triggered.connect(slot)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            return act

        self.add_files_action = action(self.tr("Add files..."), self.add_files, "Ctrl+O")
        self.add_folder_action = action(self.tr("Add folder..."), self.add_folder,
                                        "Ctrl+Shift+O")
        self.new_library_action = action(self.tr("New library..."), self.new_library)
        self.export_action = action(self.tr("Export conversation..."),
                                    self.export_conversation)
        self.host_action = action(self.tr("Ollama server..."), self.choose_host)
        self.find_action = action(self.tr("Search chunks"), self.find_in_chunks, "Ctrl+F")
        quit_action = action(self.tr("Quit"), self.close, "Ctrl+Q")
        help_action = action(self.tr("Ollama help"), self.ollama_guide.show_dialog)
        self.language_menu = LanguageMenu(self.settings, self)

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addActions([self.add_files_action, self.add_folder_action])
        file_menu.addSeparator()
        file_menu.addActions([self.new_library_action, self.export_action, self.host_action])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
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
        lp = self.library_panel
        lp.add_files_requested.connect(self.add_files)
        lp.cancel_import_requested.connect(self.cancel_import)
        lp.document_selected.connect(self.show_document)
        lp.remove_requested.connect(self.remove_documents)
        lp.reindex_requested.connect(self.reindex_documents)
        self.chat.send_requested.connect(self.ask)
        self.chat.stop_requested.connect(self.stop_answer)
        self.chat.citation_clicked.connect(self.open_citation)
        self.chat.turn_selected.connect(self.select_turn)
        self.chat.conversation_chosen.connect(self.choose_conversation)
        self.chat.export_requested.connect(self.export_conversation)
        self.passages.open_requested.connect(self.open_hit)
        self.chunks.preview_requested.connect(self.preview_chunks)
        self.chunks.apply_requested.connect(self.rechunk)
        self.generation.changed.connect(self._save_ask_settings)
        self.generation.pull_requested.connect(self.pull_model)
        self.generation.refresh_models_requested.connect(self.check_ollama)
        self.ollama.retry_requested.connect(self.check_ollama)

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

    # -- libraries -----------------------------------------------------------------------

    def open_library(self, name: str | None) -> None:
        from desktop_rag.core.store.libraries import list_libraries, open_library, select_library

        if self.import_job is not None or self.ask_job is not None:
            QMessageBox.information(self, self.tr("Busy"), self.tr(
                "Wait for the import or the answer to finish (or stop it) before switching "
                "libraries."))
            return
        library = open_library(name)  # reads a JSON file; tables open later, on workers
        select_library(library.name)
        self.workspace = Workspace(library, self._host, self._shared_embedder)
        self.conversation = Conversation()
        self.documents = []
        self.library_choice.clear()
        self.library_choice.addItems(list_libraries())
        self.library_choice.setCurrentText(library.name)
        self.setWindowTitle(f"{library.name} — desktop-rag")
        self.embedder_label.setText(self.tr("Embeddings: %1").replace(
            "%1", self.workspace.embedder_name))
        self.library_panel.model.set_documents([])
        self.library_panel.set_loading(True)
        self._load_ask_settings()
        self._show_conversations()
        self.chat.set_turns([])
        self.refresh_documents()
        self.library_opened.emit(library.name)

    def _library_chosen(self, index: int) -> None:
        name = self.library_choice.itemText(index)
        if self.workspace is None or name != self.workspace.library.name:
            self.open_library(name)

    def new_library(self) -> None:
        from desktop_rag.core.errors import DesktopRagError
        from desktop_rag.core.store.libraries import create_library

        name, ok = QInputDialog.getText(self, self.tr("New library"), self.tr(
            "Name of the new library (letters, digits, spaces, '.', '-', '_'):"))
        if not ok or not name.strip():
            return
        try:
            create_library(name.strip())
        except DesktopRagError as exc:
            QMessageBox.warning(self, self.tr("New library"), str(exc))
            return
        self.open_library(name.strip())

    def refresh_documents(self) -> None:
        if self.workspace is None:
            return
        if self._refreshing:
            # The read in flight may predate the change that asked for this one.
            self._refresh_again = True
            return
        self._refreshing, self._refresh_again = True, False
        workspace = self.workspace

        def loaded(docs: list[Any]) -> None:
            self._refreshing = False
            if self._refresh_again:
                self.refresh_documents()
            if workspace is not self.workspace:
                return
            self.documents = docs
            self.library_panel.set_documents(docs)
            chunks = sum(d.chunks for d in docs if d.state == "imported")
            imported = sum(1 for d in docs if d.state == "imported")
            self.size_label.setText(self.tr("%1 documents · %2 chunks").replace(
                "%1", str(imported)).replace("%2", str(chunks)))
            self.documents_loaded.emit()

        def failed(exc: BaseException) -> None:
            self._refreshing = False
            self.statusBar().showMessage(self.tr("Could not read the library: %1").replace(
                "%1", str(exc)))

        call_in_background("documents", workspace.documents, loaded, failed, parent=self)

    # -- import ----------------------------------------------------------------------------

    def add_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add documents"))
        self.import_paths([Path(f) for f in files])

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder of documents"))
        if folder:
            self.import_paths([Path(folder)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def import_paths(self, paths: list[Path]) -> None:
        if not paths or self.workspace is None:
            return
        if self.import_job is not None:
            # One writer at a time: later drops wait their turn instead of being refused.
            self.pending_imports.extend(paths)
            self.statusBar().showMessage(self.tr("%n more item(s) will be imported next", "",
                                                 len(self.pending_imports)))
            return
        workspace = self.workspace
        self.import_job = run_job(
            "import", lambda cancel: workspace.import_files(paths, cancel),
            self._import_event, self._import_failed, self._import_done, parent=self)

    def _import_event(self, event: Any) -> None:
        from desktop_rag.core import events as E

        self.library_panel.import_event(event)
        if isinstance(event, E.FileImported | E.FileFailed | E.FileSkipped):
            self.refresh_documents()
        elif isinstance(event, E.ImportFinished):
            self.statusBar().showMessage(self.library_panel.summary_label.text().split("\n")[0])

    def _import_failed(self, exc: BaseException) -> None:
        # Shown in the panel rather than in a modal box: the window stays usable, and the
        # reason (a full disk, a model that cannot load) stays in sight.
        self.library_panel.import_failed(self.tr(
            "The import stopped: %1. Documents imported before this are kept.").replace(
            "%1", str(exc)))

    def _import_done(self) -> None:
        self.import_job = None
        self.refresh_documents()
        if self.pending_imports:
            paths, self.pending_imports = self.pending_imports, []
            self.import_paths(paths)
        else:
            self.language_notice.check(self.workspace)

    def cancel_import(self) -> None:
        self.pending_imports.clear()
        if self.import_job is not None:
            self.import_job.cancel()

    # -- documents -------------------------------------------------------------------------

    def show_document(self, doc: Any) -> None:
        if doc.state != "imported" or self.workspace is None:
            return
        workspace = self.workspace
        call_in_background(
            "chunks", lambda: workspace.chunks(doc),
            lambda chunks: self.chunks.show_document(doc, chunks,
                                                     workspace.library.settings.chunking),
            lambda exc: self.chunks.show_message(str(exc)), parent=self)

    def find_in_chunks(self) -> None:
        self.inspector.setCurrentWidget(self.chunks)
        self.chunks.search.setFocus()
        self.chunks.search.selectAll()

    def remove_documents(self, docs: list[Any]) -> None:
        if self.workspace is None or not docs:
            return
        names = "\n".join(d.name for d in docs[:10]) + ("\n…" if len(docs) > 10 else "")
        answer = QMessageBox.question(self, self.tr("Remove documents"), self.tr(
            "Remove these documents and their chunks from the library? The files themselves "
            "are not touched.\n\n%1").replace("%1", names))
        if answer != QMessageBox.StandardButton.Yes:
            return
        workspace = self.workspace
        call_in_background("remove", lambda: [workspace.remove(d) for d in docs],
                           lambda _: self.refresh_documents(), self._show_error, parent=self)

    def reindex_documents(self, docs: list[Any]) -> None:
        from desktop_rag.core.settings import ChunkingSettings

        for doc in docs:
            own = ChunkingSettings.from_json(doc.chunking_override) \
                if doc.chunking_override else None
            self.rechunk(doc, own)

    def preview_chunks(self, doc: Any, settings: Any) -> None:
        if self.workspace is None:
            return
        workspace = self.workspace
        self.chunks.set_busy(True)
        call_in_background(
            "preview", lambda: workspace.preview(doc, settings),
            lambda chunks: self.chunks.show_preview(chunks, settings),
            lambda exc: (self.chunks.set_busy(False), self.chunks.show_message(str(exc))),
            parent=self)

    def rechunk(self, doc: Any, settings: Any) -> None:
        from desktop_rag.core.events import EmbedProgress

        if self.workspace is None:
            return
        workspace = self.workspace
        self.chunks.set_busy(True)

        def event(item: Any) -> None:
            if isinstance(item, EmbedProgress):
                self.chunks.show_message(self.tr("Re-chunking %1: embedding %2/%3").replace(
                    "%1", doc.name).replace("%2", str(item.done)).replace("%3", str(item.total)))
            else:  # the updated record
                self.chunks.show_message(self.tr("%1 now has %2 chunks.").replace(
                    "%1", item.name).replace("%2", str(item.chunks)))
                self.refresh_documents()
                self.show_document(item)

        def done() -> None:
            self.chunks.set_busy(False)
            from desktop_rag.core.store.indexes import maintain_in_background

            maintain_in_background(workspace.library)

        run_job("rechunk", lambda cancel: workspace.reindex(doc, settings, cancel), event,
                lambda exc: self.chunks.show_message(str(exc)), done, parent=self)

    # -- asking ----------------------------------------------------------------------------

    def ask(self, question: str) -> None:
        from desktop_rag.core.answer.rag import Answer, PromptReady, Retrieved
        from desktop_rag.core.errors import DesktopRagError
        from desktop_rag.core.llm.client import TokenDelta

        if self.workspace is None or self.ask_job is not None:
            return
        try:
            settings = self.generation.settings()
        except (ValueError, DesktopRagError) as exc:
            self.chat.show_notice(str(exc))
            return
        if not settings.model:
            self.chat.show_notice(self.tr("Choose a model in the Settings tab first (or pull "
                                          "one: Settings > Pull a model...)."))
            return
        self.chat.show_notice("")
        settings = with_prompt_language(settings, question)
        workspace, conversation = self.workspace, self.conversation
        turn = self.chat.start_answer(question)
        started = time.perf_counter()

        def work(cancel):  # type: ignore[no-untyped-def]
            yield from workspace.ask(question, conversation, settings, cancel)
            workspace.conversations.save(conversation)

        def event(item: Any) -> None:
            if isinstance(item, TokenDelta):
                self.chat.append_token(item.text)
            elif isinstance(item, Retrieved):
                record = {"hits": [_hit_dict(h) for h in item.result.hits],
                          "fusion": item.result.fusion,
                          "retrieval_ms": item.result.timings_ms.get("total", 0.0)}
                self.passages.show_hits(record, self.tr("Answer %1").replace("%1", str(turn + 1)))
            elif isinstance(item, PromptReady):
                self.prompt.show_prompt({"messages": item.prompt.messages, "options": item.options,
                                         "model": settings.model,
                                         "budget": _budget_dict(item.prompt)})
            elif isinstance(item, Answer):
                record = item.to_dict()
                self.chat.finish_answer(record, item.text, item.incomplete)
                self.select_turn(turn)
                self.answer_finished.emit(item)

        def failed(exc: BaseException) -> None:
            from desktop_rag.core.errors import OllamaUnavailable

            if isinstance(exc, OllamaUnavailable):
                self.chat.fail_answer(not_running_text(exc.host))
                self.ollama.set_unavailable(exc.host, str(exc))
            else:
                self.chat.fail_answer(str(exc))

        def done() -> None:
            self.ask_job = None
            self.chat.set_busy(False)
            self._show_conversations()
            self.statusBar().showMessage(self.tr("Answered in %1 s").replace(
                "%1", f"{time.perf_counter() - started:.1f}"), 5000)

        self.ask_job = run_job("ask", work, event, failed, done, parent=self)

    def stop_answer(self) -> None:
        if self.ask_job is not None:
            self.ask_job.cancel()

    def select_turn(self, index: int) -> None:
        if not 0 <= index < len(self.chat.turns):
            return
        self.selected_turn = index
        record = self.chat.turns[index].record
        title = self.tr("Answer %1").replace("%1", str(index + 1))
        self.passages.show_hits(record, title)
        self.prompt.show_prompt(record)
        self.tokens.set_tokens(_logprobs(record), record.get("perplexity"))

    def open_citation(self, turn: int, number: int) -> None:
        if not 0 <= turn < len(self.chat.turns):
            return
        record = self.chat.turns[turn].record
        chunk_id = next((c["chunk_id"] for c in record.get("citations", [])
                         if c.get("number") == number), None)
        hit = next((h for h in record.get("hits", []) if h.get("chunk_id") == chunk_id), None)
        if hit is None:
            self.statusBar().showMessage(self.tr("[%1] matches no passage of this answer")
                                         .replace("%1", str(number)), 5000)
            return
        if self.selected_turn != turn:
            self.select_turn(turn)
        self.passages.select_chunk(hit["chunk_id"])
        self.open_hit(hit)

    def open_hit(self, hit: dict[str, Any]) -> None:
        path = Path(hit.get("path", ""))
        self.inspector.setCurrentWidget(self.viewer)
        if path.suffix.lower() == ".pdf":
            pages = hit.get("pages") or [1]
            self.viewer.show_pdf(path, int(pages[0]), hit.get("text", ""))
            return
        if self.workspace is None:
            return
        workspace = self.workspace

        def locate() -> tuple[str, int, int]:
            doc = workspace.library.imported_with_id(hit["doc_id"])
            if doc is None:
                return hit.get("text", ""), 0, len(hit.get("text", ""))
            chunk = next((c for c in workspace.chunks(doc) if c.chunk_id == hit["chunk_id"]),
                         None)
            text = workspace.document_text(doc)
            if chunk is None:
                start = max(text.find(hit.get("text", "")), 0)
                return text, start, start + len(hit.get("text", ""))
            return text, chunk.char_start, chunk.char_end

        call_in_background("locate", locate,
                           lambda found: self.viewer.show_text(path, *found),
                           self._show_error, parent=self)

    # -- conversations ---------------------------------------------------------------------

    def _show_conversations(self) -> None:
        if self.workspace is None:
            return
        items = [(c.id, c.title) for c in self.workspace.conversation_list()]
        current = self.conversation.id if self.conversation.turns else ""
        self.chat.set_conversations(items, current)

    def choose_conversation(self, conversation_id: str) -> None:
        if self.workspace is None or self.ask_job is not None:
            return
        if not conversation_id:
            self.conversation = Conversation()
            self.chat.set_turns([])
        else:
            self.conversation = self.workspace.conversations.load(conversation_id)
            self.chat.set_turns([TurnView(t.question, t.answer, t.record, incomplete=t.incomplete)
                                 for t in self.conversation.turns])
            if self.conversation.turns:
                self.select_turn(len(self.conversation.turns) - 1)
        self._show_conversations()

    def export_conversation(self) -> None:
        from desktop_rag.core.answer.export import conversation_markdown

        if not self.conversation.turns or self.workspace is None:
            self.chat.show_notice(self.tr("Nothing to export yet: ask a question first."))
            return
        title = self.conversation.title or self.tr("conversation")
        default = str(Path.home() / f"{title}.md")
        file, _ = QFileDialog.getSaveFileName(self, self.tr("Export conversation"), default,
                                              self.tr("Markdown (*.md)"))
        if file:
            text = conversation_markdown(self.conversation, self.workspace.library.name)
            try:
                Path(file).write_text(text, encoding="utf-8")
            except OSError as exc:
                self._show_error(exc)
                return
            self.statusBar().showMessage(self.tr("Saved %1").replace("%1", file), 5000)

    # -- Ollama and generation settings ----------------------------------------------------

    def check_ollama(self) -> None:
        from desktop_rag.core.llm.client import default_host

        workspace = self.workspace
        host = default_host(self._host)
        self.ollama.set_checking(host)

        def probe() -> tuple[Any, list[str]]:
            from desktop_rag.core.llm.client import OllamaClient

            client = workspace.client() if workspace is not None else OllamaClient(self._host)
            status = client.health()
            models = [m.name for m in client.list_models()] if status.reachable else []
            return status, models

        def shown(result: tuple[Any, list[str]]) -> None:
            status, models = result
            if not status.reachable:
                self.ollama.set_unavailable(status.host, status.error or "")
                self.ollama_checked.emit(False)
                return
            self.models = models
            current = self.generation.settings().model
            if self._just_pulled in models:
                current, self._just_pulled = self._just_pulled, None
                self.generation.set_models(models, current)
                self._save_ask_settings()
            elif current not in models and models:
                current = models[0]  # the saved model is gone: the first one beats none
                self.generation.set_models(models, current)
                self._save_ask_settings()
            else:
                self.generation.set_models(models, current)
            self.ollama.set_connected(status.host, status.version,
                                      self.generation.settings().model, len(models))
            self.ollama_checked.emit(True)

        def failed(exc: BaseException) -> None:
            self.ollama.set_unavailable(host, str(exc))
            self.ollama_checked.emit(False)

        call_in_background("ollama", probe, shown, failed, parent=self)

    def choose_host(self) -> None:
        from desktop_rag.core.llm.client import default_host
        from desktop_rag.qt.ollama_help import normalize_host, not_an_address

        text = self._host or default_host(None)
        while True:
            text, ok = QInputDialog.getText(self, self.tr("Ollama server"), self.tr(
                "Address of the Ollama server (empty: OLLAMA_HOST or this computer):"),
                text=text)
            if not ok:
                return
            if not text.strip():
                self.set_host(None)
                return
            try:  # "gpu-box" means http://gpu-box:11434, not port 80
                self.set_host(normalize_host(text))
                return
            except ValueError:
                QMessageBox.warning(self, self.tr("Ollama server"), not_an_address(text.strip()))

    def set_host(self, host: str | None) -> None:
        self._host = host
        self.settings.setValue("ollama_host", host or "")
        if self.workspace is not None:
            self.workspace.set_host(host)
        self.check_ollama()

    def pull_model(self, name: str) -> Job:
        from desktop_rag.core.llm.client import OllamaClient

        workspace = self.workspace
        client = workspace.client() if workspace is not None else OllamaClient(self._host)

        def event(progress: Any) -> None:
            fraction = progress.fraction
            text = progress.status + (f" {fraction:.0%}" if fraction is not None else "")
            self.generation.set_pull_progress(text, fraction)

        def failed(exc: BaseException) -> None:
            self.generation.pull_finished(False, str(exc))

        def done() -> None:
            if pull.error is None and pull.cancel_token.cancelled:
                self.generation.pull_finished(False, self.tr("Download cancelled"))
            elif pull.error is None:
                self.generation.pull_finished(True, self.tr("%1 is ready").replace("%1", name))
                self._just_pulled = name  # what the user pulled is what they want to use
                self.check_ollama()

        pull = run_job("pull", lambda cancel: client.pull(name, cancel), event, failed, done,
                       parent=self)
        return pull

    def _load_ask_settings(self) -> None:
        from desktop_rag.core.answer.ask_settings import load_ask_settings

        assert self.workspace is not None
        self.generation.set_settings(load_ask_settings(self.workspace.library.folder))

    def _save_ask_settings(self) -> None:
        from desktop_rag.core.answer.ask_settings import save_ask_settings

        if self.workspace is None:
            return
        try:
            save_ask_settings(self.workspace.library.folder, self.generation.settings())
        except (OSError, ValueError) as exc:
            self.statusBar().showMessage(self.tr("Settings not saved: %1").replace(
                "%1", str(exc)), 8000)

    # -- closing ---------------------------------------------------------------------------

    def _show_error(self, exc: BaseException) -> None:
        QMessageBox.warning(self, "desktop-rag", str(exc))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._share_width_at_show:  # first start: at the size the window is shown with
            self._share_width_at_show = False
            width = self.splitter.width()
            library = max(width // 4, self.library_panel.minimumSizeHint().width())
            self.splitter.setSizes([library, (width - library) // 2, (width - library) // 2])

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.import_job is not None:
            answer = QMessageBox.question(self, self.tr("Import running"), self.tr(
                "An import is running. Stop it and quit? Files already imported are kept."))
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.import_job.cancel()
            self.import_job.wait(30)
        if self.ask_job is not None:
            self.ask_job.cancel()
            self.ask_job.wait(5)
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("splitter", self.splitter.saveState())
        self.settings.setValue("inspector_tab", self.inspector.currentIndex())
        self.settings.sync()
        super().closeEvent(event)


def _hit_dict(hit: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(hit)


def _budget_dict(prompt: Any) -> dict[str, int]:
    budget = prompt.budget
    return {"num_ctx": budget.num_ctx, "answer": budget.reserved_for_answer,
            "system": budget.system, "history": budget.history, "passages": budget.passages,
            "question": budget.question, "room_left": budget.room_left}


def _logprobs(record: dict[str, Any]) -> list[Any]:
    from desktop_rag.core.llm.types import TokenLogprob

    tokens = []
    for item in record.get("logprobs") or []:
        if isinstance(item, TokenLogprob):
            tokens.append(item)
        else:
            tokens.append(TokenLogprob(item["token"], item["logprob"],
                                       [tuple(t) for t in item.get("top") or []]))
    return tokens

