"""E-mail messages (.eml, .msg): the message is one document, each attachment another.

An attachment is imported as a document of its own, named after its message
(`message.eml › report.pdf`), so it has its own outcome and is found beside the message it
came with. The message's own text is parsed by unstructured without its attachments (see
parse.py): before, unstructured tried each attachment inside the message's parse and dropped
those it could not read, with a warning nobody saw.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from desktop_rag.core.ingest.archives import SEPARATOR, Limits, Member

MAIL_SUFFIXES = (".eml", ".msg")


def is_mail(path: Path) -> bool:
    return path.name.lower().endswith(MAIL_SUFFIXES)


def attachments(path: Path, into: Path, limits: Limits | None = None) -> list[Member]:
    """The message's attachments, written under `into`. A message that cannot be read has
    none here: its own parse reports the problem."""
    limits = limits or Limits()
    try:
        found = _msg_attachments(path) if path.name.lower().endswith(".msg") \
            else _eml_attachments(path)
    except Exception:  # noqa: BLE001 - a malformed message: the message's parse says why
        return []
    members: list[Member] = []
    total = 0
    for index, (name, data) in enumerate(found):
        total += len(data)
        if total > limits.total_bytes or index >= limits.members:
            break  # the rest of a huge message is not imported; the message itself is
        safe = PurePosixPath(name.replace("\\", "/")).name or f"attachment-{index + 1}"
        target = into / f"{index:04d}" / safe
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        members.append(Member(target, f"{path}{SEPARATOR}{safe}", f"{path.name}{SEPARATOR}{safe}"))
    return members


def _eml_attachments(path: Path) -> list[tuple[str, bytes]]:
    import email
    from email import policy

    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=policy.default)
    found = []
    for part in message.walk():
        # Attachments proper; pictures shown inside the message body (inline, cid:) are not.
        if part.get_content_disposition() != "attachment" or part.is_multipart():
            continue
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            found.append((part.get_filename() or "", data))
    return found


def _msg_attachments(path: Path) -> list[tuple[str, bytes]]:
    from oxmsg import Message

    message = Message.load(str(path))
    return [(a.file_name or "", a.file_bytes) for a in message.attachments if a.file_bytes]
