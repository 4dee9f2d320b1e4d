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
if ! ldconfig -p 2>/dev/null | grep -q libmagic.so.1; then
  echo "note: libmagic is missing, file types are then guessed from names more often;" \
       "install it with: sudo apt-get install libmagic1" >&2
fi
# The window needs X11/Wayland client libraries that minimal systems lack (tests run offscreen).
missing=""
for lib in libxcb-cursor.so.0 libxkbcommon-x11.so.0 libxcb-icccm.so.4 libEGL.so.1 libfontconfig.so.1; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing="$missing $lib"
done
if [ -n "$missing" ]; then
  echo "note: the desktop window needs:$missing; install them with: sudo apt-get install" \
       "libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0" \
       "libxcb-render-util0 libxcb-image0 libegl1 libfontconfig1 (the command line works without)" >&2
fi
.venv/bin/python -c 'import desktop_rag, torch; print("desktop-rag ready (torch", torch.__version__ + ")")'
