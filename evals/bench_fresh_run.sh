#!/usr/bin/env bash
# How long `make run` takes from a fresh clone until the page answers a question.
#
#   bash evals/bench_fresh_run.sh [SOURCE_REPO] [MAKE_TARGET]     (defaults: this repository, run)
#
# Clones SOURCE_REPO into a new temporary folder, runs `make run` there (it makes its own .venv; the data dir is
# empty, so there is no index) with MODELTERMS_HOME in that folder too (never ~/.modelterms), and polls until
#   1. the install is done      (make starts `modelterms index` or `modelterms ui`),
#   2. the UI starts            (make starts `modelterms ui`; before, it built the index first),
#   3. the page is served       (GET / answers 200),
#   4. the page answers         (a question through the page's own /ask endpoint gets a verdict),
#   5. with WAIT_INDEX=1, the index the page builds behind itself is done (its log line).
# Prints the seconds to each, the machine and the load average, then stops the server it started. What pip finds
# on this machine (its cache, local wheel folders) is used as any `make run` here would use it. The temporary
# folder (a whole .venv, over 2 GB) is removed at the end unless KEEP=1.
set -euo pipefail

SRC=${1:-$(git rev-parse --show-toplevel)}
TARGET=${2:-run}
PORT=${PORT:-$((20000 + RANDOM % 20000))}
LIMIT=${LIMIT:-900}
WORK=$(mktemp -d /tmp/modelterms-fresh.XXXXXX)
LOG="$WORK/make.log"
export MODELTERMS_HOME="$WORK/home"

git clone -q "$SRC" "$WORK/clone"
cd "$WORK/clone"
echo "clone: $WORK/clone at $(git rev-parse --short HEAD); port $PORT; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

start=$(date +%s.%N)
since() { python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]):.1f}')" "$(date +%s.%N)" "$start"; }
# its own session, so that the server and everything make started stop together at the end
setsid make "$TARGET" PORT="$PORT" >"$LOG" 2>&1 &
MAKE_PID=$!
stop() {
  kill -- "-$MAKE_PID" 2>/dev/null || true
  wait "$MAKE_PID" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap stop EXIT

installed="" started="" served="" answered="" indexed="" loads=""
while :; do
  t=$(since)
  if ! kill -0 "$MAKE_PID" 2>/dev/null; then
    echo "make exited before the page answered (after $t s); last lines of $LOG:"; tail -20 "$LOG"; exit 1
  fi
  if python3 -c "import sys; sys.exit(float(sys.argv[1]) < float(sys.argv[2]))" "$t" "$LIMIT"; then
    echo "no answer after $LIMIT s; last lines of $LOG:"; tail -20 "$LOG"; exit 1
  fi
  [ -z "$installed" ] && grep -qE "bin/modelterms (index|ui)" "$LOG" && installed=$t && echo "installed: $t s"
  [ -z "$started" ] && grep -q "bin/modelterms ui" "$LOG" && started=$t && echo "UI starting: $t s"
  if [ -n "$started" ] && [ -z "$served" ] && curl -sf -o /dev/null "http://127.0.0.1:$PORT/"; then
    served=$t && echo "page served: $t s"
  fi
  if [ -n "$answered" ]; then
    if grep -q "index built in the background" "$LOG"; then indexed=$t && echo "index built behind the page: $t s"; break; fi
  elif [ -n "$served" ]; then
    # the page's own chat endpoint, as the browser calls it (through the queue)
    if .venv/bin/python - "$PORT" <<'EOF' >"$WORK/answer.txt" 2>&1; then
import sys
from gradio_client import Client
out = Client(f"http://127.0.0.1:{sys.argv[1]}/", verbose=False, download_files=False).predict(
    "Can I use the MIT license in a paid chatbot?", [], api_name="/ask")
text = str(out)
assert "Verdict" in text, text[:500]
print(text[:300])
EOF
      answered=$(since) && echo "page answers: $answered s"
      [ "${WAIT_INDEX:-0}" = 1 ] || break
    fi
  fi
  loads="$loads $(cut -d' ' -f1 /proc/loadavg)"
  sleep 2
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(python3 --version)"
echo "1-min load average while it ran (every ~2 s, first and last 5):$(echo $loads | tr ' ' '\n' | head -5 | tr '\n' ' ') ...$(echo $loads | tr ' ' '\n' | tail -5 | tr '\n' ' ')"
echo "RESULT install ${installed}s ui-start ${started}s page ${served}s answer ${answered}s index-behind-page ${indexed:-n/a}s (from $SRC, target $TARGET)"
