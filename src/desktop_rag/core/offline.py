"""The environment every library we load must see, set before any of them is imported.

- unstructured sends a telemetry ping at import unless DO_NOT_TRACK / SCARF_NO_ANALYTICS is set.
- Hugging Face libraries must never look up a hub: models are loaded from local paths.
- `import openvino` loads its model converter, which starts Google Analytics telemetry (a
  forked process sends an event) with no environment opt-out; the converter falls back to its
  own stub when the telemetry package cannot be imported, so that import is made to fail.

The parsers' own offline set-up (spaCy's model) lives in core/ingest/unstructured_setup.py.
"""

from __future__ import annotations

import os
import sys

_ENV = {
    "DO_NOT_TRACK": "1",
    "SCARF_NO_ANALYTICS": "true",
    "UNSTRUCTURED_DISABLE_NOTICE": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}


_BLOCKED_MODULES = ("openvino_telemetry",)


def apply_environment() -> None:
    """Set the opt-outs; values a user set explicitly are kept."""
    for key, value in _ENV.items():
        os.environ.setdefault(key, value)
    for name in _BLOCKED_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type] - None: ImportError

