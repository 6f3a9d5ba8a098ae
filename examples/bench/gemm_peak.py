#!/usr/bin/env python3
"""The single-core float32 (and float64) GEMM peak of this machine, as issue 16's goal measures Unroll
against it: OpenBLAS's sgemm/dgemm through torch.mm on one thread, square n x n products, the best
median GFLOP/s over n = 256 ... 2048 (2 n^3 flops per product).

  gemm_peak.py [--out peak.json] [--min-time 1.0]

Needs /usr/bin/python3 with torch and libopenblas0-pthread (what compare.sh installs). OpenBLAS is
the fastest GEMM on this machine that Debian ships; its single-thread speed is the practical peak.
"""
import argparse
import ctypes
import json
import os
import statistics
import time

import torch


def openblas_one_thread():
    """torch.set_num_threads does not reach an OpenBLAS torch was not built against: set it directly."""
    done = []
    with open("/proc/self/maps") as f:
        libs = {os.path.realpath(p.split()[5]) for p in f if len(p.split()) >= 6 and "blas" in p.split()[5].lower()}
    for lib in sorted(libs):
        try:
            fn = getattr(ctypes.CDLL(lib), "openblas_set_num_threads", None)
            if fn is not None:
                fn(ctypes.c_int(1))
                done.append(lib)
        except OSError:
            pass
    return done


def median_gflops(n, dtype, min_time):
    a = torch.randn(n, n, dtype=dtype)
    b = torch.randn(n, n, dtype=dtype)
    c = torch.empty(n, n, dtype=dtype)
    for _ in range(3):
        torch.mm(a, b, out=c)
    samples = []
    deadline = time.perf_counter() + min_time
    while time.perf_counter() < deadline or len(samples) < 5:
        t0 = time.perf_counter()
        torch.mm(a, b, out=c)
        samples.append(time.perf_counter() - t0)
    return 2.0 * n ** 3 / statistics.median(samples) / 1e9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--min-time", type=float, default=1.0)
    a = ap.parse_args()
    torch.set_num_threads(1)
    blas = openblas_one_thread()
    result = {"blas": blas, "torch": torch.__version__, "sizes": {}}
    for dtype, name in ((torch.float32, "float32"), (torch.float64, "float64")):
        best = 0.0
        for n in (256, 512, 1024, 2048):
            g = median_gflops(n, dtype, a.min_time)
            result["sizes"][f"{name} {n}"] = round(g, 2)
            print(f"{name} n={n:5d}: {g:7.2f} GFLOP/s")
            best = max(best, g)
        result[name] = round(best, 2)
        print(f"{name} peak (one thread): {best:.2f} GFLOP/s")
    if a.out:
        with open(a.out, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
