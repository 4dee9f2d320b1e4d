"""The Qt-free core: import, chunking, embedding, storage. The command line and the GUI both use it."""
