#!/usr/bin/env bash
# What tracing costs: the order saga's benchmark (BENCH=1 tests/run-workflows.sh) run twice in one
# go on the same build, first as shipped (no OTLP endpoint: the SDK is off) and then with every
# span exported over OTLP/HTTP to a local sink that accepts and drops them. Prints both runs' CPU
# per order, by function and in all, and the ratio (on over off).
#
#   bash tests/bench/tracing-overhead.sh        (SKIP_BUILD=1 to reuse the last build)
#   RATES=20 HALF=40 bash tests/bench/tracing-overhead.sh
#
# RATES are the benchmark's steps (default 20: one step, then half of it measured); HALF is how
# long the half-rate run lasts, in seconds (its CPU is the figure). Logs: $BOOKSTORE_STACK_DIR/bench/tracing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
RATES="${RATES:-20}"
HALF="${HALF:-40}"

eval "$(bash infra/local/stack.sh env)"
out="$BOOKSTORE_STACK_DIR/bench/tracing"
mkdir -p "$out"

# The sink: OTLP/HTTP's POST /v1/traces answered 200, bodies counted and dropped.
sink_pid=""
cleanup() {
  if [ -n "$sink_pid" ]; then
    kill "$sink_pid" 2>/dev/null || true
    wait "$sink_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
python3 - >"$out/sink.log" 2>&1 <<'PY' &
import http.server, socketserver, sys
class Sink(http.server.BaseHTTPRequestHandler):
    requests = 0
    size = 0
    def do_POST(self):
        n = int(self.headers.get('Content-Length', 0))
        self.rfile.read(n)
        Sink.requests += 1
        Sink.size += n
        self.send_response(200)
        self.send_header('Content-Type', 'application/x-protobuf')
        self.send_header('Content-Length', '0')
        self.end_headers()
        if Sink.requests % 100 == 0:
            print(f"{Sink.requests} exports, {Sink.size} bytes", flush=True)
    def log_message(self, *a):
        pass
server = socketserver.ThreadingTCPServer(('127.0.0.1', 0), Sink)
print(f"port {server.server_address[1]}", flush=True)
server.serve_forever()
PY
sink_pid=$!
until grep -q '^port ' "$out/sink.log" 2>/dev/null; do
  kill -0 "$sink_pid" || { cat "$out/sink.log"; exit 1; }
  sleep 0.1
done
port="$(awk '/^port /{print $2; exit}' "$out/sink.log")"

args="--bench-rates $RATES --bench-half $HALF"
echo "== tracing off (as shipped): BENCH=1 BENCH_ARGS='$args'"
# the first run builds (unless SKIP_BUILD=1) and brings the stack up; the second reuses both
SKIP_BUILD="${SKIP_BUILD:-0}" BENCH=1 BENCH_ARGS="$args" bash tests/run-workflows.sh >"$out/off.log" 2>&1
echo "== tracing on, exporting to 127.0.0.1:$port"
QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="http://127.0.0.1:$port" \
  QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf \
  SKIP_BUILD=1 BENCH=1 BENCH_ARGS="$args" bash tests/run-workflows.sh >"$out/on.log" 2>&1

# The half-rate run's CPU line: "name 12.3 ms, name 4.5 ms, ..." after "CPU while the orders ran".
cpu_of() { awk '/CPU while the orders ran/ { getline; line = $0 } END { print line }' "$1"; }
# summed over every process but the load generator (workload)
total_of() {
  cpu_of "$1" | tr ',' '\n' | grep -v workload | grep -o '[0-9.]* ms' |
    awk '{ s += $1 } END { printf "%.1f", s }'
}
for run in off on; do
  echo "-- tracing $run"
  grep -E 'highest sustained|placed->confirmed|^ +p99' "$out/$run.log" || true
  echo "  CPU per order: $(cpu_of "$out/$run.log")"
  echo "  in all but the load generator: $(total_of "$out/$run.log") ms"
done
off="$(total_of "$out/off.log")"
on="$(total_of "$out/on.log")"
echo "== CPU per order with tracing on / off: $(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.2fx (%s ms / %s ms)", a / b, a, b }')"
echo "   spans exported: $(tail -1 "$out/sink.log")"
