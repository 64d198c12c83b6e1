#!/usr/bin/env bash
# Benchmark: reserve-stock alone over HTTP (binary CloudEvents on POST /, as the Knative Broker
# delivers them) against the empty Funqy Knative-events function (tests/baseline-function), both
# measured in the same run. Prints figures; asserts nothing.
#
#   bash tests/bench/reserve-stock.sh        (SKIP_BUILD=1 to reuse the last build)
#
# 1. The highest rate of each (wrk, 2 threads, $CONNECTIONS connections, $DURATION, a fresh ce-id
#    per request and a fresh order per reservation, so no answer comes from the idempotency ledger)
#    and their ratio.
# 2. reserve-stock at half its highest rate, with p50/p99. This wrk (4.1) has no --rate, so the load
#    is paced: few connections, each pausing DELAY_MS after every answer (fresh-id.lua's delay()),
#    the pause calibrated by three short runs so that the connections together offer half the highest
#    rate. That is a closed loop with think time: latencies are the service times at that load
#    (no queueing in the client), which is what a constant-rate tool would report while it keeps up.
#
# Every reservation is real: it locks one book's row, checks and takes a copy, inserts the hold and
# answers stock.reserved, in one transaction; requests spread over $BOOKS books with plenty of
# copies. reserve-stock runs on its own database (${BOOKSTORE_PG_DB}_bench, emptied at each run) and
# Redis index ($BENCH_REDIS_DB, flushed), so the holds never reach another run's sweep.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

# shellcheck source=tests/bench/lib.sh
source tests/bench/lib.sh
bench_setup
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -ntp -DskipTests install -pl functions/reserve-stock,tests/baseline-function -am
fi

STOCK_PORT=18092
STOCK_JAR=functions/reserve-stock/target/quarkus-app/quarkus-run.jar
BOOKS="${BOOKS:-32}"
WARMUP="${WARMUP:-5s}"
BENCH_DB="${BOOKSTORE_PG_DB}_bench"
BENCH_REDIS_DB="${BENCH_REDIS_DB:-15}"
trap stop EXIT

sql() { # <database> <sql>
  PGPASSWORD="$BOOKSTORE_PG_PASSWORD" psql -h "$BOOKSTORE_PG_HOST" -p "$BOOKSTORE_PG_PORT" \
    -U "$BOOKSTORE_PG_USER" -d "$1" -qtAX -v ON_ERROR_STOP=1 -c "$2"
}

# cpu_ms <pid...>: CPU time (user + system) these processes have used so far, in ms
cpu_ms() {
  local total=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
  done
  echo $((total * 1000 / $(getconf CLK_TCK)))
}
pg_pids() { pgrep -u postgres -x postgres | tr '\n' ' '; }
redis_pids() { pgrep -x redis-server | tr '\n' ' '; }

