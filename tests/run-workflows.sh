#!/usr/bin/env bash
# The main job: sets up the local stack (Kafka, Redis, PostgreSQL on loopback), builds the
# functions, starts all ten as packaged apps in Kafka-direct mode (environment "demo") and drives
# the workflows end to end through both ways the product runs: CloudEvents over HTTP (as the
# Knative Broker delivers them) and CloudEvents on the Kafka topic. Prints what happened.
#
#   bash tests/run-workflows.sh            (SKIP_BUILD=1 to reuse the last build)
#   BENCH=1 bash tests/run-workflows.sh    the order saga's benchmark instead of the demo
#
# Exits non-zero when the workload's checks fail.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash infra/local/stack.sh up
eval "$(bash infra/local/stack.sh env)"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== building (tests skipped here; tests/run-tests.sh runs them)"
  mvn -B -q -ntp -DskipTests install
fi

run_dir="$BOOKSTORE_STACK_DIR/functions"
mkdir -p "$run_dir"
E2E_CP="tests/e2e/target/e2e.jar:tests/e2e/target/lib/*"
# The packaged catalog has no admin token of its own (none in the repository): one per run, given to
# the catalog app and to the workload through the environment.
export CATALOG_ADMIN_TOKEN="${CATALOG_ADMIN_TOKEN:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
# Likewise dispatch-courier's: the workload makes the seed couriers of its zones available with it.
export DISPATCH_ADMIN_TOKEN="${DISPATCH_ADMIN_TOKEN:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}"

# All ten functions as packaged apps (tests/e2e Apps): environment "demo" (consumer groups
# <function>-demo, positioned at the end of the topic so older runs' events are not replayed),
# each ready and its consumer group consuming before anything is sent. Logs: $apps_dir.
apps_dir="$BOOKSTORE_STACK_DIR/apps/demo"
apps_pid=""
cleanup() {
  if [ -n "$apps_pid" ]; then
    kill "$apps_pid" 2>/dev/null || true
    wait "$apps_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
echo "== starting the ten functions (environment demo)"
rm -f "$run_dir/apps.ready"
# dispatch-courier gets a pickup limit of 6 s (PT10M by default), so that the couriers who never
# pick up are replaced within the run.
java -cp "$E2E_CP" com.bookstore.e2e.AppsMain --environment demo --ready-file "$run_dir/apps.ready" \
  --set dispatch-courier:dispatch.pickup-time-limit=PT6S \
  >"$run_dir/apps.out" 2>&1 &
apps_pid=$!
until [ -f "$run_dir/apps.ready" ]; do
  if ! kill -0 "$apps_pid" 2>/dev/null; then
    cat "$run_dir/apps.out"
    echo "the functions did not start (logs: $apps_dir)" >&2
    exit 1
  fi
  sleep 0.2
done
cat "$run_dir/apps.out"

if [ "${BENCH:-0}" = 1 ]; then
  show() { printf '\n-- %s\n' "$*"; }
  show "the order saga's benchmark (tests/e2e Workload --bench): happy-path orders at rising rates"
  # shellcheck disable=SC2086
  java -cp "$E2E_CP" com.bookstore.e2e.Workload --bench --environment demo ${BENCH_ARGS:-}
  exit 0
fi

URL=http://127.0.0.1:8081
B="$BOOKSTORE_KAFKA_BOOTSTRAP"
# One topic per event type (infra/local/topics.txt, generated from the routing table).
EVENT_TOPICS="$(awk '$1 ~ /^bookstore\./ { print $1 }' infra/local/topics.txt)"
run_id="$(date +%s)"
password="Correct-Horse-42"

show() { printf '\n-- %s\n' "$*"; }
headers_and_body() { curl -s -D - -o "$run_dir/body" "$@" | grep -i -E '^(HTTP|ce-|content-type)' | tr -d '\r'; cat "$run_dir/body"; echo; }

show "1. register over HTTP, binary-mode CloudEvent (as the Knative Broker delivers it)"
ada_id="demo-$run_id-ada"
headers_and_body -X POST "$URL/" \
  -H 'ce-specversion: 1.0' -H "ce-id: $ada_id" -H 'ce-source: /demo/signup-form' \
  -H 'ce-type: com.bookstore.user.register.v1' -H "ce-partitionkey: ada-$run_id" \
  -H 'Content-Type: application/json' \
  -d "{\"email\":\"ada-$run_id@example.com\",\"password\":\"$password\",\"displayName\":\"Ada\"}"

show "2. the same event delivered again: same answer (same ce-id), no second account"
headers_and_body -X POST "$URL/" \
  -H 'ce-specversion: 1.0' -H "ce-id: $ada_id" -H 'ce-source: /demo/signup-form' \
  -H 'ce-type: com.bookstore.user.register.v1' -H "ce-partitionkey: ada-$run_id" \
  -H 'Content-Type: application/json' \
  -d "{\"email\":\"ada-$run_id@example.com\",\"password\":\"$password\",\"displayName\":\"Ada\"}"

show "3. register over HTTP, structured-mode CloudEvent"
headers_and_body -X POST "$URL/" -H 'Content-Type: application/cloudevents+json' \
  -d "{\"specversion\":\"1.0\",\"id\":\"demo-$run_id-grace\",\"source\":\"/demo/signup-form\",
       \"type\":\"com.bookstore.user.register.v1\",\"datacontenttype\":\"application/json\",
       \"data\":{\"email\":\"grace-$run_id@example.com\",\"password\":\"$password\"}}"

show "4. the same e-mail again (another event): user.registration-rejected, email-taken"
headers_and_body -X POST "$URL/" \
  -H 'ce-specversion: 1.0' -H "ce-id: demo-$run_id-ada-again" -H 'ce-source: /demo/signup-form' \
  -H 'ce-type: com.bookstore.user.register.v1' -H 'Content-Type: application/json' \
  -d "{\"email\":\"ADA-$run_id@example.com\",\"password\":\"$password\"}"

show "5. a bad event (no ce-id, wrong specversion): 400 with a problem body naming the headers"
headers_and_body -X POST "$URL/" \
  -H 'ce-specversion: 0.3' -H 'ce-source: /demo' -H 'ce-type: com.bookstore.user.register.v1' \
  -H 'Content-Type: application/json' -d '{"email":"x@example.com","password":"p"}'

show "6. register from another system onto the command's topic with kcat (binary, ce_ headers)"
linus_id="demo-$run_id-linus"
printf '%s' "{\"email\":\"linus-$run_id@example.com\",\"password\":\"$password\"}" |
  kcat -P -b "$B" -t bookstore.user.register.v1 -k "linus-$run_id" \
    -H ce_specversion=1.0 -H "ce_id=$linus_id" -H ce_source=/demo/partner-system \
    -H ce_type=com.bookstore.user.register.v1 -H content-type=application/json
answer=""
for _ in $(seq 1 100); do
  answer="$(kcat -C -b "$B" -t bookstore.user.registered.v1 -o beginning -e -q -f 'key=%k headers=%h\n%s\n' 2>/dev/null |
    grep -B1 "linus-$run_id@example.com" | grep -A1 'ce_type=com.bookstore.user.registered.v1' || true)"
  [ -n "$answer" ] && break
  sleep 0.1
