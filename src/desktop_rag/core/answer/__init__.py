"""From passages to an answer: the prompt and its token budget, the ask() generator that streams
a cited answer from the model, conversations, export, and the answer settings of a library.

May import: every stage before it (shared, ingest, embed, llm, store, search).
"""