reserve_event() { # port id: one reservation of a book nobody stocks (answered stock.rejected)
  curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/" \
    -H 'ce-specversion: 1.0' -H "ce-id: $2" -H 'ce-source: /bench' \
    -H 'ce-type: com.bookstore.stock.reserve.v1' -H 'Content-Type: application/json' \
    -d "{\"orderId\":\"ready-$2\",\"items\":[{\"isbn\":\"9789999999999\",\"quantity\":1}]}"
}

isbns=()
for i in $(seq 1 "$BOOKS"); do isbns+=("$(printf '978%010d' "$((4200000000 + i))")"); done
choices="$(IFS=,; echo "${isbns[*]}")"
RESERVE_HEADERS=(-H 'ce-specversion: 1.0' -H 'ce-source: /bench' -H 'ce-type: com.bookstore.stock.reserve.v1'
  -H 'Content-Type: application/json')
RESERVE_BODY='{"orderId":"bench-{id}","items":[{"isbn":"{choice}","quantity":1}]}'

echo "JVM flags: $JVM_OPTS; wrk: 2 threads, $CONNECTIONS connections, $DURATION per run after a $WARMUP warm-up"
echo

# --- the baseline's highest rate -----------------------------------------------------------------
launch "$BASE_JAR" "$BASE_PORT"
await_status "$BASE_PORT" ping_event 200
DURATION="$WARMUP" BODY_TEMPLATE='{"n":1}' wrk_run "$BASE_PORT" tests/bench/fresh-id.lua "${BASELINE_HEADERS[@]}" >/dev/null
base_cpu0="$(cpu_ms "$pid")"
read -r base_rps base_p50 base_p99 base_err < <(BODY_TEMPLATE='{"n":1}' wrk_run "$BASE_PORT" \
  tests/bench/fresh-id.lua "${BASELINE_HEADERS[@]}")
base_cpu1="$(cpu_ms "$pid")"
stop

# --- reserve-stock: its own database and Redis index, plenty of copies -------------------------------
if [ -z "$(sql "$BOOKSTORE_PG_DB" "select 1 from pg_database where datname = '$BENCH_DB'")" ]; then
  sql "$BOOKSTORE_PG_DB" "create database \"$BENCH_DB\""
fi
redis-cli -p "$BOOKSTORE_REDIS_PORT" -n "$BENCH_REDIS_DB" flushdb >/dev/null
launch "$STOCK_JAR" "$STOCK_PORT" BOOKSTORE_PG_DB="$BENCH_DB" \
  BOOKSTORE_REDIS_URL="redis://127.0.0.1:$BOOKSTORE_REDIS_PORT/$BENCH_REDIS_DB"
await_status "$STOCK_PORT" reserve_event 200
sql "$BENCH_DB" "truncate stock.reservation, stock.stock_level"
for isbn in "${isbns[@]}"; do
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$STOCK_PORT/restock" -H 'Content-Type: application/json' \
    -d "{\"isbn\":\"$isbn\",\"quantity\":100000000}"
done
export BODY_TEMPLATE="$RESERVE_BODY" CHOICES="$choices"
DURATION="$WARMUP" wrk_run "$STOCK_PORT" tests/bench/fresh-id.lua "${RESERVE_HEADERS[@]}" >/dev/null
# Where the time goes: CPU used by the function, PostgreSQL and Redis during the run, per request.
# shellcheck disable=SC2046
cpu0=("$(cpu_ms "$pid")" "$(cpu_ms $(pg_pids))" "$(cpu_ms $(redis_pids))")
read -r rs_rps rs_p50 rs_p99 rs_err < <(wrk_run "$STOCK_PORT" tests/bench/fresh-id.lua "${RESERVE_HEADERS[@]}")
# shellcheck disable=SC2046
cpu1=("$(cpu_ms "$pid")" "$(cpu_ms $(pg_pids))" "$(cpu_ms $(redis_pids))")
requests=$(( rs_rps * ${DURATION%s} ))
per_request() { awk -v a="$1" -v b="$2" -v n="$requests" 'BEGIN { if (n > 0) printf "%.2f", (b - a) / n; else print "n/a" }'; }

# --- reserve-stock at half its highest rate, paced ------------------------------------------------
half=$(( rs_rps / 2 ))
# Connections such that each sends one request every ~20 ms at the target rate (delay() counts in
# whole milliseconds, so a longer interval rounds better).
conns=$(( (half + 25) / 50 )); [ "$conns" -lt 2 ] && conns=2; [ "$conns" -gt 64 ] && conns=64
interval_ms="$(awk -v c="$conns" -v r="$half" 'BEGIN { printf "%.3f", 1000 * c / r }')"
delay="$(awk -v i="$interval_ms" 'BEGIN { d = int(i + 0.5) - 1; if (d < 0) d = 0; print d }')"
# Per connection: interval = pause + service time. Three short runs correct the pause by the error
# in the interval they achieved (the service time at this load is what they measure).
for _ in 1 2 3; do
  read -r cal_rps _ _ _ < <(DELAY_MS="$delay" CONNECTIONS="$conns" DURATION=4s wrk_run "$STOCK_PORT" \
    tests/bench/fresh-id.lua "${RESERVE_HEADERS[@]}")
  delay="$(awk -v c="$conns" -v a="$cal_rps" -v d="$delay" -v i="$interval_ms" \
    'BEGIN { if (a <= 0) { print d; exit } x = int(d + i - 1000 * c / a + 0.5); if (x < 0) x = 0; print x }')"
done
read -r h_rps h_p50 h_p99 h_err < <(DELAY_MS="$delay" CONNECTIONS="$conns" wrk_run "$STOCK_PORT" \
  tests/bench/fresh-id.lua "${RESERVE_HEADERS[@]}")
holds="$(sql "$BENCH_DB" "select count(*) from stock.reservation where status = 'RESERVED'")"
stop

echo
printf '%-52s %10s %8s %8s %7s %6s\n' "load" "req/s" "p50" "p99" "ratio" "non2xx"
printf '%-52s %10s %8s %8s %7s %6s\n' "baseline echo, highest rate" "$base_rps" "$base_p50" "$base_p99" "1.00" "$base_err"
printf '%-52s %10s %8s %8s %7s %6s\n' "reserve-stock stock.reserve, highest rate" "$rs_rps" "$rs_p50" "$rs_p99" \
  "$(ratio "$rs_rps" "$base_rps")" "$rs_err"
printf '%-52s %10s %8s %8s %7s %6s\n' "reserve-stock at half its highest rate (paced)" "$h_rps" "$h_p50" "$h_p99" \
  "" "$h_err"
echo
echo "reserve-stock / baseline at the highest rate: $(ratio "$rs_rps" "$base_rps") (target: at least 0.20)"
echo "reserve-stock p99 at half its highest rate: $(to_ms "$h_p99") ms (target: under 10 ms);" \
  "offered $half/s with $conns connections pausing ${delay} ms after each answer, achieved $h_rps/s"
echo "CPU per event of the baseline at its highest rate: $(awk -v a="$base_cpu0" -v b="$base_cpu1" \
  -v n="$(( base_rps * ${DURATION%s} ))" 'BEGIN { printf "%.3f", (b - a) / n }') ms"
echo "CPU per reservation at the highest rate: reserve-stock $(per_request "${cpu0[0]}" "${cpu1[0]}") ms," \
  "PostgreSQL $(per_request "${cpu0[1]}" "${cpu1[1]}") ms, Redis $(per_request "${cpu0[2]}" "${cpu1[2]}") ms" \
  "(the machine has $(nproc) cores: $(( $(nproc) * 1000 )) ms of CPU per second, wrk included)"
echo "holds in the benchmark's database after the runs: $holds"
echo "raw wrk output: $work/wrk.log"
