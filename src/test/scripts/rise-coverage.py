#!/usr/bin/env python3
"""Would headroom sized from recent volatility beat a constant headroom on the ServeGen rate curves?
For each 10-minute boundary, an adaptive headroom = the largest rise over the previous L windows; a rise above
it (by more than 2 points) leaves that window's load uncovered. Printed: the load-weighted share uncovered, the
load-weighted mean (1 + headroom) paid, and the constant (1 + headroom) that leaves the same share uncovered.
    rise-coverage.py TRACE.csv...   (ADR 0008 addendum)"""
import csv
import sys

for path in sys.argv[1:]:
    r = [float(row[-1]) for row in list(csv.reader(open(path)))[1:]]
    rise = [max(0.0, r[i] / r[i - 1] - 1) if r[i - 1] > 0 else 0.0 for i in range(1, len(r))]
    for lookback in (6, 12, 36):
        paid = uncovered = total = 0.0
        for k in range(lookback, len(rise)):
            h = max(rise[k - lookback:k])
            load = r[k + 1]
            total += load
            paid += (1 + h) * load
            if rise[k] > h + 0.02:
                uncovered += load
        share = uncovered / total
        ordered = sorted(rise[lookback:])
        constant = ordered[max(0, int((1 - share) * len(ordered)) - 1)]
        print(f"{path.rsplit('/', 1)[-1]} lookback {lookback} windows: uncovered {share:.3f}, adaptive pays "
              f"{paid / total:.3f}, constant for the same cover {1 + constant:.3f}")
