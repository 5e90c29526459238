#!/usr/bin/env python3
"""One knob for every trace: the cheapest setting of each knob baseline that reaches TARGET attainment on
every trace (median over seeds), and its GPU-hours against ours per trace. An SRE sets a KEDA target before
the traffic comes; the per-trace tables compare with the knob chosen afterwards, on the trace itself.
    backtest-one-knob.py TARGET DIR...   (DIRs of backtest-bench.sh runs: NAME-seedN.json)"""
import glob
import json
import os
import statistics
import sys
from collections import defaultdict

target = float(sys.argv[1])
runs = defaultdict(list)
for d in sys.argv[2:]:
    for f in sorted(glob.glob(os.path.join(d, "*-seed*.json"))):
        runs[os.path.basename(f).rsplit("-seed", 1)[0]].append(json.load(open(f)))
med = statistics.median


def median_of(docs, policy, knob, field):
    return med(next(r[field] for r in doc["results"] if r["policy"] == policy and r["knob"] == knob)
               for doc in docs)


for baseline, cheaper_when in (("keda-rate", max), ("hpa-gpu-utilization", max), ("keda-queue", max)):
    knobs = sorted({r["knob"] for docs in runs.values() for r in docs[0]["results"] if r["policy"] == baseline})
    good = [k for k in knobs if all(median_of(docs, baseline, k, "sloAttainment") >= target
                                    for docs in runs.values())]
    if not good:
        print(f"\n{baseline}: no knob reaches {100 * target:g}% on every trace")
        continue
    k = cheaper_when(good)
    print(f"\n{baseline}: knob {k:g} is the cheapest reaching {100 * target:g}% on every trace\n")
    print("| trace | ours attainment | ours GPU-h | " + baseline + f" @ {k:g} attainment | GPU-h | vs ours |")
    print("|---|---|---|---|---|---|")
    for trace, docs in runs.items():
        ours_a = median_of(docs, "gpu-autoscaler", None, "sloAttainment")
        ours_h = median_of(docs, "gpu-autoscaler", None, "gpuHours")
        a = median_of(docs, baseline, k, "sloAttainment")
        h = median_of(docs, baseline, k, "gpuHours")
        print(f"| {trace} | {100 * ours_a:.2f}% | {ours_h:.2f} | {100 * a:.2f}% | {h:.2f} | {h / ours_h:.2f}x |")
