#!/usr/bin/env bash
# Where the time goes: one UnrollBench (or other) benchmark under JMH's perfasm profiler with the
# cpu-clock event (this VM has no hardware counters), which needs linux-perf and the hsdis
# disassembler (Debian: apt-get install linux-perf libhsdis0-fcml); falls back to JFR otherwise.
#
#   examples/bench/profile.sh CONFIG MODE PRECISION [BENCH_CLASS] [--out DIR] [--java PATH]
#   e.g. examples/bench/profile.sh mid train float32
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ $# -ge 3 ] || { sed -n '2,8p' "$0"; exit 2; }
config="$1"; mode="$2"; precision="$3"; shift 3
bench="UnrollBench"; out=""; java_bin=java; jar="$root/examples/target/benchmarks.jar"; extra=""
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then bench="$1"; shift; fi
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift ;;
    --java) java_bin="$2"; shift ;;
    --jar) jar="$2"; shift ;;
    --jmh) extra="$2"; shift ;;
    *) echo "profile.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
out="${out:-$root/examples/target/bench/profile-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
log="$out/$bench-$config-$mode-$precision.txt"
if command -v perf >/dev/null 2>&1 && [ -e "$("$java_bin" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.home/ {print $2}')/lib/hsdis-amd64.so" ]; then
  prof=(-prof "perfasm:events=cpu-clock")
else
  echo "profile.sh: no perf or hsdis for this JDK; using JFR (-prof jfr)" >&2
  prof=(-prof "jfr:dir=$out")
fi
# shellcheck disable=SC2086
"$java_bin" -jar "$jar" "dev\\.unroll\\.examples\\.bench\\.$bench\\.$mode\$" -p config="$config" -p precision="$precision" \
  -f 1 -wi 3 -w 1s -i 5 -r 1s "${prof[@]}" $extra -o "$log" >/dev/null
sed -n '/Hottest Methods (after inlining)/,/<totals>/p' "$log"
grep -E "^$bench\.$mode " "$log" || true
echo "profile.sh: full output in $log"
