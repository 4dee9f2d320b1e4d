"""Frozen entry point of the window (`desktop-rag-app` in the bundle): what the gui-script runs."""

import multiprocessing
import sys

from desktop_rag.qt.app import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
