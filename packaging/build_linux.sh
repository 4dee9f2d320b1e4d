#!/usr/bin/env bash
# Build the Linux application from a checkout: the folder dist/desktop-rag/ (the window
# `desktop-rag-app`, the command line `desktop-rag`, the models, Qt and Python inside; it runs
# with no Python installed and no network) and dist/desktop-rag-VERSION-linux-ARCH.tar.gz.
#   bash packaging/build_linux.sh            set up .venv (scripts/setup.sh --package), build, pack
#   bash packaging/build_linux.sh --measure  also build with PyInstaller's defaults (no
#                                            exclusions, no strip) and print both sizes
# 15-25 minutes on 2 cores; it runs at a lower priority (nice 10). packaging/test_bundle.sh
# tests the result.
set -euo pipefail
cd "$(dirname "$0")/.."
measure=0
case "${1:-}" in
  --measure) measure=1 ;;
  "") ;;
  *) echo "usage: $0 [--measure]" >&2; exit 2 ;;
esac

bash scripts/setup.sh --package  # the venv, PyInstaller, the compiled translations
py=.venv/bin/python
if ! $py -c 'import sys, torch; sys.exit(torch.version.cuda is not None)'; then
  echo "error: .venv has a CUDA build of torch; the bundle would carry GBs of CUDA libraries." \
       "Install the CPU build first: .venv/bin/pip install --force-reinstall torch==2.13.0+cpu" \
       "(or start from a new .venv with scripts/setup.sh)" >&2
  exit 1
fi
version=$($py -c 'import desktop_rag; print(desktop_rag.__version__)')
arch=$(uname -m)

pyinstaller() {  # $1: dist folder, $2: work folder
  nice -n 10 .venv/bin/pyinstaller --noconfirm \
    --log-level WARN --distpath "$1" --workpath "$2" packaging/desktop-rag.spec
}
sizes() {  # $1: a built desktop-rag folder
  echo "  $(du -sm "$1" | cut -f1) MB in $(find "$1" -type f | wc -l) files; largest parts:"
  # awk stops printing instead of head closing the pipe: under pipefail, sort's SIGPIPE
  # (exit 141) ended the build here right after PyInstaller's 12 minutes.
  du -sm "$1"/_internal/* | sort -rn |
    awk 'NR <= 12 { sub(".*/desktop-rag/", "", $2); printf "    %6d MB  %s\n", $1, $2 }'
}

if [ "$measure" = 1 ]; then
  echo "== build with PyInstaller's defaults (for comparison), in build/unslimmed/"
  start=$(date +%s)
  DESKTOP_RAG_BUNDLE_SLIM=0 pyinstaller build/unslimmed/dist build/unslimmed/work
  echo "  built in $(( $(date +%s) - start )) s"
fi

echo "== build dist/desktop-rag/"
start=$(date +%s)
pyinstaller dist build/pyinstaller
echo "  built in $(( $(date +%s) - start )) s"

# What a user needs beside the programs: the menu entry, its icon, and how to install it.
cp packaging/linux/desktop-rag.desktop packaging/linux/install-desktop-entry.sh \
   packaging/linux/README.txt dist/desktop-rag/
cp src/desktop_rag/qt/icons/desktop-rag.png resources/desktop-rag.svg dist/desktop-rag/
chmod +x dist/desktop-rag/install-desktop-entry.sh

if [ "$measure" = 1 ]; then
  echo "== size with PyInstaller's defaults (build/unslimmed/dist/desktop-rag)"
  sizes build/unslimmed/dist/desktop-rag
fi
echo "== size of dist/desktop-rag"
sizes dist/desktop-rag

archive="dist/desktop-rag-$version-linux-$arch.tar.gz"
echo "== pack $archive"
start=$(date +%s)
compress=gzip
command -v pigz >/dev/null && compress=pigz
tar -C dist -cf - desktop-rag | nice -n 10 $compress -6 > "$archive.part"
mv "$archive.part" "$archive"
echo "  $(du -m "$archive" | cut -f1) MB in $(( $(date +%s) - start )) s"
echo "done: unpack it anywhere and run desktop-rag/desktop-rag-app" \
     "(desktop-rag/install-desktop-entry.sh adds it to the desktop menu)"
