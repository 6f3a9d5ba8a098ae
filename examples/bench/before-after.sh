#!/usr/bin/env bash
# Before/after of a change in one sitting: builds the benchmarks jar of a base commit (in a temporary git
# worktree) and of the working tree, then runs UnrollBench for each config in interleaved forks (before, after,
# before, after, ...), so that drift and the JIT's fork-to-fork variance (±20-30 % for the same jar on a 2-vCPU
# guest) fall on both sides alike, and prints the medians over the forks with after/before.
#
#   examples/bench/before-after.sh BASE_REV [options]
#
#   --configs "a b ..."   subset of: seed1 seed2 tiny small mid big large (default: all)
#   --rounds N            forks per version and config (default 4)
#   --quick               -wi 3 -w 500ms -i 5 -r 500ms (default: -wi 3 -w 1s -i 5 -r 1s, as compare.sh)
#   --out DIR             results (default examples/target/bench/before-after-<date-time>)
#   --java PATH           the java that runs JMH (default: java on PATH), e.g. a JDK 25
#   --vector              the Vector API kernels: --add-modules jdk.incubator.vector -Dunroll.kernels=vector
#
# Never run by the build or CI. Builds with the reactor into each tree's own target/, installs nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ $# -ge 1 ] || { sed -n '2,16p' "$0"; exit 2; }
base="$1"; shift
configs="seed1 seed2 tiny small mid big large"; rounds=4; timing=(-wi 3 -w 1s -i 5 -r 1s); out=""
java_bin="java"; jvm_args="-Xmx3g"
while [ $# -gt 0 ]; do
  case "$1" in
    --configs) configs="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --quick) timing=(-wi 3 -w 500ms -i 5 -r 500ms) ;;
    --out) out="$2"; shift ;;
    --java) java_bin="$2"; shift ;;
    --vector) jvm_args="-Xmx3g --add-modules jdk.incubator.vector -Dunroll.kernels=vector" ;;
    *) echo "before-after.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
out="${out:-$root/examples/target/bench/before-after-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"; out="$(cd "$out" && pwd)"

build() { # tree jar
  (cd "$1" && mvn -B -q -Pbenchmarks -DskipTests -Dinvoker.skip package -pl examples -am)
  cp "$1/examples/target/benchmarks.jar" "$2"
}
tree="$(mktemp -d)/base"
git -C "$root" worktree add --detach "$tree" "$base" >/dev/null
trap 'git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1 || true' EXIT
echo "before-after.sh: building $base and the working tree; JMH on $("$java_bin" -version 2>&1 | head -1) with $jvm_args"
build "$tree" "$out/before.jar"
build "$root" "$out/after.jar"

for r in $(seq 1 "$rounds"); do
  for c in $configs; do
    for v in before after; do
      echo "before-after.sh: round $r, $c, $v"
      "$java_bin" -jar "$out/$v.jar" UnrollBench -p config="$c" -p precision=float32,float64 -f 1 -t 1 "${timing[@]}" \
        -jvmArgsAppend "$jvm_args" -rf json -rff "$out/$v-$c-$r.json" > "$out/$v-$c-$r.log" 2>&1
    done
  done
done

python3 - "$out" <<'PY'
import collections, glob, json, os, statistics, sys
out = sys.argv[1]
res = collections.defaultdict(lambda: collections.defaultdict(list))
for f in glob.glob(out + "/*.json"):
    v = os.path.basename(f).split("-")[0]
    for b in json.load(open(f)):
        res[(b["params"]["config"], b["benchmark"].split(".")[-1], b["params"]["precision"])][v].append(
            b["primaryMetric"]["score"])
order = ["seed1", "seed2", "tiny", "small", "mid", "big", "large"]
lines = ["| config | mode | precision | forks | before µs (median) | after µs (median) | after / before |",
         "|---|---|---|---|---|---|---|"]
for k in sorted(res, key=lambda k: (order.index(k[0]), k[1], k[2])):
    b, a = res[k]["before"], res[k]["after"]
    if b and a:
        mb, ma = statistics.median(b), statistics.median(a)
        lines.append(f"| {k[0]} | {k[1]} | {k[2]} | {len(b)}/{len(a)} | {mb:.4g} | {ma:.4g} | {ma / mb:.3f} |")
open(out + "/table.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
