#!/usr/bin/env bash
# Stops what start.sh STATE_DIR started, by PID (newest first): TERM, then KILL after 10 s.
set -uo pipefail
state="${1:?usage: stop.sh STATE_DIR}"
[[ -f "$state/pids" ]] || exit 0
pids=$(tac "$state/pids" | awk '{print $1}')
for pid in $pids; do kill -TERM "$pid" 2>/dev/null; done
for _ in $(seq 1 100); do
  alive=0
  for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [[ $alive == 0 ]] && break
  sleep 0.1
done
for pid in $pids; do kill -KILL "$pid" 2>/dev/null; done
: > "$state/pids"
