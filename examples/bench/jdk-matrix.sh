#!/usr/bin/env bash
# compare.sh four times in one sitting: JDK 17 and JDK 25, each with the scalar kernels (no flag, what a
# user gets by default) and with the Vector API kernels (--add-modules jdk.incubator.vector), each run
# with its own PyTorch and ONNX Runtime peers back to back, so that every row has its ratios measured
# together. One table per run (RUN/table.md), and the JDK, flags and kernel implementation of each run
# in OUT/runs.md.
#
#   examples/bench/jdk-matrix.sh [--jdk25 PATH] [--out DIR] [compare.sh options, e.g. --configs "mid big"]
#
# --jdk25 defaults to the Temurin 25 JDK in /usr/lib/jvm. About 4 x 25 minutes for every config.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jdk25="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"; out=""; pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk25) jdk25="$2"; shift ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) pass+=("$1") ;;
  esac
  shift
done
out="${out:-$root/examples/target/bench/matrix-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
jdk17="$(command -v java)"
[ -x "$jdk25" ] || { echo "jdk-matrix.sh: no JDK 25 at $jdk25 (pass --jdk25 PATH)" >&2; exit 2; }

(cd "$root" && mvn -B -q -Pbenchmarks -DskipTests -Dinvoker.skip=true install -pl examples -am)
{
  echo "| run | java | Unroll JVM flags | kernels |"
  echo "|---|---|---|---|"
} > "$out/runs.md"
for run in jdk17-scalar jdk17-vector jdk25-scalar jdk25-vector; do
  java_bin="$jdk17"; [ "${run%%-*}" = jdk25 ] && java_bin="$jdk25"
  vec=(); flags="-Xmx3g"
  if [ "${run##*-}" = vector ]; then vec=(--vector); flags="-Xmx3g --add-modules jdk.incubator.vector -Dunroll.kernels=vector"; fi
  # shellcheck disable=SC2086
  kernels="$("$java_bin" ${flags} -cp "$root/examples/target/benchmarks.jar" dev.unroll.examples.bench.KernelsInUse 2>/dev/null || echo '?')"
  echo "| $run | $("$java_bin" -version 2>&1 | head -1) | $flags | $kernels |" >> "$out/runs.md"
  echo "== $run: $java_bin $flags ($kernels)"
  "$here/compare.sh" --no-build --java "$java_bin" "${vec[@]}" --out "$out/$run" "${pass[@]}"
done
echo
cat "$out/runs.md"
echo "jdk-matrix.sh: tables in $out/*/table.md"
