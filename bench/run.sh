#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar and runs the short benchmark suite (~20 minutes), then writes
# bench/results/: raw JMH JSON (jmh-<group>.json), results.md (tables with ratios from this run),
# headline.md (the README's excerpt of it), chart.png, and meta.properties (CPU, JDK, VLFeat version, commit, exact command and JMH flags).
#
#   bash bench/run.sh            # the suite; uses Temurin 25 when installed (needed for VLFeat)
#   bash bench/run.sh --quick    # one 100 ms iteration per benchmark, into bench/target/results-quick
#                                # (checks the pipeline; the numbers mean nothing)
#
# Environment: BENCH_JAVA_HOME (JDK to build and run with), FVEC_BENCH_SKIP_BUILD=1 (reuse the jar),
# FVEC_BENCH_OUT (output directory). Native VLFeat: apt-get install libvlfeat1 (skipped if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
command_line="bash bench/run.sh${*:+ $*}"

quick=false
if [ "${1:-}" = --quick ]; then quick=true; fi

# --- JDK: 22+ runs the VLFeat benchmarks (java.lang.foreign); 17 runs the rest.
jdk="${BENCH_JAVA_HOME:-}"
if [ -z "$jdk" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then jdk=/usr/lib/jvm/temurin-25-jdk-amd64; fi
if [ -z "$jdk" ] && [ -n "${JAVA_HOME:-}" ]; then jdk=$JAVA_HOME; fi
if [ -z "$jdk" ]; then jdk=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")"); fi
export JAVA_HOME=$jdk
java="$jdk/bin/java"
echo "== JDK: $("$java" -version 2>&1 | head -1) ($jdk)"

