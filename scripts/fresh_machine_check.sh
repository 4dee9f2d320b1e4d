#!/usr/bin/env bash
# Run the README's two commands on a fresh Debian 12, as a new user would: a minimal root made
# by debootstrap (python3 only, as the README assumes), the project as committed (git archive
# HEAD), the network of the machine (package registries). Run as root, from the project folder:
#   bash scripts/fresh_machine_check.sh [PYTEST ARGS...]
# 1. as root:           bash scripts/setup.sh && .venv/bin/desktop-rag-app
#    then proves the window starts: no library of Qt's xcb plugin missing (ldd), and the app
#    still running after 30 s on a virtual display (Xvfb is added after the set-up, for the
#    check only).
# 2. as a user with sudo, in another fresh root:  bash scripts/test.sh [PYTEST ARGS...]
#    (../shared/corpus and ../shared/bench are mounted read-only beside the project; without
#    ../shared/llm-stack the real_llm tests skip.)
# FRESH_STEPS="1" (or "2") runs one of the two.
# The fresh root is made once in $FRESH_BASE (kept: about 250 MB) and copied for each run.
# This machine's pip settings (/etc/xdg/pip, PIP_* variables, local wheels such as the CPU
# torch) are passed in, so pip finds what it finds outside.
set -euo pipefail
cd "$(dirname "$0")/.."
project=$PWD
shared=$(cd .. && pwd)/shared
base=${FRESH_BASE:-/var/tmp/desktop-rag-fresh/base}
work=$(dirname "$base")
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ "$(id -u)" = 0 ] || { echo "run as root: debootstrap, chroot and mounts need it" >&2; exit 2; }
log() { echo "=== $(date -u +%H:%M:%S) $*"; }

if [ ! -x "$base/usr/bin/python3" ]; then
  command -v debootstrap >/dev/null || apt-get install -y -q debootstrap >/dev/null
  log "debootstrap bookworm (minbase + python3) into $base"
  rm -rf "$base.tmp" && mkdir -p "$base.tmp"
  debootstrap --variant=minbase --include=python3,ca-certificates bookworm "$base.tmp" \
    "$mirror" > "$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }
  rm -rf "$base" && mv "$base.tmp" "$base"
fi

mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[i]}" 2>/dev/null || true; done
  mounted=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bind() {  # bind SOURCE TARGET [ro]
  mkdir -p "$2"
  mount --bind "$1" "$2"
  mounted+=("$2")
  if [ "${3:-}" = ro ]; then mount -o remount,bind,ro "$2"; fi
}

remove_root() {  # never through a mount left behind (/dev of the host is bound in)
  if grep -q " $1/" /proc/mounts; then
    echo "refusing to remove $1: something is still mounted under it" >&2
    exit 1
  fi
  rm -rf --one-file-system "$1"
}

root=""
fresh_root() {  # fresh_root NAME: sets root to a copy of the base with the project, mounts, pip
  root=$work/$1
  remove_root "$root"
  cp -a "$base" "$root"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # This machine's certificate authorities (a proxy between it and the registries may sign
  # with its own): what pip trusts outside, it trusts inside.
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  bind /proc "$root/proc"
  bind /sys "$root/sys"
  bind /dev "$root/dev"
  local folder
  for folder in /opt/wheels /opt/pypi /opt/pypi-more; do
    if [ -d "$folder" ]; then bind "$folder" "$root$folder" ro; fi
  done
  if [ -d /etc/xdg/pip ]; then mkdir -p "$root/etc/xdg" && cp -a /etc/xdg/pip "$root/etc/xdg/"; fi
  for folder in corpus bench; do
    if [ -d "$shared/$folder" ]; then bind "$shared/$folder" "$root/check/shared/$folder" ro; fi
  done
  mkdir -p "$root/check/desktop-rag"
  git -C "$project" archive HEAD | tar -x -C "$root/check/desktop-rag"
}

pip_env=()
while IFS= read -r line; do pip_env+=("$line"); done < <(env | grep '^PIP_' || true)
in_root() {  # in_root USER COMMAND...: in a clean environment, as USER
  local user=$1 home=/root
  shift
  printf '%s\n' "set -e" "$*" > "$root/tmp/step.sh"
  chmod 755 "$root/tmp/step.sh"
  local as=()
  if [ "$user" != root ]; then
    home=/home/$user
    as=(setpriv "--reuid=$user" "--regid=$user" --init-groups)
  fi
  chroot "$root" /usr/bin/env -i HOME="$home" USER="$user" LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${pip_env[@]}" \
    "${as[@]}" /bin/bash /tmp/step.sh
}

status=0
steps=" ${FRESH_STEPS:-1 2} "
# -- 1: as root, the first README command -------------------------------------------------------
if [[ $steps == *" 1 "* ]]; then
fresh_root as-root
log "1. as root: bash scripts/setup.sh && .venv/bin/desktop-rag-app"
if in_root root "cd /check/desktop-rag && time bash scripts/setup.sh"; then
  log "setup.sh as root: exit 0; run again (idempotent, quiet):"
  in_root root "cd /check/desktop-rag && bash scripts/setup.sh"
  missing=$(in_root root "cd /check/desktop-rag && ldd \$(.venv/bin/python -c \
    'import PySide6, os; print(os.path.dirname(PySide6.__file__))')/Qt/plugins/platforms/libqxcb.so \
    | grep 'not found' || true")
  if [ -n "$missing" ]; then
    echo "FAIL: Qt's xcb plugin lacks: $missing"; status=1
  else
    echo "ok: every library of Qt's xcb plugin is there"
    in_root root "apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q xvfb xauth >/dev/null 2>&1"
    set +e
    in_root root "cd /check/desktop-rag && DESKTOP_RAG_HOME=/tmp/app timeout 30 \
      xvfb-run -a .venv/bin/desktop-rag-app > /tmp/app.log 2>&1"
    code=$?
    set -e
    in_root root "tail -5 /tmp/app.log"
    if [ "$code" = 124 ]; then
      echo "ok: the window was still running after 30 s (stopped by timeout)"
    else
      echo "FAIL: desktop-rag-app ended with $code"; status=1
    fi
  fi
else
  echo "FAIL: setup.sh as root"; status=1
fi
cleanup
fi

# -- 2: as a user with sudo, the second README command ------------------------------------------
if [[ $steps == *" 2 "* ]]; then
fresh_root as-user
in_root root "apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q sudo >/dev/null 2>&1 \
  && useradd -m -s /bin/bash alice && echo 'alice ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/alice \
  && chown -R alice:alice /check/desktop-rag"
log "2. as alice (sudo): bash scripts/test.sh $*"
if in_root alice "cd /check/desktop-rag && time bash scripts/test.sh $*"; then
  log "test.sh as a user: exit 0"
else
  echo "FAIL: test.sh as a user"; status=1
fi
cleanup
fi
log "done: $([ $status = 0 ] && echo PASS || echo FAIL)"
exit $status
