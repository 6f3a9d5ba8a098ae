#!/usr/bin/env bash
# Experiment: the generated time loop written out step by step (unrolled) against a rolled loop,
# at several T, with the processor as it is (no writer change): the benchmark models are compiled
# again with -Aunroll.maxUnrolledSteps=0 (every layer rolled) and =1000 (every layer unrolled, all
# within the bytecode budget here), and UnrollBench runs against each set of classes.
#
#   examples/bench/unrolled-vs-rolled.sh [--configs "tiny small mid large big"] [--modes "inference train"]
#                                        [--precisions "float32 float64"] [--quick] [--out DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
configs="tiny small mid large big"; modes="inference train"; precisions="float32 float64"; quick=0; out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --configs) configs="$2"; shift ;;
    --modes) modes="$2"; shift ;;
    --precisions) precisions="$2"; shift ;;
    --quick) quick=1 ;;
    --out) out="$2"; shift ;;
    *) echo "unrolled-vs-rolled.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
out="${out:-$root/examples/target/bench/unroll-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
jar="$out/benchmarks.jar"
cp "$root/examples/target/benchmarks.jar" "$jar"
m2="${MAVEN_REPO:-$HOME/.m2/repository}"
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -1)"
jar_of() { # the module's jar from its target/, else from the local repository
  local f="$root/$1/target/unroll-$1-$version.jar"
  [ -f "$f" ] || f="$m2/dev/unroll/unroll-$1/$version/unroll-$1-$version.jar"
  echo "$f"
}
javapoet="$(ls "$m2"/com/palantir/javapoet/javapoet/*/javapoet-*.jar | grep -v sources | tail -1)"
procpath="$(jar_of processor):$(jar_of runtime):$javapoet"
src="$root/examples/src/main/java/dev/unroll/examples/bench"
if [ "$quick" = 1 ]; then jmh_time=(-wi 2 -w 500ms -i 3 -r 500ms); else jmh_time=(-wi 3 -w 1s -i 5 -r 1s); fi
mode_re="$(echo $modes | tr ' ' '|')"
for steps in 0 1000; do
  cls="$out/classes-maxUnrolledSteps-$steps"
  mkdir -p "$cls"
  javac -nowarn -d "$cls" -cp "$jar" -processorpath "$procpath" -Aunroll.maxUnrolledSteps="$steps" \
    -implicit:none "$src/BenchModels.java" "$src/BenchConfig.java" 2>&1 | grep -v '^Note:' || true
  for c in $configs; do
    python3 "$here/cpu.py" wait --max 30
    java -cp "$cls:$jar" org.openjdk.jmh.Main "dev\\.unroll\\.examples\\.bench\\.UnrollBench\\.($mode_re)\$" \
      -p config="$c" -p precision="$(echo $precisions | tr ' ' ',')" -f 1 -t 1 "${jmh_time[@]}" \
      -rf json -rff "$out/jmh-$steps-$c.json" -o "$out/jmh-$steps-$c.log"
  done
done
python3 - "$out" $configs <<'PY'
import json, glob, os, statistics, sys
out, configs = sys.argv[1], sys.argv[2:]
T = {"seed1": 1, "seed2": 1, "tiny": 24, "small": 24, "mid": 50, "big": 100, "large": 64}
res = {}
for p in glob.glob(os.path.join(out, "jmh-*.json")):
    steps = os.path.basename(p).split("-")[1]
    for r in json.load(open(p)):
        raw = [x for f in r["primaryMetric"]["rawData"] for x in f]
        res[(steps, r["params"]["config"], r["benchmark"].rsplit(".", 1)[1], r["params"]["precision"])] = statistics.median(raw)
print("| config | T | mode | precision | rolled µs | unrolled µs | rolled / unrolled |")
print("|---|---|---|---|---|---|---|")
for c in configs:
    for (steps, cc, m, p) in sorted(k for k in res if k[0] == "0" and k[1] == c):
        r0, r1 = res[("0", c, m, p)], res.get(("1000", c, m, p))
        if r1:
            print(f"| {c} | {T[c]} | {m} | {p} | {r0:,.1f} | {r1:,.1f} | {r0 / r1:.2f} |")
PY
