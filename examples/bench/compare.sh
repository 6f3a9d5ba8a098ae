#!/usr/bin/env bash
# Unroll's JMH benchmarks, the PyTorch peer and the ONNX Runtime peer on this machine, in one sitting,
# one thread each, and a table of µs per call with the ratios to each peer for each config, mode and precision.
#
#   examples/bench/compare.sh [options]
#
#   --quick                short warm-up and measurement (a first look; numbers are rougher)
#   --configs "a b ..."    subset of: seed1 seed2 tiny small mid big large (default: all)
#   --precisions "..."     subset of: float32 float64 (default: both)
#   --peer PATH            the peer script (default: ../shared/peers/torch_lstm_bench.py next to the repo)
#   --java PATH            the java that runs JMH (default: java on PATH), e.g. a JDK 25
#   --out DIR              results directory (default: examples/target/bench/<date-time>)
#   --gc                   add JMH's -prof gc (gc.alloc.rate.norm, B/op, in the table)
#   --no-build             reuse examples/target/benchmarks.jar
#   --no-peer              Unroll and the EJML baseline only (neither PyTorch nor ONNX Runtime)
#   --no-ort               no ONNX Runtime peer (float32 only: export_onnx.py exports float32 models)
#   --onnx DIR             the exported ONNX models (default: OUT/onnx, written by export_onnx.py next to the peer)
#   --vector               run Unroll with the Vector API kernels: --add-modules jdk.incubator.vector
#                          -Dunroll.kernels=vector (required: by default they run from Java 25 only)
#   --no-baseline          skip the EJML baseline
#   --quiet-wait S         before each config, wait up to S s for other processes to go quiet (default 60)
#   --jmh "ARGS"           extra JMH arguments, e.g. "-jvmArgsAppend -XX:+UseParallelGC"
#
# Needs JDK 17+, Maven 3.8+, /usr/bin/python3 with torch and OpenBLAS (installed here with apt-get
# when missing: python3-torch libopenblas0-pthread). ONNX Runtime comes with the benchmarks jar
# (the benchmarks profile); the models are exported at run time (a few seconds). Never run by the
# build or CI.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

quick=0; configs="seed1 seed2 tiny small mid big large"; precisions="float32 float64"
peer=""; java_bin="java"; out=""; gc=0; build=1; run_peer=1; baseline=1; quiet_wait=60; jmh_extra=""
run_ort=1; onnx=""; vector=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --configs) configs="$2"; shift ;;
    --precisions) precisions="$2"; shift ;;
    --peer) peer="$2"; shift ;;
    --java) java_bin="$2"; shift ;;
    --out) out="$2"; shift ;;
    --gc) gc=1 ;;
    --no-build) build=0 ;;
    --no-peer) run_peer=0; run_ort=0 ;;
    --no-ort) run_ort=0 ;;
    --onnx) onnx="$2"; shift ;;
    --vector) vector=1 ;;
    --no-baseline) baseline=0 ;;
    --quiet-wait) quiet_wait="$2"; shift ;;
    --jmh) jmh_extra="$2"; shift ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

for c in $configs; do
  case "$c" in seed1|seed2|tiny|small|mid|big|large) ;; *) echo "compare.sh: unknown config $c" >&2; exit 2 ;; esac
done
for p in $precisions; do
  case "$p" in float32|float64) ;; *) echo "compare.sh: unknown precision $p" >&2; exit 2 ;; esac
done

if [ -z "$peer" ]; then
  for cand in "$root/../shared/peers/torch_lstm_bench.py" "$root/../../shared/peers/torch_lstm_bench.py"; do
    if [ -f "$cand" ]; then peer="$(cd "$(dirname "$cand")" && pwd)/$(basename "$cand")"; break; fi
  done
fi
if { [ "$run_peer" = 1 ] || [ "$run_ort" = 1 ]; } && [ ! -f "${peer:-/nonexistent}" ]; then
  echo "compare.sh: the peer script was not found next to the repository; pass --peer PATH (or --no-peer)" >&2
  exit 2
