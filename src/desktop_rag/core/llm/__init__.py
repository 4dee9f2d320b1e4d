"""The Ollama client: health, models, pull, streamed chat with sampling options, embeddings.

Owns: the protocol types (options, token deltas, log-probabilities) and the HTTP client.
May import: the shared core modules only (embed and answer use it).
"""
