#!/usr/bin/env bash
# Benchmark: register-user against an empty Funqy Knative-events function (tests/baseline-function)
# measured in the same run, side by side. Prints figures; asserts nothing.
#
#   bash tests/bench/register-user.sh        (SKIP_BUILD=1 to reuse the last build;
#                                             APPCDS=1 to build and run both with AppCDS archives)
#
# Both JVMs run with the same flags (JVM_OPTS, default: serial GC, 128 MB heap, as in a small
# container). wrk drives the load from the same 2-core machine, so absolute numbers are modest:
# read the ratios.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

# shellcheck source=tests/bench/lib.sh
source tests/bench/lib.sh
bench_setup
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  appcds_flag=""
  [ "${APPCDS:-0}" = 1 ] && appcds_flag="-Dquarkus.package.jar.appcds.enabled=true"
  mvn -B -q -ntp -DskipTests install $appcds_flag -pl functions/register-user,tests/baseline-function -am
  mvn -B -q -ntp -DskipTests test-compile -pl functions/register-user
fi

COLD_RUNS="${COLD_RUNS:-5}"
MEMORY_WINDOW="${MEMORY_WINDOW:-20s}"
USER_PORT=18091
USER_JAR=functions/register-user/target/quarkus-app/quarkus-run.jar
PASSWORD="Correct-Horse-42"
trap stop EXIT

register_event() { # port id
  curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/" \
    -H 'ce-specversion: 1.0' -H "ce-id: $2" -H 'ce-source: /bench' \
    -H 'ce-type: com.bookstore.user.register.v1' -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench-$2@example.com\",\"password\":\"$PASSWORD\"}"
}

echo "JVM flags: $JVM_OPTS (AppCDS: ${APPCDS:-0}); wrk: 2 threads, $CONNECTIONS connections, $DURATION; cold start: median of $COLD_RUNS"
echo

# --- cold start -------------------------------------------------------------------------------
base_cold=(); user_cold=()
for i in $(seq 1 "$COLD_RUNS"); do
  cold "$BASE_JAR" $BASE_PORT ping_event; base_cold+=("$COLD_MS"); stop
  cold "$USER_JAR" $USER_PORT register_event; user_cold+=("$COLD_MS"); stop
done
bc="$(printf '%s\n' "${base_cold[@]}" | median)"
uc="$(printf '%s\n' "${user_cold[@]}" | median)"
printf '%-58s %8s %8s %7s\n' "figure" "baseline" "reg-user" "ratio"
printf '%-58s %8s %8s %7s\n' "cold start to first answered CloudEvent, ms (median)" "$bc" "$uc" "$(ratio "$uc" "$bc")"
echo "  runs: baseline ${base_cold[*]} | register-user ${user_cold[*]} (its first event is a real registration: one bcrypt hash)"

# --- memory -------------------------------------------------------------------------------------
launch "$BASE_JAR" $BASE_PORT
until [ "$(ping_event $BASE_PORT first 2>/dev/null)" = 200 ]; do sleep 0.05; done
base_rss1="$(rss_mb "$pid")"
base_n="$(BODY_TEMPLATE='{"n":1}' events_for "$MEMORY_WINDOW" $BASE_PORT \
  -H 'ce-specversion: 1.0' -H 'ce-source: /bench' -H 'ce-type: com.bookstore.bench.ping.v1' \
  -H 'Content-Type: application/json')"
base_rss2="$(rss_mb "$pid")"

# --- throughput: baseline echo with a fresh ce-id per request --------------------------------------
read -r base_rps base_p50 base_p99 base_err < <(BODY_TEMPLATE='{"n":1}' wrk_run $BASE_PORT tests/bench/fresh-id.lua \
  -H 'ce-specversion: 1.0' -H 'ce-source: /bench' -H 'ce-type: com.bookstore.bench.ping.v1' \
  -H 'Content-Type: application/json')
stop

launch "$USER_JAR" $USER_PORT
until [ "$(register_event $USER_PORT "first-$$-$(date +%s%N)" 2>/dev/null)" = 200 ]; do sleep 0.05; done
user_rss1="$(rss_mb "$pid")"
# 10,000 events through the whole path short of the hash: fresh ids, an e-mail that is taken
# (claim in Redis, validation, two PostgreSQL look-ups, answer stored in Redis).
taken="taken-$$-$(date +%s)@example.com"
register_event $USER_PORT "taken-$$-$(date +%s%N)" >/dev/null
sed_body="{\"email\":\"$taken\",\"password\":\"$PASSWORD\"}"
user_n="$(BODY_TEMPLATE="$sed_body" events_for "$MEMORY_WINDOW" $USER_PORT \
  -H 'ce-specversion: 1.0' -H 'ce-source: /bench' -H 'ce-type: com.bookstore.user.register.v1' \
  -H 'Content-Type: application/json')"
