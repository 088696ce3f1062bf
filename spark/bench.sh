#!/usr/bin/env bash
# Issue 14's benchmark, one run, on local[2], 64-dimensional synthetic descriptors; prints Markdown
# tables with the load average at each row (see SparkBench's javadoc for what each stage measures):
#   em      N x 64, K: fvec-spark's EM vs Spark MLlib GaussianMixture vs GmmTrainer (2 threads),
#           seconds per iteration and held-out log-likelihoods (one scorer for all)
#   budget  MLlib at K = 16 (IT iterations), then the largest K fvec-spark trains in that time
#   scale   SCALE_N x 64 (>= 1,000,000, as SCALE_N / 1,000 .npy files read as fvec-spark train reads
#           them): fvec-spark EM per iteration vs GmmTrainer (2 threads), alternated
#   encode  IMAGES files of 1,000 x 64 (the issue's 10,000 images by default), K from stage scale's
#           model, in-process (JVM and Spark session up; each side reads every file, encodes it and
#           writes its row of one .npy): FisherEncoder on 2 threads vs transformFilesToNpy (what
#           fvec-spark encode runs; local executors write rows in place) and vs the DataFrame route
#           (NpyFiles.read, transform, writeNpy); then end to end (JVM start included): fvec encode
#           --threads 2 vs fvec-spark encode
#   BENCH_JAVA_OPTS: extra JVM options for SparkBench (e.g. -Dbench.threads=true: CPU by thread)
#
# The overhead target (issue 14: throughput >= 0.7x one JVM with 2 threads, >= 1,000,000 x 64):
#   spark/bench.sh scale,encode     (about 7 minutes idle; EM with the estimator's default partitioning,
#                                    one partition per core in local mode)
#
#   spark/bench.sh [STAGES=em,budget,scale,encode] [DIR=/tmp/fvec-spark-bench]
#   environment: N=100000 K=64 IT=10 MLLIB_IT=2 SCALE_N=1000000 SCALE_IT=10 IMAGES=10000
#
# About 10 minutes on a 2-core machine (MLlib is most of it). MLlib's EM is full-covariance
# (O(K D^2) per point) and slow: in `em` its iteration count is separate (MLLIB_IT).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
stages=${1:-em,budget,scale,encode} dir=${2:-/tmp/fvec-spark-bench}
n=${N:-100000} k=${K:-64} it=${IT:-10} mit=${MLLIB_IT:-2} sn=${SCALE_N:-1000000} sit=${SCALE_IT:-10} images=${IMAGES:-10000}
cd "$root"
echo "spark/bench.sh $stages $dir (N=$n K=$k IT=$it MLLIB_IT=$mit SCALE_N=$sn SCALE_IT=$sit IMAGES=$images)," \
  "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores; $(uptime | sed 's/.*load/load/')"
mvn -q -B -DskipTests -pl spark -am test-compile
mvn -q -B -pl spark dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -DexcludeGroupIds=dev.fvec >/dev/null
cp="spark/target/test-classes:spark/target/classes:core/target/classes:core/target/test-classes:simd/target/classes:$(cat spark/target/bench-classpath.txt)"
opens=$(sed -n '/<fvec.test.argLine>/,/<\/fvec.test.argLine>/p' spark/pom.xml | sed 's/<[^>]*>//g; s/\${[^}]*}//g' | tr -s ' \n' ' ')
# One JVM per stage: each starts with an empty heap (the 1,000,000-descriptor EM leaves gigabytes
# for the collector to mark, which would weigh on whatever is timed next).
for stage in ${stages//,/ }; do
  # shellcheck disable=SC2086
  java -Xms8g -Xmx8g ${BENCH_JAVA_OPTS:-} $opens -Dlog4j2.configurationFile=classpath:dev/fvec/spark/log4j2-cli.properties -cp "$cp" \
    dev.fvec.spark.SparkBench "$stage" "$n" "$k" "$it" "$mit" "$sn" "$sit" "$images" "$dir" 2>&1 |
    grep --line-buffered -v "^WARNING: Using incubator\|WARN Utils\|NativeCodeLoader\|WARN TaskSetManager: Stage .* very large size\|WARN DAGScheduler: Broadcasting large task binary\|ERROR Utils: Uncaught exception in thread executor-heartbeater\|PartitionKeyedAccumulator\|^\s*at "
done
[[ ,$stages, == *,encode,* ]] || exit 0
echo
echo "end to end, JVM start included, $images files of 1,000 x 64 (after one untimed run of each):"
echo
echo "| command | s | load |"
echo "|---|---:|---|"
# Untimed first runs: the jars are built if needed, ./fvec-spark writes its class-data-sharing archive.
./fvec encode --quiet --threads 2 --improved --model "$dir/gmm.npz" --out "$dir/fv-warm.npy" "$dir/images/img00000.npy" 2>/dev/null
./fvec-spark encode --quiet --threads 2 --improved --model "$dir/gmm.npz" --out "$dir/fv-warm.npy" "$dir/images/img00000.npy" 2>/dev/null
timed() { # label command...
  local t0 t1
  t0=$(date +%s.%N)
  "${@:2}" 2>/dev/null
  t1=$(date +%s.%N)
  printf '| `%s` | %.2f | %s |\n' "$1" "$(echo "$t1 - $t0" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
timed "fvec encode --threads 2 --improved" ./fvec encode --quiet --threads 2 --improved --model "$dir/gmm.npz" --out "$dir/fv-cli.npy" "$dir"/images/*.npy
timed "fvec-spark encode --threads 2 --improved" ./fvec-spark encode --quiet --threads 2 --improved --model "$dir/gmm.npz" --out "$dir/fv-spark-cli.npy" "$dir/images/*.npy"
echo
cmp -s "$dir/fv-cli.npy" "$dir/fv-spark-cli.npy" && echo "fvec and fvec-spark outputs byte-identical" || echo "fvec and fvec-spark outputs DIFFER"
