#!/usr/bin/env bash
# Checks that every hot generated method gets JIT-compiled by C2: runs each UnrollBench benchmark
# briefly with -XX:+PrintCompilation -XX:+PrintInlining and reports, per generated or runtime method,
# the highest tier, where C2 inlined it and every refusal (jit_report.py).
#
#   examples/bench/jit-check.sh [--configs "seed1 tiny mid big"] [--jar examples/target/benchmarks.jar]
#                               [--java PATH] [--out DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
configs="seed1 seed2 tiny small mid big large"; jar="$root/examples/target/benchmarks.jar"; java_bin=java; out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --configs) configs="$2"; shift ;;
    --jar) jar="$2"; shift ;;
    --java) java_bin="$2"; shift ;;
    --out) out="$2"; shift ;;
    *) echo "jit-check.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
out="${out:-$root/examples/target/bench/jit-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
for c in $configs; do
  "$java_bin" -jar "$jar" 'dev\.unroll\.examples\.bench\.UnrollBench\.' -p config="$c" -f 1 -wi 3 -w 1s -i 2 -r 1s \
    -jvmArgsAppend "-XX:+UnlockDiagnosticVMOptions -XX:+PrintCompilation -XX:+PrintInlining" \
    -o "$out/jit-$c.log" >/dev/null
  echo "== $c"
  python3 "$here/jit_report.py" "$out/jit-$c.log" || true
done | tee "$out/report.txt"
echo "jit-check.sh: logs and report in $out"
