#!/usr/bin/env bash
# The chaos suite (tests/e2e ChaosTest): the nine functions as separate processes, orders flowing,
# while it SIGKILLs each function, the Kafka broker, restarts PostgreSQL and Redis and rebalances
# two replicas of saga-step and reserve-stock; then checks that every order is final and nothing
# was lost, doubled or dead-lettered for a technical reason. It restarts the local stack's servers:
# run it on its own, not beside other tests. Sets up the stack and builds first (SKIP_BUILD=1 to
# reuse the last build).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash infra/local/stack.sh up
eval "$(bash infra/local/stack.sh env)"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -ntp -DskipTests install
fi
mvn -B -ntp -Pchaos verify -pl tests/e2e -Dtest=ChaosTest -Dsurefire.failIfNoSpecifiedTests=false ${CHAOS_ARGS:-}
