"""Frozen entry point of the command line (`desktop-rag` in the bundle): what the script runs."""

import multiprocessing
import sys

from desktop_rag.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
