#!/usr/bin/env python3
"""The two-thread table of two-threads.sh: Unroll on one thread (UnrollBench) and on two
(SplitBatchBench), PyTorch on one and two threads, ONNX Runtime with two intra-op threads (float32
inference; it returns the last h only), µs per call (medians) and the ratios peer / Unroll on two.

  two_threads.py --jmh jmh-*.json --torch torch-*.json [--md OUT.md]
"""
import argparse
import json
import statistics

ORDER = ["seed1", "seed2", "tiny", "small", "mid", "big", "large"]
SHAPES = {"seed1": (1, 1, 1, 1), "seed2": (1, 2, 1, 1), "tiny": (8, 3, 24, 1), "small": (8, 3, 24, 32),
          "mid": (32, 8, 50, 32), "big": (128, 32, 100, 64), "large": (256, 64, 64, 128)}


def us(v):
    if v is None:
        return "–"
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def ratio(a, b):
    return "–" if a is None or b is None else f"{a / b:.2f}×"


def load_jmh(paths):
    res = {}
    for p in paths:
        for r in json.load(open(p)):
            cls, method = r["benchmark"].rsplit(".", 2)[-2:]
            prm = r.get("params", {})
            mode = "train" if method.startswith("train") else "inference" if method.startswith("inference") else None
            if mode is None:
                continue
            pm = r["primaryMetric"]
            scale = {"us/op": 1.0, "ns/op": 1e-3, "ms/op": 1e3, "s/op": 1e6}[pm["scoreUnit"]]
            raw = [x for fork in pm.get("rawData", []) for x in fork]
            res[(cls, prm.get("config"), mode, prm.get("precision"))] = statistics.median(raw) * scale
    return res


def load_torch(paths):
    res = {}
    for p in paths:
        for r in json.load(open(p))["results"]:
            res[(r["config"], r["mode"], r["dtype"], r["threads"])] = r["median_us"]
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jmh", nargs="+", required=True)
    ap.add_argument("--torch", nargs="*", default=[])
    ap.add_argument("--md")
    a = ap.parse_args()
    jmh, torch = load_jmh(a.jmh), load_torch(a.torch)
    head = ["config", "U,F,T,B", "mode", "precision", "Unroll 1 thread µs", "Unroll 2 threads µs", "speed-up",
            "PyTorch 1 / 2 threads µs", "PyTorch 2 / Unroll 2", "ORT 2 threads µs", "ORT 2 / Unroll 2"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for c in ORDER:
        for m in ("inference", "train"):
            for p in ("float32", "float64"):
                one = jmh.get(("UnrollBench", c, m, p))
                two = jmh.get(("SplitBatchBench", c, m, p))
                if one is None and two is None:
                    continue
                t1, t2 = torch.get((c, m, p, 1)), torch.get((c, m, p, 2))
                ort = jmh.get(("OrtBench", c, m, p))
                lines.append("| " + " | ".join([c, ",".join(map(str, SHAPES[c])), m, p, us(one), us(two),
                                                ratio(one, two), f"{us(t1)} / {us(t2)}", ratio(t2, two),
                                                us(ort), ratio(ort, two)]) + " |")
    text = "\n".join(lines)
    print(text)
    if a.md:
        open(a.md, "w").write(text + "\n")


if __name__ == "__main__":
    main()
