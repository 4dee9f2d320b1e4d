#!/usr/bin/env bash
# Set up desktop-rag with its test tools and run every test, on a fresh Debian 12 machine.
# The real-model tests (marker real_llm) use ../shared/llm-stack when it is there: its build
# (3-7 min, once per machine, then seconds) runs in the background during our own set-up and
# the first tests; those tests run last and wait for it (conftest.py's real_model). Without
# it they skip and say why.
set -euo pipefail
cd "$(dirname "$0")/.."
stack=../shared/llm-stack
export LLM_STACK_HOME=${LLM_STACK_HOME:-$HOME/.cache/llm-stack}
stack_pid=""
if [ -f "$stack/setup.sh" ] && [ -z "${DESKTOP_RAG_REAL_LLM_HOST:-}" ]; then
  mkdir -p "$LLM_STACK_HOME"
  outcome="$LLM_STACK_HOME/desktop-rag-tests.outcome"
  log="$LLM_STACK_HOME/desktop-rag-tests.log"
  rm -f "$outcome" "$outcome.part"
  # The outcome file tells the tests when to stop waiting: "ready", or "failed" and why.
  # Written aside, then renamed: the tests never read half of it.
  ( if (bash "$stack/setup.sh" && bash "$stack/start.sh") > "$log" 2>&1; then
      echo ready > "$outcome.part"
    else
      { echo "failed (see $log):"; tail -5 "$log"; } > "$outcome.part"
    fi
    mv "$outcome.part" "$outcome" ) &
  stack_pid=$!
  export DESKTOP_RAG_REAL_LLM_OUTCOME="$outcome"
fi
bash scripts/setup.sh --test
status=0
# Two workers: on 2 cores, one test's waits (child processes, servers, Qt timers) leave room
# for another's work. The minutes-long tests start first (tests/conftest.py).
.venv/bin/python -m pytest -n 2 --dist loadgroup "$@" || status=$?
if [ -n "$stack_pid" ]; then
  wait "$stack_pid" || true
  bash "$stack/stop.sh" > /dev/null 2>&1 || true
fi
exit $status
