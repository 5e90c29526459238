#!/usr/bin/env bash
# Load on the external metrics API with 1,000 models x 4 variants published: a constant rate from a second
# process (vegeta), every request a different model/variant selector.
# Usage: ./mvnw package -DskipTests && src/test/scripts/external-metrics-bench.sh [rate] [duration]
# Needs vegeta: GOBIN=/usr/local/bin go install github.com/tsenart/vegeta/v12@v12.13.0
set -euo pipefail
cd "$(dirname "$0")/../../.."
rate=${1:-2000}; duration=${2:-60s}
work=$(mktemp -d)
python3 - "$work/policy.yaml" <<'PY'
import sys
out = ["loopInterval: 15s", "models:"]
for m in range(1000):
    out += [f"  - name: model-{m}", f"    namespace: ns-{m % 50}", f"    modelId: org/model-{m}",
            "    minReplicas: 2", "    variants:",
            "      - {name: h100-od, gpuType: H100, pricePerHour: 12.29}",
            "      - {name: h100-spot, gpuType: H100, capacityType: spot, pricePerHour: 5.5, maxShare: 0.5}",
            "      - {name: a100-od, gpuType: A100, pricePerHour: 4.1, capacityFactor: 0.5}",
            "      - {name: l4-od, gpuType: L4, pricePerHour: 0.8, capacityFactor: 0.2}"]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java ${JAVA_OPTS:--Xmx384m -XX:+UseSerialGC} -Dgpu-autoscaler.mode=embedded -Dgpu-autoscaler.policy.file="$work/policy.yaml" \
  -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 -Dgpu-autoscaler.external-metrics.port="$mport" \
  -jar target/quarkus-app/quarkus-run.jar >"$work/service.log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
until [ "$(curl -s "http://127.0.0.1:$port/api/v1/decisions?namespace=ns-0" | grep -o '"variant"' | wc -l)" -ge 80 ]; do
  kill -0 $pid || { cat "$work/service.log"; exit 1; }; sleep 0.5; done
series=$(curl -s "http://127.0.0.1:$port/api/v1/decisions" | grep -o '"desiredReplicas"' | wc -l)
python3 - "$mport" > "$work/targets" <<'PY'
import sys, random
port = sys.argv[1]; random.seed(7)
for _ in range(20000):
    m = random.randrange(1000); v = random.choice(["h100-od", "h100-spot", "a100-od", "l4-od"])
    print(f"GET https://127.0.0.1:{port}/apis/external.metrics.k8s.io/v1beta1/namespaces/ns-{m % 50}/"
          f"gpu_autoscaler_desired_replicas?labelSelector=model%3Dmodel-{m}%2Cvariant%3D{v}")
PY
# Warm up the JIT, then measure.
vegeta attack -insecure -rate=500 -duration=10s -targets="$work/targets" -max-connections=64 -workers=64 >/dev/null
vegeta attack -insecure -rate="$rate" -duration="$duration" -targets="$work/targets" -max-connections=64 -workers=64 > "$work/results.bin"
echo "series published: $series; rate: $rate/s for $duration"
vegeta report -type=text "$work/results.bin"
vegeta report -type='hist[0,1ms,2ms,5ms,10ms,50ms]' "$work/results.bin"
echo "service RSS after the run: $(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status) MiB"
