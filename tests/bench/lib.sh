# Shared by the benchmarks in tests/bench (sourced, not run): the local stack, launching a packaged
# app as on Knative, the empty Funqy baseline, wrk runs and a few small figures helpers.
#
# Settings (environment): JVM_OPTS (both JVMs of a comparison get the same: serial GC, 128 MB
# heap, as in a small container), DURATION (10s per wrk run), CONNECTIONS (32), APPCDS=1 (run the
# apps with the AppCDS archives a build with -Dquarkus.package.jar.appcds.enabled=true made),
# BENCH_JAVA (the java that launch runs; default: java on the PATH), BENCH_OPTS (more JVM options
# for the next launch, e.g. -XX:AOTCache=app.aot), LAUNCH_LOG (the next launch's log file name).
# Callers run from the repository root with `set -euo pipefail`.

JVM_OPTS="${JVM_OPTS:--XX:+UseSerialGC -Xmx128m}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
BASE_PORT="${BASE_PORT:-18090}"
BASE_JAR=tests/baseline-function/target/quarkus-app/quarkus-run.jar
pid=""

# bench_setup: the local stack up and its settings exported; wrk present; every packaged function's
# schema migrated (infra/local/migrate.sh); $work for logs.
bench_setup() {
  bash infra/local/stack.sh up
  eval "$(bash infra/local/stack.sh env)"
  command -v wrk >/dev/null || { echo "wrk missing (infra/local/stack.sh up installs it)"; exit 1; }
  # The apps run in the knative profile, which does not migrate at start: schemas first.
  bash infra/local/migrate.sh
  work="$BOOKSTORE_STACK_DIR/bench"
  mkdir -p "$work"
  : >"$work/wrk.log"
}

# stop: the app launched last (SIGTERM, then wait for it).
stop() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  pid=""
}

# launch <jar> <port> [VAR=value ...]: the app as on Knative (profile knative: Kafka-direct off,
# answers over HTTP only), in the background; sets $pid. Extra VAR=value pairs go to its environment.
launch() {
  local jar="$1" port="$2" cds=""
  shift 2
  # Built with -Dquarkus.package.jar.appcds.enabled=true, each app has its own class-data archive.
  if [ "${APPCDS:-0}" = 1 ]; then
    [ -f "$(dirname "$jar")/app-cds.jsa" ] || { echo "no app-cds.jsa beside $jar" >&2; exit 1; }
    cds="-XX:SharedArchiveFile=app-cds.jsa -Xshare:on"
  fi
  local log
  log="$work/${LAUNCH_LOG:-$(basename "$(dirname "$(dirname "$(dirname "$jar")")")").log}"
  # From the app's own folder: an AppCDS archive or AOT cache records the class path relative to it.
  # PORT too: the knative profile of some functions reads it, as on Knative.
  # shellcheck disable=SC2086
  (cd "$(dirname "$jar")" && exec env QUARKUS_PROFILE=knative BOOKSTORE_ENVIRONMENT=bench PORT="$port" "$@" \
    "${BENCH_JAVA:-java}" $JVM_OPTS $cds ${BENCH_OPTS:-} -Dquarkus.http.port="$port" -jar quarkus-run.jar \
    >"$log" 2>&1) &
  pid=$!
}

rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# ping_event <port> <id>: one binary CloudEvent to the baseline; prints the HTTP status.
ping_event() {
  curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/" \
    -H 'ce-specversion: 1.0' -H "ce-id: $2" -H 'ce-source: /bench' \
    -H 'ce-type: com.bookstore.bench.ping.v1' -H 'Content-Type: application/json' -d '{"n":1}'
}

# BASELINE_HEADERS: the wrk arguments of the baseline's echo (a fresh ce-id comes from fresh-id.lua)
BASELINE_HEADERS=(-H 'ce-specversion: 1.0' -H 'ce-source: /bench' -H 'ce-type: com.bookstore.bench.ping.v1'
  -H 'Content-Type: application/json')

# await_status <port> <sender> <want>: until the sender's request answers <want> (the app dies: exit)
await_status() {
  local port="$1" sender="$2" want="$3"
  until [ "$($sender "$port" "ready-$$-$(date +%s%N)" 2>/dev/null || true)" = "$want" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "the app on :$port died; see $work" >&2; exit 1; }
    sleep 0.05
  done
}

# cold <jar> <port> <sender>: sets COLD_MS, from process launch to the first answered binary
# CloudEvent (any 2xx: place-order takes its orders' facts with a 202 and no reply). (Not called in a subshell: the launched pid must stay visible to stop.)
cold() {
  local jar="$1" port="$2" sender="$3" start code
  ! curl -s -o /dev/null "http://127.0.0.1:$port/" || { echo "port $port is already in use" >&2; exit 1; }
  start=$(date +%s%N)
  launch "$jar" "$port"
  while :; do
    code="$($sender "$port" "cold-$start" 2>/dev/null || true)"
    [[ "$code" == 2?? ]] && break
    kill -0 "$pid" 2>/dev/null || { echo "process died; see $work" >&2; exit 1; }
    [ $(($(date +%s%N) - start)) -lt $((${COLD_TIMEOUT:-120} * 1000000000)) ] ||
      { echo "$jar: no 200 within ${COLD_TIMEOUT:-120} s (last answer $code); see $work" >&2; exit 1; }
    sleep 0.005
  done
  COLD_MS=$(( ($(date +%s%N) - start) / 1000000 ))
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# wrk_run <port> <lua script or -> <wrk args...>: prints "rps p50 p99 non2xx" (WRK_PATH: URL path;
# CONNECTIONS and DURATION as set; WRK_THREADS, default 2)
wrk_run() {
  local port="$1" script="$2" path="${WRK_PATH:-}" out
  shift 2
  local script_args=()
  [ "$script" != - ] && script_args=(-s "$script")
  out="$(RUN_ID="$(date +%s%N)" wrk -t"${WRK_THREADS:-2}" -c"$CONNECTIONS" -d"$DURATION" --latency \
    "${script_args[@]}" "$@" "http://127.0.0.1:$port$path" 2>&1)"
  echo "$out" >>"$work/wrk.log"
  local rps p50 p99 errors
  rps="$(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")"
  p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
  p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  errors="$(awk '/Non-2xx/ { print $NF }' <<<"$out")"
  echo "$rps $p50 $p99 ${errors:-0}"
}

# events_for <duration> <port> <wrk args...>: fresh-id load for a while; prints how many were sent.
events_for() {
  local duration="$1" port="$2" out
  shift 2
  out="$(RUN_ID="$(date +%s%N)" wrk -t2 -c16 -d"$duration" -s tests/bench/fresh-id.lua "$@" \
    "http://127.0.0.1:$port" 2>&1)"
  echo "$out" >>"$work/wrk.log"
  awk '/requests in/ { print $1 }' <<<"$out"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# to_ms <wrk latency, e.g. 812.00us 1.20ms 2.01s>: milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else print "n/a" }'
}
