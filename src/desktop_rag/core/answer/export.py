"""A conversation as Markdown: each question and answer, the passages it cited, the settings.

Written so that someone reading the file later can check every answer against its sources
without the app.
"""

from __future__ import annotations

import json
import time

from desktop_rag.core.answer.conversations import Conversation


def _pages(pages: list[int] | tuple[int, ...] | None) -> str:
    if not pages:
        return ""
    first, last = min(pages), max(pages)
    return f", p. {first}" if first == last else f", pp. {first}-{last}"


def conversation_markdown(conversation: Conversation, library: str) -> str:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(conversation.created))
    lines = [f"# {conversation.title or 'Conversation'}", "",
             f"Library: {library} · started {when} · exported by desktop-rag", ""]
    for number, turn in enumerate(conversation.turns, 1):
        record = turn.record
        lines += [f"## {number}. {turn.question}", "", turn.answer.strip() or "*(no answer)*", ""]
        if turn.incomplete:
            lines += [f"> Incomplete: {record.get('error') or 'stopped before the end'}", ""]
        if record.get("nothing_relevant"):
            lines += ["> No passage of the library was relevant: the model was not asked.", ""]
        hits = {h.get("chunk_id"): h for h in record.get("hits", [])}
        cited = [(c["number"], hits.get(c["chunk_id"])) for c in record.get("citations", [])]
        if cited:
            lines += ["**Sources**", ""]
            for n, hit in sorted(cited, key=lambda item: item[0]):
                if hit is None:
                    continue
                section = f" — {hit['section']}" if hit.get("section") else ""
                quote = " ".join(str(hit.get("text", "")).split())
                lines += [f"- [{n}] {hit.get('document')}{_pages(hit.get('pages'))}{section}",
                          f"  > {quote[:600]}{'…' if len(quote) > 600 else ''}"]
            lines.append("")
        settings = {"model": record.get("model"), **(record.get("options") or {})}
        settings = {k: v for k, v in settings.items() if v is not None}
        if settings:
            lines += [f"<sub>settings: {json.dumps(settings, sort_keys=True)}"
                      + (f" · retrieval: {record['fusion']}" if record.get("fusion") else "")
                      + "</sub>", ""]
    return "\n".join(lines).rstrip() + "\n"