done
echo "${answer:-no answer on bookstore.user.registered.v1}"

show "7. a record that is not a CloudEvent: dead-lettered with the reason (kcat on bookstore-dead-letter)"
printf '%s' "{\"hello\":\"demo-$run_id\"}" | kcat -P -b "$B" -t bookstore.user.register.v1 -k "junk-$run_id"
dead=""
for _ in $(seq 1 100); do
  dead="$(kcat -C -b "$B" -t bookstore-dead-letter -o beginning -e -q -f '%k %h\n' 2>/dev/null |
    grep "^junk-$run_id " | tr ',' '\n' | grep -E '^dead-letter-(reason|topic|offset|function)=' || true)"
  [ -n "$dead" ] && break
  sleep 0.1
done
echo "${dead:-not dead-lettered}"

show "8. login, session check, logout, session check (plain JSON over Funqy HTTP)"
token="$(curl -s -X POST "$URL/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"ada-$run_id@example.com\",\"password\":\"$password\"}" | jq -r .token)"
echo "login token: ${token:0:8}..."
curl -s -X POST "$URL/session" -H 'Content-Type: application/json' -d "{\"token\":\"$token\"}"; echo
curl -s -X POST "$URL/logout" -H 'Content-Type: application/json' -d "{\"token\":\"$token\"}"; echo
curl -s -X POST "$URL/session" -H 'Content-Type: application/json' -d "{\"token\":\"$token\"}"; echo

