"""Asking the open library a question: the answer streams into the chat while the inspector
shows the passages retrieved and the prompt sent; Stop ends it and keeps what was written.

The ask is the core's `Workspace.ask` generator run as a Job, which also saves the
conversation once the answer is complete, so a stopped answer is kept too.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop_rag.qt.chat_panel import ChatPanel
from desktop_rag.qt.generation_panel import GenerationPanel
from desktop_rag.qt.i18n import with_prompt_language
from desktop_rag.qt.inspector import PassagesTab, PromptTab
from desktop_rag.qt.jobs import Job, run_job
from desktop_rag.qt.ollama_status import not_running_text

if TYPE_CHECKING:
    from desktop_rag.core.workspace import Workspace
    from desktop_rag.qt.conversation_controller import ConversationController


class AskController(QObject):
    answered = Signal(int)  # the chat turn that just got its answer
    answer_finished = Signal(object)  # the core Answer
    ended = Signal()  # after every ask, answered, failed or stopped
    ollama_unavailable = Signal(str, str)  # host, reason
    message = Signal(str, int)  # for the status bar: text, milliseconds (0: until replaced)

    def __init__(self, chat: ChatPanel, generation: GenerationPanel, passages: PassagesTab,
                 prompt: PromptTab, conversations: ConversationController,
                 window: QWidget) -> None:
        super().__init__(window)
        self.chat, self.generation = chat, generation
        self.passages, self.prompt = passages, prompt
        self.conversations = conversations  # the conversation the question continues
        self.workspace: Workspace | None = None
        self.job: Job | None = None

    def set_workspace(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def ask(self, question: str) -> None:
        from desktop_rag.core.answer.rag import (
            Answer,
            Checking,
            DrawingAgain,
            LookingAgain,
            PromptReady,
            Retrieved,
        )
        from desktop_rag.core.errors import DesktopRagError
        from desktop_rag.core.llm.client import TokenDelta

        if self.workspace is None or self.job is not None:
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
        workspace, conversation = self.workspace, self.conversations.conversation
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
            elif isinstance(item, DrawingAgain):
                self.chat.start_draws(item.draws)
            elif isinstance(item, Checking):
                self.chat.start_check()
            elif isinstance(item, LookingAgain):
                self.chat.look_again(item.passage)
            elif isinstance(item, Answer):
                self.chat.finish_answer(item.to_dict(), item.text, item.incomplete)
                self.answered.emit(turn)
                self.answer_finished.emit(item)

        def failed(exc: BaseException) -> None:
            from desktop_rag.core.errors import OllamaUnavailable

            if isinstance(exc, OllamaUnavailable):
                self.chat.fail_answer(not_running_text(exc.host))
                self.ollama_unavailable.emit(exc.host, str(exc))
            else:
                self.chat.fail_answer(str(exc))

        def done() -> None:
            self.job = None
            self.chat.set_busy(False)
            self.ended.emit()
            self.message.emit(self.tr("Answered in %1 s").replace(
                "%1", f"{time.perf_counter() - started:.1f}"), 5000)

        self.job = run_job("ask", work, event, failed, done, parent=self)

    def stop(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def stop_and_wait(self) -> None:
        """Before the window closes: end the answer, briefly waiting for its thread."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait(5)


def _hit_dict(hit: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(hit)


def _budget_dict(prompt: Any) -> dict[str, int]:
    budget = prompt.budget
    return {"num_ctx": budget.num_ctx, "answer": budget.reserved_for_answer,
            "system": budget.system, "history": budget.history, "passages": budget.passages,
            "question": budget.question, "room_left": budget.room_left}
