"""The conversation on screen: which one, the answer the inspector describes, its sources.

Selecting an answer shows its passages, prompt and token probabilities in the inspector; a
citation [n] or a passage opens its source (a PDF at its page, other documents as their text).
Conversations are saved in the library by the ask, listed, reopened and exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop_rag.core.answer.conversations import Conversation
from desktop_rag.qt.chat_panel import ChatPanel, TurnView
from desktop_rag.qt.inspector import PassagesTab, PromptTab
from desktop_rag.qt.jobs import call_in_background
from desktop_rag.qt.source_viewer import SourceViewer
from desktop_rag.qt.tokens_view import TokensView

if TYPE_CHECKING:
    from desktop_rag.core.workspace import Workspace


class ConversationController(QObject):
    source_opening = Signal()  # a passage is about to be shown in the source viewer
    message = Signal(str, int)  # for the status bar: text, milliseconds (0: until replaced)

    def __init__(self, chat: ChatPanel, passages: PassagesTab, prompt: PromptTab,
                 tokens: TokensView, viewer: SourceViewer, window: QWidget,
                 answering: Callable[[], bool]) -> None:
        """answering: whether an answer is being written, during which the conversation
        stays."""
        super().__init__(window)
        self.chat, self.passages, self.prompt = chat, passages, prompt
        self.tokens, self.viewer, self.window = tokens, viewer, window
        self._answering = answering
        self.workspace: Workspace | None = None
        self.conversation = Conversation()
        self.selected_turn: int | None = None

    def set_workspace(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.conversation = Conversation()
        self.show_list()
        self.chat.set_turns([])

    def show_list(self) -> None:
        if self.workspace is None:
            return
        items = [(c.id, c.title) for c in self.workspace.conversation_list()]
        current = self.conversation.id if self.conversation.turns else ""
        self.chat.set_conversations(items, current)

    def choose(self, conversation_id: str) -> None:
        if self.workspace is None or self._answering():
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
        self.show_list()

    def export(self) -> None:
        from desktop_rag.core.answer.export import conversation_markdown

        if not self.conversation.turns or self.workspace is None:
            self.chat.show_notice(self.tr("Nothing to export yet: ask a question first."))
            return
        title = self.conversation.title or self.tr("conversation")
        default = str(Path.home() / f"{title}.md")
        file, _ = QFileDialog.getSaveFileName(self.window, self.tr("Export conversation"),
                                              default, self.tr("Markdown (*.md)"))
        if file:
            text = conversation_markdown(self.conversation, self.workspace.library.name)
            try:
                Path(file).write_text(text, encoding="utf-8")
            except OSError as exc:
                self._show_error(exc)
                return
            self.message.emit(self.tr("Saved %1").replace("%1", file), 5000)

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
            self.message.emit(self.tr("[%1] matches no passage of this answer")
                              .replace("%1", str(number)), 5000)
            return
        if self.selected_turn != turn:
            self.select_turn(turn)
        self.passages.select_chunk(hit["chunk_id"])
        self.open_hit(hit)

    def open_hit(self, hit: dict[str, Any]) -> None:
        if hit.get("level") and self.workspace is not None:
            self._open_summary(hit)
            return
        path = Path(hit.get("path", ""))
        self.source_opening.emit()
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

    def _open_summary(self, hit: dict[str, Any]) -> None:
        """A summary has no place of its own in the document: it opens at its first chunk
        (its pages are those of all its chunks)."""
        assert self.workspace is not None
        workspace = self.workspace

        def opened(leaves: list[Any]) -> None:
            if not leaves:
                self.message.emit(self.tr("This summary's document is no longer in the "
                                          "library"), 5000)
                return
            first = leaves[0]
            self.open_hit({**hit, "level": 0, "chunk_id": first.chunk_id,
                           "pages": list(first.pages), "text": first.text})

        call_in_background("summary-leaves",
                           lambda: workspace.summary_leaves(hit["doc_id"], hit["chunk_id"]),
                           opened, self._show_error, parent=self)

    def show_children(self, hit: dict[str, Any]) -> None:
        if self.workspace is None:
            return
        workspace = self.workspace
        call_in_background(
            "summary-children",
            lambda: workspace.summary_children(hit["doc_id"], hit["chunk_id"]),
            lambda children: self.passages.show_children(hit["chunk_id"], children),
            self._show_error, parent=self)

    def _show_error(self, exc: BaseException) -> None:
        QMessageBox.warning(self.window, "desktop-rag", str(exc))


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
