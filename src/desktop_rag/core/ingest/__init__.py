"""From files to chunks: discover files, detect their type, parse them into elements, chunk."""
