#!/usr/bin/env bash
# Set up desktop-rag with its test tools and run every test, on a fresh Debian 12 machine.
# The real-model tests (marker real_llm) use ../shared/llm-stack when it is there: its build
# (3-7 min, once per machine, then seconds) runs in the background during our own set-up.
# Without it they skip and say why.
set -euo pipefail
cd "$(dirname "$0")/.."
stack=../shared/llm-stack
export LLM_STACK_HOME=${LLM_STACK_HOME:-$HOME/.cache/llm-stack}
stack_pid=""
if [ -f "$stack/setup.sh" ] && [ -z "${DESKTOP_RAG_REAL_LLM_HOST:-}" ]; then
  mkdir -p "$LLM_STACK_HOME"
  (bash "$stack/setup.sh" && bash "$stack/start.sh") > "$LLM_STACK_HOME/desktop-rag-tests.log" 2>&1 &
  stack_pid=$!
fi
bash scripts/setup.sh --test
if [ -n "$stack_pid" ]; then
  if wait "$stack_pid"; then
    echo "llm-stack running at $(cat "$LLM_STACK_HOME/run/ollama_host")"
  else
    echo "llm-stack could not start (see $LLM_STACK_HOME/desktop-rag-tests.log):" \
         "the real_llm tests will skip" >&2
    tail -5 "$LLM_STACK_HOME/desktop-rag-tests.log" >&2 || true
  fi
fi
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ -n "$stack_pid" ]; then
  bash "$stack/stop.sh" > /dev/null 2>&1 || true
fi
exit $status
