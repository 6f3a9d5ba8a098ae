#!/usr/bin/env bash
# The Spark scaling measurement of the README: scoring 1M sequences and one training epoch on 100k,
# each with local[1] and local[2] (one JVM per run), and the same epoch with Trainer.fit on one thread.
# Usage (from the repository root, after `mvn -B install -DskipTests`):
#   runtime/spark/scaling.sh [SCORE_N] [TRAIN_N] [TRAIN_BATCH]
# Extra Maven options (e.g. -Dmaven.repo.local=...) can be given in MAVEN_ARGS.
set -euo pipefail
cd "$(dirname "$0")"
score_n=${1:-1000000}
train_n=${2:-100000}
batch=${3:-1024}
mvn -B -q ${MAVEN_ARGS:-} test-compile
mvn -B -q ${MAVEN_ARGS:-} dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/scaling.classpath
cp="target/test-classes:target/classes:$(cat target/scaling.classpath)"
opts=$(mvn -B -q -Dstyle.color=never ${MAVEN_ARGS:-} help:evaluate -Dexpression=spark.jvm.options -DforceStdout | sed "s/\x1b\[[0-9;]*m//g")
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for m in 'local[1]' 'local[2]'; do
  java -Xmx6g $opts -cp "$cp" dev.unroll.spark.SparkScaling score "$m" "$score_n" 2>/dev/null | grep RESULT
done
for m in 'local[1]' 'local[2]'; do
  java -Xmx6g $opts -cp "$cp" dev.unroll.spark.SparkScaling train "$m" "$train_n" "$batch" 2>/dev/null | grep RESULT
done
java -Xmx6g -cp "$cp" dev.unroll.spark.SparkScaling single - "$train_n" "$batch" | grep RESULT
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
