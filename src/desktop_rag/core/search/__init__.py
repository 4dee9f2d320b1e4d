"""From a question to ranked passages: dense, keyword (BM25) and hybrid fusion with every score
kept per hit, and the retrieval evaluation on BEIR-layout sets.

May import: shared modules, ingest, embed, llm, store.
"""
