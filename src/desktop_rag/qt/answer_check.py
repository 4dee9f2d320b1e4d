"""What the chat shows of an answer's checks: its flagged sentences marked, and a line saying
what was found (sentences not in the passages, corrected citations, "not in your documents").

Works on the answer's record (Answer.to_dict()), so saved conversations show the same marks.
A mark is a link `check:T:S` (sentence S of answer T); the panel shows its reason on click.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop_rag.qt.i18n import arg

MARK = "⚠"
_REASONS = {
    "unsupported": QT_TRANSLATE_NOOP("AnswerCheck", "Not found in the passages of the prompt."),
    "wrong citation": QT_TRANSLATE_NOOP(
        "AnswerCheck", "The passage it cites does not contain it; passage %1 does."),
    "header": QT_TRANSLATE_NOOP("AnswerCheck",
                                "A copied passage header, not an answer to the question."),
    "empty": QT_TRANSLATE_NOOP("AnswerCheck", "Citations only: the answer says nothing."),
    "restated": QT_TRANSLATE_NOOP(
        "AnswerCheck", "It only repeats the question: the answer itself is missing."),
    "no number": QT_TRANSLATE_NOOP(
        "AnswerCheck", "The question asks for a number or a date, and the answer gives none."),
    "off question": QT_TRANSLATE_NOOP(
        "AnswerCheck", "Found in the passages, but it leaves out most of what the question is "
        "about: it may answer another question."),
}
_FOUND = ("restated", "no number", "off question")  # in the passages, but not an answer


def _tr(text: str) -> str:
    return QCoreApplication.translate("AnswerCheck", text)


def mark_sentences(answer: str, record: dict[str, Any], turn: int) -> str:
    """The answer with a ⚠ link after each sentence the check flags (offsets from the record,
    which checked this very text)."""
    sentences = (record.get("grounding") or {}).get("sentences", [])
    # An issue of the whole answer (it restates or does not fit the question) is marked once,
    # after its last sentence, rather than after each one.
    whole = [i for i, s in enumerate(sentences) if s.get("issue") in _FOUND][:-1]
    marks = [(s["end"], index) for index, s in enumerate(sentences)
             if s.get("issue") in _REASONS and index not in whole
             and 0 < s["end"] <= len(answer)]
    for end, index in sorted(marks, reverse=True):
        answer = f"{answer[:end]} [{MARK}](check:{turn}:{index}){answer[end:]}"
    return answer


def reason(record: dict[str, Any], index: int) -> str:
    """Why sentence `index` is flagged, with the words the passages lack."""
    sentences = (record.get("grounding") or {}).get("sentences", [])
    if not 0 <= index < len(sentences) or sentences[index].get("issue") not in _REASONS:
        return ""
    sentence = sentences[index]
    text = _tr(_REASONS[sentence["issue"]])
    if sentence["issue"] == "wrong citation":
        text = arg(text, f"[{sentence.get('best_passage')}]")
    if sentence.get("missing") and sentence["issue"] == "unsupported":
        missing = ", ".join(sentence["missing"][:6])
        text += " " + arg(QCoreApplication.translate("AnswerCheck", "Not in them: %1."), missing)
    return text


def summary(record: dict[str, Any]) -> list[str]:
    """Parts of the line under an answer: refusal, flagged sentences, corrected citations."""
    parts: list[str] = []
    check = record.get("model_check") or {}
    look = record.get("second_look") or {}
    if look and not record.get("not_in_documents"):
        parts.append(arg(QCoreApplication.translate(
            "AnswerCheck", "answered on a second look at %1 alone (the model first found no "
            "answer in the passages)"), _numbers([look["passage"]])))
    if check.get("verdict") == "no":
        parts.append(arg(QCoreApplication.translate(
            "AnswerCheck", "⚠ not in your documents: asked again, the model says that %1 does "
            "not answer this question"), _numbers(check.get("passages") or [])))
    elif record.get("not_in_documents") and not record.get("nothing_relevant"):
        parts.append(QCoreApplication.translate(
            "AnswerCheck", "⚠ not in your documents: the model found no answer in the passages"))
    sentences = (record.get("grounding") or {}).get("sentences", [])
    flagged = sum(1 for s in sentences if s.get("issue") in _REASONS
                  and s.get("issue") not in _FOUND)
    misfits = sum(1 for s in sentences if s.get("issue") in _FOUND)
    if flagged:
        parts.append(QCoreApplication.translate(
            "AnswerCheck", "⚠ %n sentence(s) not found in the passages cited (click ⚠)", "",
            flagged))
    if misfits:
        parts.append(QCoreApplication.translate(
            "AnswerCheck", "⚠ found in the passages, but may not answer this question (click ⚠)"))
    draws = record.get("draws") or {}
    if record.get("unsteady"):
        parts.append(arg(QCoreApplication.translate(
            "AnswerCheck", "⚠ unsteady: asked again %1 times, the model gave another answer "
            "%2 time(s); it may be a guess"), str(len(draws.get("texts") or [])),
            str(draws.get("others", 0))))
    elif draws and not draws.get("error") and not record.get("not_in_documents"):
        parts.append(arg(QCoreApplication.translate(
            "AnswerCheck", "✓ given again %1 of %2 times"), str(draws.get("agreeing", 0)),
            str(len(draws.get("texts") or []))))
    if sentences and not flagged and not misfits and not record.get("not_in_documents"):
        parts.append(QCoreApplication.translate("AnswerCheck",
                                                "✓ every sentence found in the passages"))
    for repair in record.get("citation_repairs") or []:
        corrected = QCoreApplication.translate("AnswerCheck", "citation %1 corrected to %2")
        parts.append(arg(corrected, _numbers(repair["written"]), _numbers(repair["now"])))
    return parts


def draws_said(record: dict[str, Any]) -> str:
    """What the model wrote each time the question was asked again, marked ✓ when it gave the
    answer again."""
    draws = record.get("draws") or {}
    said = draws.get("said") or []
    lines = [QCoreApplication.translate("AnswerCheck", "Asked again, the model said:")]
    for index, text in enumerate(draws.get("texts") or []):
        mark = "✓" if index < len(said) and said[index] else "✗"
        lines.append(f"{mark} {' '.join(text.split())[:200]}")
    return "\n".join(lines)


def _numbers(numbers: list[int]) -> str:
    return "[" + ", ".join(map(str, numbers)) + "]"
