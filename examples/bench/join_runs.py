#!/usr/bin/env python3
"""Joins compare.sh runs of one sitting (e.g. JDK 17 scalar kernels and JDK 25 Vector API kernels) into one
table: per config, mode and precision, Unroll's µs in each run, and each run's ratios to the PyTorch and ONNX
Runtime peers that ran back to back with it (so every ratio is measured together); the peers' µs shown are
the mean of the runs' peer medians.

  join_runs.py --run "JDK 17, scalar" DIR17 --run "JDK 25, vector" DIR25 [--md OUT.md]

DIR is a compare.sh --out directory (jmh-*.json, torch-*.json, gemm-peak.json, machine.txt).
"""
import argparse
import glob
import json
import os

from table import CONFIG_ORDER, MODES, SHAPES, fmt_ratio, fmt_us, load_jmh, load_torch


def load_run(d):
    jmh = load_jmh(sorted(glob.glob(os.path.join(d, "jmh-*.json"))))
    torch, _ = load_torch(sorted(glob.glob(os.path.join(d, "torch-*.json"))))
    peak_path = os.path.join(d, "gemm-peak.json")
    peak = json.load(open(peak_path)) if os.path.exists(peak_path) else None
    machine = open(os.path.join(d, "machine.txt")).read() if os.path.exists(os.path.join(d, "machine.txt")) else ""
    return {"jmh": jmh, "torch": torch, "peak": peak, "machine": machine}


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", nargs=2, action="append", metavar=("LABEL", "DIR"), required=True)
    ap.add_argument("--md")
    a = ap.parse_args()
    labels = [label for label, _ in a.run]
    runs = [load_run(d) for _, d in a.run]
    n = len(runs)

    def per_run(title):
        return f"{title}: " + " / ".join(labels)

    head = ["config", "U,F,T,B", "mode", "precision", per_run("Unroll µs"), "PyTorch µs",
            per_run("PyTorch / Unroll"), "ORT µs", per_run("ORT / Unroll"), per_run("GFLOP/s (of GEMM peak)")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for c in CONFIG_ORDER:
        U, F, T, B = SHAPES[c]
        for m in MODES:
            for p in ("float32", "float64"):
                us = [r["jmh"].get(("UnrollBench", c, m, p)) for r in runs]
                if all(u is None for u in us):
                    continue
                us = [u["median_us"] if u else None for u in us]
                ts = [r["torch"].get((c, m, p)) for r in runs]
                t_us = [t["median_us"] if t else None for t in ts]
                o_us = [(r["jmh"].get(("OrtBench", c, m, p)) or {}).get("median_us") for r in runs]
                ratios_t = [fmt_ratio(t / u) if t and u else "–" for t, u in zip(t_us, us)]
                ratios_o = [fmt_ratio(o / u) if o and u else "–" for o, u in zip(o_us, us)]
                gf = []
                for r, t, u in zip(runs, ts, us):
                    flops = t.get("flops") if t else None
                    if flops and u and m != "stream" and r["peak"]:
                        g = flops / (u * 1e3)
                        gf.append(f"{g:.1f} ({100 * g / r['peak'][p]:.0f} %)")
                    else:
                        gf.append("–")
                row = [c, f"{U},{F},{T},{1 if m == 'stream' else B}", m, p,
                       " / ".join(fmt_us(u) for u in us), fmt_us(mean(t_us)), " / ".join(ratios_t) if any(t_us) else "–",
                       fmt_us(mean(o_us)), " / ".join(ratios_o) if any(o_us) else "–",
                       " / ".join(gf) if any(g != "–" for g in gf) else "–"]
                lines.append("| " + " | ".join(row) + " |")
    peaks = "; ".join(f"{label}: {r['peak']['float32']} / {r['peak']['float64']}" for label, r in zip(labels, runs)
                      if r["peak"])
    lines += ["", f"{n} runs, each with its own peers back to back; ratios > 1 mean Unroll is faster. PyTorch and ORT µs:"
              " the mean of the runs' medians. GEMM peak (gemm_peak.py, GFLOP/s float32 / float64) per run: " + peaks + "."]
    out = "\n".join(lines)
    print(out)
    if a.md:
        with open(a.md, "w") as f:
            f.write(out + "\n")


if __name__ == "__main__":
    main()