user_rss2="$(rss_mb "$pid")"
printf '%-58s %8s %8s %7s\n' "RSS after the first event, MB" "$base_rss1" "$user_rss1" "$(ratio "$user_rss1" "$base_rss1")"
printf '%-58s %8s %8s %7s\n' "RSS after the load below, MB" "$base_rss2" "$user_rss2" "$(ratio "$user_rss2" "$base_rss2")"
echo "  events sent in $MEMORY_WINDOW: baseline $base_n, register-user $user_n (target: at least 10,000 each)"

# --- throughput: session check, and a redelivered event answered from the ledger ----------------
email="bench-session-$$-$(date +%s)@example.com"
curl -s -X POST "http://127.0.0.1:$USER_PORT/register" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" >/dev/null
token="$(curl -s -X POST "http://127.0.0.1:$USER_PORT/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" | jq -r .token)"
read -r s_rps s_p50 s_p99 s_err < <(WRK_PATH=/sessions/current wrk_run $USER_PORT - \
  -H "Authorization: Bearer $token")
read -r f_rps f_p50 f_p99 f_err < <(BODY_TEMPLATE="{\"token\":\"$token\"}" PATH_=/session wrk_run $USER_PORT \
  tests/bench/fresh-id.lua -H 'Content-Type: application/json')
dup_id="dup-$$-$(date +%s%N)"
register_event $USER_PORT "$dup_id" >/dev/null
read -r d_rps d_p50 d_p99 d_err < <(BODY="{\"email\":\"bench-$dup_id@example.com\",\"password\":\"$PASSWORD\"}" \
  wrk_run $USER_PORT tests/bench/redelivery.lua \
  -H 'ce-specversion: 1.0' -H "ce-id: $dup_id" -H 'ce-source: /bench' \
  -H 'ce-type: com.bookstore.user.register.v1' -H 'Content-Type: application/json')
echo
printf '%-44s %10s %8s %8s %7s %6s\n' "load" "req/s" "p50" "p99" "vs base" "non2xx"
printf '%-44s %10s %8s %8s %7s %6s\n' "baseline echo (fresh ce-id)" "$base_rps" "$base_p50" "$base_p99" "1.00" "$base_err"
printf '%-44s %10s %8s %8s %7s %6s\n' "session check, GET /sessions/current" "$s_rps" "$s_p50" "$s_p99" "$(ratio "$s_rps" "$base_rps")" "$s_err"
printf '%-44s %10s %8s %8s %7s %6s\n' "session check, Funqy POST /session" "$f_rps" "$f_p50" "$f_p99" "$(ratio "$f_rps" "$base_rps")" "$f_err"
printf '%-44s %10s %8s %8s %7s %6s\n' "register-user redelivery (ledger answer)" "$d_rps" "$d_p50" "$d_p99" "$(ratio "$d_rps" "$base_rps")" "$d_err"

# --- registrations against the hash's own rate ---------------------------------------------------
cost="$(awk -F= '/^register-user.bcrypt-cost/ { print $2 }' functions/register-user/src/main/resources/application.properties)"
read -r r_rps r_p50 r_p99 r_err < <(BODY_TEMPLATE="{\"email\":\"bench-{id}@example.com\",\"password\":\"$PASSWORD\"}" \
  CONNECTIONS=8 wrk_run $USER_PORT tests/bench/fresh-id.lua \
  -H 'ce-specversion: 1.0' -H 'ce-source: /bench' -H 'ce-type: com.bookstore.user.register.v1' \
  -H 'Content-Type: application/json')
stop
hash_rate="$(java -cp "functions/register-user/target/test-classes:functions/register-user/target/classes:functions/register-user/target/quarkus-app/lib/main/*" \
  com.bookstore.user.bench.HashRate "$cost" 2 10)"
printf '%-44s %10s %8s %8s %7s %6s\n' "registrations (bcrypt cost $cost)" "$r_rps" "$r_p50" "$r_p99" "" "$r_err"
printf '%-44s %10s %8s %8s %7s\n' "bcrypt alone, 2 threads (hash-only rate)" "$hash_rate" "" "" ""
echo "registrations / hash-only rate: $(ratio "$r_rps" "$hash_rate")"
echo
echo "raw wrk output: $work/wrk.log"
