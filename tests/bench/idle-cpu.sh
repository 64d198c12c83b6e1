#!/usr/bin/env bash
# What the functions and the stack cost while nothing happens: starts the nine packaged functions
# (Kafka-direct, environment "idle"), lets them settle, then reads each process's CPU time from
# /proc over a window and prints it in ms of CPU per second, per process and summed. Each variant
# is a label and the JVM options its functions get (the APPS_JVM_OPTS of tests/e2e Apps); the
# variants run one after another in the same run, so their figures compare.
#
#   bash tests/bench/idle-cpu.sh                       (the default variants below)
#   WINDOW=60 SETTLE=20 bash tests/bench/idle-cpu.sh "base=-XX:+UseSerialGC -Xmx256m" ...
#
# Needs the packaged apps (mvn -DskipTests package). Uses the apps' fixed ports: run it alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

WINDOW="${WINDOW:-60}"
SETTLE="${SETTLE:-20}"
base="-XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1"
if [ "$#" -eq 0 ]; then
  set -- "default=$base" "fetch-wait-5s=$base -Dkafka.fetch.max.wait.ms=5000" "default-again=$base"
fi

bash infra/local/stack.sh up >/dev/null
eval "$(bash infra/local/stack.sh env)"
E2E_CP="tests/e2e/target/e2e.jar:tests/e2e/target/lib/*"
work="$BOOKSTORE_STACK_DIR/bench/idle"
mkdir -p "$work"
hz="$(getconf CLK_TCK)"

# cpu_ticks <pid>: utime + stime of the process and its threads so far
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

apps_pid=""
cleanup() {
  if [ -n "$apps_pid" ]; then
    kill "$apps_pid" 2>/dev/null || true
    wait "$apps_pid" 2>/dev/null || true
  fi
  apps_pid=""
}
trap cleanup EXIT

declare -A result
labels=()
for variant in "$@"; do
  label="${variant%%=*}"
  opts="${variant#*=}"
  labels+=("$label")
  echo "== $label: $opts"
  rm -f "$work/ready"
  APPS_JVM_OPTS="$opts" java -cp "$E2E_CP" com.bookstore.e2e.AppsMain --environment idle \
    --ready-file "$work/ready" >"$work/$label.out" 2>&1 &
  apps_pid=$!
  until [ -f "$work/ready" ]; do
    kill -0 "$apps_pid" 2>/dev/null || { cat "$work/$label.out"; exit 1; }
    sleep 0.5
  done
  # function name -> pid, from AppsMain's "== name ready on :port (pid N)" lines
  declare -A pids=()
  while read -r name pid; do pids["$name"]="$pid"; done < <(
    sed -n 's/^== \([a-z-]*\) ready on .*(pid \([0-9]*\)).*/\1 \2/p' "$work/$label.out")
  pids[kafka]="$(cat "$BOOKSTORE_STACK_DIR/kafka/kafka.pid")"
  pids[redis]="$(cat "$BOOKSTORE_STACK_DIR/redis/redis.pid" 2>/dev/null || echo 0)"
  sleep "$SETTLE"
  declare -A before=()
  for n in "${!pids[@]}"; do before["$n"]="$(cpu_ticks "${pids[$n]}")"; done
  start="$(date +%s.%N)"
  sleep "$WINDOW"
  end="$(date +%s.%N)"
  for n in "${!pids[@]}"; do
    after="$(cpu_ticks "${pids[$n]}")"
    result["$label/$n"]="$(awk -v a="$after" -v b="${before[$n]}" -v hz="$hz" -v s="$start" \
      -v e="$end" 'BEGIN { printf "%.1f", (a - b) * 1000 / hz / (e - s) }')"
  done
  names=("${!pids[@]}")
  cleanup
  unset pids before
done

printf '\nidle CPU, ms of CPU per second of wall time (%ss window after %ss settling)\n' \
  "$WINDOW" "$SETTLE"
printf '%-16s' process
for l in "${labels[@]}"; do printf ' %14s' "$l"; done
printf '\n'
mapfile -t sorted < <(printf '%s\n' "${names[@]}" | sort)
declare -A total=()
for n in "${sorted[@]}"; do
  printf '%-16s' "$n"
  for l in "${labels[@]}"; do
    v="${result[$l/$n]:-0}"
    total["$l"]="$(awk -v t="${total[$l]:-0}" -v v="$v" 'BEGIN { print t + v }')"
    printf ' %14s' "$v"
  done
  printf '\n'
done
printf '%-16s' total
for l in "${labels[@]}"; do printf ' %14.1f' "${total[$l]}"; done
printf '\n'
