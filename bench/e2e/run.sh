#!/usr/bin/env bash
# End-to-end benchmark: whole processes as users start them (the JVM or Python start included), on
# the same seeded inputs, in one run, so every ratio compares figures from the same minutes:
#
#   - ./fvec encode --improved on 1 and on 300 files of 1000 x 64 (K = 256) against a C program
#     calling VLFeat's vl_fisher_encode on the same .npy files (bench/e2e/vlfeat_e2e.c), on one core
#     (taskset -c 0) and on all cores (fvec's default threads, VLFeat with vl_set_num_threads(cores)),
#     and fvec --threads 1 on all cores (when fvec has that option);
#   - ./fvec train --components 64 on 12,000 x 64 against scikit-learn's GaussianMixture(64, 'diag')
#     (bench/e2e/sklearn_fit.py), each with its defaults;
#   - ./fvec train --components 256 --iterations 10 on 100,000 x 64, one core, against VLFeat's
#     vl_gmm_cluster with k-means initialisation and 10 EM iterations;
#   - java -version on the same JDK;
#   - in process (dev.fvec.bench.E2eFirstCalls, 3 fresh JVMs): Kernels.warmUp()'s wall and CPU time,
#     then the first encode of one file, the p99 of the first 100 and the steady-state median;
#   plus held-out mean log-likelihoods of every trained model (dev.fvec.bench.E2eScore, the same code
#   for all) and the largest difference between fvec's and VLFeat's Fisher vectors.
#
#   bash bench/e2e/run.sh            # about 6-8 minutes on 2 cores; writes bench/results/e2e.md
#   bash bench/e2e/run.sh --quick    # CI smoke: 5 files, small training sets, 1 run each, into
#                                    # bench/target/e2e-quick/e2e.md (the numbers mean nothing)
#   bash bench/e2e/run.sh --runs 3   # timed runs of the long jobs (300 files, training); default 5 / 3
#
# Timing: hyperfine (median and min of the runs, no shell in between) when installed, else a loop
# here (FVEC_E2E_TIMER=loop forces the loop). The JDK is the one ./fvec uses: JAVA_HOME, else java
# on the PATH.
# Environment: FVEC_E2E_SKIP_BUILD=1 reuses cli/target/fvec.jar and bench/target/benchmarks.jar;
# FVEC_E2E_OUT sets the output directory. Optional peers, each skipped with a message when missing:
# gcc + libvlfeat-dev (apt-get install gcc libvlfeat-dev), /usr/bin/python3 with scikit-learn
# (apt-get install python3-sklearn).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
command_line="bash bench/e2e/run.sh${*:+ $*}"

quick=false
long_runs=""
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=true ;;
    --runs) long_runs=${2:?--runs needs a number}; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if $quick; then
  out=${FVEC_E2E_OUT:-bench/target/e2e-quick}
  data=bench/target/e2e-data-quick
  files=5 small=2000 k_small=8 large=4000 k_large=16 iterations=2 heldout=2000
  short_runs=1 medium_runs=1 long_runs=${long_runs:-1} warmup=0
else
  out=${FVEC_E2E_OUT:-bench/results}
  data=bench/target/e2e-data
  files=300 small=12000 k_small=64 large=100000 k_large=256 iterations=10 heldout=20000
  short_runs=10 medium_runs=${long_runs:-5} long_runs=${long_runs:-3} warmup=1
fi
mkdir -p "$out" "$data"
out=$(cd "$out" && pwd)
data=$(cd "$data" && pwd)
bin=$root/bench/target/e2e
mkdir -p "$bin"
log=$bin/run.log
: >"$log"
cores=$(nproc)
# What is measured is what is built now (later edits to the tree do not count).
commit="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- core simd cli bench/src bench/e2e 2>/dev/null || echo ' (with uncommitted changes)')"

# --- the JDK ./fvec would use
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  jdk=$JAVA_HOME
else
  jdk=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
