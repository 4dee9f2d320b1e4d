"""Which signals separate right answers from wrong ones, on an eval-qa run (--logprobs)?

For every answer that is not a refusal, prints the candidate signals and, for each, how many
wrong and right answers a threshold flags (wrong = contains no gold answer). Signals:

- the model's probability of the answer's new words (tokens of words the question does not
  hold): the lowest, the mean log, the first one's;
- the margin between the chosen token and its best alternative at the answer's first new word;
- how many of the question's content words stand near the answer's words in the cited passage;
- the question-fit check's coverage and number test (core/answer/question_fit.py), the
  embedder's cosine of question and answer, the model check's P(yes), the answer's length;
- the share of the answer's draws (eval-qa --draws) that say it again (core/answer/consistency.py).

AUROC is the chance that a wrong answer scores below a right one (0.5: no separation).

    python benchmarks/answer_signals.py RUN.json [RUN2.json ...]

2026-12-07, the llm-stack's 1.5B model on SQuAD 2.0's fixed sample of 100 (k=3, model check on;
80 answers not refused, 27 wrong): AUROC 0.62 for the lowest token probability, 0.60 for the
first new word's, 0.59 for the mean log-probability, 0.51 for P(yes), 0.51 for the question
cosine, 0.59 for the passage alignment. None separates enough to flag on: at the lowest token
probability <= 0.38 it flags 8 of 27 wrong answers and 9 of 53 right ones. The question-fit
check flags few answers, but nearly only wrong ones, so it is the one in the app.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

from desktop_rag.core.answer.citations import CITATION
from desktop_rag.core.answer.consistency import count_others, same_answer
from desktop_rag.core.answer.grounding import FLAGGING
from desktop_rag.core.answer.question_fit import asks_for_number, coverage, gives_number
from desktop_rag.core.answer.words import STOP_WORDS
from desktop_rag.core.answer.words import plain as _plain
from desktop_rag.core.answer.words import stem as _stem
from desktop_rag.core.answer.words import terms as _terms

_WORD = re.compile(r"\w+")


def new_word_spans(answer: str, question: str) -> list[tuple[int, int]]:
    asked = _terms(question)
    cited = [m.span() for m in CITATION.finditer(answer)]
    spans = []
    for m in _WORD.finditer(answer):
        if any(a <= m.start() < b for a, b in cited):
            continue
        word = _plain(m.group())
        if word in STOP_WORDS or len(word) < 2 and not word.isdigit():
            continue
        if (word if word.isdigit() else _stem(word)) in asked:
            continue
        spans.append(m.span())
    return spans


def token_offsets(logprobs: list) -> list[tuple[int, int, float, list]]:
    out, at = [], 0
    for token, lp, top in logprobs:
        out.append((at, at + len(token), lp, top))
        at += len(token)
    return out


def signals(record: dict) -> dict[str, float] | None:
    lps = record.get("logprobs") or []
    text = "".join(t for t, _, _ in lps)
    if not lps:
        return None
    spans = new_word_spans(text, record["question"])
    tokens = token_offsets(lps)
    inside = [t for t in tokens if any(a < t[1] and t[0] < b for a, b in spans)]
    if not inside:
        inside = [t for t in tokens if t[0] < len(text) and text[t[0]:t[1]].strip()]
    probs = [math.exp(t[2]) for t in inside]
    first = inside[0]
    top = first[3]
    margin = math.exp(top[0][1]) - math.exp(top[1][1]) if len(top) > 1 else 1.0
    return {
        "min_p": min(probs),
        "mean_logp": sum(t[2] for t in inside) / len(inside),
        "first_p": math.exp(first[2]),
        "first_margin": margin,
        "first3_min_p": min(probs[:3]),
    }


def alignment(record: dict) -> float | None:
    """Share of the question's content words found within 200 characters of the answer's new
    words in the passage it cites."""
    answer = record["answer"]
    cited = {c["number"] for c in record["citations"]}
    passages = [p for p in record["passages"] if p["number"] in cited] or record["passages"][:1]
    asked = _terms(record["question"])
    spans = new_word_spans(answer, record["question"])
    new = {_stem(_plain(answer[a:b])) if not answer[a:b].isdigit() else answer[a:b]
           for a, b in spans}
    if not asked or not new:
        return None
    best = 0.0
    for p in passages:
        text = p["text"]
        plain = _plain(text)
        for m in _WORD.finditer(plain):
            w = m.group()
            if (w if w.isdigit() else _stem(w)) not in new:
                continue
            window = plain[max(0, m.start() - 200): m.end() + 200]
            best = max(best, len(asked & _terms(window)) / len(asked))
    return best


def question_coverage(record: dict) -> float | None:
    """The question-fit check's share of the question's words that the answer repeats."""
    return coverage(record["question"], record["answer"])


def type_mismatch(record: dict) -> float | None:
    """-1 when the question asks for a number or a date and the answer holds none."""
    if not asks_for_number(record["question"]):
        return None
    return 0.0 if gives_number(record["answer"]) else -1.0


def question_similarity(records: list[dict], library: str) -> list[float]:
    """Cosine of the question and the answer (citations removed), with the library's embedder."""
    from desktop_rag.cli_commands import _embedder
    from desktop_rag.core.store.libraries import open_library

    embedder = _embedder(open_library(library))
    out = []
    for r in records:
        v = embedder.embed([r["question"], CITATION.sub(" ", r["answer"])])
        a, b = v[0], v[1]
        out.append(float((a @ b) / ((a @ a) ** 0.5 * (b @ b) ** 0.5)))
    return out


