#!/usr/bin/env bash
# Issue 14's benchmark, one run, on local[2]: EM by fvec-spark vs Spark MLlib GaussianMixture vs the
# single-JVM GmmTrainer (2 threads), held-out log-likelihoods; Fisher-vector encoding of IMAGES
# files of 1,000 x 64 by the transformer (in-process and ./fvec-spark) vs ./fvec encode --threads 2.
#
#   spark/bench.sh [N=100000] [K=64] [EM_ITERATIONS=10] [MLLIB_ITERATIONS=2] [IMAGES=1000] [DIR=/tmp/fvec-spark-bench]
#
# MLlib's EM is full-covariance (O(K D^2) per point) and slow: its iteration count is separate.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000} k=${2:-64} it=${3:-10} mit=${4:-2} images=${5:-1000} dir=${6:-/tmp/fvec-spark-bench}
cd "$root"
mvn -q -B -DskipTests -pl spark -am test-compile
mvn -q -B -pl spark dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -DexcludeGroupIds=dev.fvec >/dev/null
cp="spark/target/test-classes:spark/target/classes:core/target/classes:core/target/test-classes:simd/target/classes:$(cat spark/target/bench-classpath.txt)"
opens=$(sed -n '/<fvec.test.argLine>/,/<\/fvec.test.argLine>/p' spark/pom.xml | sed 's/<[^>]*>//g; s/\${[^}]*}//g' | tr -s ' \n' ' ')
# shellcheck disable=SC2086
java -Xmx6g $opens -Dlog4j2.configurationFile=classpath:dev/fvec/spark/log4j2-cli.properties -cp "$cp" \
  dev.fvec.spark.SparkBench "$n" "$k" "$it" "$mit" "$images" "$dir" 2>&1 | grep -v "^WARNING: Using incubator\|WARN Utils\|NativeCodeLoader"
echo "--- end to end, JVM start included"
# One untimed run first: ./fvec-spark's first run on a JDK writes its class-data-sharing archive.
./fvec-spark encode --quiet --threads 2 --improved --model "$dir/gmm.npz" --out "$dir/fv-warm.npy" "$dir/images/img00000.npy" 2>/dev/null
t0=$(date +%s.%N)
./fvec encode --quiet --threads 2 --improved --model "$dir/gmm.npz" --out "$dir/fv-cli.npy" "$dir"/images/*.npy
t1=$(date +%s.%N)
./fvec-spark encode --quiet --threads 2 --improved --model "$dir/gmm.npz" --out "$dir/fv-spark-cli.npy" "$dir/images/*.npy" 2>/dev/null
t2=$(date +%s.%N)
printf 'fvec encode --threads 2:          %6.2f s\n' "$(echo "$t1 - $t0" | bc)"
printf 'fvec-spark encode --threads 2:    %6.2f s\n' "$(echo "$t2 - $t1" | bc)"
cmp -s "$dir/fv-cli.npy" "$dir/fv-spark-cli.npy" && echo "outputs byte-identical" || echo "outputs DIFFER"
