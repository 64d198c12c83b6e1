#!/usr/bin/env bash
# The order saga's benchmark (BENCH=1 tests/run-workflows.sh) once per variant of the functions'
# JVM options, one after another in the same run, then each variant's results side by side: the
# highest sustained rate, latency at half of it, and CPU per order by process at the step that
# saturated and at the half rate. Each variant is a label and the JVM options (APPS_JVM_OPTS).
#
#   bash tests/bench/jvm-variants.sh            (default: C1 only, as the apps run, against C2)
#   BENCH_ARGS="--bench-rates 10,20,30 --bench-step 30 --bench-half 60" \
#     bash tests/bench/jvm-variants.sh "c1=-XX:TieredStopAtLevel=1" "c2=-XX:CICompilerCount=2"
#
# Needs the packaged apps (mvn -DskipTests install). Uses the apps' fixed ports: run it alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

base="-XX:+UseSerialGC -Xmx256m"
if [ "$#" -eq 0 ]; then
  set -- "c1=$base -XX:TieredStopAtLevel=1" "c2=$base"
fi
# Longer steps than the benchmark's default: C2's compilations are paid early, its gains later.
export BENCH_ARGS="${BENCH_ARGS:---bench-rates 10,20,30,40,60 --bench-step 30 --bench-half 60}"

bash infra/local/stack.sh up >/dev/null
eval "$(bash infra/local/stack.sh env)"
out="$BOOKSTORE_STACK_DIR/bench/jvm-variants"
mkdir -p "$out"
labels=()
for variant in "$@"; do
  label="${variant%%=*}"
  labels+=("$label")
  echo "== $label: ${variant#*=}"
  APPS_JVM_OPTS="${variant#*=}" SKIP_BUILD=1 BENCH=1 bash tests/run-workflows.sh >"$out/$label.log" 2>&1 \
    || { tail -40 "$out/$label.log"; exit 1; }
  grep -E '^ +[0-9]+ +[0-9.]+ +[0-9.]+ ' "$out/$label.log" || true
done

echo
echo "== side by side (logs: $out)"
for label in "${labels[@]}"; do
  log="$out/$label.log"
  echo "-- $label"
  sed -n '/^== benchmark results/,$p' "$log" | sed -n '2,4p'
  # the saturated step's CPU (first "CPU while" line) and the half rate's (the last)
  awk '/^CPU while the orders ran/ { n++; head[n] = $0; getline; body[n] = $0 }
    END { for (i = 1; i <= n; i++) if (i == 1 || i == n) printf "  %s\n  %s\n", head[i], body[i] }' "$log"
done