export JAVA_HOME=$jdk
java=$jdk/bin/java
echo "== JDK: $("$java" -version 2>&1 | head -1) ($jdk)"

if [ "${FVEC_E2E_SKIP_BUILD:-0}" != 1 ] || [ ! -f cli/target/fvec.jar ] || [ ! -f bench/target/benchmarks.jar ]; then
  echo "== building cli/target/fvec.jar and bench/target/benchmarks.jar"
  mvn -q -B -ntp -pl cli,bench -am package -DskipTests
fi
tools=(-cp "$root/bench/target/benchmarks.jar")

# --- optional peers
vlfeat=false
if command -v gcc >/dev/null 2>&1 && [ -f /usr/include/vl/fisher.h ]; then
  if gcc -O2 -o "$bin/vlfeat_e2e" bench/e2e/vlfeat_e2e.c -lvl -lm >>"$log" 2>&1; then
    vlfeat=true
  else
    echo "== VLFeat rows skipped: bench/e2e/vlfeat_e2e.c did not build (see $log)"
  fi
else
  echo "== VLFeat rows skipped: needs gcc and libvlfeat-dev (apt-get install gcc libvlfeat-dev)"
fi
# One core: taskset; without it (util-linux) the 1-core rows run unpinned and say so.
pin=(taskset -c 0)
pin_note=""
if ! command -v taskset >/dev/null 2>&1; then
  pin=()
  pin_note="taskset is not installed: the \"1 core\" rows ran on every core."
  echo "== $pin_note"
fi
python=/usr/bin/python3
sklearn=false
if [ -x "$python" ] && "$python" -c 'import sklearn' 2>/dev/null; then
  sklearn=true
else
  echo "== scikit-learn rows skipped: $python cannot import sklearn (apt-get install python3-sklearn)"
fi

echo "== inputs in $data"
"$java" "${tools[@]}" dev.fvec.bench.E2eInputs --out "$data" --files "$files" \
  --train-small "$small" --train-large "$large" --heldout "$heldout"
cd "$data"
mkdir -p out models
all_files=(enc/f*.npy)
all_files=("${all_files[@]:0:$files}")
threads_option=false
if "$root/fvec" encode --help 2>&1 | grep -q -- '--threads'; then threads_option=true; fi

