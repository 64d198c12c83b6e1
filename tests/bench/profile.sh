#!/usr/bin/env bash
# Where each function's CPU goes under the order saga's benchmark: runs `BENCH=1
# tests/run-workflows.sh` with async-profiler (tools.profiler:async-profiler from Maven Central,
# fetched here) attached to every function's JVM, then prints, per function, the share of its CPU
# samples spent in each part of the event path (inclusive: a sample counts for every part on its
# stack) and its hottest leaf frames. The collapsed stacks stay in $BOOKSTORE_STACK_DIR/profiles.
#
#   bash tests/bench/profile.sh                 (BENCH_ARGS are passed to the Workload, e.g.
#   BENCH_ARGS="--bench-rates 50,100 --bench-step 20" bash tests/bench/profile.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

bash infra/local/stack.sh up
eval "$(bash infra/local/stack.sh env)"

version=4.1
jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
if [ ! -f "$jar" ]; then
  mvn -B -q -ntp dependency:get -Dartifact="tools.profiler:async-profiler:$version" >/dev/null
fi
lib_dir="$BOOKSTORE_STACK_DIR/async-profiler"
mkdir -p "$lib_dir"
unzip -o -q "$jar" 'linux-x64/libasyncProfiler.so' -d "$lib_dir"
out="$BOOKSTORE_STACK_DIR/profiles"
rm -rf "$out"
mkdir -p "$out"

# itimer needs no perf_events (often not allowed in containers). The profiler is attached to each
# function's running JVM (jcmd JVMTI.agent_load) once the benchmark's warm-up is over (its steps'
# table header), so start-up and the first JIT compilations are not in the samples.
# PROFILE_FROM_START=1 loads it with the JVM instead, start-up included (it then writes its profile
# when the JVM exits).
lib="$lib_dir/linux-x64/libasyncProfiler.so"
apps_out="$BOOKSTORE_STACK_DIR/functions/apps.out"
bench_out="$out/bench.out"
agent_opts="start,event=itimer,interval=2ms,collapsed"
if [ "${PROFILE_FROM_START:-0}" = 1 ]; then
  agent="-agentpath:$lib=$agent_opts,file=$out/%p.collapsed"
else
  agent=""
fi
export APPS_JVM_OPTS="-XX:+UseSerialGC -Xmx256m ${APPS_JVM_TIERS:--XX:TieredStopAtLevel=1} $agent"

# "<function> <pid>" for each "== <function> ready on :<port> (pid <pid>)" line of the launcher
app_pids() { sed -n 's/^== \([a-z-]*\) ready on .*(pid \([0-9]*\)).*/\1 \2/p' "$apps_out"; }

# agent_load <pid> <options>: runs the profiler's action in the JVM. The options go quoted: jcmd
# would read their "=" as its own key=value arguments.
agent_load() { jcmd "$1" JVMTI.agent_load "$lib" "\"$2,file=$out/$1.collapsed\"" >/dev/null 2>&1; }

attach_after_warm_up() {
  until grep -q '^ *offered *placed/s' "$bench_out" 2>/dev/null; do
    grep -q '^== benchmark results' "$bench_out" 2>/dev/null && return 0
    sleep 1
  done
  app_pids | while read -r name pid; do
    agent_load "$pid" "$agent_opts" || echo "profile.sh: could not attach to $name (pid $pid)" >&2
  done
  echo "profile.sh: async-profiler attached to the functions after the warm-up"
  # A profiler attached at run time does not write its file when the JVM is stopped: each profile
  # (cumulative) is dumped every few seconds, the last one after the benchmark's results.
  while :; do
    sleep 5
    app_pids | while read -r name pid; do agent_load "$pid" "dump,collapsed" || true; done
    grep -q '^== benchmark results' "$bench_out" 2>/dev/null && return 0
  done
}
rm -f "$bench_out"
watcher=""
if [ -z "$agent" ]; then
  attach_after_warm_up &
  watcher=$!
fi
BENCH=1 bash tests/run-workflows.sh | tee "$bench_out"
[ -z "$watcher" ] || wait "$watcher" || true

# The launcher printed "== <function> ready on :<port> (pid <pid>)": map each profile to its function.
printf '\n== where the CPU goes, per function (share of its samples; parts overlap)\n'
for f in "$out"/*.collapsed; do
  pid="$(basename "$f" .collapsed)"
  name="$(awk -v p="(pid $pid)" 'index($0, p) { print $2 }' "$apps_out" | head -1)"
  [ -n "$name" ] || name="pid $pid"
  awk -v name="$name" '
    BEGIN {
      parts = split("KafkaConsumer.poll|KafkaProducer|IdempotencyLedger|EventSchemas|CloudEventCodec|" \
        "com/fasterxml/jackson|io/vertx/pgclient|io/vertx/redis|org/hibernate|io/grpc|" \
        "io/smallrye/reactive/messaging|io/netty|KafkaDirect.handle|Compile|GC", pat, "|")
    }
    {
      n = $NF; total += n
      for (i = 1; i <= parts; i++) if (index($0, pat[i])) sum[i] += n
    }
    END {
      if (total == 0) exit
      printf "%-14s %6d samples:", name, total
      for (i = 1; i <= parts; i++) if (sum[i] > 0) printf " %s %.0f%%", pat[i], 100 * sum[i] / total
      printf "\n"
    }' "$f"
  printf '    hottest leaves:'
  awk '{ n = $NF; total += n; k = split($0, fr, ";"); leaf = fr[k]; sub(/ [0-9]+$/, "", leaf); self[leaf] += n }
       END { for (l in self) printf "%d\t%s\n", self[l], l; print total "\tTOTAL" }' "$f" |
    sort -rn | awk -F'\t' 'NR == 1 { total = $1; next } NR <= 7 { printf " %s %.1f%%;", $2, 100 * $1 / total }'
  printf '\n'
done
