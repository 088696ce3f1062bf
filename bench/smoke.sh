#!/usr/bin/env bash
# Benchmark smoke test for CI: proves that bench/target/benchmarks.jar starts, finds its benchmarks
# and kernels, that the @Setup answer checks pass, and that the report (Report: Jackson, JFreeChart)
# turns the result into results.md and chart.png. One 100 ms iteration per benchmark; the
# numbers are not timings. Works on JDK 17 (no VLFeat part) and on JDK 22+ (adds VLFeat when
# libvl.so.1 is installed).
#
#   JAVA_HOME=... bash bench/smoke.sh            # builds the jar first if it is missing
#   JAVA_HOME=... bash bench/smoke.sh --build    # always rebuilds it
#
# FVEC_SMOKE_KERNEL=scalar runs the scalar twin instead of simd (default simd: a silent fallback to
# scalar fails the smoke test, because EncodeBench asks for the kernel by name).
set -euo pipefail
cd "$(dirname "$0")/.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=bench/target/benchmarks.jar
if [ ! -f "$jar" ] || [ "${1:-}" = --build ]; then
  mvn -B -ntp -q -pl bench -am clean package -DskipTests
fi
flags=(-f 1 -wi 0 -i 1 -r 100ms -foe true -p shape=5x3x7 -p variant=vlfeat-improved-t1e-6)
# CI sets FVEC_JMH_IGNORE_LOCK=1: a JMH run of someone else's on the machine must not fail the smoke test.
jmh_lock=()
if [ "${FVEC_JMH_IGNORE_LOCK:-0}" = 1 ]; then jmh_lock=(-Djmh.ignoreLock=true); fi

report=bench/target/smoke-report
rm -rf "$report"
mkdir -p "$report"
set -x
"$java" "${jmh_lock[@]}" -jar "$jar" 'EncodeBench.encode' "${flags[@]}" -p kernel="${FVEC_SMOKE_KERNEL:-simd}" \
  -rf json -rff "$report/jmh-smoke.json"
"$java" -Djava.awt.headless=true -cp "$jar" dev.fvec.bench.Report --out "$report" "$report/jmh-smoke.json"
{ set +x; } 2>/dev/null
grep -q '| 5 | 3 | 7 | synthetic' "$report/results.md" || { echo "smoke: $report/results.md lacks the 5x3x7 row" >&2; exit 1; }
[ -s "$report/chart.png" ] || { echo "smoke: $report/chart.png is missing or empty" >&2; exit 1; }
# JarAB, the A/B of two builds in one JVM: the jar against itself, both workloads, a few rounds.
for workload in "encode 5x3x7 vlfeat-improved-t1e-6" "estep 5x3 -"; do
  # shellcheck disable=SC2086 # the workload's three words
  line=$("$java" --add-modules jdk.incubator.vector -cp "$jar" dev.fvec.bench.JarAB 5 $workload "$jar" "$jar" 2>/dev/null | tail -1)
  echo "$line"
  grep -q "min .* (1.000) .* min .* med " <<<"$line" || { echo "smoke: JarAB $workload printed '$line'" >&2; exit 1; }
done

if "$java" -jar "$jar" -l | grep -q VlfeatBench; then
  if [ -e /usr/lib/x86_64-linux-gnu/libvl.so.1 ] || ldconfig -p 2>/dev/null | grep -q 'libvl\.so\.1'; then
    set -x
    "$java" "${jmh_lock[@]}" -jar "$jar" 'VlfeatBench.encode' "${flags[@]}"
    line=$("$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$jar" \
      dev.fvec.bench.VlfeatPairedTiming 1 vlfeat-improved-t1e-6 5x3x7 2>/dev/null | tail -1)
    { set +x; } 2>/dev/null
    echo "$line"
    [ "$(wc -w <<<"$line")" = 8 ] || { echo "smoke: VlfeatPairedTiming printed '$line', not its 8 fields" >&2; exit 1; }
  else
    echo "VlfeatBench skipped: libvl.so.1 not found; install it with: apt-get install libvlfeat1"
  fi
else
  echo "VlfeatBench not in $jar (built on JDK < 22): skipped"
fi
echo "bench smoke test passed"
