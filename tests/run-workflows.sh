#!/usr/bin/env bash
# The main job: sets up the local stack (Kafka, Redis, PostgreSQL on loopback), builds the
# functions, starts them as packaged apps in Kafka-direct mode and drives the workflows end to end
# through both ways the product runs: CloudEvents over HTTP (as the Knative Broker delivers them)
# and CloudEvents on the Kafka topic. Prints what happened.
#
#   bash tests/run-workflows.sh            (SKIP_BUILD=1 to reuse the last build)
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
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# start_function <name> <port>: the packaged app, Kafka-direct mode on, environment "demo".
start_function() {
  local name="$1" port="$2" start
  start=$(date +%s%N)
  BOOKSTORE_ENVIRONMENT=demo java -Dquarkus.http.port="$port" \
    -jar "functions/$name/target/quarkus-app/quarkus-run.jar" >"$run_dir/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    if curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; then
      echo "== $name ready on :$port in $(( ($(date +%s%N) - start) / 1000000 )) ms (log: $run_dir/$name.log)"
      return 0
    fi
    sleep 0.1
  done
  tail -n 40 "$run_dir/$name.log"
  echo "$name did not become ready" >&2
  exit 1
}

start_function register-user 8081
start_function reserve-stock 8082
start_function payment 8083
URL=http://127.0.0.1:8081
B="$BOOKSTORE_KAFKA_BOOTSTRAP"
TOPIC=bookstore-events
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

show "6. register from another system straight onto the Kafka topic with kcat (binary, ce_ headers)"
linus_id="demo-$run_id-linus"
printf '%s' "{\"email\":\"linus-$run_id@example.com\",\"password\":\"$password\"}" |
  kcat -P -b "$B" -t "$TOPIC" -k "linus-$run_id" \
    -H ce_specversion=1.0 -H "ce_id=$linus_id" -H ce_source=/demo/partner-system \
    -H ce_type=com.bookstore.user.register.v1 -H content-type=application/json
answer=""
for _ in $(seq 1 100); do
  answer="$(kcat -C -b "$B" -t "$TOPIC" -o beginning -e -q -f 'key=%k headers=%h\n%s\n' 2>/dev/null |
    grep -B1 "linus-$run_id@example.com" | grep -A1 'ce_type=com.bookstore.user.registered.v1' || true)"
  [ -n "$answer" ] && break
  sleep 0.1
done
echo "${answer:-no answer on $TOPIC}"

show "7. a record that is not a CloudEvent: dead-lettered with the reason (kcat on bookstore-dead-letter)"
printf '%s' "{\"hello\":\"demo-$run_id\"}" | kcat -P -b "$B" -t "$TOPIC" -k "junk-$run_id"
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

# send_command <type> <order> <json>: a binary CloudEvent onto the topic, keyed by the order.
send_command() {
  printf '%s' "$3" | kcat -P -b "$B" -t "$TOPIC" -k "$2" \
    -H ce_specversion=1.0 -H "ce_id=$2-$1" -H ce_source=/demo/saga-by-hand \
    -H "ce_type=com.bookstore.$1.v1" -H "ce_partitionkey=$2" -H content-type=application/json
}
# answers <order> <count>: the answers on the topic for that order (its partition keeps them in order)
answers() {
  local found=""
  for _ in $(seq 1 100); do
    found="$(kcat -C -b "$B" -t "$TOPIC" -o beginning -e -q -f '%k\t%h\t%s\n' 2>/dev/null |
      awk -F'\t' -v k="$1" '$1 == k' | grep -E 'ce_source=/bookstore/functions/' |
      sed -E 's/.*ce_type=com\.bookstore\.([a-z.-]+)\.v1.*\t(.*)/  \1  \2/' || true)"
    [ "$(printf '%s\n' "$found" | grep -c .)" -ge "$2" ] && break
    sleep 0.1
  done
  printf '%s\n' "$found"
}

isbn="978$(printf '%010d' $(( $(date +%s%N) % 10000000000 )))"
curl -s -X POST http://127.0.0.1:8082/restock -H 'Content-Type: application/json' \
  -d "{\"isbn\":\"$isbn\",\"quantity\":3}" >/dev/null

show "9. the order saga's participants, commands sent by hand onto the topic (saga-step comes next)"
order="order-$run_id-paid"
echo "order $order: reserve 2 copies, authorize, commit, capture"
send_command stock.reserve "$order" "{\"orderId\":\"$order\",\"items\":[{\"isbn\":\"$isbn\",\"quantity\":2}]}"
send_command payment.authorize "$order" "{\"orderId\":\"$order\",\"customerId\":\"ada\",\"amount\":{\"cents\":8998,\"currency\":\"EUR\"},\"paymentMethod\":\"tok_visa\"}"
answers "$order" 2 >/dev/null
send_command stock.commit "$order" "{\"orderId\":\"$order\"}"
send_command payment.capture "$order" "{\"orderId\":\"$order\"}"
answers "$order" 4

order="order-$run_id-declined"
echo "order $order: reserve 1 copy, authorize with a declining card, release the stock (compensation)"
send_command stock.reserve "$order" "{\"orderId\":\"$order\",\"items\":[{\"isbn\":\"$isbn\",\"quantity\":1}]}"
send_command payment.authorize "$order" "{\"orderId\":\"$order\",\"customerId\":\"ada\",\"amount\":{\"cents\":4499,\"currency\":\"EUR\"},\"paymentMethod\":\"tok_declined\"}"
answers "$order" 2 >/dev/null
send_command stock.release "$order" "{\"orderId\":\"$order\",\"reason\":\"payment-declined\"}"
answers "$order" 3

order="order-$run_id-too-many"
echo "order $order: reserve 5 copies of a book with 1 left"
send_command stock.reserve "$order" "{\"orderId\":\"$order\",\"items\":[{\"isbn\":\"$isbn\",\"quantity\":5}]}"
answers "$order" 1
echo "stock of $isbn now: $(curl -s -X POST http://127.0.0.1:8082/stock-level -H 'Content-Type: application/json' -d "{\"isbn\":\"$isbn\"}")"

show "summary (PostgreSQL and Redis)"
PGPASSWORD="$BOOKSTORE_PG_PASSWORD" psql -h 127.0.0.1 -p "$BOOKSTORE_PG_PORT" -U "$BOOKSTORE_PG_USER" \
  -d "$BOOKSTORE_PG_DB" -qtAX -c "select 'accounts from this run: ' || count(*) from users.user_account where email like '%-$run_id@example.com'"
echo "idempotency keys held in Redis: $(redis-cli -p "${BOOKSTORE_REDIS_URL##*:}" --scan --pattern 'idem:register-user:*' | wc -l)"
echo "live sessions in Redis: $(redis-cli -p "${BOOKSTORE_REDIS_URL##*:}" --scan --pattern 'session:*' | wc -l)"
