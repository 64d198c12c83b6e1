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

mvn -B -ntp ${MAVEN_ARGS:-} install
