"""E-mail: a message and each of its attachments become documents, each with its own outcome."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

from conftest import run_import

from desktop_rag.core.store import schema as S


def _message(corpus) -> bytes:  # type: ignore[no-untyped-def]
    message = EmailMessage()
    message["From"] = "alice@example.org"
    message["To"] = "bob@example.org"
    message["Subject"] = "Reading for Thursday"
    message.set_content("Hello Bob,\n\nHere is the paper on dense passage retrieval for "
                        "Thursday's seminar, and the bread recipe you asked for.\n\nAlice")
    message.add_alternative("<html><body><p>Hello Bob, here is the paper.</p>"
                            "<img src='cid:logo'></body></html>", subtype="html")
    # A picture shown inside the message body is part of it, not an attachment.
    message.get_payload()[1].add_related(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image", "png",
                                         cid="<logo>")
    message.add_attachment((corpus / "pdf/multi-column-2p.pdf").read_bytes(),
                           maintype="application", subtype="pdf", filename="dpr-paper.pdf")
    recipes = io.BytesIO()
    with zipfile.ZipFile(recipes, "w") as archive:
        archive.writestr("bread.txt", "Sourdough bread needs a starter, flour, water and salt.")
    message.add_attachment(recipes.getvalue(), maintype="application", subtype="zip",
                           filename="recipes.zip")
    message.add_attachment(b"", maintype="text", subtype="plain", filename="empty.txt")
    return message.as_bytes()


def test_a_message_and_its_attachments_are_documents(library, embedder, corpus, tmp_path):
    path = tmp_path / "reading.eml"
    path.write_bytes(_message(corpus))
    summary, _ = run_import(library, [path], embedder)
    outcomes = {e.path.name: e for e in [*summary.imported, *summary.failed, *summary.skipped]}
    assert set(outcomes) == {"reading.eml", "reading.eml › dpr-paper.pdf",
                             "reading.eml › recipes.zip › bread.txt"}, outcomes
    assert not summary.failed  # an empty attachment is no document
    message = library.find("reading.eml")
    text = " ".join(c.text for c in library.chunks(message))
    assert "Hello Bob" in text and "Dense Passage Retrieval" not in text  # not the attachment's
    paper = library.find("reading.eml › dpr-paper.pdf")
    assert paper.pages == 2 and paper.path == f"{path} › dpr-paper.pdf"  # linked to its message
    assert "Dense Passage Retrieval" in " ".join(c.text for c in library.chunks(paper))
    assert {d.state for d in library.documents()} == {S.IMPORTED}

    again, _ = run_import(library, [path], embedder)
    assert not again.imported and len(again.skipped) == 3


def test_an_attachment_that_fails_does_not_fail_its_message(library, embedder, tmp_path):
    message = EmailMessage()
    message["Subject"] = "Figures"
    message.set_content("The quarterly figures are attached, with the password by phone.")
    message.add_attachment(b"%PDF-1.7\n" + b"\x00garbage" * 200, maintype="application",
                           subtype="pdf", filename="figures.pdf")
    path = tmp_path / "figures.eml"
    path.write_bytes(message.as_bytes())
    summary, _ = run_import(library, [path], embedder)
    assert [e.path.name for e in summary.imported] == ["figures.eml"]
    assert [(e.path.name, e.reason) for e in summary.failed] == [
        ("figures.eml › figures.pdf", "damaged PDF: the file is not a valid PDF")]


def test_outlook_messages_import_without_warnings(corpus, capfd):
    from desktop_rag.core.ingest.parse import parse_file

    parsed = parse_file(corpus / "fake-email.msg")
    assert "Roses are red" in " ".join(e.text for e in parsed.elements)
    assert "Skipping attachment" not in capfd.readouterr().err
