"""Typed errors, each carrying the sentence a user reads.

The command line and the GUI only display `user_message`; they never build messages from
library exceptions themselves.
"""

from __future__ import annotations


class DesktopRagError(Exception):
    """Base class: `user_message` is what the user sees."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class ImportProblem(DesktopRagError):
    """A file that cannot become a document; the batch goes on without it."""


class UnsupportedType(ImportProblem):
    def __init__(self, mime: str, hint: str = "") -> None:
        super().__init__(f"unsupported type: {mime}" + (f" ({hint})" if hint else ""))


class EncryptedDocument(ImportProblem):
    def __init__(self) -> None:
        super().__init__("encrypted: password required")


class NoTextLayer(ImportProblem):
    """Scanned pages in a library whose settings turn OCR off."""

    def __init__(self, pages: int) -> None:
        super().__init__(
            f"no text layer: the {pages} scanned page(s) need OCR, which is turned off in "
            "this library's settings"
        )


class DamagedDocument(ImportProblem):
    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"damaged {kind}: {detail}")


class EmptyDocument(ImportProblem):
    def __init__(self, detail: str = "the file holds no text") -> None:
        super().__init__(f"empty: {detail}")


class MissingConverter(ImportProblem):
    """A format that needs an external program which is not installed."""


class LibraryError(DesktopRagError):
    """Problems with a library as a whole."""


class LibraryNotFound(LibraryError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"there is no library named '{name}'; create it with: desktop-rag library create {name}"
        )


class DocumentNotFound(LibraryError):
    def __init__(self, ref: str) -> None:
        super().__init__(f"no document matches '{ref}'; list them with: desktop-rag docs")


class AmbiguousDocument(LibraryError):
    def __init__(self, ref: str, names: list[str]) -> None:
        shown = ", ".join(names[:5]) + (" ..." if len(names) > 5 else "")
        super().__init__(f"'{ref}' matches several documents ({shown}); give more of the name")


class ModelMismatch(LibraryError):
    def __init__(self, library_model: str, wanted_model: str) -> None:
        super().__init__(
            f"this library's vectors come from '{library_model}', not '{wanted_model}'; "
            "vectors of two models cannot be mixed: re-embed the library with "
            "'desktop-rag library set-model' to switch"
        )


class EmbeddingModelUnavailable(DesktopRagError):
    def __init__(self, model: str, detail: str) -> None:
        super().__init__(
            f"cannot load the embedding model '{model}': {detail}. desktop-rag never downloads "
            "models: give the path of a sentence-transformers model folder on this computer"
        )


class StorageError(DesktopRagError):
    """Writing the library failed (disk full, permissions); nothing already imported is lost."""


class Cancelled(DesktopRagError):
    def __init__(self) -> None:
        super().__init__("cancelled")


class LlmError(DesktopRagError):
    """Problems talking to the language model server (Ollama)."""


class OllamaUnavailable(LlmError):
    """Nothing answers at the host: Ollama is not installed, not started, or elsewhere."""

    def __init__(self, host: str) -> None:
        self.host = host
        super().__init__(
            f"Ollama is not running at {host}: install it from https://ollama.com/download, "
            "start it with `ollama serve` (or open the Ollama desktop app), or set another "
            "host in the settings or with the OLLAMA_HOST environment variable"
        )


class OllamaTimeout(LlmError):
    def __init__(self, host: str, seconds: float) -> None:
        self.host = host
        super().__init__(
            f"Ollama at {host} did not answer within {seconds:g} s; it may still be loading "
            "the model: try again, choose a smaller model, or raise the timeout"
        )


class ModelNotPulled(LlmError):
    def __init__(self, model: str) -> None:
        self.model = model
        super().__init__(
            f"the model '{model}' is not in Ollama yet; download it with: "
            f"desktop-rag models pull {model}"
        )


class PullFailed(LlmError):
    def __init__(self, model: str, detail: str) -> None:
        self.model = model
        super().__init__(
            f"cannot download the model '{model}': {detail}; check the name at "
            "https://ollama.com/library and that the computer running Ollama is online"
        )


class OllamaRequestError(LlmError):
    """Any other refusal: `status` is the HTTP status, or None for an error inside a stream."""

    def __init__(self, status: int | None, detail: str) -> None:
        self.status = status
        self.detail = detail
        where = f" (HTTP {status})" if status else ""
        # A 5xx is the server's own failure (model crashed, out of memory): its log says why.
        hint = "; the Ollama server log has the details" if status and status >= 500 else ""
        super().__init__(f"Ollama could not answer{where}: {detail}{hint}")


# Reasons the importer gives without an ImportProblem. Like every reason they are fixed
# sentences (the window translates them: qt/reasons.py); the exception's own text goes to the log.
NOT_FOUND = "not found: no file or folder at this path"
INTERNAL_READING = "internal error while reading it; the log has the details"
INTERNAL_STORING = "internal error while storing it; the log has the details"


def unreadable_reason(error: OSError) -> str:
    """An operating-system error as a fixed sentence, without the system's own text."""
    import errno

    detail = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENOENT: "it was removed during the import",
        errno.EISDIR: "it is a folder",
    }.get(error.errno or 0, "the system refused to read it")
    return f"cannot read the file: {detail}"
