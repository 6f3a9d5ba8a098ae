#!/usr/bin/env python3
"""Joins JMH results (UnrollBench, EjmlBaselineBench, OrtBench) and the PyTorch peer's JSON into one table.

  table.py --jmh jmh-*.json --torch torch-*.json [--cpu cpu-*.json] [--md OUT.md]

Per config, mode and precision: Unroll's µs per call (median of the JMH measurement iterations,
as the peer reports the median of its measurements), PyTorch's (its median), the ratio
PyTorch / Unroll (how many times faster Unroll is), the issue-6 goal for that ratio, ONNX Runtime's
µs (OrtBench, float32 only; inference returns the last h only) and the ratio ORT / Unroll, the EJML
baseline's µs and Unroll's speed-up over it, the allocation per call when JMH ran with -prof gc,
and the CPU other processes used while that config was measured.
"""
import argparse
import json
import statistics

CONFIG_ORDER = ["seed1", "seed2", "tiny", "small", "mid", "big", "large"]
SHAPES = {"seed1": (1, 1, 1, 1), "seed2": (1, 2, 1, 1), "tiny": (8, 3, 24, 1), "small": (8, 3, 24, 32),
          "mid": (32, 8, 50, 32), "big": (128, 32, 100, 64), "large": (256, 64, 64, 128)}
MODES = ["inference", "train", "stream"]


def goal(config, mode):
    """Issue 6's goals, as ratios PyTorch µs / Unroll µs."""
    if mode == "stream":
        return 100 if config in ("tiny", "small") else None  # the 8-unit step; the seeds have no peer step
    return {"seed1": 20, "seed2": 20, "tiny": 20, "small": 10, "mid": 3, "big": 1, "large": 1}[config]


def fmt_us(v):
    if v is None:
        return "–"
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def fmt_ratio(v):
    if v is None:
        return "–"
    return f"{v:.0f}×" if v >= 100 else f"{v:.1f}×" if v >= 10 else f"{v:.2f}×"


def load_jmh(paths):
    res = {}
    for p in paths:
        with open(p) as f:
            for r in json.load(f):
                cls, mode = r["benchmark"].rsplit(".", 2)[-2:]
                prm = r.get("params", {})
                if "config" not in prm or "precision" not in prm:
                    continue
                pm = r["primaryMetric"]
                scale = {"us/op": 1.0, "ns/op": 1e-3, "ms/op": 1e3, "s/op": 1e6}[pm["scoreUnit"]]
                raw = [x for fork in pm.get("rawData", []) for x in fork]
                med = statistics.median(raw) * scale if raw else pm["score"] * scale
                alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
                res[(cls, prm["config"], mode, prm["precision"])] = {
                    "median_us": med, "mean_us": pm["score"] * scale,
                    "alloc": alloc["score"] if alloc else None,
                    "spread": (max(raw) - min(raw)) / med * scale if raw else None,
                }
    return res


def load_torch(paths):
    res, meta = {}, None
    for p in paths:
        with open(p) as f:
            d = json.load(f)
        meta = meta or d["meta"]
        for r in d["results"]:
            if r["threads"] != 1:
                continue
            res[(r["config"], r["mode"], r["dtype"])] = r
    return res, meta


