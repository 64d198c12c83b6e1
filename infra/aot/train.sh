#!/usr/bin/env bash
# The AOT cache's training run (JDK 25, JEP 483/514/515): each function, packaged as aot-jar
# (mvn package -Daot), runs once with -XX:AOTCacheOutput=app.aot while its own events are driven
# through it over HTTP (infra/aot/events.sh, TRAIN_SECONDS in all), then stops; at exit the JVM
# writes app.aot beside quarkus-run.jar: the classes loaded and linked, and the JIT's profiles of
# real work, not only of start-up. Needs the local stack (infra/local/stack.sh up) and wrk.
#
#   bash infra/aot/train.sh                        all ten functions
#   bash infra/aot/train.sh register-user payment  some
#   APPS_DIR=<dir> bash infra/aot/train.sh ...     apps in <dir>/<function> (copies, as the
#                                                  benchmark makes) instead of functions/*/target
#
# Run the apps then from their folder, with the same JDK and the same JVM_OPTS as here:
#   cd functions/<name>/target/quarkus-app && $AOT_JAVA $JVM_OPTS -XX:AOTCache=app.aot -jar quarkus-run.jar
#
# Settings: AOT_JAVA (default: Temurin 25 under /usr/lib/jvm), JVM_OPTS (default: serial GC,
# 128 MB heap, as the benchmarks and a small container), TRAIN_SECONDS (20), TRAIN_PORT (18160),
# TRAIN_PROFILE (knative: events over HTTP, as on Knative).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# shellcheck source=infra/aot/events.sh
source infra/aot/events.sh

AOT_JAVA="${AOT_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JVM_OPTS="${JVM_OPTS:--XX:+UseSerialGC -Xmx128m}"
TRAIN_SECONDS="${TRAIN_SECONDS:-20}"
TRAIN_PORT="${TRAIN_PORT:-18160}"
TRAIN_PROFILE="${TRAIN_PROFILE:-knative}"

[ -x "$AOT_JAVA" ] || { echo "no JDK 25 at $AOT_JAVA (set AOT_JAVA)" >&2; exit 1; }
feature="$("$AOT_JAVA" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print v[1]; exit }')"
[ "$feature" -ge 25 ] || { echo "$AOT_JAVA is JDK $feature; the AOT cache with profiles needs 25+" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing (infra/local/stack.sh up installs it)" >&2; exit 1; }
eval "$(bash infra/local/stack.sh env)"

app_dir() {
  if [ -n "${APPS_DIR:-}" ]; then echo "$APPS_DIR/$1"
  elif [ "$1" = baseline-function ]; then echo tests/baseline-function/target/quarkus-app
  else echo "functions/$1/target/quarkus-app"; fi
}

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; true' EXIT

train() {
  local function="$1" dir log lines n per start
  dir="$(app_dir "$function")"
  [ -f "$dir/quarkus-run.jar" ] || { echo "$dir/quarkus-run.jar missing: mvn package -Daot" >&2; exit 1; }
  # fast-jar loads the application's classes with Quarkus's own class loader, where no AOT cache
  # can hold them; aot-jar's entry point puts them all on the JVM's class path.
  unzip -p "$dir/quarkus-run.jar" META-INF/MANIFEST.MF | grep -q AotQuarkusEntryPoint ||
    { echo "$dir is not an aot-jar: build it with mvn package -Daot" >&2; exit 1; }
  log="$dir/aot-training.log"
  rm -f "$dir/app.aot"
  # shellcheck disable=SC2086
  (cd "$dir" && exec env QUARKUS_PROFILE="$TRAIN_PROFILE" BOOKSTORE_ENVIRONMENT=aot-train \
    CATALOG_ADMIN_TOKEN="${CATALOG_ADMIN_TOKEN:-aot-training}" \
    "$AOT_JAVA" $JVM_OPTS -XX:AOTCacheOutput=app.aot -Dquarkus.http.port="$TRAIN_PORT" \
    -jar quarkus-run.jar >aot-training.log 2>&1) &
  pid=$!
  start=$(date +%s)
  until [[ "$(own_event "$function" "$TRAIN_PORT" 2>/dev/null)" == 2?? ]]; do
    kill -0 "$pid" 2>/dev/null || { echo "$function died in training; see $log" >&2; exit 1; }
    [ $(($(date +%s) - start)) -lt 120 ] || { echo "$function: no answer in 120 s; see $log" >&2; exit 1; }
    sleep 0.1
  done
  mapfile -t lines < <(function_events "$function")
  n=${#lines[@]}
  per=$(( (TRAIN_SECONDS + n - 1) / n ))
  local line type data sent=""
  for line in "${lines[@]}"; do
    type="${line%% *}"; data="${line#* }"
    if [ "$type" = GET ]; then
      out="$(wrk -t1 -c4 -d"${per}s" "http://127.0.0.1:$TRAIN_PORT$data" 2>&1)"
    else
      out="$(RUN_ID="train-$(date +%s%N)" BODY_TEMPLATE="$data" wrk -t1 -c4 -d"${per}s" \
        -s tests/bench/fresh-id.lua -H 'ce-specversion: 1.0' -H 'ce-source: /aot-training' \
        -H "ce-type: $type" -H 'Content-Type: application/json' "http://127.0.0.1:$TRAIN_PORT" 2>&1)"
    fi
    sent="$sent ${type##*.bookstore.}:$(awk '/requests in/ { print $1 }' <<<"$out")"
  done
  kill "$pid"
  wait "$pid" || true  # 143 after SIGTERM; the cache is written on the way out
  pid=""
  [ -s "$dir/app.aot" ] || { echo "$function: no app.aot written; see $log" >&2; exit 1; }
  printf '%-18s app.aot %4s MB; events:%s\n' "$function" \
    "$(du -m "$dir/app.aot" | cut -f1)" "$sent"
}

functions=("$@")
[ ${#functions[@]} -gt 0 ] || functions=("${BOOKSTORE_FUNCTIONS[@]}")
# The apps run in the knative profile, which does not migrate at start (and training on a
# migration would put Flyway in the cache): schemas first, from the functions' own packages.
migrating=()
for f in "${functions[@]}"; do [ "$f" = baseline-function ] || migrating+=("$f"); done
[ ${#migrating[@]} -eq 0 ] || bash infra/local/migrate.sh "${migrating[@]}"
for f in "${functions[@]}"; do
  train "$f"
done
