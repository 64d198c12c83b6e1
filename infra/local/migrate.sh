#!/usr/bin/env bash
# Schema migrations as their own step, before the functions start (the functions no longer migrate
# at start in the prod and knative profiles). Runs each function's own packaged app once with
# QUARKUS_INIT_AND_EXIT=true and QUARKUS_FLYWAY_MIGRATE_AT_START=true: Quarkus runs Flyway on the
# function's schema and migrations and exits before it serves anything. This is the same command the
# Knative manifests run as a Job (<function>-migrate) before a revision takes traffic.
#
#   bash infra/local/migrate.sh                  # every function with a packaged app
#   bash infra/local/migrate.sh payment catalog  # these functions
#
# Uses the local stack's settings (eval "$(bash infra/local/stack.sh env)" if they are not set).
# Runs the functions side by side (Flyway's lock serialises those sharing a schema: saga-step,
# compensate and saga-timeouts all migrate "saga"); each one's output goes to
# <stack dir>/migrate/<function>.log. Exits non-zero naming every function that failed, with the
# end of its log. Settings: MIGRATE_JAVA (default: java on the PATH), MIGRATE_JVM_OPTS.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ -z "${BOOKSTORE_PG_PORT:-}" ] || [ -z "${BOOKSTORE_PG_PASSWORD:-}" ]; then
  eval "$(bash infra/local/stack.sh env)"
fi

functions=("$@")
if [ ${#functions[@]} -eq 0 ]; then
  for jar in functions/*/target/quarkus-app/quarkus-run.jar; do
    [ -f "$jar" ] || continue
    functions+=("$(basename "$(dirname "$(dirname "$(dirname "$jar")")")")")
  done
  [ ${#functions[@]} -gt 0 ] || { echo "migrate: no packaged function (mvn -DskipTests install)" >&2; exit 1; }
fi

log_dir="${BOOKSTORE_STACK_DIR:-$root/infra/local/.run}/migrate"
mkdir -p "$log_dir"
# A short-lived JVM: C1 only, a small heap, no JIT of note.
opts="${MIGRATE_JVM_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m}"
declare -A pids
start="$(date +%s%N)"
for f in "${functions[@]}"; do
  jar="functions/$f/target/quarkus-app/quarkus-run.jar"
  [ -f "$jar" ] || { echo "migrate: no packaged app for $f at $jar (mvn -DskipTests install -pl functions/$f)" >&2; exit 1; }
  # shellcheck disable=SC2086
  (exec env QUARKUS_INIT_AND_EXIT=true QUARKUS_FLYWAY_MIGRATE_AT_START=true QUARKUS_HTTP_PORT=0 \
    "${MIGRATE_JAVA:-java}" $opts -jar "$jar" >"$log_dir/$f.log" 2>&1 </dev/null) &
  pids[$f]=$!
done
failed=()
for f in "${functions[@]}"; do
  if ! wait "${pids[$f]}"; then
    failed+=("$f")
  fi
done
ms=$((($(date +%s%N) - start) / 1000000))
if [ ${#failed[@]} -gt 0 ]; then
  for f in "${failed[@]}"; do
    echo "migrate: $f failed; end of $log_dir/$f.log:" >&2
    tail -n 15 "$log_dir/$f.log" >&2
  done
  exit 1
fi
echo "migrate: ${#functions[@]} functions' schemas up to date in ${ms} ms (logs: $log_dir)"
