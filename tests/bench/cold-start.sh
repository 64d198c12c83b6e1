#!/usr/bin/env bash
# Benchmark: cold start and footprint of every function against the empty Funqy function
# (tests/baseline-function) built the same way, in three packagings, in one run. Prints figures;
# asserts nothing (tests/bench/cold-start-budget.sh is the check).
#
#   bash tests/bench/cold-start.sh                 the ten functions (infra/aot/events.sh)
#   bash tests/bench/cold-start.sh payment notify  some of them
#   SKIP_BUILD=1 ...                               reuse the last build's copies and caches
#
# Packagings: jdk17 (fast-jar on JDK 17, as shipped), jdk25 (the same fast-jar on JDK 25),
# jdk25-aot (aot-jar on JDK 25 with -XX:AOTCache=app.aot, trained by infra/aot/train.sh on each
# function's own events). Each app runs as on Knative (profile knative: events over HTTP) from a
# copy under the stack's folder, so a rebuild meanwhile cannot change what is measured.
#
# Figures, per function and packaging:
#   cold    process launch to the first 2xx answer to its own event (infra/aot/events.sh: a
#           CloudEvent of a type it takes; a search for catalog), median of COLD_RUNS; the runs
#           interleave the functions and the baseline, so drift hits them alike
#   rss1    RSS right after that first answer (median over the cold runs)
#   rss2    RSS after LOAD_SECONDS of its own events (wrk, 4 connections, fresh ids)
# with ratios to the empty function in the same packaging, and the AOT cache against the function's
# own JDK 17 time. Then all ten started together per packaging: time until every one has answered.
#
# Settings: COLD_RUNS (5), LOAD_SECONDS (20), PACKAGINGS ("jdk17 jdk25 jdk25-aot"), TOGETHER_ONLY=1
# (only the all-together start), JDK17 (java on
# the PATH), JDK25 (Temurin 25), JVM_OPTS (lib.sh: serial GC, 128 MB heap), TRAIN_SECONDS (20).
# Ports 18100-18149. Run it under flock /work/.heavy.lock on a shared machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# shellcheck source=tests/bench/lib.sh
source tests/bench/lib.sh
# shellcheck source=infra/aot/events.sh
source infra/aot/events.sh

COLD_RUNS="${COLD_RUNS:-5}"
LOAD_SECONDS="${LOAD_SECONDS:-20}"
PACKAGINGS="${PACKAGINGS:-jdk17 jdk25 jdk25-aot}"
JDK17="${JDK17:-$(command -v java)}"
JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
PORT0=18100
GRPC_PORT=18149
functions=("$@")
[ ${#functions[@]} -gt 0 ] || functions=("${BOOKSTORE_FUNCTIONS[@]}")
all=(baseline-function "${functions[@]}")

bench_setup
apps="$work/apps"
# catalog's gRPC port off the usual 9084 (other runs may hold it); place-order prices through it.
export CATALOG_ADMIN_TOKEN="${CATALOG_ADMIN_TOKEN:-bench}" BOOKSTORE_CATALOG_GRPC_PORT=$GRPC_PORT

modules() {
  local m=() f
  for f in "${all[@]}"; do
    if [ "$f" = baseline-function ]; then m+=(tests/baseline-function); else m+=("functions/$f"); fi
  done
  (IFS=,; echo "${m[*]}")
}

# snapshot <packaging dir>: copies of the packaged apps, one folder per function
snapshot() {
  local dest="$apps/$1" f src
  rm -rf "$dest"
  mkdir -p "$dest"
  for f in "${all[@]}"; do
    if [ "$f" = baseline-function ]; then src=tests/baseline-function; else src="functions/$f"; fi
    cp -r "$src/target/quarkus-app" "$dest/$f"
  done
}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building fast-jar and aot-jar (JDK 17, Java 17 bytecode), then training the AOT caches..."
  mvn -B -q -ntp -DskipTests package -pl "$(modules)" -am
  snapshot fast-jar
  mvn -B -q -ntp -DskipTests -Daot package -pl "$(modules)" -am
  snapshot aot-jar
  APPS_DIR="$apps/aot-jar" AOT_JAVA="$JDK25" JVM_OPTS="$JVM_OPTS" bash infra/aot/train.sh "${all[@]}"
  echo
fi

port_of() { # the function's port in this run
  local i
  for i in "${!all[@]}"; do [ "${all[$i]}" = "$1" ] && { echo $((PORT0 + i)); return; }; done
}

# use <packaging>: sets the java, the extra options and the folder of the apps
use() {
  case "$1" in
    jdk17) BENCH_JAVA="$JDK17"; pkg_opts=""; dir="$apps/fast-jar" ;;
    jdk25) BENCH_JAVA="$JDK25"; pkg_opts=""; dir="$apps/fast-jar" ;;
    jdk25-aot) BENCH_JAVA="$JDK25"; pkg_opts="-XX:AOTCache=app.aot"; dir="$apps/aot-jar" ;;
    *) echo "unknown packaging $1" >&2; exit 1 ;;
  esac
  packaging="$1"
}

