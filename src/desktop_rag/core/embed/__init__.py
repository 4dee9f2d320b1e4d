"""From chunks to vectors: the Embedder seam (base), its backends and the factory that picks one.

Owns: local sentence-transformers models (precision, threads), Ollama embedding models.
May import: shared modules, ingest, llm (the Ollama backend talks through its client).
"""
