#!/usr/bin/env bash
# Start-to-ready time and RSS of the packaged service (JVM mode, embedded mode), N runs, medians.
# Usage: ./mvnw package -DskipTests && src/test/scripts/startup-bench.sh [runs] [extra JVM options...]
set -euo pipefail
cd "$(dirname "$0")/../../.."
runs=${1:-5}; shift || true
jar=target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "build first: ./mvnw package -DskipTests" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ready=(); rss=(); rss_busy=()
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  java "$@" -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 -jar "$jar" >/tmp/startup-bench.log 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat /tmp/startup-bench.log; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  ready+=($(( (end - start) / 1000000 )))
  sleep 2
  rss+=($(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status))
  # After a minute of ticks, scrapes and API calls.
  for _ in $(seq 60); do curl -fs "http://127.0.0.1:$port/q/metrics" >/dev/null; curl -fs "http://127.0.0.1:$port/api/v1/decisions" >/dev/null; sleep 1; done
  rss_busy+=($(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status))
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "runs: $runs; JVM options: ${*:-(none)}"
echo "start to ready (ms): ${ready[*]} -> median $(median "${ready[@]}")"
echo "RSS after start (MiB): ${rss[*]} -> median $(median "${rss[@]}")"
echo "RSS after 60 s of ticks and scrapes (MiB): ${rss_busy[*]} -> median $(median "${rss_busy[@]}")"
