#!/usr/bin/env bash
# Test the Linux application as a user gets it: the tar.gz unpacked in another folder (with a
# space in its path), run with the network cut, nothing taken from a Python installation.
#   bash packaging/test_bundle.sh           build it (packaging/build_linux.sh), then test it
#   bash packaging/test_bundle.sh --reuse   test the newest dist/desktop-rag-*-linux-*.tar.gz
# Not run by CI (the build alone takes 15-25 minutes); run it before publishing a build.
# Checks, against ../shared/corpus:
#   - the bundle's command line imports a PDF, Word, PowerPoint, Excel, HTML, text, EPUB and
#     OpenDocument file (the last two through the bundled pandoc), with its own models;
#   - searching finds the passage and its page; `ask` answers with numbered citations (from the
#     test Ollama server, tests/ollama_server.py, on loopback inside the test's namespace);
#   - no file of a Python installation is opened (strace), pandoc runs from the bundle;
#   - the menu entry that install-desktop-entry.sh writes is valid, and its Exec line starts
#     the window (offscreen), which opens in French for a French user, shows the library and
#     stays up; under Xvfb (when installed) the window is also shown on a real X server through
#     the bundled xcb plugin and a screenshot is saved to dist/test-bundle-screenshot.png.
# Needs: tar, strace, python3 (for the test server only); unshare (util-linux) and root to cut
# the network (else it says so and runs with the network as it is, models still offline).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
corpus=${CORPUS:-$root/../shared/corpus}

if [ "${1:-}" != "--inner" ]; then
  [ "${1:-}" = "--reuse" ] || bash packaging/build_linux.sh
  archive=$(ls -t dist/desktop-rag-*-linux-*.tar.gz 2>/dev/null | sed -n 1p)
  [ -n "$archive" ] || { echo "no dist/desktop-rag-*-linux-*.tar.gz: build it first" >&2; exit 2; }
  work=$(mktemp -d /tmp/desktop-rag-bundle-test.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  if unshare -n true 2>/dev/null; then
    # A network namespace of its own: only loopback, which the test Ollama server uses.
    unshare -n bash -c 'ip link set lo up && exec bash "$@"' bash \
      "$0" --inner "$root/$archive" "$work" "no network (own namespace)" "$corpus"
  else
    bash "$0" --inner "$root/$archive" "$work" "NOT CUT (unshare -n not permitted)" "$corpus"
  fi
  exit $?
fi

archive=$2 work=$3 network=$4 corpus=$5
passed=0 failed=0
check() {  # check NAME COMMAND...: run COMMAND, count and print the outcome
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "PASS  $name"
  else failed=$((failed + 1)); echo "FAIL  $name"; fi
}
has() { grep -Eq -- "$1" "$2"; }

echo "network: $network"
case $network in
  no*) check "no route to the internet" python3 -c '
import socket, sys
try:
    socket.create_connection(("pypi.org", 443), timeout=3)
except OSError:
    sys.exit(0)
sys.exit(1)' ;;
esac

apps="$work/My Apps"
mkdir -p "$apps" "$work/home"
start=$(date +%s)
tar -xzf "$archive" -C "$apps"
bundle="$apps/desktop-rag"
echo "unpacked $(basename "$archive") into $apps in $(( $(date +%s) - start )) s"

# The test Ollama server on loopback: the answer cites passage 1.
python3 - "$root/tests" "$work/ollama_host" <<'EOF' &
import sys, threading
sys.path.insert(0, sys.argv[1])
from ollama_server import FakeOllama
with FakeOllama(reply="Providers of high-risk AI systems must run a risk management system [1].") as server:
    with open(sys.argv[2], "w") as f:
        f.write(server.host)
    threading.Event().wait(900)
EOF
ollama_pid=$!
for _ in $(seq 50); do [ -s "$work/ollama_host" ] && break; sleep 0.1; done
host=$(cat "$work/ollama_host")

# The user's environment, minus anything Python: no PYTHONPATH, no virtualenv, no PATH to one.
run=(env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 USER="${USER:-user}"
     DESKTOP_RAG_HOME="$work/data" OLLAMA_HOST="$host")
traced() {  # traced NAME COMMAND...: run under strace, the opened files in $work/NAME.trace
  local name=$1; shift
  strace -f --seccomp-bpf -qq -e trace=openat,open,execve -o "$work/$name.trace" "$@"
}

check "--version" has "^desktop-rag [0-9]" <("${run[@]}" "$bundle/desktop-rag" --version 2>&1)

files=("$corpus/eu_ai_act_official.pdf" "$corpus/docx-tables.docx" "$corpus/fake-power-point.pptx"
       "$corpus/vodafone.xlsx" "$corpus/fake-html-cp1252.html" "$corpus/norwich-city.txt"
       "$corpus/winter-sports.epub" "$corpus/fake.odt")
start=$(date +%s)
status=0
traced import "${run[@]}" "$bundle/desktop-rag" import "${files[@]}" > "$work/import.out" 2>&1 || status=$?
echo "import of ${#files[@]} files: exit $status in $(( $(date +%s) - start )) s"
tail -n 12 "$work/import.out" | sed 's/^/    /'
check "import: exit 0" test "$status" = 0
check "import: all ${#files[@]} files imported" has "^${#files[@]} imported" "$work/import.out"

"${run[@]}" "$bundle/desktop-rag" search "obligations of providers of high-risk AI systems" --k 3 \
  > "$work/search.out" 2>&1 || true
