#!/usr/bin/env bash
# The system libraries desktop-rag needs beyond Python's wheels, checked and installed on
# Debian / Ubuntu (scripts/setup.sh runs this first; it is quiet when everything is there).
#   python3-venv   to create .venv (Debian splits venv and ensurepip out of python3)
#   libmagic1      file types from their content (without it, more often from their name)
#   the X11/xcb client libraries Qt's xcb platform plugin loads: without them the window aborts
#   ("Could not load the Qt platform plugin xcb"); the command line works without them.
#   tesseract-ocr(-eng, -fra)  OCR of scanned pages and images (without it they fail, saying so)
# As root it runs apt-get; as a user, sudo apt-get (sudo may ask for the password); when neither
# is possible it prints the exact command and goes on.
# DESKTOP_RAG_SYSTEM_PACKAGES=print only prints that command; =skip does nothing.
set -euo pipefail
python=${PYTHON:-python3}
mode=${DESKTOP_RAG_SYSTEM_PACKAGES:-install}
[ "$mode" = skip ] && exit 0
# ldconfig lives in /sbin, outside a user's PATH on Debian (then every library looked missing).
PATH="$PATH:/usr/sbin:/sbin"

# library  Debian/Ubuntu package
window_libraries="
libEGL.so.1 libegl1
libGL.so.1 libgl1
libfontconfig.so.1 libfontconfig1
libfreetype.so.6 libfreetype6
libglib-2.0.so.0 libglib2.0-0
libX11.so.6 libx11-6
libdbus-1.so.3 libdbus-1-3
libX11-xcb.so.1 libx11-xcb1
libxcb.so.1 libxcb1
libxkbcommon.so.0 libxkbcommon0
libxkbcommon-x11.so.0 libxkbcommon-x11-0
libxcb-cursor.so.0 libxcb-cursor0
libxcb-icccm.so.4 libxcb-icccm4
libxcb-image.so.0 libxcb-image0
libxcb-keysyms.so.1 libxcb-keysyms1
libxcb-randr.so.0 libxcb-randr0
libxcb-render.so.0 libxcb-render0
libxcb-render-util.so.0 libxcb-render-util0
libxcb-shape.so.0 libxcb-shape0
libxcb-shm.so.0 libxcb-shm0
libxcb-sync.so.1 libxcb-sync1
libxcb-xfixes.so.0 libxcb-xfixes0
libxcb-xkb.so.1 libxcb-xkb1
libmagic.so.1 libmagic1
"

# The whole cache is read into a variable, then searched: `ldconfig -p | grep -q` under
# pipefail reported present libraries missing when grep stopped reading early (SIGPIPE).
cache=$(ldconfig -p 2>/dev/null || true)
packages=()
libraries=()
while read -r library package; do
  [ -n "$library" ] || continue
  case "$cache" in
    *"$library "*) ;;
    *) packages+=("$package"); libraries+=("$library") ;;
  esac
done <<< "$window_libraries"
if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  packages=(python3-venv "${packages[@]}")
  libraries=("python's venv module" "${libraries[@]}")
fi
# OCR: the Tesseract program and its English and French data (packages of their own).
langs=$(tesseract --list-langs 2>/dev/null || true)
command -v tesseract >/dev/null 2>&1 || { packages+=(tesseract-ocr); libraries+=(tesseract); }
for lang in eng fra; do
  case "$langs" in
    *$'\n'"$lang"*) ;;
    *) packages+=("tesseract-ocr-$lang"); libraries+=("tesseract's $lang data") ;;
  esac
done
[ ${#packages[@]} -eq 0 ] && exit 0

command="apt-get install -y --no-install-recommends ${packages[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: missing system libraries: ${libraries[*]}; install them with your package" \
       "manager (on Debian/Ubuntu: ${packages[*]}). The command line works without the" \
       "window's." >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
  sudo=(sudo)  # without a password, or asking for it on this terminal
else
  mode=print
fi
if [ "$mode" = print ]; then
  echo "note: desktop-rag needs these system packages; install them with:" >&2
  echo "  sudo $command" >&2
  exit 0
fi
echo "installing system packages: ${packages[*]}" >&2
log=$(mktemp)
export DEBIAN_FRONTEND=noninteractive
# A fresh system has no package lists yet: read them once, then try again.
if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}" >"$log" 2>&1; then
  if ! { "${sudo[@]}" apt-get update -q >>"$log" 2>&1 &&
         "${sudo[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}" \
           >>"$log" 2>&1; }; then
    tail -5 "$log" >&2
    echo "note: the system packages could not be installed; run: sudo $command" >&2
    rm -f "$log"
    exit 1
  fi
fi
rm -f "$log"
