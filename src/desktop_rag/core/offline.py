"""The environment every library we load must see, set before any of them is imported.

- unstructured sends a telemetry ping at import unless DO_NOT_TRACK / SCARF_NO_ANALYTICS is set.
- Hugging Face libraries must never look up a hub: models are loaded from local paths.

The parsers' own offline set-up (spaCy's model) lives in core/ingest/unstructured_setup.py.
"""

from __future__ import annotations

import os

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


def apply_environment() -> None:
    """Set the opt-outs; values a user set explicitly are kept."""
    for key, value in _ENV.items():
        os.environ.setdefault(key, value)

