# The events each function takes, for the AOT training run (infra/aot/train.sh) and the cold-start
# benchmarks (tests/bench/cold-start.sh, tests/bench/cold-start-budget.sh). Sourced, not run.
#
# One line per event: function, then ce-type, then the data with {id} where a fresh id goes (wrk's
# tests/bench/fresh-id.lua and send_event below fill it). A function's first line is "its own
# event": what the cold-start figures wait for. Each event is one the function answers 200 on its
# own, with no other function running (an order id nobody knows is a new saga, a compensation of
# nothing, a rejected assignment): the figures then time one function and its own servers. The data
# follows the valid examples under schemas/examples. The answer is 200 with the reply event, or
# 202 where the function takes a fact and replies nothing (place-order). Two functions take no event of their own:
# catalog (HTTP and gRPC only: its first answer is a search) and saga-timeouts (a PingSource ping).
# place-order takes order.place too, but pricing it needs the catalog's gRPC; it takes its orders'
# facts on its own.
FUNCTION_EVENTS="$(cat <<'EOF'
baseline-function com.bookstore.bench.ping.v1 {"n":1}
register-user com.bookstore.user.register.v1 {"email":"aot-{id}@example.com","password":"Correct-Horse-42"}
reserve-stock com.bookstore.stock.reserve.v1 {"orderId":"aot-{id}","items":[{"isbn":"9780134685991","quantity":1}]}
reserve-stock com.bookstore.stock.release.v1 {"orderId":"aot-{id}","reason":"payment-declined"}
reserve-stock com.bookstore.stock.commit.v1 {"orderId":"aot-{id}"}
payment com.bookstore.payment.authorize.v1 {"orderId":"aot-{id}","customerId":"user-1","amount":{"cents":4599,"currency":"EUR"},"paymentMethod":"tok_visa"}
payment com.bookstore.payment.capture.v1 {"orderId":"aot-{id}"}
payment com.bookstore.payment.refund.v1 {"orderId":"aot-{id}","reason":"out-of-stock"}
catalog GET /books?q=dragon&limit=3
place-order com.bookstore.stock.reserved.v1 {"orderId":"aot-{id}","items":[{"isbn":"9780134685991","quantity":1}],"expiresAt":"2026-11-22T18:15:00Z"}
place-order com.bookstore.payment.authorized.v1 {"orderId":"aot-{id}","authorizationId":"auth-{id}","amount":{"cents":4599,"currency":"EUR"}}
saga-step com.bookstore.order.placed.v1 {"orderId":"aot-{id}","customerId":"user-1","email":"ada@example.com","items":[{"isbn":"9780134685991","quantity":1,"unitPrice":{"cents":4599,"currency":"EUR"}}],"total":{"cents":4599,"currency":"EUR"},"paymentMethod":"tok_visa","placedAt":"2026-11-22T18:00:00Z"}
saga-step com.bookstore.stock.reserved.v1 {"orderId":"aot-{id}","items":[{"isbn":"9780134685991","quantity":1}],"expiresAt":"2026-11-22T18:15:00Z"}
compensate com.bookstore.saga.failed.v1 {"sagaId":"aot-{id}","saga":"order","step":"reserve-stock","reason":"out-of-stock"}
compensate com.bookstore.stock.released.v1 {"orderId":"aot-{id}","items":[]}
notify com.bookstore.order.confirmed.v1 {"orderId":"aot-{id}","customerId":"user-1","email":"ada@example.com","total":{"cents":4599,"currency":"EUR"},"confirmedAt":"2026-11-22T18:00:02Z"}
notify com.bookstore.order.cancelled.v1 {"orderId":"aot-{id}","customerId":"user-1","email":"ada@example.com","total":{"cents":4599,"currency":"EUR"},"reason":"out-of-stock","cancelledAt":"2026-11-22T18:00:03Z"}
saga-timeouts dev.knative.sources.ping {"sweep":"due"}
dispatch-courier com.bookstore.delivery.assign.v1 {"orderId":"aot-{id}","customerId":"user-1","email":"ada@example.com","address":{"street":"12 rue de la Paix","city":"Paris","postcode":"75002","zone":"75"}}
dispatch-courier com.bookstore.delivery.cancel.v1 {"orderId":"aot-{id}","reason":"out-of-stock"}
EOF
)"

# The ten functions, in the order of tests/e2e App.BOOKSTORE.
BOOKSTORE_FUNCTIONS=(register-user reserve-stock payment catalog place-order saga-step compensate notify
  saga-timeouts dispatch-courier)

# function_events <function>: its lines ("type data"), its own event first.
function_events() {
  awk -v f="$1" '$1 == f { sub(/^[^ ]+ /, ""); print }' <<<"$FUNCTION_EVENTS"
}

# send_event <port> <type> <data template> [id]: one binary-mode CloudEvent (or, for a "GET" line,
# that request) with a fresh id; prints the HTTP status.
send_event() {
  local port="$1" type="$2" template="$3" id="${4:-aot-$$-$RANDOM-$(date +%s%N)}"
  if [ "$type" = GET ]; then
    curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$template"
    return
  fi
  curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/" \
    -H 'ce-specversion: 1.0' -H "ce-id: $id" -H 'ce-source: /bench' -H "ce-type: $type" \
    -H "ce-partitionkey: $id" -H 'Content-Type: application/json' -d "${template//\{id\}/$id}"
}

# own_event <function> <port> [id]: the function's own event (its first line); prints the status.
own_event() {
  local line
  line="$(function_events "$1" | head -1)"
  send_event "$2" "${line%% *}" "${line#* }" "${3:-}"
}
