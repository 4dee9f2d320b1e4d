"""From files to chunks: discover files, detect their type, parse them into elements, chunk.

Owns: detection, unstructured's offline set-up, parsing (PDF with PDFium), chunking strategies,
the text a chunk is searched by, and parsing ahead of the embedder.
May import: the shared core modules only.
"""