jar=bench/target/benchmarks.jar
if [ "${FVEC_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "== building $jar"
  mvn -q -B -ntp -pl bench -am package -DskipTests
fi

if $quick; then
  out=${FVEC_BENCH_OUT:-bench/target/results-quick}
  timing=(-f 1 -wi 0 -i 1 -r 100ms)
  tail_timing=(-f 1 -wi 0 -i 1 -r 200ms)
else
  out=${FVEC_BENCH_OUT:-bench/results}
  timing=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
  tail_timing=(-f 1 -wi 3 -w 1s -i 10 -r 1s)
fi
mkdir -p "$out"
rm -f "$out"/jmh-*.json "$out"/paired.md "$out"/spatial-cost.txt "$out"/results.md "$out"/headline.md "$out"/chart.png "$out"/meta.properties
logs=bench/target/bench-logs
mkdir -p "$logs"

list=$("$java" -jar "$jar" -l 2>/dev/null)
vlfeat=false
if grep -q VlfeatBench <<<"$list"; then
  if ldconfig -p 2>/dev/null | grep -q 'libvl\.so\.1' || [ -e /usr/lib/x86_64-linux-gnu/libvl.so.1 ]; then
    vlfeat=true
  else
    echo "== VLFeat benchmarks skipped: libvl.so.1 not found; install it with: apt-get install libvlfeat1"
  fi
else
  echo "== VLFeat benchmarks skipped: $jar was built on JDK < 22 (java.lang.foreign); build and run with JDK 22+"
fi
golden=false
classes=$("$jdk/bin/jar" tf "$jar")
if grep -q 'dev/fvec/io/Npy.class' <<<"$classes" && grep -q 'dev/fvec/io/Npz.class' <<<"$classes" \
    && [ -d core/src/test/resources/golden/a_D64_K256_N1000 ]; then
  golden=true
fi

shapes=64x256x1000,128x64x2000,64x1024x1000,5x3x7
if $golden; then shapes=$shapes,golden:a_D64_K256_N1000; fi
encode_regex='\.EncodeBench\.'
if $vlfeat; then encode_regex='\.(EncodeBench|VlfeatBench)\.'; fi

# name, then JMH arguments. Failures of single benchmarks (a @Setup check, a missing library) are
# reported by JMH and leave the rest running; the script fails at the end if any group failed.
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
failed=()
meta_flags=()
group() {
  local name=$1; shift
  echo "== [$name] java -jar $jar $*"
  meta_flags+=("flags.$name=$*")
  if ! "$java" -jar "$jar" "$@" -rf json -rff "$out/jmh-$name.json" >"$logs/$name.log" 2>&1; then
    failed+=("$name")
  fi
  if grep -q '<failure>' "$logs/$name.log"; then
    echo "   failed (details in $logs/$name.log):"
    # For each failure: the benchmark's parameters and the exception's first line.
    awk '/^# Benchmark:/ {b=$3} /^# Parameters:/ {p=$0; sub(/^# Parameters: /, "", p)}
         /<failure>/ {f=1; next} f && NF {print "     " b " " p ": " $0; f=0}' "$logs/$name.log"
    failed+=("$name")
  fi
}

# 1. The headline: every shape, VLFeat's improved FV with t = 1e-6: scalar, simd, VLFeat; allocation via -prof gc.
group encode "$encode_regex" "${timing[@]}" -p shape=$shapes -p variant=vlfeat-improved-t1e-6 -p kernel=scalar,simd -prof gc
headline_shapes=64x256x1000,128x64x2000,64x1024x1000
if $golden; then headline_shapes=$headline_shapes,golden:a_D64_K256_N1000; fi
# 1b. The exact mode (t = 0) and hard assignment at every headline shape (VLFeat: hard; it has no exact mode).
group sparsity '\.EncodeBench\.' "${timing[@]}" -p shape=$headline_shapes -p variant=vlfeat-improved-t0,vlfeat-improved-hard -p kernel=simd
if $vlfeat; then
  group sparsity-vlfeat 'VlfeatBench' "${timing[@]}" -p shape=$headline_shapes -p variant=vlfeat-improved-hard
fi
# 1c. The SIMD kernel at 256 bits forced (what an AVX2 machine runs), t = 1e-6, t = 0 and hard.
group simd256 '\.EncodeBench\.' "${timing[@]}" -p shape=$headline_shapes \
  -p variant=vlfeat-improved-t1e-6,vlfeat-improved-t0,vlfeat-improved-hard -p kernel=simd -jvmArgsPrepend -Dfvec.simd.bits=256
# 1d. The log-likelihood pass alone against the FMA peak, per width (each width in its own fork).
bits_list=256,128
if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then bits_list=512,256,128; fi
group fma 'FmaPeakBench|LogLikelihoodBench' "${timing[@]}" -p bits=$bits_list -p shape=64x256x1000,128x64x2000,64x1024x1000
# 2. Other forms, normalisations and sparsities at the headline shape.
group variants '\.EncodeBench\.' "${timing[@]}" -p shape=64x256x1000 \
  -p variant=vlfeat-none-t1e-6,vlfeat-improved-hard,gist-none-t0,skimage-improved-t0 -p kernel=scalar,simd
if $vlfeat; then
  group variants-vlfeat 'VlfeatBench' "${timing[@]}" -p shape=64x256x1000 -p variant=vlfeat-none-t1e-6,vlfeat-improved-hard
fi
# 3. Batch throughput, 1 and 2 threads sharing one encoder.
group batch 'BatchBench' "${timing[@]}" -p kernel=scalar,simd
# 4. Tail latency (issue 7.5): sample mode, 1 and 2 concurrent callers.
group tail 'TailLatencyBench' "${tail_timing[@]}" -p kernel=simd,scalar
# 5. EM E-step cost per descriptor.
group estep 'EStepBench' "${timing[@]}" -p kernel=scalar,simd
# 6. A PCA projection in the model (issue 16): raw 128-D input vs already-projected 64-D, t = 1e-6 and t = 0.
group pca 'PcaEncodeBench' "${timing[@]}" -p variant=vlfeat-improved-t1e-6,vlfeat-improved-t0 -p kernel=simd
# 7. The spatial layout's cost relative to a plain encode (not JMH: interleaved minimum of rounds).
rounds=400
if $quick; then rounds=5; fi
echo "== [spatial] java -cp $jar dev.fvec.bench.SpatialCost simd $rounds"
if ! "$java" --add-modules jdk.incubator.vector -cp "$jar" dev.fvec.bench.SpatialCost simd "$rounds" \
    >"$out/spatial-cost.txt" 2>"$logs/spatial.log"; then
  echo "   failed (details in $logs/spatial.log)"
  failed+=(spatial)
fi

# 8. fvec against VLFeat in alternating blocks, one JVM per shape and variant (not JMH; issue 13's own method).
if $vlfeat; then
  paired_rounds=30
  if $quick; then paired_rounds=2; fi
  echo "== [paired] bash bench/paired.sh $paired_rounds"
  if ! BENCH_JAVA_HOME=$jdk FVEC_BENCH_OUT=$out bash bench/paired.sh "$paired_rounds" >"$logs/paired.log" 2>&1; then
    echo "   failed (details in $logs/paired.log)"
    failed+=(paired)
  fi
fi

# --- what the JSON does not record
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || echo unknown)
{
  echo "# written by bench/run.sh"
  printf 'command=%s\n' "$command_line"
  printf 'cpu=%s\n' "$cpu"
  printf 'cores=%s\n' "$(nproc 2>/dev/null || echo '?')"
  printf 'cpuFlags=%s\n' "$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | tr ' ' '\n' | grep -E '^(sse4_2|avx|avx2|fma|avx512f|avx512bw|avx512vl|asimd|sve)$' | tr '\n' ' ' | sed 's/ $//')"
  if $vlfeat; then
    printf 'vlfeat=Debian libvlfeat1 %s (libvl.so.1), vl_set_num_threads(1)\n' \
      "$(dpkg-query -W -f='${Version}' libvlfeat1 2>/dev/null || echo '?')"
  fi
  printf 'commit=%s%s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "$(git diff --quiet HEAD -- core simd bench/src bench/pom.xml 2>/dev/null || echo ' (with uncommitted changes)')"
  printf 'date=%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
  printf 'loadBefore=%s\nloadAfter=%s\n' "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
  for f in "${meta_flags[@]}"; do printf '%s\n' "$f"; done
} | sed 's/\\/\\\\/g' >"$out/meta.properties"

"$java" -Djava.awt.headless=true -cp "$jar" dev.fvec.bench.Report --out "$out" --meta "$out/meta.properties" "$out"/jmh-*.json
if [ -s "$out/spatial-cost.txt" ]; then
  { printf '## Spatial layout cost (SpatialCost, not JMH)\n\n`%s`, interleaved rounds, minimum of each:\n\n' \
      "java --add-modules jdk.incubator.vector -cp $jar dev.fvec.bench.SpatialCost simd $rounds"
    sed 's/^/- /' "$out/spatial-cost.txt"; echo; } >>"$out/results.md"
fi
if [ -s "$out/paired.md" ]; then
  { cat "$out/paired.md"; echo; } >>"$out/results.md"
fi
echo "== results: $out/results.md, $out/headline.md (for the README), $out/chart.png (logs: $logs)"
if [ ${#failed[@]} -gt 0 ]; then
  echo "== groups with failures: ${failed[*]}"
  exit 1
fi
