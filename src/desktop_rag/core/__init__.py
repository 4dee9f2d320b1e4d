"""The Qt-free core, one sub-package per stage a document goes through on its way to an answer:

ingest (file -> elements -> chunks), embed (chunk -> vector), store (the LanceDB library),
search (question -> ranked passages), answer (passages -> prompt -> streamed, cited answer),
beside llm (the Ollama client) and shared modules: errors, events, settings, paths, language,
tokens, offline. workspace.py is what one window or command works on; it may import any stage.
A stage imports only stages before it (enforced by the contracts in pyproject.toml).
"""