def load_cpu(paths):
    res = {}
    for p in paths:
        with open(p) as f:
            d = json.load(f)
        res[d.get("config", p)] = d
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jmh", nargs="+", required=True)
    ap.add_argument("--torch", nargs="*", default=[])
    ap.add_argument("--cpu", nargs="*", default=[])
    ap.add_argument("--md")
    ap.add_argument("--peak", help="gemm_peak.py's JSON: adds Unroll's GFLOP/s and its share of the GEMM peak")
    a = ap.parse_args()
    peak = json.load(open(a.peak)) if a.peak else None
    jmh = load_jmh(a.jmh)
    torch, meta = load_torch(a.torch)
    cpu = load_cpu(a.cpu)
    configs = [c for c in CONFIG_ORDER if any(k[1] == c for k in jmh)]
    precisions = [p for p in ("float32", "float64") if any(k[3] == p for k in jmh)]
    has_alloc = any(v["alloc"] is not None for v in jmh.values())
    has_ort = any(k[0] == "OrtBench" for k in jmh)
    head = ["config", "U,F,T,B", "mode", "precision", "Unroll µs", "PyTorch µs", "PyTorch / Unroll", "goal"]
    if has_ort:
        head += ["ORT µs", "ORT / Unroll"]
    head += ["EJML baseline µs", "baseline / Unroll"]
    if peak:
        head.append("Unroll GFLOP/s (of GEMM peak)")
    if has_alloc:
        head.append("alloc B/op")
    head.append("other CPU (cores)")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for c in configs:
        U, F, T, B = SHAPES[c]
        for m in MODES:
            for p in precisions:
                u = jmh.get(("UnrollBench", c, m, p))
                if u is None:
                    continue
                base = jmh.get(("EjmlBaselineBench", c, m, p))
                t = torch.get((c, m, p))
                t_us = t["median_us"] if t else None
                ratio = t_us / u["median_us"] if t_us else None
                g = goal(c, m) if t else None
                g_txt = "–" if g is None else (f"≥{g}× " + ("met" if ratio >= g else "**not met**"))
                t_txt = fmt_us(t_us) + ("*" if t and t.get("contended_measurements") else "")
                row = [c, f"{U},{F},{T},{1 if m == 'stream' else B}", m, p, fmt_us(u["median_us"]), t_txt,
                       fmt_ratio(ratio), g_txt]
                if has_ort:
                    o = jmh.get(("OrtBench", c, m, p))
                    row += [fmt_us(o["median_us"]) if o else "–",
                            fmt_ratio(o["median_us"] / u["median_us"]) if o else "–"]
                row += [fmt_us(base["median_us"]) if base else "–",
                        fmt_ratio(base["median_us"] / u["median_us"]) if base else "–"]
                if peak:
                    flops = t.get("flops") if t else None
                    if flops and m != "stream":
                        g = flops / (u["median_us"] * 1e3)
                        row.append(f"{g:.1f} ({100 * g / peak[p]:.0f} %)")
                    else:
                        row.append("–")
                if has_alloc:
                    row.append("–" if u["alloc"] is None else f"{u['alloc']:.2g}")
                cc = cpu.get(c)
                row.append(f"{cc['foreign_cores_mean']:.2f}" if cc else "–")
                lines.append("| " + " | ".join(row) + " |")
    out = "\n".join(lines)
    notes = ["", "Unroll and baseline: median of the JMH measurement iterations (one fork, one thread, "
             "average time per call). PyTorch: median of the peer's measurements, one thread"
             + (f" (torch {meta['torch_version']}; BLAS {', '.join(meta.get('blas_libs_loaded') or []) or '?'})" if meta else "")
             + "; * = the peer measured while other processes used > 0.25 cores. "
             "PyTorch / Unroll > 1 means Unroll is faster"
             + ("; ORT: ONNX Runtime for Java, median of the JMH iterations of OrtBench, one thread (intra-op and "
                "inter-op 1), float32, on the models export_onnx.py exported from torch (inference outputs the last h "
                "only, Unroll and PyTorch the whole sequence); ORT / Unroll > 1 means Unroll is faster" if has_ort else "")
             + (f"; GFLOP/s: the peer's flop count of the call (2 flops per multiply-add of the products; training"
                " 3x inference) over Unroll's time, and its share of the single-core GEMM peak gemm_peak.py measured"
                f" (OpenBLAS through torch.mm, one thread: {peak['float32']} GFLOP/s float32, {peak['float64']}"
                " float64)" if peak else "")
             + ". other CPU = mean cores used by other processes "
             "while Unroll's JMH run for that config ran (2 cores in all)."]
    out += "\n" + "\n".join(notes)
    print(out)
    if a.md:
        with open(a.md, "w") as f:
            f.write(out + "\n")


if __name__ == "__main__":
    main()
