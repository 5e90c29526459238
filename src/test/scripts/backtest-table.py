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
    for policy in ("gpu-autoscaler", "gpu-autoscaler-spot", "oracle", "oracle-schedule"):
        if not all(any(r["policy"] == policy for r in d["results"]) for d in docs):
            continue  # runs from before the policy was reported
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


def cost_slo_svg(trace, docs, path):
    """GPU-hours against SLO attainment, every policy and knob of the first seed; ours and the oracle marked."""
    rows = docs[0]["results"]
    w, h, left, bottom = 760, 420, 70, 50
    xs = [r["sloAttainment"] for r in rows]
    lo = max(0.5, min(xs) - 0.01)
    top = max(r["gpuHours"] for r in rows) * 1.05
    colours = {"gpu-autoscaler": "#d62728", "gpu-autoscaler-direct": "#d62728", "gpu-autoscaler-spot": "#ff9896",
               "hpa-gpu-utilization": "#1f77b4", "keda-queue": "#9467bd", "keda-rate": "#2ca02c",
               "static-peak": "#7f7f7f", "oracle": "#000000", "oracle-schedule": "#8c564b"}

    def px(r):
        x = left + (w - left - 160) * (r["sloAttainment"] - lo) / (1 - lo)
        y = h - bottom - (h - bottom - 20) * r["gpuHours"] / top
        return x, y
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" '
           f'font-size="11"><rect width="100%" height="100%" fill="white"/>',
           f'<text x="{left}" y="14">{trace}: GPU-hours vs SLO attainment (TTFT &lt;= 1 s), seed 1; '
           f'lines join a baseline\'s knob settings</text>',
           f'<rect x="{left}" y="20" width="{w - left - 160}" height="{h - bottom - 20}" fill="none" stroke="#444"/>']
    for k in range(5):
        v = lo + (1 - lo) * k / 4
        x = left + (w - left - 160) * k / 4
        out.append(f'<text x="{x - 14:.0f}" y="{h - bottom + 16}">{100 * v:.1f}%</text>')
        gy = h - bottom - (h - bottom - 20) * k / 4
        out.append(f'<text x="8" y="{gy + 4:.0f}">{top * k / 4:.0f}</text>')
    x99 = left + (w - left - 160) * (0.99 - lo) / (1 - lo)
    out.append(f'<line x1="{x99:.1f}" y1="20" x2="{x99:.1f}" y2="{h - bottom}" stroke="#999" stroke-dasharray="4 3"/>')
    out.append(f'<text x="{x99 + 3:.0f}" y="32" fill="#666">99%</text>')
    by_policy = defaultdict(list)
    for r in rows:
        by_policy[r["policy"]].append(r)
    for i, (policy, rs) in enumerate(by_policy.items()):
        c = colours.get(policy, "#17becf")
        pts = sorted((px(r) for r in rs), key=lambda p: p[0])
        if len(pts) > 1:
            out.append(f'<polyline fill="none" stroke="{c}" points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
                       + '"/>')
        for x, y in pts:
            r = 6 if policy.startswith(("gpu-autoscaler", "oracle")) else 3.5
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{c}"/>')
        ly = 40 + 16 * i
        out.append(f'<circle cx="{w - 150}" cy="{ly}" r="5" fill="{c}"/><text x="{w - 140}" y="{ly + 4}">'
                   f'{policy}</text>')
    out.append(f'<text x="{w - 150}" y="{40 + 16 * len(by_policy) + 10}" fill="#666">oracle: lower bound; '
               f'oracle-schedule: upper</text>')
    out.append("</svg>")
    open(path, "w").write("\n".join(out) + "\n")


if len(sys.argv) > 2:
    os.makedirs(sys.argv[2], exist_ok=True)
    for trace, docs in runs.items():
        cost_slo_svg(trace, docs, os.path.join(sys.argv[2], f"{trace}-cost-slo.svg"))