# opts_for <function>: its extra options (catalog's gRPC port)
opts_for() {
  [ "$1" = catalog ] && echo "-Dquarkus.grpc.server.port=$GRPC_PORT"
  true
}

# start_fn <function> <log name>: launched in the current packaging; sets $pid
start_fn() {
  BENCH_OPTS="$pkg_opts $(opts_for "$1")" LAUNCH_LOG="$2" launch "$dir/$1/quarkus-run.jar" "$(port_of "$1")"
}

current=""
own_sender() { own_event "$current" "$1" "$2"; }

declare -A COLD RSS1 RSS2 SENT
pids=()
trap 'stop; for q in "${pids[@]}"; do kill "$q" 2>/dev/null || true; done' EXIT
export BENCH_JAVA

echo "JVM flags: $JVM_OPTS; JDK 17: $("$JDK17" -version 2>&1 | head -1)"
echo "JDK 25: $("$JDK25" -version 2>&1 | head -1); cold start: median of $COLD_RUNS; load: $LOAD_SECONDS s"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo

for p in $PACKAGINGS; do
  [ "${TOGETHER_ONLY:-0}" != 1 ] || break
  use "$p"
  declare -A runs=() rss=()
  for i in $(seq 1 "$COLD_RUNS"); do
    for f in "${all[@]}"; do
      current="$f"
      BENCH_OPTS="$pkg_opts $(opts_for "$f")" LAUNCH_LOG="$p-$f.log" \
        cold "$dir/$f/quarkus-run.jar" "$(port_of "$f")" own_sender
      runs[$f]="${runs[$f]:-} $COLD_MS"
      rss[$f]="${rss[$f]:-} $(rss_mb "$pid")"
      stop
    done
  done
  for f in "${all[@]}"; do
    COLD[$p,$f]="$(tr ' ' '\n' <<<"${runs[$f]}" | grep . | median)"
    RSS1[$p,$f]="$(tr ' ' '\n' <<<"${rss[$f]}" | grep . | median)"
    echo "$p $f cold runs (ms):${runs[$f]}; rss1 (MB):${rss[$f]}" >>"$work/cold-start-runs.log"
  done
  # footprint after a load of its own events (all its lines, in turn)
  for f in "${all[@]}"; do
    current="$f"
    port="$(port_of "$f")"
    start_fn "$f" "$p-$f-load.log"
    until [[ "$(own_sender "$port" "first-$(date +%s%N)" 2>/dev/null)" == 2?? ]]; do
      kill -0 "$pid" 2>/dev/null || { echo "$f died; see $work/$p-$f-load.log" >&2; exit 1; }
      sleep 0.05
    done
    mapfile -t lines < <(function_events "$f")
    per=$(( (LOAD_SECONDS + ${#lines[@]} - 1) / ${#lines[@]} ))
    total=0
    for line in "${lines[@]}"; do
      type="${line%% *}"; data="${line#* }"
      if [ "$type" = GET ]; then
        out="$(wrk -t1 -c4 -d"${per}s" "http://127.0.0.1:$port$data" 2>&1)"
      else
        out="$(RUN_ID="load-$(date +%s%N)" BODY_TEMPLATE="$data" wrk -t1 -c4 -d"${per}s" \
          -s tests/bench/fresh-id.lua -H 'ce-specversion: 1.0' -H 'ce-source: /bench' \
          -H "ce-type: $type" -H 'Content-Type: application/json' "http://127.0.0.1:$port" 2>&1)"
      fi
      echo "$out" >>"$work/wrk.log"
      total=$((total + $(awk '/requests in/ { print $1 }' <<<"$out")))
    done
    RSS2[$p,$f]="$(rss_mb "$pid")"
    SENT[$p,$f]=$total
    stop
  done

  printf '\n%s (%s)\n' "$p" "$dir"
  printf '%-18s %8s %6s %8s %6s %8s %6s %8s\n' function cold_ms ratio rss1_MB ratio rss2_MB ratio events
  for f in "${all[@]}"; do
    b=baseline-function
    printf '%-18s %8s %6s %8s %6s %8s %6s %8s\n' "$f" "${COLD[$p,$f]}" "$(ratio "${COLD[$p,$f]}" "${COLD[$p,$b]}")" \
      "${RSS1[$p,$f]}" "$(ratio "${RSS1[$p,$f]}" "${RSS1[$p,$b]}")" \
      "${RSS2[$p,$f]}" "$(ratio "${RSS2[$p,$f]}" "${RSS2[$p,$b]}")" "${SENT[$p,$f]}"
  done
done

if [ "${TOGETHER_ONLY:-0}" != 1 ] && [[ " $PACKAGINGS " == *" jdk17 "* ]]; then
  printf '\ncold start side by side, ms (ratio: against the same function on jdk17)\n'
  printf '%-18s' function
  for p in $PACKAGINGS; do printf ' %10s' "$p"; done
  printf ' %9s\n' "aot/jdk17"
  for f in "${all[@]}"; do
    printf '%-18s' "$f"
    for p in $PACKAGINGS; do printf ' %10s' "${COLD[$p,$f]}"; done
    if [[ " $PACKAGINGS " == *" jdk25-aot "* ]]; then
      printf ' %9s' "$(ratio "${COLD[jdk25-aot,$f]}" "${COLD[jdk17,$f]}")"
    fi
    echo
  done
fi

# --- all together ----------------------------------------------------------------------------
printf '\nall %s functions started at once: launch to every one answering its own event\n' "${#functions[@]}"
for p in $PACKAGINGS; do
  use "$p"
  pids=()
  start=$(date +%s%N)
  for f in "${functions[@]}"; do
    start_fn "$f" "$p-$f-together.log"
    pids+=("$pid")
  done
  declare -A ready=()
  while [ ${#ready[@]} -lt ${#functions[@]} ]; do
    for i in "${!functions[@]}"; do
      f="${functions[$i]}"
      [ -n "${ready[$f]:-}" ] && continue
      kill -0 "${pids[$i]}" 2>/dev/null || { echo "$f died; see $work/$p-$f-together.log" >&2; exit 1; }
      if [[ "$(own_event "$f" "$(port_of "$f")" 2>/dev/null || true)" == 2?? ]]; then
        ready[$f]=$(( ($(date +%s%N) - start) / 1000000 ))
      fi
    done
    [ $(($(date +%s%N) - start)) -lt 300000000000 ] ||
      { echo "not all ready after 300 s: ${!ready[*]} were" >&2; exit 1; }
    sleep 0.02
  done
  slowest=0
  detail=""
  for f in "${functions[@]}"; do
    [ "${ready[$f]}" -gt "$slowest" ] && slowest="${ready[$f]}"
    detail="$detail $f=${ready[$f]}"
  done
  total_rss=0
  for q in "${pids[@]}"; do total_rss=$((total_rss + $(rss_mb "$q"))); done
  printf '%-10s all ready after %6s ms; RSS of all: %s MB\n' "$p" "$slowest" "$total_rss"
  echo "           ms:$detail"
  for q in "${pids[@]}"; do kill "$q" 2>/dev/null || true; done
  for q in "${pids[@]}"; do wait "$q" 2>/dev/null || true; done
  pids=()
  unset ready
done
pid=""
echo
echo "runs: $work/cold-start-runs.log; logs and wrk output: $work"
