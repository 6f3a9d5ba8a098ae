#!/usr/bin/env bash
# Two threads, in one sitting: Unroll on one thread (UnrollBench) and on two (SplitBatchBench:
# ParallelModel with two instances), ONNX Runtime with 2 intra-op threads (OrtBench -p threads=2,
# float32) and PyTorch with 2 threads (the peer's --threads 2), whole-batch inference and training.
#
#   examples/bench/two-threads.sh [--configs "mid big large"] [--precisions "float32 float64"]
#                                 [--quick] [--no-build] [--out DIR] [--java PATH]
#
# Needs what compare.sh needs (it installs python3-torch and libopenblas0-pthread when missing).
# Never run by the build or CI. The table: examples/bench/two_threads.py.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
configs="mid big large"; precisions="float32 float64"; quick=0; build=1; out=""; java_bin="java"
while [ $# -gt 0 ]; do
  case "$1" in
    --configs) configs="$2"; shift ;;
    --precisions) precisions="$2"; shift ;;
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --out) out="$2"; shift ;;
    --java) java_bin="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "two-threads.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

peer=""
for cand in "$root/../shared/peers/torch_lstm_bench.py" "$root/../../shared/peers/torch_lstm_bench.py"; do
  if [ -f "$cand" ]; then peer="$(cd "$(dirname "$cand")" && pwd)/$(basename "$cand")"; break; fi
done
[ -n "$peer" ] || { echo "two-threads.sh: the peer script (shared/peers/torch_lstm_bench.py) was not found" >&2; exit 2; }
exporter="$(dirname "$peer")/export_onnx.py"

out="${out:-$root/examples/target/bench/two-threads-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"; out="$(cd "$out" && pwd)"
echo "two-threads.sh: results in $out"

if ! /usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q python3-torch libopenblas0-pthread
fi
if [ "$build" = 1 ]; then
  (cd "$root" && mvn -B -q -Pbenchmarks -DskipTests -Dinvoker.skip=true install -pl examples -am)
fi
cp "$root/examples/target/benchmarks.jar" "$out/benchmarks.jar"
onnx="$out/onnx"
/usr/bin/python3 "$exporter" --out "$onnx" --configs $configs > "$out/export-onnx.log" 2>&1 \
  || { echo "two-threads.sh: export_onnx.py failed, see $out/export-onnx.log" >&2; exit 1; }

if [ "$quick" = 1 ]; then
  jmh_time=(-wi 2 -w 1 -i 3 -r 1); peer_time=(--min-time 0.1 --reps 3 --reps-big 2)
else
  jmh_time=(-wi 3 -w 1 -i 5 -r 1); peer_time=()
fi
nproc_txt="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
# shellcheck source=openblas-core.sh
source "$here/openblas-core.sh"
echo "machine: $nproc_txt; java: $("$java_bin" -version 2>&1 | head -1); openblas core: $openblas_core" | tee "$out/machine.txt"
for c in $configs; do
  echo "== $c"
  ps="$(echo $precisions | tr ' ' ',')"
  "$java_bin" -jar "$out/benchmarks.jar" "dev\\.unroll\\.examples\\.bench\\.(UnrollBench\\.(inference|train)|SplitBatchBench\\.)" \
    -p config="$c" -p precision="$ps" -f 1 -t 1 "${jmh_time[@]}" -jvmArgsAppend -Xmx3g \
    -rf json -rff "$out/jmh-$c.json" -o "$out/jmh-$c.log" \
    || { echo "two-threads.sh: JMH failed, see $out/jmh-$c.log" >&2; exit 1; }
  grep -E "^(UnrollBench|SplitBatchBench)" "$out/jmh-$c.log" | sed 's/^/   /' || true
  case " $precisions " in *" float32 "*)
    "$java_bin" -jar "$out/benchmarks.jar" "dev\\.unroll\\.examples\\.bench\\.OrtBench\\.inference" \
      -p config="$c" -p precision=float32 -p threads=2 -f 1 -t 1 "${jmh_time[@]}" \
      -jvmArgsAppend "-Xmx3g -Dunroll.onnx.dir=$onnx" -rf json -rff "$out/jmh-ort-$c.json" -o "$out/jmh-ort-$c.log" \
      || { echo "two-threads.sh: OrtBench failed, see $out/jmh-ort-$c.log" >&2; exit 1; }
    grep -E "^OrtBench" "$out/jmh-ort-$c.log" | sed 's/^/   /' || true ;;
  esac
  /usr/bin/python3 "$peer" --threads 1 2 --configs "$c" --dtypes $precisions "${peer_time[@]}" \
    --label "unroll two-threads.sh $(date -Iseconds)" --out "$out/torch-$c.json" > "$out/torch-$c.log" 2>&1 \
    || { echo "two-threads.sh: the peer failed, see $out/torch-$c.log" >&2; exit 1; }
  grep -E "^float" "$out/torch-$c.log" | sed 's/^/   torch /' || true
done
python3 "$here/two_threads.py" --jmh "$out"/jmh-*.json --torch "$out"/torch-*.json --md "$out/table.md"
echo "two-threads.sh: table in $out/table.md"