# --- timing: measure ID RUNS WARMUP COMMAND... records the median and min wall time of RUNS runs
declare -A median min runs_of command_of cpu
failed=()
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "${FVEC_E2E_TIMER:-}" != loop ] && command -v hyperfine >/dev/null 2>&1; then timer="hyperfine $(hyperfine --version | cut -d' ' -f2)"; else timer="a shell loop (date +%s%N)"; fi
measure() {
  local id=$1 runs=$2 warm=$3
  shift 3
  local shown
  # <repo> for the repository root; a list of input files as its first and last.
  shown=$(printf '%q ' "$@" | sed -E "s#$root/#<repo>/#g; s/ \$//;
    s#(enc/f[0-9]+\.npy )(enc/f[0-9]+\.npy )+(enc/f[0-9]+\.npy)#\1... \3#")
  command_of[$id]=$shown
  runs_of[$id]=$runs
  printf '== %-14s %s\n' "$id" "$shown"
  local ok=true
  if [[ $timer == hyperfine* ]]; then
    hyperfine --shell=none --style basic --runs "$runs" --warmup "$warm" --export-csv "$bin/$id.csv" \
      --command-name "$id" "$(printf '%q ' "$@")" >>"$log" 2>&1 || ok=false
    if $ok; then
      local user system
      IFS=, read -r _ _ _ median[$id] user system min[$id] _ < <(tail -n 1 "$bin/$id.csv")
      cpu[$id]=$(awk -v u="$user" -v s="$system" 'BEGIN {printf "%.6f", u + s}') # mean CPU time of a run
    fi
  else
    local i t0 t1 times=()
    for ((i = 0; i < warm + runs; i++)); do
      t0=$(date +%s%N)
      "$@" >/dev/null 2>&1 || { ok=false; break; }
      t1=$(date +%s%N)
      if [ "$i" -ge "$warm" ]; then times+=("$(((t1 - t0) / 1000))"); fi
    done
    if $ok; then
      median[$id]=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.6f", m/1e6}')
      min[$id]=$(printf '%s\n' "${times[@]}" | sort -n | awk 'NR==1 {printf "%.6f", $1/1e6}')
    fi
  fi
  if $ok; then
    printf '   median %.3f s, min %.3f s (%d runs)%s\n' "${median[$id]}" "${min[$id]}" "$runs" \
      "$(if [ -n "${cpu[$id]:-}" ]; then awk -v c="${cpu[$id]}" 'BEGIN {printf ", CPU %.3f s a run", c}'; fi)"
  else
    failed+=("$id")
    echo "   FAILED; its output, run once more:"
    "$@" 2>&1 | tail -n 15 | sed 's/^/   | /' || true
  fi
}

fvec=("$root/fvec" encode --model model.npz --improved)
vl=("$bin/vlfeat_e2e" encode)
one=("${all_files[0]}")

# Encode, one file and every file; fvec's kernel as it reports it, from one run before the timing.
if ! "${fvec[@]}" --out out/check.npy "${one[@]}" >"$bin/check.log" 2>&1; then
  echo "== ./fvec encode failed on one file:" >&2
  cat "$bin/check.log" >&2
  exit 1
fi
kernel=$(sed -n 's/.*, \([a-z]*\) kernel)$/\1/p' "$bin/check.log" | tail -n 1)
measure java-version "$short_runs" "$warmup" "$java" -version
measure fvec-1-1c "$short_runs" "$warmup" "${pin[@]}" "${fvec[@]}" --out out/fvec-1-1c.npy "${one[@]}"
measure fvec-1 "$short_runs" "$warmup" "${fvec[@]}" --out out/fvec-1.npy "${one[@]}"
if $vlfeat; then
  measure vlfeat-1-1c "$short_runs" "$warmup" "${pin[@]}" "${vl[@]}" 1 model out/vlfeat-1-1c.npy "${one[@]}"
  measure vlfeat-1 "$short_runs" "$warmup" "${vl[@]}" "$cores" model out/vlfeat-1.npy "${one[@]}"
fi
# In process, as a service starts: Kernels.warmUp(), then the first calls and the steady state, in
# fresh JVMs (dev.fvec.bench.E2eFirstCalls); each figure is the median over the runs.
first_runs=$(($short_runs < 3 ? $short_runs : 3))
echo "== first-calls    $first_runs x $java --add-modules jdk.incubator.vector -cp <repo>/bench/target/benchmarks.jar dev.fvec.bench.E2eFirstCalls model.npz ${one[*]}"
: >"$bin/first-calls.tsv"
for ((i = 0; i < first_runs; i++)); do
  if ! "$java" --add-modules jdk.incubator.vector "${tools[@]}" dev.fvec.bench.E2eFirstCalls model.npz "${one[@]}" \
    >>"$bin/first-calls.tsv" 2>>"$log"; then
    failed+=(first-calls)
    echo "   FAILED (see $log)"
    break
  fi
done
# column N of first-calls.tsv (milliseconds): its median and min over the runs, as seconds, under ID
first_calls() {
  local id=$1 column=$2
  if [ -s "$bin/first-calls.tsv" ]; then
    read -r median[$id] min[$id] < <(cut -f "$column" "$bin/first-calls.tsv" | sort -g |
      awk '{a[NR] = $1} END {printf "%.9f %.9f\n", ((NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) / 1e3, a[1] / 1e3}')
    runs_of[$id]=$first_runs
  fi
}
first_calls warmup-wall 1
first_calls warmup-cpu 2
first_calls first-call 3
first_calls first-p99 4
first_calls steady 5
# column 10: which code served after the warm-up (lanes, twin or unknown), counted over the runs
lanes_warm=$(cut -f 10 "$bin/first-calls.tsv" 2>/dev/null | grep -c '^lanes$' || true)
lanes_runs=$(cut -f 10 "$bin/first-calls.tsv" 2>/dev/null | grep -c . || true)
if [ -n "${median[steady]:-}" ]; then
  echo "   vector lanes on after Kernels.warmUp() in $lanes_warm of $lanes_runs JVMs (column 10 of first-calls.tsv: lanes, twin or unknown)"
  printf '   warm-up %.0f ms (CPU %.0f ms), first call %.1f ms, p99 of the first 100 %.1f ms, steady median %.2f ms\n' \
    "$(awk -v v="${median[warmup-wall]}" 'BEGIN {print v * 1e3}')" "$(awk -v v="${median[warmup-cpu]}" 'BEGIN {print v * 1e3}')" \
    "$(awk -v v="${median[first-call]}" 'BEGIN {print v * 1e3}')" "$(awk -v v="${median[first-p99]}" 'BEGIN {print v * 1e3}')" \
    "$(awk -v v="${median[steady]}" 'BEGIN {print v * 1e3}')"
fi

measure fvec-all-1c "$medium_runs" 0 "${pin[@]}" "${fvec[@]}" --out out/fvec-all-1c.npy "${all_files[@]}"
measure fvec-all "$medium_runs" 0 "${fvec[@]}" --out out/fvec-all.npy "${all_files[@]}"
if $threads_option; then
  measure fvec-all-t1 "$medium_runs" 0 "${fvec[@]}" --threads 1 --out out/fvec-all-t1.npy "${all_files[@]}"
fi
if $vlfeat; then
  measure vlfeat-all-1c "$medium_runs" 0 "${pin[@]}" "${vl[@]}" 1 model out/vlfeat-all-1c.npy "${all_files[@]}"
  measure vlfeat-all "$medium_runs" 0 "${vl[@]}" "$cores" model out/vlfeat-all.npy "${all_files[@]}"
fi

# Training.
measure fvec-train-small "$medium_runs" 0 "$root/fvec" train --components "$k_small" \
  --out models/fvec-small.npz train-small.npy
if $sklearn; then
  measure sklearn-train-small "$medium_runs" 0 "$python" "$root/bench/e2e/sklearn_fit.py" "$k_small" \
    train-small.npy models/sklearn-small.npz
fi
measure fvec-train-large "$long_runs" 0 "${pin[@]}" "$root/fvec" train --components "$k_large" \
  --iterations "$iterations" --out models/fvec-large.npz train-large.npy
# The same number of EM iterations as VLFeat: fvec's default stopping rule (a relative change of
# the mean log-likelihood below 1e-5) may stop earlier, so this row compares equal work.
measure fvec-train-large-all "$long_runs" 0 "${pin[@]}" "$root/fvec" train --components "$k_large" \
  --iterations "$iterations" --tolerance 0 --out models/fvec-large-all.npz train-large.npy
if $vlfeat; then
  measure vlfeat-train-large "$long_runs" 0 "${pin[@]}" "$bin/vlfeat_e2e" gmm 1 "$k_large" "$iterations" \
    train-large.npy models/vlfeat-large
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- answers: the same vectors from both encoders, and every model scored by one evaluator
declare -A ll
diff_all="not computed"
if $vlfeat && [ -f out/fvec-all.npy ] && [ -f out/vlfeat-all.npy ]; then
  diff_all=$("$java" "${tools[@]}" dev.fvec.bench.E2eScore compare out/fvec-all.npy out/vlfeat-all.npy)
fi
models=()
for m in fvec-small=models/fvec-small.npz sklearn-small=models/sklearn-small.npz \
  fvec-large=models/fvec-large.npz fvec-large-all=models/fvec-large-all.npz vlfeat-large=models/vlfeat-large; do
  if [ -e "${m#*=}" ]; then models+=("$m"); fi
done
if [ ${#models[@]} -gt 0 ]; then
  while IFS=$'\t' read -r name value; do ll[$name]=$value; done \
    < <("$java" "${tools[@]}" dev.fvec.bench.E2eScore loglik heldout.npy "${models[@]}")
fi

# --- the report
cd "$root"
secs() {
  if [ -n "${median[$1]:-}" ]; then
    awk -v m="${median[$1]}" -v n="${min[$1]}" 'BEGIN {
      if (m >= 0.1) printf "%.3f s (%.3f)", m, n; else if (m >= 0.001) printf "%.1f ms (%.1f)", m * 1e3, n * 1e3;
      else printf "%.3f ms (%.3f)", m * 1e3, n * 1e3 }'
  else
    echo "—"
  fi
}
# ratio A B: median of A over median of B
ratio() { if [ -n "${median[$1]:-}" ] && [ -n "${median[$2]:-}" ]; then awk -v a="${median[$1]}" -v b="${median[$2]}" 'BEGIN {printf "%.2f×", a / b}'; else echo "—"; fi; }
# meets A B OP LIMIT: whether median(A)/median(B) OP LIMIT holds
meets() { if $quick; then echo "—"; elif [ -n "${median[$1]:-}" ] && [ -n "${median[$2]:-}" ]; then awk -v a="${median[$1]}" -v b="${median[$2]}" -v op="$3" -v t="$4" 'BEGIN {r = a / b; print ((op == ">=" ? r >= t : r <= t) ? "yes" : "no")}'; else echo "—"; fi; }
llv() { if [ -n "${ll[$1]:-}" ]; then printf '%.3f' "${ll[$1]}"; else echo "—"; fi; }
# lldiff A B LIMIT: ll(A) - ll(B), and whether it is >= LIMIT
lldiff() { if [ -n "${ll[$1]:-}" ] && [ -n "${ll[$2]:-}" ]; then awk -v a="${ll[$1]}" -v b="${ll[$2]}" -v t="$3" -v q="$quick" 'BEGIN {d = a - b; printf "%+.3f", d; if (q != "true") printf " (%s)", (d >= t) ? "met" : "not met"}'; else echo "—"; fi; }

# E2eFirstCalls' call counts, and a constant for the warm-up target
E2E_FIRST=100 E2E_MORE=500 E2E_STEADY=300
median[one-second]=1
cpu=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: //')
family=$(grep -m1 '^cpu family' /proc/cpuinfo | sed 's/.*: //')
model=$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | sed 's/.*: //')
flags=$(grep -m1 '^flags' /proc/cpuinfo)
case " $flags " in
  *" avx512f "*) width="512-bit (AVX-512)" ;;
  *" avx2 "*) width="256-bit (AVX2)" ;;
  *) width="128-bit or narrower" ;;
