#!/usr/bin/env bash
# Backtest benchmark: every trace × seeds, all policies with --sweep and --spot; JSON per run under OUT,
# then a markdown table of medians over the seeds (docs/benchmarks.md), and, for several traces, each
# baseline at the one knob that reaches 99% on all of them.
#   src/test/scripts/backtest-bench.sh [SEEDS] [OUT] [TRACE...]
# Needs the packaged service (./mvnw package -DskipTests), or JAR=path/to/quarkus-run.jar; EXTRA_ARGS are
# passed to every run (e.g. "--simulation fluid").
set -euo pipefail
cd "$(dirname "$0")/../../.."
seeds="${1:-5}"
out="${2:-target/backtest-bench}"
shift $(( $# > 2 ? 2 : $# )) || true
traces=("$@")
if [[ ${#traces[@]} -eq 0 ]]; then
  traces=(../shared/traces/azure-llm-2023-conv.csv ../shared/traces/azure-llm-2023-code.csv
          ../shared/traces/servegen-reason-deepseek-r1-rate-600s.csv
          ../shared/traces/servegen-language-m-small-rate-600s.csv
          ../shared/traces/servegen-language-m-mid-rate-600s.csv)
fi
mkdir -p "$out"
for trace in "${traces[@]}"; do
  name="$(basename "$trace" .csv)"
  for seed in $(seq 1 "$seeds"); do
    start=$(date +%s.%N)
    java -Xmx6g -jar "${JAR:-target/quarkus-app/quarkus-run.jar}" backtest --trace "$trace" --seed "$seed" --sweep --spot \
      --json ${EXTRA_ARGS:-} > "$out/$name-seed$seed.json" 2> "$out/$name-seed$seed.log"
    echo "$name seed $seed: $(echo "$(date +%s.%N) - $start" | bc) s" >&2
  done
done
python3 src/test/scripts/backtest-table.py "$out" "$out"   # table on stdout, cost-SLO charts (SVG) in $out
if [[ ${#traces[@]} -gt 1 ]]; then
  python3 src/test/scripts/backtest-one-knob.py 0.99 "$out"   # each baseline at one knob for all these traces
fi