fi
exporter="$(dirname "${peer:-.}")/export_onnx.py"
if [ "$run_ort" = 1 ] && [ ! -f "$exporter" ]; then
  echo "compare.sh: $exporter (the ONNX export) was not found next to the peer; pass --no-ort" >&2
  exit 2
fi
case " $precisions " in *" float32 "*) ;; *) run_ort=0 ;; esac

out="${out:-$root/examples/target/bench/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
echo "compare.sh: results in $out"

# --- the peer's dependencies (Debian packages, as its README says) -----------------------------------
if [ "$run_peer" = 1 ] || [ "$run_ort" = 1 ]; then
  if ! /usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
    echo "compare.sh: installing python3-torch and libopenblas0-pthread"
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q python3-torch libopenblas0-pthread
  fi
fi

# the peer's OpenBLAS on this CPU's kernels (it falls back to SSE3 on CPUs it does not know)
if [ "$run_peer" = 1 ]; then
  # shellcheck source=openblas-core.sh
  source "$here/openblas-core.sh"
fi

# --- the benchmark jar --------------------------------------------------------------------------------
if [ "$build" = 1 ]; then
  echo "compare.sh: building examples/target/benchmarks.jar"
  (cd "$root" && mvn -B -q -Pbenchmarks -DskipTests -Dinvoker.skip=true install -pl examples -am)
fi
# a private copy, so that a concurrent 'mvn clean' cannot pull the jar from under the JMH forks
cp "$root/examples/target/benchmarks.jar" "$out/benchmarks.jar"

# --- every timed implementation computes what the generated model computes (outputs, gradients) -------
# shellcheck disable=SC2086
"$java_bin" -cp "$out/benchmarks.jar" dev.unroll.examples.bench.Check $configs

# --- the ONNX Runtime peer: the models exported from torch, and ORT = torch = Unroll on their weights --
if [ "$run_ort" = 1 ]; then
  onnx="${onnx:-$out/onnx}"
  mkdir -p "$onnx"; onnx="$(cd "$onnx" && pwd)"
  # shellcheck disable=SC2086
  /usr/bin/python3 "$exporter" --out "$onnx" --configs $configs > "$out/export-onnx.log" 2>&1 \
    || { echo "compare.sh: export_onnx.py failed, see $out/export-onnx.log" >&2; exit 1; }
  # shellcheck disable=SC2086
  "$java_bin" -Dunroll.onnx.dir="$onnx" -cp "$out/benchmarks.jar" dev.unroll.examples.bench.OrtParity $configs \
    | tee "$out/ort-parity.log" | tail -1
fi
unroll_jvm="-Xmx3g"
[ "$vector" = 1 ] && unroll_jvm="$unroll_jvm --add-modules jdk.incubator.vector -Dunroll.kernels=vector"

