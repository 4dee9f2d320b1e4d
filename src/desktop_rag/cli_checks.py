"""What `ask` prints of an answer's checks: the model's verdict, the second look, the draws,
and the sentences the grounding check found fault with."""

from __future__ import annotations


def print_checks(answer) -> None:  # type: ignore[no-untyped-def]
    """The model check's verdict, a second look, and an unsteady answer's draws."""
    check = answer.model_check
    if answer.second_look is not None and not answer.not_in_documents:
        print(f"Answered on a second look at [{answer.second_look.passage}] alone: the model "
              f"first said \"{answer.second_look.first_text}\"")
    if check is not None and check.verdict == "no":
        odds = f" (yes at {check.p_yes:.0%})" if check.p_yes is not None else ""
        print(f"Not in your documents: asked again, the model says that {numbers(check.passages)}"
              f" does not answer this question{odds}.")
    elif answer.not_in_documents and not answer.nothing_relevant:
        print("Not in your documents: the model says the passages do not contain the answer.")
    if answer.unsteady:
        draws = answer.draws
        print(f"Unsteady: asked again {len(draws.texts)} times, the model gave another answer "
              f"{draws.others} time(s); it may be a guess. It said:")
        for text in draws.texts:
            print("  - " + " ".join(text.split())[:160])


_GROUNDING = {
    "unsupported": "not supported by the passages",
    "wrong citation": "the cited passage does not contain it",
    "header": "a copied passage header, not an answer",
    "empty": "citations only, nothing said",
    "restated": "only repeats the question, no answer",
    "no number": "the question asks for a number or a date, the answer gives none",
    "off question": "leaves out what the question is about: it may answer another question",
    "uncited": "cites no passage (found in {best})",
}


def print_grounding(answer) -> None:  # type: ignore[no-untyped-def]
    """The citations pointed at another passage, and the sentences the grounding check found
    fault with, one line each."""
    if answer.citation_repairs:
        print("Citations corrected (the passage cited did not hold the sentence; another does):")
        for r in answer.citation_repairs:
            print(f"  {numbers(r.written)} -> {numbers(r.now)}: "
                  f"\"{' '.join(r.sentence.split())[:90]}\"")
    if answer.grounding is None:
        return
    issues = [s for s in answer.grounding.sentences if s.issue]
    # An issue of the whole answer is listed once, with its last sentence.
    whole = [s for s in issues if s.issue in ("restated", "no number", "off question")]
    issues = [s for s in issues if s not in whole[:-1]]
    if not issues:
        return
    print("Check against the passages:")
    for s in issues:
        why = _GROUNDING[s.issue].format(best=f"[{s.best_passage}]")
        if s.wrong_citations:
            why += " (" + ", ".join(f"[{n}]" for n in s.wrong_citations) + ")"
        if s.missing and s.issue != "uncited":
            why += "; not found: " + ", ".join(s.missing[:5])
        print(f"  ! {why}: \"{' '.join(s.text.split())[:90]}\"")


def numbers(values: list[int]) -> str:
    return "[" + ", ".join(map(str, values)) + "]"