show "9. the order saga and the delivery workflow, all ten functions: a workload of orders (tests/e2e Workload)"
# Registers customers, loads the catalog seed, stocks the shelves, places 300 orders at 6/s (most
# paid by card, some declined, slow, never answered, or for nearly sold-out books; a quarter for
# delivery, whose couriers a simulator plays on the couriers' topic: most deliver, some never pick
# up and are replaced, a few fail after pickup, some addresses have no courier), redelivers a
# sample of the run's records, waits for every order's final event and checks the outcome.
workload_rc=0
java -cp "$E2E_CP" com.bookstore.e2e.Workload --environment demo --handoff "$run_dir/handoff" || workload_rc=$?

if [ -s "$run_dir/handoff" ]; then
  # shellcheck disable=SC1091
  source "$run_dir/handoff"
  show "10. one order's history, as place-order tells it: GET /orders/$ORDER_ID"
  curl -s http://127.0.0.1:8085/orders/"$ORDER_ID" -H "Authorization: Bearer $TOKEN" | jq .

  show "11. an order placed by another system with kcat: the order.place command (binary), priced by place-order"
  since=$(( $(date +%s) * 1000 - 1000 ))
  command_id="partner-$run_id"
  customer="${CUSTOMER_ID:-partner-customer}"
  data="{\"customerId\":\"$customer\",\"email\":\"$EMAIL\",\"items\":[{\"isbn\":\"$ISBN\",\"quantity\":1}],\"paymentMethod\":\"tok_visa\"}"
  echo "kcat -P -t bookstore.order.place.v1 -k $customer -H ce_type=com.bookstore.order.place.v1 -H ce_id=$command_id -H ce_source=/demo/partner-shop ..."
  printf '%s' "$data" | kcat -P -b "$B" -t bookstore.order.place.v1 -k "$customer" \
    -H ce_specversion=1.0 -H "ce_id=$command_id" -H ce_source=/demo/partner-shop \
    -H ce_type=com.bookstore.order.place.v1 -H "ce_partitionkey=$customer" \
    -H content-type=application/json
  # The order place-order made of it: its order.placed names the customer and the command's book.
  order=""
  for _ in $(seq 1 150); do
    order="$(kcat -C -b "$B" -t bookstore.order.placed.v1 -o "s@$since" -e -q -f '%k\t%s\n' 2>/dev/null |
      awk -F'\t' -v c="\"customerId\":\"$customer\"" -v i="\"isbn\":\"$ISBN\"" 'index($2, c) && index($2, i) { print $1 }' | tail -1 || true)"
    [ -n "$order" ] && break
    sleep 0.2
  done
  echo "place-order placed it as order ${order:-(none)}"
  # Its events, read back from the topic (from a second before it was sent), in order, up to the
  # customer's notification.
  trail=""
  for _ in $(seq 1 150); do
    trail="$(for t in $EVENT_TOPICS; do kcat -C -b "$B" -t "$t" -o "s@$since" -e -q -f '%k\t%T\t%h\n' 2>/dev/null; done |
      awk -F'\t' -v k="$order" '$1 == k' | sort -t$'\t' -k2,2n |
      sed -E 's/^[^\t]*\t[0-9]+\t.*ce_type=com\.bookstore\.([a-z.-]+)\.v1.*ce_source=([^,]*).*/  \1  (from \2)/;
              s/^[^\t]*\t[0-9]+\t.*ce_source=([^,]*).*ce_type=com\.bookstore\.([a-z.-]+)\.v1.*/  \2  (from \1)/' || true)"
    grep -q -E 'notification\.sent' <<<"$trail" && break
    sleep 0.2
  done
  echo "${trail:-nothing on the event topics for $order}"
  grep -q 'order.confirmed' <<<"$trail" || { echo "the partner's order was not confirmed" >&2; workload_rc=1; }
else
  echo "no confirmed order to show (the workload wrote no hand-off)"
fi

show "summary (PostgreSQL and Redis)"
PGPASSWORD="$BOOKSTORE_PG_PASSWORD" psql -h 127.0.0.1 -p "$BOOKSTORE_PG_PORT" -U "$BOOKSTORE_PG_USER" \
  -d "$BOOKSTORE_PG_DB" -qtAX -c "select 'accounts from this run: ' || count(*) from users.user_account where email like '%-$run_id@example.com'"
echo "idempotency keys held in Redis: $(redis-cli -p "${BOOKSTORE_REDIS_URL##*:}" --scan --pattern 'idem:register-user:*' | wc -l)"
echo "live sessions in Redis: $(redis-cli -p "${BOOKSTORE_REDIS_URL##*:}" --scan --pattern 'session:*' | wc -l)"

exit "$workload_rc"