# --- the machine ----------------------------------------------------------------------------------------
{
  echo "date: $(date -Iseconds)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
  echo "flags: $(grep -m1 '^flags' /proc/cpuinfo | grep -o 'avx512f\|avx2\|fma' | sort -u | tr '\n' ' ')"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "java: $("$java_bin" -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "unroll jvm args: $unroll_jvm"
  # shellcheck disable=SC2086
  echo "unroll kernels: $("$java_bin" $unroll_jvm -cp "$out/benchmarks.jar" dev.unroll.examples.bench.KernelsInUse 2>/dev/null || echo '?')"
  [ "$run_peer" = 1 ] && echo "openblas core: $openblas_core"
  echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

# --- the single-core GEMM peak (OpenBLAS through torch.mm, one thread), for the GFLOP/s column ----------
peak_arg=()
if [ "$run_peer" = 1 ]; then
  /usr/bin/python3 "$here/gemm_peak.py" --out "$out/gemm-peak.json" --min-time "$([ "$quick" = 1 ] && echo 0.2 || echo 1)" \
    | tee "$out/gemm-peak.log" | grep peak
  peak_arg=(--peak "$out/gemm-peak.json")
fi

# --- JMH settings ---------------------------------------------------------------------------------------
if [ "$quick" = 1 ]; then
  jmh_time=(-wi 2 -w 300ms -i 3 -r 300ms)
  peer_time=(--min-time 0.1 --reps 3 --reps-big 2 --quiet-budget 60)
else
  jmh_time=(-wi 3 -w 1s -i 5 -r 1s)
  peer_time=()
fi
benches="UnrollBench"
[ "$baseline" = 1 ] && benches="(UnrollBench|EjmlBaselineBench)"
prof=(); [ "$gc" = 1 ] && prof=(-prof gc)
prec_csv="$(echo $precisions | tr ' ' ',')"

# --- one config at a time: Unroll and the baseline under JMH, then the peer, back to back -----------
for c in $configs; do
  echo "== $c"
  python3 "$here/cpu.py" wait --max "$quiet_wait"
  # shellcheck disable=SC2086
  python3 "$here/cpu.py" run "$out/cpu-$c.json" -- \
    "$java_bin" -jar "$out/benchmarks.jar" "dev\\.unroll\\.examples\\.bench\\.$benches\\." \
      -p config="$c" -p precision="$prec_csv" -f 1 -t 1 "${jmh_time[@]}" "${prof[@]}" \
      -jvmArgsAppend "$unroll_jvm" $jmh_extra \
      -rf json -rff "$out/jmh-$c.json" -o "$out/jmh-$c.log"
  python3 - "$out/cpu-$c.json" "$c" <<'PY'
import json, sys
p, c = sys.argv[1], sys.argv[2]
d = json.load(open(p)); d["config"] = c; json.dump(d, open(p, "w"))
print(f"   JMH: {d['seconds']} s, other processes used {d['foreign_cores_mean']:.2f} cores on average (max {d['foreign_cores_max']:.2f})")
PY
  grep -E "^(UnrollBench|EjmlBaselineBench)" "$out/jmh-$c.log" | grep -v -E ":gc\.(alloc\.rate|count|time) " | sed 's/^/   /' || true
  if [ "$run_ort" = 1 ]; then
    # shellcheck disable=SC2086
    "$java_bin" -jar "$out/benchmarks.jar" "dev\\.unroll\\.examples\\.bench\\.OrtBench\\." \
      -p config="$c" -p precision=float32 -f 1 -t 1 "${jmh_time[@]}" \
      -jvmArgsAppend "-Xmx3g -Dunroll.onnx.dir=$onnx" $jmh_extra \
      -rf json -rff "$out/jmh-ort-$c.json" -o "$out/jmh-ort-$c.log" \
      || { echo "compare.sh: OrtBench failed, see $out/jmh-ort-$c.log" >&2; exit 1; }
    grep -E "^OrtBench" "$out/jmh-ort-$c.log" | sed 's/^/   /' || true
  fi
  if [ "$run_peer" = 1 ]; then
    /usr/bin/python3 "$peer" --threads 1 --configs "$c" --dtypes $precisions "${peer_time[@]}" \
      --label "unroll compare.sh $(date -Iseconds)" --out "$out/torch-$c.json" > "$out/torch-$c.log" 2>&1 \
      || { echo "compare.sh: the peer failed, see $out/torch-$c.log" >&2; exit 1; }
    grep -E "^float" "$out/torch-$c.log" | sed 's/^/   torch /' || true
  fi
done

echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
torch_json=(); [ "$run_peer" = 1 ] && torch_json=("$out"/torch-*.json)
echo
python3 "$here/table.py" --jmh "$out"/jmh-*.json --torch "${torch_json[@]}" --cpu "$out"/cpu-*.json "${peak_arg[@]}" \
  --md "$out/table.md"
echo
echo "compare.sh: table in $out/table.md"
