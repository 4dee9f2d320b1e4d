"""`python -m desktop_rag` runs the command line."""

from desktop_rag.cli import main

raise SystemExit(main())
