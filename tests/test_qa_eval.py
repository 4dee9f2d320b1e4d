"""eval-qa: a QA set imported, every question asked through ask(), answers scored (SQuAD rules),
against the Ollama test server with scripted answers: correct, wrong, refusal, no citation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ollama_server import DEFAULT_MODEL, FakeOllama

from desktop_rag.core.answer.qa_eval import evaluate_qa, load_qa, sample
from desktop_rag.core.answer.qa_scoring import contains_gold, exact_match, normalize, token_f1
from desktop_rag.core.answer.rag import AskSettings
from desktop_rag.core.answer.refusal import says_not_in_documents
from desktop_rag.core.llm.client import GenerationOptions, OllamaClient

DOCS = {
    "docs/bread.txt": "Sourdough bread\n\nSourdough bread needs a starter, flour, water and salt. "
                      "Bake the loaf at 240 degrees for forty minutes.",
    "docs/fleuves.txt": "Les fleuves de France\n\nLe Rhône traverse Lyon puis rejoint la mer "
                        "Méditerranée près d'Arles. La Loire est le plus long fleuve de France.",
}
QUESTIONS = [  # (question, gold answers, document, scripted reply)
    ("How long is the sourdough loaf baked?", ["forty minutes"], "docs/bread.txt",
     "The loaf is baked for forty minutes [1]."),
    ("What does sourdough bread need?", ["a starter, flour, water and salt"], "docs/bread.txt",
     "It needs sugar [1]."),
    ("Who invented sourdough bread?", [], "docs/bread.txt", "The documents do not say."),
    ("Quel fleuve traverse Lyon ?", ["Le Rhône"], "docs/fleuves.txt",
     "Le Rhône traverse la ville de Lyon."),
]


def write_set(folder: Path) -> Path:
    for name, text in DOCS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    lines = []
    for number, (question, answers, doc, _) in enumerate(QUESTIONS):
        lang = "fr" if doc.endswith("fleuves.txt") else "en"
        lines.append(json.dumps({
            "id": f"q{number}", "lang": lang, "question": question, "answers": answers,
            "source_file": doc, "is_impossible": not answers,
            "plausible_answers": [{"text": "a baker", "answer_start": 0}] if not answers else []}))
    path = folder / "tiny_qa.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def scripted(body: dict) -> str:  # type: ignore[type-arg]
    prompt = body["messages"][-1]["content"]
    return next(reply for question, _, _, reply in QUESTIONS if question in prompt)


def test_squad_normalisation_and_scores() -> None:
    assert normalize("The Rhône [1], in the south!") == "rhône in south"
    assert normalize("L'appel au jugement de Dieu", "fr") == "appel au jugement de dieu"
    assert exact_match("the Rhône [2].", ["Rhône"]) and not exact_match("Rhône river", ["Rhône"])
    assert contains_gold("It is, in fact, the Rhône river [1].", ["The Rhône"])
    assert not contains_gold("Rhônes", ["Rhône"])  # whole words only
    assert contains_gold("The lowest is -11.7 °C (10.9 °F) [3].", ["−11.7 °C"])  # minus sign
    assert token_f1("forty minutes at most", ["forty minutes"]) == pytest.approx(2 / 3)
    assert token_f1("nothing", ["forty minutes"]) == 0.0


@pytest.mark.parametrize("text", [
    "The documents do not say who invented it.",
    "The provided passages don't mention the inventor.",
    "I cannot answer this from the context.",
    "There is no information about the inventor in the passages.",
    "Les documents ne le disent pas.",
    "Les passages fournis ne précisent pas qui l’a inventé.",
    "Aucune information sur l'inventeur dans les documents.",
    "Il n'est pas possible de répondre à partir du contexte.",
])
def test_not_in_documents_wordings(text: str) -> None:
    assert says_not_in_documents(text)


@pytest.mark.parametrize("text", [
    "The loaf is baked for forty minutes [1].",
    "Le Rhône traverse Lyon [1].",
    "It bakes for forty minutes [1]. The documents do not say at what time of day.",
    "",
])
def test_answers_are_not_refusals(text: str) -> None:
    assert not says_not_in_documents(text)


def test_fixed_sample_is_stable_and_a_run_cut_short_asked_a_smaller_sample(tmp_path: Path) -> None:
    qa = load_qa(write_set(tmp_path))
    first, again = sample(qa.items, 2), sample(qa.items, 2)
    assert first == again and len(first) == 2
    for k in range(len(qa.items) + 1):
        assert sample(qa.items, len(qa.items))[:k] == sample(qa.items, k)
    assert sample(qa.items, None) == qa.items
    assert sorted(map(qa.items.index, sample(qa.items, 99))) == list(range(len(qa.items)))


def test_scripted_answers_are_scored(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    from conftest import run_import

    from desktop_rag.core.store.indexes import maintain
    from desktop_rag.core.store.library import Library

    qa = load_qa(write_set(tmp_path))
    library = Library.create(tmp_path / "lib")
    run_import(library, qa.folders, embedder)
    maintain(library)
    settings = AskSettings(model=DEFAULT_MODEL, generation=GenerationOptions(temperature=0))
    with FakeOllama() as server:
        server.reply_for = scripted
        events = list(evaluate_qa(qa, qa.items, library, embedder, OllamaClient(server.host),
                                  settings))
    report = events[-1]
    records = {r["id"]: r for r in report.records}
    assert records["q0"]["contains"] and records["q0"]["citations"][0]["holds_answer"]
    assert records["q0"]["in_prompt"] and records["q0"]["passages"][0]["cited"]
    assert not records["q1"]["contains"] and records["q1"]["f1"] == 0.0
    assert records["q2"]["refused"] and records["q2"]["is_impossible"]
    assert records["q3"]["contains"] and not records["q3"]["citations"]
    assert not any(r["wrong_language"] for r in report.records)
    assert records["q1"]["grounding_flagged"] and not records["q0"]["grounding_flagged"]
    overall = report.overall
    assert overall["contains"] == pytest.approx(2 / 3) and overall["cited"] == pytest.approx(2 / 3)
    assert overall["citation_precision"] == 1.0 and overall["in_prompt"] == 1.0
    assert overall["refused_unanswerable"] == 1.0 and overall["refused_answerable"] == 0.0
    assert overall["ttft_median_s"] is not None and overall["tokens_per_s"] > 0
    assert set(report.languages) == {"en", "fr"} and report.languages["fr"]["contains"] == 1.0
    assert overall["grounding_flags_wrong"] == 1.0 and overall["grounding_flags_right"] == 0.0
    assert overall["grounding_flags_unanswerable"] is None  # the one unanswerable was refused


def test_eval_qa_command_writes_the_figures(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from desktop_rag.cli import main

    path = write_set(tmp_path)
    out = tmp_path / "out" / "figures.json"
    with FakeOllama() as server:
        server.reply_for = scripted
        code = main(["eval-qa", str(path), "--host", server.host, "--model", DEFAULT_MODEL,
                     "--temperature", "0", "--seed", "3", "--max-questions", "3",
                     "--json", str(out), "--logprobs"])
        request = server.last("/api/chat")
        options = request["options"]
    assert code == 0 and options["temperature"] == 0 and options["seed"] == 3
    assert request["logprobs"] and request["top_logprobs"] == 5
    data = json.loads(out.read_text(encoding="utf-8"))
    keys = {"in_prompt", "contains", "exact", "f1", "cited", "citation_precision",
            "refused_unanswerable", "refused_answerable", "wrong_language", "ttft_median_s",
            "tokens_per_s"}
    assert keys <= set(data["overall"]) and keys <= set(data["en"])
    assert len(data["answers"]) == 3 and all(a["passages"] for a in data["answers"])
    token, logprob, alternatives = data["answers"][0]["logprobs"][0]  # the reply's first token
    assert "".join(t for t, _, _ in data["answers"][0]["logprobs"]) == data["answers"][0]["answer"]
    assert logprob <= 0 and len(alternatives) == 5 and alternatives[0][0] == token
    printed = capsys.readouterr().out
    assert "overall" in printed and "contains" in printed


def test_retrieval_only_measures_the_prompt_without_any_model(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """--retrieval-only asks no model (there is none at the default host here): the passage
    holding the answer is found in the prompt for the three answerable questions."""
    from desktop_rag.cli import main

    path = write_set(tmp_path)
    out = tmp_path / "figures.json"
    code = main(["eval-qa", str(path), "--retrieval-only", "--host", "http://127.0.0.1:9",
                 "--json", str(out)])
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    answerable = [a for a in data["answers"] if a["answers"]]
    assert len(answerable) == 3 and all(a["in_prompt"] for a in answerable)
    assert all(a["answer"] == "" and a["passages"] for a in data["answers"])
    assert data["overall"]["in_prompt"] == 1.0
    printed = capsys.readouterr().out
    assert "passages only (no model asked), with summary trees" in printed
    assert main(["eval-qa", str(path), "--retrieval-only", "--no-summaries"]) == 0
    assert "without summary trees" in capsys.readouterr().out


def test_citations_of_answers_marked_not_in_the_documents_leave_the_precision_alone() -> None:
    """"Les documents ne le disent pas. [1]" claims nothing about passage [1]: its citation is
    counted in citation_precision_all only."""
    from desktop_rag.core.answer.qa_scoring import summarise

    def record(refused: bool, holds: bool) -> dict:  # type: ignore[type-arg]
        return {"is_impossible": False, "error": None, "refused": refused, "contains": holds,
                "exact": holds, "f1": float(holds), "in_prompt": True, "ttft_s": 1.0,
                "tokens_per_s": 5.0, "wrong_language": False, "grounding_flagged": False,
                "citations": [{"number": 1, "holds_answer": holds}],
                "written_citations": [{"number": 1, "holds_answer": holds}]}

    figures = summarise([record(False, True), record(True, False), record(False, False)])
    assert figures["citation_precision"] == pytest.approx(1 / 2)
    assert figures["citation_precision_written"] == pytest.approx(1 / 2)
    assert figures["citation_precision_all"] == pytest.approx(1 / 3)
    assert figures["refused_answerable"] == pytest.approx(1 / 3)
