#!/usr/bin/env bash
# The cold-start budget check (tests/run-tests.sh runs it after the build): every function's cold
# start and RSS against the empty Funqy function measured in the same run, each as a ratio, against
# tests/bench/cold-start-budget.properties. Fails naming the functions over budget. About two
# minutes on a 2-core machine: each app starts BUDGET_RUNS (2) times, baseline first each round,
# and the best of its runs counts (on a shared machine noise only ever adds time).
#
#   bash tests/bench/cold-start-budget.sh               the ten functions, as built (target/)
#   bash tests/bench/cold-start-budget.sh payment ...   some of them
#
# Apps run as built by mvn package (fast-jar, the default java, profile knative), from their
# target folders; BENCH_JAVA and BENCH_OPTS (lib.sh) check another packaging. Ports 18100-18149.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# shellcheck source=tests/bench/lib.sh
source tests/bench/lib.sh
# shellcheck source=infra/aot/events.sh
source infra/aot/events.sh

BUDGET_RUNS="${BUDGET_RUNS:-2}"
BUDGET_FILE=tests/bench/cold-start-budget.properties
PORT0=18100
GRPC_PORT=18149
functions=("$@")
[ ${#functions[@]} -gt 0 ] || functions=("${BOOKSTORE_FUNCTIONS[@]}")
all=(baseline-function "${functions[@]}")

bench_setup
export CATALOG_ADMIN_TOKEN="${CATALOG_ADMIN_TOKEN:-bench}" BOOKSTORE_CATALOG_GRPC_PORT=$GRPC_PORT

jar_of() {
  if [ "$1" = baseline-function ]; then echo "$BASE_JAR"; else echo "functions/$1/target/quarkus-app/quarkus-run.jar"; fi
}
for f in "${all[@]}"; do
  [ -f "$(jar_of "$f")" ] || { echo "$(jar_of "$f") missing: build first (mvn package)" >&2; exit 1; }
done

budget() { # <function> <cold|rss>
  local v
  v="$(awk -F= -v k="$1.$2" '$1 == k { print $2 }' "$BUDGET_FILE")"
  [ -n "$v" ] || v="$(awk -F= -v k="default.$2" '$1 == k { print $2 }' "$BUDGET_FILE")"
  echo "$v"
}

current=""
own_sender() { own_event "$current" "$1" "$2"; }
trap stop EXIT

declare -A best_cold best_rss
for i in $(seq 1 "$BUDGET_RUNS"); do
  for n in "${!all[@]}"; do
    f="${all[$n]}"
    current="$f"
    opts="${BENCH_OPTS:-}"
    [ "$f" = catalog ] && opts="$opts -Dquarkus.grpc.server.port=$GRPC_PORT"
    BENCH_OPTS="$opts" LAUNCH_LOG="budget-$f.log" cold "$(jar_of "$f")" $((PORT0 + n)) own_sender
    rss="$(rss_mb "$pid")"
    stop
    if [ -z "${best_cold[$f]:-}" ] || [ "$COLD_MS" -lt "${best_cold[$f]}" ]; then best_cold[$f]=$COLD_MS; fi
    if [ -z "${best_rss[$f]:-}" ] || [ "$rss" -lt "${best_rss[$f]}" ]; then best_rss[$f]=$rss; fi
  done
done

b=baseline-function
echo "cold-start budget (best of $BUDGET_RUNS; java: $("${BENCH_JAVA:-java}" -version 2>&1 | head -1); $JVM_OPTS ${BENCH_OPTS:-})"
printf '%-18s %8s %6s %6s %8s %6s %6s\n' function cold_ms ratio budget rss_MB ratio budget
printf '%-18s %8s %6s %6s %8s %6s %6s\n' "$b" "${best_cold[$b]}" 1.00 "" "${best_rss[$b]}" 1.00 ""
over=()
for f in "${functions[@]}"; do
  cr="$(ratio "${best_cold[$f]}" "${best_cold[$b]}")"
  rr="$(ratio "${best_rss[$f]}" "${best_rss[$b]}")"
  cb="$(budget "$f" cold)"
  rb="$(budget "$f" rss)"
  mark=""
  if awk -v r="$cr" -v m="$cb" 'BEGIN { exit !(r > m) }'; then over+=("$f: cold start ${cr}x > ${cb}x"); mark=" <- over"; fi
  if awk -v r="$rr" -v m="$rb" 'BEGIN { exit !(r > m) }'; then over+=("$f: RSS ${rr}x > ${rb}x"); mark=" <- over"; fi
  printf '%-18s %8s %6s %6s %8s %6s %6s%s\n' "$f" "${best_cold[$f]}" "$cr" "$cb" "${best_rss[$f]}" "$rr" "$rb" "$mark"
done
if [ ${#over[@]} -gt 0 ]; then
  echo "FAIL: over the cold-start budget ($BUDGET_FILE):"
  printf '  %s\n' "${over[@]}"
  exit 1
fi
echo "OK: every function within its cold-start budget"