esac
vlfeat_version=$(dpkg-query -W -f='${Version}' libvlfeat1 2>/dev/null || echo '?')
sklearn_version=$($sklearn && "$python" -c 'import sklearn, numpy, platform; print("scikit-learn %s, NumPy %s, Python %s" % (sklearn.__version__, numpy.__version__, platform.python_version()))' || echo "not installed")
mode_note=""
if $quick; then mode_note=$'\n**Quick mode (CI smoke): tiny inputs, one run each; the figures mean nothing.**\n'; fi

report=$out/e2e.md
notes=$pin_note
if ! $threads_option; then
  notes="${notes:+$notes }This fvec has no \`encode --threads\`: the default ÷ --threads 1 row is empty."
fi
if [ -n "$notes" ]; then notes=$notes$'\n'; fi
{
  cat <<EOF
# End-to-end benchmark: whole processes, one run
$mode_note
Written by \`$command_line\` on $(date -u +%Y-%m-%dT%H:%MZ), fvec commit $commit.

- Machine: $cpu, family $family model $model, $cores logical cores, vectors up to $width; fvec's kernel: ${kernel:-?}.
  Load average before / after: $load_before / $load_after (other work on the machine makes figures noisy).
- JDK: $("$java" -version 2>&1 | sed -n 2p) (\`$jdk\`), through \`./fvec\` with its defaults.
- Peers: Debian libvlfeat1 $vlfeat_version ($($vlfeat && echo "bench/e2e/vlfeat_e2e.c, gcc -O2" || echo "skipped")); $sklearn_version.
- Timing: $timer; every figure is the median (min in brackets) of whole-process wall times,
  ${short_runs} runs for one file and \`java -version\` (after $warmup warm-up), ${medium_runs} for 300 files and the small training, ${long_runs} for the large training.
- Inputs (seeded, bench/src/main/java/dev/fvec/bench/E2eInputs.java): $files files of 1000 x 64 float32 \`.npy\`,
  a K = 256 model, training sets of $small and $large rows and $heldout held-out rows, all from one
  mixture of 256 rotated anisotropic Gaussians with decaying spectra.

| job | fvec | peer | peer's time | ratio | target | met |
|---|---:|---|---:|---:|---|---|
| encode --improved, 1 file, 1 core | $(secs fvec-1-1c) | VLFeat, 1 thread | $(secs vlfeat-1-1c) | $(ratio vlfeat-1-1c fvec-1-1c) | | |
| encode --improved, 1 file, all cores | $(secs fvec-1) | VLFeat, $cores threads | $(secs vlfeat-1) | $(ratio vlfeat-1 fvec-1) | | |
| encode --improved, 1 file, fvec ÷ java -version | $(secs fvec-1) | \`java -version\` | $(secs java-version) | $(ratio fvec-1 java-version) (1 core: $(ratio fvec-1-1c java-version)) | ≤ 6× | $(meets fvec-1 java-version "<=" 6) |
| encode --improved, $files files, 1 core | $(secs fvec-all-1c) | VLFeat, 1 thread | $(secs vlfeat-all-1c) | $(ratio vlfeat-all-1c fvec-all-1c) | ≥ 3× (≥ 5× with the new kernel) | $(meets vlfeat-all-1c fvec-all-1c ">=" 3) |
| encode --improved, $files files, all cores | $(secs fvec-all) | VLFeat, $cores threads | $(secs vlfeat-all) | $(ratio vlfeat-all fvec-all) | | |
| encode --improved, $files files, default ÷ --threads 1 | $(secs fvec-all) | fvec --threads 1 | $(secs fvec-all-t1) | $(ratio fvec-all-t1 fvec-all) | ≥ 1.7× | $(meets fvec-all-t1 fvec-all ">=" 1.7) |
| in process, 1 file, after \`Kernels.warmUp()\`: first call ÷ steady state | $(secs first-call) | median of calls $((E2E_FIRST + E2E_MORE - E2E_STEADY + 1))–$((E2E_FIRST + E2E_MORE)) | $(secs steady) | $(ratio first-call steady) | ≤ 3× | $(meets first-call steady "<=" 3) |
| in process: p99 of the first $E2E_FIRST calls ÷ steady state | $(secs first-p99) | steady-state median | $(secs steady) | $(ratio first-p99 steady) | ≤ 3× | $(meets first-p99 steady "<=" 3) |
| in process: \`Kernels.warmUp()\` wall time, and the CPU time it used | $(secs warmup-wall) | CPU, every thread | $(secs warmup-cpu) | | ≤ 1 s CPU | $(meets warmup-cpu one-second "<=" 1) |
| train --components $k_small, $small x 64, defaults | $(secs fvec-train-small) | scikit-learn GaussianMixture($k_small, 'diag') | $(secs sklearn-train-small) | $(ratio sklearn-train-small fvec-train-small) | ≥ 2.5× | $(meets sklearn-train-small fvec-train-small ">=" 2.5) |
| held-out mean log-likelihood | $(llv fvec-small) | scikit-learn | $(llv sklearn-small) | fvec − sklearn: $(lldiff fvec-small sklearn-small -0.05) | ≥ −0.05 | |
| train --components $k_large --iterations $iterations, $large x 64, 1 core | $(secs fvec-train-large) | VLFeat vl_gmm_cluster, k-means init | $(secs vlfeat-train-large) | $(ratio vlfeat-train-large fvec-train-large) | ≥ 5× | $(meets vlfeat-train-large fvec-train-large ">=" 5) |
| held-out mean log-likelihood | $(llv fvec-large) | VLFeat | $(llv vlfeat-large) | fvec − VLFeat: $(lldiff fvec-large vlfeat-large 0) | ≥ 0 | |
| the same with \`--tolerance 0\` (all $iterations EM iterations, as VLFeat) | $(secs fvec-train-large-all) | VLFeat vl_gmm_cluster, k-means init | $(secs vlfeat-train-large) | $(ratio vlfeat-train-large fvec-train-large-all) | | |
| held-out mean log-likelihood | $(llv fvec-large-all) | VLFeat | $(llv vlfeat-large) | fvec − VLFeat: $(lldiff fvec-large-all vlfeat-large 0) | ≥ 0 | |

Ratios divide medians, the peer's by fvec's (above 1: fvec is faster) except where the job says otherwise. Largest |fvec − VLFeat| over
the $files improved Fisher vectors (all cores): $diff_all. Log-likelihoods are nats per descriptor on
the $heldout held-out rows, computed for every model by the same code (dev.fvec.bench.E2eScore, double
precision, every constant included, as scikit-learn's \`score\`). VLFeat's k-means initialisation is
the one it builds when given none (ANN, random selection, 5 iterations, N / 4 comparisons), and
\`vl_gmm_set_max_num_iterations($iterations)\` runs $iterations E and M steps plus its final E step.
The in-process rows come from $first_runs fresh JVMs (dev.fvec.bench.E2eFirstCalls, the same JDK with
\`--add-modules jdk.incubator.vector\`, all cores): each calls \`Kernels.warmUp()\`, then encodes the first
file $((E2E_FIRST + E2E_MORE)) times with the allocation-free \`encode\`, each call timed; figures are medians over the JVMs.
The vector lanes were on after \`Kernels.warmUp()\` in ${lanes_warm:-0} of ${lanes_runs:-0} of them (otherwise the warm-up gave up and the scalar twin served).
$notes
## Commands

Run in \`$(realpath --relative-to="$root" "$data")\` (the inputs), \`<repo>\` the repository root.

CPU is the mean user + system time of a run (all threads; hyperfine's figures; less sensitive to other
load than wall time).

| id | median (min) | CPU | runs | command |
|---|---:|---:|---:|---|
EOF
  for id in java-version fvec-1-1c fvec-1 vlfeat-1-1c vlfeat-1 fvec-all-1c fvec-all fvec-all-t1 vlfeat-all-1c \
    vlfeat-all fvec-train-small sklearn-train-small fvec-train-large fvec-train-large-all vlfeat-train-large; do
    if [ -n "${command_of[$id]:-}" ]; then
      printf '| %s | %s | %s | %s | `%s` |\n' "$id" "$(secs "$id")" \
        "$(if [ -n "${cpu[$id]:-}" ]; then awk -v c="${cpu[$id]}" 'BEGIN {printf "%.3f s", c}'; else echo "—"; fi)" \
        "${runs_of[$id]}" "${command_of[$id]}"
    fi
  done
} >"$report"
echo "== wrote $report (log: $log)"
if [ ${#failed[@]} -gt 0 ]; then
  echo "== failed: ${failed[*]}"
  exit 1
fi
