#!/usr/bin/env bash
# The test command: installs and starts the local stack (Kafka, Redis, PostgreSQL on loopback),
# builds everything and runs every test against those real servers. Leaves the stack running for
# the next run unless STOP_STACK=1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash infra/local/stack.sh up
eval "$(bash infra/local/stack.sh env)"
trap '[ "${STOP_STACK:-0}" = 1 ] && bash infra/local/stack.sh down' EXIT

# Chromium, node and playwright-core for saga-step's console browser test
bash tests/browser-setup.sh

mvn -B -ntp ${MAVEN_ARGS:-} install

# The cold-start budget: each function's cold start and RSS as ratios to the empty Funqy function
# measured in the same run (tests/bench/cold-start-budget.properties); about two minutes.
[ "${SKIP_COLD_START_BUDGET:-0}" = 1 ] || bash tests/bench/cold-start-budget.sh
