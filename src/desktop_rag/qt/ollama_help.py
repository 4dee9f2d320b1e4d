"""What the Ollama setup dialog (qt/ollama_setup.py) says and checks: the small models it
suggests with their download sizes, how to install and start Ollama on each system, sizes in
the interface's units, and the server address a user types, completed and checked.

Texts kept in tables are translated where they are shown, in the dialog's context.
"""

from __future__ import annotations

import re
import sys
from urllib.parse import urlsplit

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from desktop_rag.qt.i18n import arg, current_language

OLLAMA_PORT = 11434
# Small models that run on common laptops: name, download size in bytes (the Ollama library's
# Q4 builds) and what to expect, translated where shown. Smallest first.
SUGGESTED_MODELS = (
    ("qwen2.5:0.5b", 398e6, QT_TRANSLATE_NOOP(
        "OllamaSetupDialog",
        "The smallest and fastest: short, simple answers. Runs on any laptop.")),
    ("qwen2.5:1.5b", 986e6, QT_TRANSLATE_NOOP(
        "OllamaSetupDialog",
        "Fast, and good in French and many other languages. A good first choice.")),
    ("llama3.2:1b", 1.3e9, QT_TRANSLATE_NOOP(
        "OllamaSetupDialog", "Fast, for short factual answers.")),
    ("gemma2:2b", 1.6e9, QT_TRANSLATE_NOOP(
        "OllamaSetupDialog", "Careful, well-written answers, best in English.")),
    ("llama3.2:3b", 2.0e9, QT_TRANSLATE_NOOP(
        "OllamaSetupDialog",
        "The best answers of these, a little slower. Wants 8 GB of memory.")),
)
RECOMMENDED_MODEL = "qwen2.5:1.5b"
# How to install and start Ollama, per system; lines indented by four spaces are commands.
INSTALL_HELP = {
    "linux": QT_TRANSLATE_NOOP(
        "OllamaSetupDialog",
        "Run this in a terminal:\n    curl -fsSL https://ollama.com/install.sh | sh\n"
        "The installer sets Ollama up as a service that starts with the computer. If Ollama "
        "is installed but not running, start it with:\n    ollama serve"),
    "darwin": QT_TRANSLATE_NOOP(
        "OllamaSetupDialog",
        "Download Ollama from https://ollama.com/download, move it to the Applications folder "
        "and open it. Leave it running: its icon sits in the menu bar, and it starts again "
        "when you log in."),
    "win32": QT_TRANSLATE_NOOP(
        "OllamaSetupDialog",
        "Download the installer from https://ollama.com/download and run it. Ollama then runs "
        "in the background, with its icon in the notification area, and starts with Windows. "
        "If it is not running, open Ollama from the Start menu."),
}
SYSTEM_NAMES = {"linux": "Linux", "darwin": "macOS", "win32": "Windows"}
_HOST_NAME = re.compile(r"[A-Za-z0-9._-]+|[0-9a-f:.]*:[0-9a-f:.]*")  # a name, IPv4 or IPv6
LINK = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:!?)]")


def system() -> str:
    """"linux", "darwin" or "win32": which install instructions apply here."""
    if sys.platform == "darwin":
        return "darwin"
    return "win32" if sys.platform.startswith("win") else "linux"


def install_help(platform: str | None = None) -> str:
    """How to install and start Ollama on `platform` (default: this system), translated."""
    return QCoreApplication.translate("OllamaSetupDialog", INSTALL_HELP[platform or system()])


def normalize_host(text: str) -> str:
    """The Ollama server's URL from what a user typed: http:// when no scheme is given, port
    11434 when none is (with https://, the port of a TLS proxy: 443). Raises ValueError."""
    from desktop_rag.core.llm.client import default_host

    raw = text.strip()
    scheme, sep, rest = raw.partition("://")
    if not sep:
        scheme, rest = "http", raw
    hostport, slash, path = rest.partition("/")
    parts = urlsplit(f"//{hostport}")
    name = parts.hostname or ""
    if not _HOST_NAME.fullmatch(name) or (parts.port is None and hostport.endswith(":")):
        raise ValueError(f"not a server address: {raw!r}")
    if parts.port is None and scheme.lower() != "https":  # .port raises on a bad number
        hostport += f":{OLLAMA_PORT}"
    return default_host(f"{scheme}://{hostport}{slash}{path}")


def not_an_address(typed: str) -> str:
    """What to tell a user whose typed address normalize_host() refused, translated."""
    return arg(QCoreApplication.translate(
        "OllamaSetupDialog", "\"%1\" is not a server address: write host:port, for example "
        "192.168.1.20:11434, or a URL such as http://gpu-server:11434."), typed)


def format_size(size: float) -> str:
    """A byte count in kB, MB or GB (decimal units, as Ollama's library shows them), with
    the interface language's decimal mark."""
    locale = QLocale(QLocale.Language.French if current_language() == "fr"
                     else QLocale.Language.English)
    translate = QCoreApplication.translate
    if size >= 1e9:
        return arg(translate("OllamaSetupDialog", "%1 GB"),
                   locale.toString(size / 1e9, "f", 1))
    if size >= 1e6:
        return arg(translate("OllamaSetupDialog", "%1 MB"), round(size / 1e6))
    return arg(translate("OllamaSetupDialog", "%1 kB"), max(1, round(size / 1e3)) if size else 0)
