"""The library on disk: LanceDB tables (documents, elements, chunks), their indexes, and the
import that writes them atomically (parse -> chunk -> embed -> store), re-chunking, language.

May import: shared modules, ingest, embed, llm.
"""
