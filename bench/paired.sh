#!/usr/bin/env bash
# fvec's simd encode against native VLFeat in alternating blocks (VlfeatPairedTiming), one JVM per
# shape and variant: t = 1e-6, t = 0 (against VLFeat's t = 1e-6) and hard, at the headline shapes.
# Writes a Markdown table to stdout and to $FVEC_BENCH_OUT/paired.md (default bench/results).
# Needs bench/target/benchmarks.jar built on JDK 22+ (bench/run.sh builds it) and libvlfeat1.
#
#   bash bench/paired.sh [rounds]      # rounds of 20-call blocks per side, default 30 (~3 minutes in all)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-30}
jdk="${BENCH_JAVA_HOME:-}"
if [ -z "$jdk" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then jdk=/usr/lib/jvm/temurin-25-jdk-amd64; fi
java=${jdk:+$jdk/bin/}java
jar=bench/target/benchmarks.jar
out=${FVEC_BENCH_OUT:-bench/results}
# The list first, then grep: with pipefail, grep -q closing the pipe early could fail java's side.
list=$("$java" -jar "$jar" -l 2>/dev/null || true)
if ! grep -q VlfeatBench <<<"$list"; then
  echo "paired.sh: $jar lacks the VLFeat benchmarks (missing, or built on JDK < 22): build it on JDK 22+ (bash bench/run.sh does)" >&2
  exit 1
fi
shapes="64x256x1000 128x64x2000 64x1024x1000"
if [ -d core/src/test/resources/golden/a_D64_K256_N1000 ]; then shapes="$shapes golden:a_D64_K256_N1000"; fi
mkdir -p "$out"
tmp=$(mktemp)
err=$(mktemp)
trap 'rm -f "$tmp" "$err"' EXIT
for shape in $shapes; do
  for variant in vlfeat-improved-t1e-6 vlfeat-improved-t0 vlfeat-improved-hard; do
    if ! line=$("$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$jar" \
        dev.fvec.bench.VlfeatPairedTiming "$rounds" "$variant" "$shape" 2>"$err"); then
      echo "paired.sh: VlfeatPairedTiming $rounds $variant $shape failed:" >&2
      grep -v '^WARNING' "$err" | head -5 >&2 # a missing libvl.so.1: VlFeat.load's message says how to install it
      exit 1
    fi
    tail -1 <<<"$line" | tee -a "$tmp"
  done
done
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
{
  echo "## fvec against VLFeat in alternating blocks (VlfeatPairedTiming)"
  echo
  echo "\`bash bench/paired.sh $rounds\`, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'),"
  echo "$cpu, $("$java" -version 2>&1 | head -1), VLFeat $(dpkg-query -W -f='${Version}' libvlfeat1 2>/dev/null || echo '?') on one thread."
  echo "Blocks of 20 calls alternate between the two sides, $rounds rounds; the minimum per call of each side's blocks (median in brackets); the ratio of the minima."
  echo
  echo "| shape | fvec variant | fvec | VLFeat variant | VLFeat | VLFeat / fvec |"
  echo "|---|---|---:|---|---:|---:|"
  awk '{printf "| %s | %s | %.3f ms (%.3f) | %s | %.3f ms (%.3f) | %.2fx |\n", $1, $2, $3, $4, $5, $6, $7, $8}' "$tmp"
} >"$out/paired.md"
echo "== $out/paired.md"