def agreement(record: dict) -> float | None:
    """1 - the share of the draws (eval-qa --draws) that give another answer, by the app's rule
    (refusals count for neither)."""
    draws = record.get("draws")
    if not draws or draws.get("error") or not draws.get("texts"):
        return None
    said = [same_answer(record["answer"], t, record["question"]) for t in draws["texts"]]
    return 1 - count_others(draws["texts"], said) / len(said)


def lexically_flagged(record: dict) -> bool:
    """Flagged by the grounding check (words alone), not by the draws."""
    return any(s.get("issue") in FLAGGING for s in (record.get("grounding") or {}).get(
        "sentences", []))


def main(paths: list[str]) -> None:
    rows = []
    for path in paths:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        kept = [r for r in data["answers"] if not (r["refused"] or r["error"])]
        similarity = dict(zip([r["id"] for r in kept],
                              question_similarity(kept, data["settings"]["library"]),
                              strict=True))
        for r in data["answers"]:
            if r["refused"] or r["error"]:
                continue
            s = signals(r) or {}
            s["alignment"] = alignment(r) if r["citations"] or r["passages"] else None
            s["q_coverage"] = question_coverage(r)
            s["type_ok"] = type_mismatch(r)
            s["length"] = -len(r["answer"])
            s["q_similarity"] = similarity.get(r["id"])
            p_yes = (r.get("model_check") or {}).get("p_yes")
            s["p_yes"] = p_yes
            s["agreement"] = agreement(r)
            rows.append((bool(r["contains"]), lexically_flagged(r), s, r))
    right = [r for r in rows if r[0]]
    wrong = [r for r in rows if not r[0]]
    print(f"{len(rows)} answers: {len(right)} right, {len(wrong)} wrong; grounding flags "
          f"{sum(r[1] for r in wrong)}/{len(wrong)} wrong, {sum(r[1] for r in right)}/"
          f"{len(right)} right")
    names = sorted({k for r in rows for k in r[2]})
    for name in names:
        values = [(r[2].get(name), r[0], r[1]) for r in rows if r[2].get(name) is not None]
        if not values:
            continue
        ordered = sorted({v for v, _, _ in values})
        qs = [ordered[int(len(ordered) * q)] for q in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)]
        print(f"\n{name} (n={len(values)})  AUROC {auroc(values):.3f}")
        for t in qs:
            w = sum(1 for v, ok, _ in values if not ok and v <= t)
            ok_ = sum(1 for v, ok, _ in values if ok and v <= t)
            wf = sum(1 for v, ok, f in values if not ok and (v <= t or f))
            rf = sum(1 for v, ok, f in values if ok and (v <= t or f))
            nw = sum(1 for _, ok, _ in values if not ok)
            nr = len(values) - nw
            print(f"  <= {t:8.4f}: wrong {w}/{nw}  right {ok_}/{nr}   "
                  f"with grounding flags: wrong {wf}/{nw} right {rf}/{nr}")


def auroc(values: list) -> float:
    """P(a wrong answer scores lower than a right one)."""
    wrong = [v for v, ok, _ in values if not ok]
    right = [v for v, ok, _ in values if ok]
    if not wrong or not right:
        return float("nan")
    wins = sum((w < r) + 0.5 * (w == r) for w in wrong for r in right)
    return wins / (len(wrong) * len(right))


if __name__ == "__main__":
    main(sys.argv[1:])
