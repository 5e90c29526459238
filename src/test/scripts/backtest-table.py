#!/usr/bin/env python3
"""Medians over seeds of backtest --sweep --spot --json runs (files NAME-seedN.json in DIR), as markdown."""
import glob
import json
import os
import statistics
import sys
from collections import defaultdict

runs = defaultdict(list)
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*-seed*.json"))):
    runs[os.path.basename(f).rsplit("-seed", 1)[0]].append(json.load(open(f)))

med = statistics.median
for trace, docs in runs.items():
    print(f"\n### {trace} ({len(docs)} seeds, {med(d['requests'] for d in docs):,.0f} requests)\n")
    print("| policy | knob | SLO attainment | TTFT p95 s | GPU-hours | cost $ | vs ours (GPU-h) |")
    print("|---|---|---|---|---|---|---|")
    def rows(policy):
        return [next(r for r in d["results"] if r["policy"] == policy and r["knob"] is None) for d in docs]
    for policy in ("gpu-autoscaler", "gpu-autoscaler-spot", "oracle"):
        rs = rows(policy)
        p95 = [r["ttftP95"] for r in rs if r["ttftP95"] is not None]
        ours = [o["gpuHours"] for o in rows("gpu-autoscaler")]
        ratio = med(r["gpuHours"] / o for r, o in zip(rs, ours))
        print(f"| {policy} | – | {100 * med(r['sloAttainment'] for r in rs):.2f}% | "
              f"{med(p95) if p95 else float('nan'):.3f} | {med(r['gpuHours'] for r in rs):.2f} | "
              f"{med(r['cost'] for r in rs):.2f} | {ratio:.2f}x |")
    for baseline in ("hpa-gpu-utilization", "keda-queue", "keda-rate", "static-peak"):
        cs = [next(c for c in d["atEqualAttainment"] if c["policy"] == baseline) for d in docs]
        reached = [c for c in cs if c["knob"] is not None]
        if len(reached) * 2 <= len(cs):
            best = max(c["sloAttainment"] for c in cs)
            print(f"| {baseline} | never reaches ours in {len(cs) - len(reached)}/{len(cs)} seeds | "
                  f"best {100 * best:.2f}% | | | | |")
            continue
        knobs = sorted(c["knob"] for c in reached)
        print(f"| {baseline} (cheapest knob at ours' attainment) | {knobs[len(knobs) // 2]:g} | "
              f"{100 * med(c['sloAttainment'] for c in reached):.2f}% | | {med(c['gpuHours'] for c in reached):.2f} | | "
              f"{med(c['gpuHoursVsOurs'] for c in reached):.2f}x ({len(reached)}/{len(cs)} seeds) |")
    spot_cut = [1 - s["cost"] / o["cost"] for s, o in zip(rows("gpu-autoscaler-spot"), rows("gpu-autoscaler"))]
    print(f"\nSpot allowed: cost {100 * med(spot_cut):.1f}% below on-demand only (median; "
          f"min {100 * min(spot_cut):.1f}%), interruptions median "
          f"{med(r['spotInterruptions'] for r in rows('gpu-autoscaler-spot')):g}.")