sed 's/^/    /' "$work/search.out"
check "search: the AI Act first, with its page" \
  has "^1 +eu_ai_act_official\.pdf +(p\. |pp\. )?[0-9]+" "$work/search.out"
"${run[@]}" "$bundle/desktop-rag" search "winter sports in Switzerland" --k 1 > "$work/search2.out" 2>&1 || true
check "search: the EPUB (read by the bundled pandoc)" has "^1 +winter-sports\.epub" "$work/search2.out"

traced ask "${run[@]}" "$bundle/desktop-rag" ask "What must providers of high-risk AI systems do?" \
  > "$work/ask.out" 2>&1 || true
sed 's/^/    /' "$work/ask.out"
check "ask: the answer, then its sources with page" \
  has "^  \[1\] eu_ai_act_official\.pdf, (p\. |pp\. )[0-9]+" "$work/ask.out"

# Files opened outside the bundle (successfully) that belong to a Python installation.
foreign() {
  grep -hE '(openat|open|execve)\(' "$@" | grep -vE '= -1 ' |
    grep -oE '"[^"]+"' | tr -d '"' | grep -vF "$bundle/" |
    grep -E 'python3|site-packages|dist-packages|\.pyenv|/\.venv/|\.py$|\.pyc$' | sort -u || true
}
foreign "$work/import.trace" "$work/ask.trace" > "$work/foreign.txt"
[ -s "$work/foreign.txt" ] && sed -n '1,20s/^/    opened: /p' "$work/foreign.txt"
check "nothing opened from a Python installation" test ! -s "$work/foreign.txt"
check "pandoc runs from the bundle" \
  has "execve\(\"$(printf '%s' "$bundle" | sed 's/[][\.*^$]/\\&/g')/_internal/pypandoc/files/pandoc\"" \
  "$work/import.trace"

# The menu entry, then the window started by its Exec line, as a launcher does.
"${run[@]}" sh "$bundle/install-desktop-entry.sh" > /dev/null
entry="$work/home/.local/share/applications/desktop-rag.desktop"
check "menu entry installed" test -f "$entry"
if command -v desktop-file-validate > /dev/null; then
  check "menu entry valid (desktop-file-validate)" desktop-file-validate "$entry"
fi
exec_line=$(sed -n 's/^Exec=//p' "$entry" | sed 's/\\\\/\\/g')  # the spec's string unescaping
eval "set -- $exec_line"  # then the quoting rules of the Exec key (a subset of the shell's)
launcher=${1//%%/%}
check "menu entry starts the bundle's window" test "$launcher" = "$bundle/desktop-rag-app"

window() {  # window NAME PLATFORM [VAR=VALUE...]: start it in French, wait for the library
  local name=$1 platform=$2; shift 2
  traced "$name" "${run[@]}" LANG=fr_FR.UTF-8 LANGUAGE=fr QT_QPA_PLATFORM="$platform" "$@" \
    "$launcher" > "$work/$name.out" 2>&1 &
  local tracer=$! app="" alive=0
  for _ in $(seq 120); do  # the window reads the library on a worker once it is shown
    sleep 0.5
    [ -n "$app" ] || app=$(head -c 20 "$work/$name.trace" 2>/dev/null | grep -oE "^[0-9]+" || true)
    kill -0 "$tracer" 2>/dev/null || break
    if grep -q "$work/data/data/libraries/default/.*\.lance" "$work/$name.trace" 2>/dev/null; then
      sleep 3; kill -0 "$tracer" 2>/dev/null && alive=1; break
    fi
  done
  if [ "$alive" = 1 ] && [ -n "${SHOT:-}" ]; then $SHOT; fi
  # The program itself (strace runs it in the process it started: env, then the program).
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  wait "$tracer" 2>/dev/null || true
  check "window ($platform): up, library read" test "$alive" = 1
  check "window ($platform): French catalogues loaded" \
    has 'translations/desktop_rag_fr\.qm", O_RDONLY[^=]*= [0-9]' "$work/$name.trace"
  check "window ($platform): no Python error" bash -c "! grep -q Traceback '$work/$name.out'"
  grep -v "^$" "$work/$name.out" | head -5 | sed 's/^/    stderr: /' || true
}
window window-offscreen offscreen

if command -v Xvfb > /dev/null && command -v import > /dev/null; then
  shot() { DISPLAY=:$display import -window root "$work/shot.png" 2>/dev/null || true; }
  display=$(( 90 + RANDOM % 100 ))
  Xvfb ":$display" -screen 0 1400x900x24 -nolisten tcp > /dev/null 2>&1 &
  xvfb=$!
  sleep 2
  SHOT=shot window window-xcb xcb DISPLAY=":$display"
  kill "$xvfb" 2>/dev/null || true
  if [ -f "$work/shot.png" ]; then
    cp "$work/shot.png" "$root/dist/test-bundle-screenshot.png"
    spread=$(convert "$work/shot.png" -format '%[fx:standard_deviation]' info: 2>/dev/null || echo 0)
    check "screenshot shows a window (dist/test-bundle-screenshot.png)" \
      python3 -c "import sys; sys.exit(float('$spread') < 0.05)"
  else
    check "screenshot taken" false
  fi
else
  echo "skip: the window on a real X server (needs xvfb and imagemagick)"
fi

kill "$ollama_pid" 2>/dev/null || true
echo "bundle: $(du -sm "$bundle" | cut -f1) MB unpacked, $(du -m "$archive" | cut -f1) MB packed"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
