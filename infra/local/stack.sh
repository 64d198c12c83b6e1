#!/usr/bin/env bash
# The local stack for development, tests and CI: a real Kafka broker (KRaft, one node), Redis,
# PostgreSQL, an SMTP server (GreenMail) and Prometheus (scraping the functions' /q/metrics) on
# loopback (127.0.0.1 only), without Docker or systemd.
# Installs what is missing (Debian packages; Kafka's and GreenMail's jars from Maven Central), waits
# until each server really answers, creates the topics (topics.txt) and the databases, is safe to
# run again, and stops by PID.
#
#   infra/local/stack.sh up | down | status | env | reset | kafka-classpath | mail-count ADDRESS
#
#   up               install what is missing, start what is not running, wait, create topics/databases
#   down             stop the servers (SIGTERM by PID, SIGKILL after 20 s), remove the pid files
#   status           one line per server: running/stopped, pid, port
#   env              `export VAR=value` lines: eval "$(infra/local/stack.sh env)"
#   reset            down, then delete the data folder (BOOKSTORE_STACK_DIR)
#   kafka-classpath  the Kafka jars as a classpath, to run Kafka's own tools
#   mail-count ADDRESS  how many e-mails the SMTP server has received for ADDRESS (0 if none)
#   kill NAME        SIGKILL one server by its PID (kafka, redis, greenmail, prometheus), as a
#                    crash would; postgres gets its own "immediate" shutdown (SIGQUIT: no
#                    checkpoint, crash recovery at the next start). 'up' starts it again. For
#                    fault-injection tests.
#   stop NAME [fast|immediate]  stop one server (SIGTERM; postgres: fast = SIGINT, the default,
#                    or immediate = SIGQUIT); 'up' starts it again
#
# Settings (environment, with defaults): BOOKSTORE_KAFKA_PORT (19092),
# BOOKSTORE_KAFKA_CONTROLLER_PORT (19093), BOOKSTORE_REDIS_PORT (16379), BOOKSTORE_PG_PORT (15432),
# BOOKSTORE_SMTP_PORT (13025), BOOKSTORE_MAIL_API_PORT (13080: the SMTP server's REST API),
# BOOKSTORE_PROMETHEUS_PORT (19090: Prometheus, its UI and API),
# BOOKSTORE_PG_DB (bookstore; tests use ${BOOKSTORE_PG_DB}_test too), BOOKSTORE_PG_USER (bookstore),
# BOOKSTORE_PG_PASSWORD (bookstore-local: a development credential for this loopback-only server),
# BOOKSTORE_STACK_DIR (infra/local/.run in this checkout: data, logs and pid files).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$HERE/../.." && pwd -P)"

KAFKA_PORT="${BOOKSTORE_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${BOOKSTORE_KAFKA_CONTROLLER_PORT:-19093}"
REDIS_PORT="${BOOKSTORE_REDIS_PORT:-16379}"
PG_PORT="${BOOKSTORE_PG_PORT:-15432}"
SMTP_PORT="${BOOKSTORE_SMTP_PORT:-13025}"
MAIL_API_PORT="${BOOKSTORE_MAIL_API_PORT:-13080}"
PROMETHEUS_PORT="${BOOKSTORE_PROMETHEUS_PORT:-19090}"
PG_DB="${BOOKSTORE_PG_DB:-bookstore}"
PG_USER="${BOOKSTORE_PG_USER:-bookstore}"
PG_PASSWORD="${BOOKSTORE_PG_PASSWORD:-bookstore-local}"
STACK_DIR="${BOOKSTORE_STACK_DIR:-$REPO_ROOT/infra/local/.run}"

for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$REDIS_PORT" "$PG_PORT" "$SMTP_PORT" "$MAIL_API_PORT" \
  "$PROMETHEUS_PORT"; do
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] \
    || { echo "stack: not a port number: '$port'" >&2; exit 2; }
done
case "$STACK_DIR" in /*) ;; *) STACK_DIR="$PWD/$STACK_DIR" ;; esac
# The servers are recognised by their real paths (/proc/PID/cwd, cmdline): resolve symlinks.
[ -d "$STACK_DIR" ] && STACK_DIR="$(cd "$STACK_DIR" && pwd -P)"

set_dirs() {
  KAFKA_DIR="$STACK_DIR/kafka"
  REDIS_DIR="$STACK_DIR/redis"
  PG_DIR="$STACK_DIR/postgres"
  GREENMAIL_DIR="$STACK_DIR/greenmail"
  PROMETHEUS_DIR="$STACK_DIR/prometheus"
}
set_dirs

export DEBIAN_FRONTEND=noninteractive

say() { printf '%s\n' "$*" >&2; }
die() { say "stack: $*"; exit 1; }
# fail MESSAGE LOG...: the last lines of each log, then the message, exit 1
fail() {
  local msg="$1" f
  shift
  for f in "$@"; do
    [ -s "$f" ] || continue
    say "---- last lines of $f"
    tail -n 25 "$f" >&2 || true
  done
  die "$msg"
}
now_us() { local t="${EPOCHREALTIME/[.,]/}"; printf '%s' "$t"; }
since() { local d=$((($(now_us) - $1) / 100000)); printf '%d.%d' $((d / 10)) $((d % 10)); }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
is_root() { [ "$(id -u)" = 0 ]; }

# ---------------------------------------------------------------------------------------------
# Installation: Debian packages (apt, only what is missing) and Kafka's jars (Maven Central)

# The newest installed PostgreSQL server (Debian: /usr/lib/postgresql/<version>/bin).
pg_newest_bin() {
  local f best=""
  for f in /usr/lib/postgresql/*/bin/initdb; do
    [ -x "$f" ] || continue
    if [ -z "$best" ] || [ "$(printf '%s\n%s\n' "$best" "$f" | sort -V | tail -n 1)" = "$f" ]; then
      best="$f"
    fi
  done
  [ -n "$best" ] && dirname "$best"
}

install_missing() {
  local want=()
  command -v redis-server >/dev/null || want+=(redis-server)
  command -v redis-cli >/dev/null || want+=(redis-tools)
  if [ -z "$(pg_newest_bin || true)" ] || ! id -u postgres >/dev/null 2>&1; then
    want+=(postgresql)
  fi
  command -v psql >/dev/null || want+=(postgresql-client)
  # Debian's prometheus package has promtool too.
  { command -v prometheus && command -v promtool; } >/dev/null || want+=(prometheus)
  local cmd
  for cmd in kcat wrk curl jq; do
    command -v "$cmd" >/dev/null || want+=("$cmd")
  done
  [ ${#want[@]} -eq 0 ] && return 0

  is_root || die "missing: ${want[*]}; install them (apt-get install ${want[*]}) or run as root"
  local start log="$STACK_DIR/apt.log"
  start="$(now_us)"
  say "install: ${want[*]} (apt)"
  # Debian's postinst scripts start their own redis/postgres/prometheus services (default ports
  # 6379/5432/9090, not ours); a policy-rc.d that says 101 keeps them from starting at all during
  # the install.
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# temporary, from infra/local/stack.sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  {
    apt-get -q update &&
      apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends "${want[@]}"
  } >"$log" 2>&1 || fail "install failed: ${want[*]}" "$log"
  if [ "$own_policy" = 1 ]; then
    rm -f "$policy"
    trap - EXIT
  fi
  # In case a service was started anyway (tolerate anything: there may be no init system).
  case " ${want[*]} " in *" redis-server "*) service redis-server stop >/dev/null 2>&1 || true ;; esac
  case " ${want[*]} " in *" postgresql "*) service postgresql stop >/dev/null 2>&1 || true ;; esac
  case " ${want[*]} " in *" prometheus "*) service prometheus stop >/dev/null 2>&1 || true ;; esac
  [ -n "$(pg_newest_bin || true)" ] || die "PostgreSQL server binaries still missing after the install"
  say "install: done ($(since "$start") s)"
}

# maven_libs NAME: the jars of infra/local/NAME/pom.xml in $STACK_DIR/NAME/libs, fetched from
# Maven Central when missing or when that pom changed (kafka: the broker; greenmail: the SMTP server).
maven_libs() {
  local name="$1" dir="$STACK_DIR/$1" want have="" log start
  log="$dir/mvn.log"
  want="$(sha256sum "$HERE/$name/pom.xml")"
  want="${want%% *}"
  [ -f "$dir/libs/.pom.sha256" ] && have="$(<"$dir/libs/.pom.sha256")"
  [ "$have" = "$want" ] && return 0
  if [ -d "$dir/libs" ] && server_pid "$name" >/dev/null; then
    # Never swap the jars under a running server. (No marker at all: jars fetched by an older
    # stack.sh; they are refreshed at the next start.)
    [ -f "$dir/libs/.pom.sha256" ] \
      && say "$name: infra/local/$name/pom.xml changed; run 'down' then 'up' to use the new jars"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (Maven is needed to fetch the $name jars)"
  start="$(now_us)"
  say "$name: fetching the jars from Maven Central (infra/local/$name/pom.xml)"
  mkdir -p "$dir"
  rm -rf "$dir/libs.tmp"
  mvn -q -B -ntp -Dstyle.color=never -f "$HERE/$name/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$dir/libs.tmp" >"$log" 2>&1 \
    || fail "$name: cannot fetch the $name jars (mvn)" "$log"
  printf '%s\n' "$want" >"$dir/libs.tmp/.pom.sha256"
  rm -rf "$dir/libs"
  mv "$dir/libs.tmp" "$dir/libs"
  say "$name: $(find "$dir/libs" -name '*.jar' | wc -l) jars in $dir/libs ($(since "$start") s)"
}
kafka_libs() { maven_libs kafka; }
greenmail_libs() { maven_libs greenmail; }

# ---------------------------------------------------------------------------------------------
# Processes. A server is ours when its PID is alive AND it runs from our folder, so a stale pid
# file (dead process, or a PID reused by something else) is never mistaken for a running server.

comm_of() { local c; { read -r c <"/proc/$1/comm"; } 2>/dev/null && printf '%s' "$c"; }

# pid_alive PID: the process exists and is not a zombie (an exited server waits, as a zombie,
# until the init process reaps it, and that may take a while).
pid_alive() {
  local stat
  kill -0 "$1" 2>/dev/null || return 1
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ -n "$stat" ] && [ "${stat:0:1}" != Z ]
}

is_kafka() {
  local cmdline
  [ "$(comm_of "$1")" = java ] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"kafka.Kafka $KAFKA_DIR/server.properties"* ]]
}
# redis-server --dir and postgres -D both chdir into their folder.
is_redis() { [ "$(comm_of "$1")" = redis-server ] && [ "$(readlink "/proc/$1/cwd" 2>/dev/null)" = "$REDIS_DIR" ]; }
is_postgres() { [ "$(comm_of "$1")" = postgres ] && [ "$(readlink "/proc/$1/cwd" 2>/dev/null)" = "$PG_DIR/data" ]; }
is_greenmail() {
  local cmdline
  [ "$(comm_of "$1")" = java ] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"-cp $GREENMAIL_DIR/libs/* com.icegreen.greenmail.standalone.GreenMailStandaloneRunner"* ]]
}
is_prometheus() {
  local cmdline
  [ "$(comm_of "$1")" = prometheus ] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *" --config.file=$PROMETHEUS_DIR/prometheus.yml "* ]]
}

pidfile_of() {
  case "$1" in
    kafka) printf '%s' "$KAFKA_DIR/kafka.pid" ;;
    redis) printf '%s' "$REDIS_DIR/redis.pid" ;;
    postgres) printf '%s' "$PG_DIR/data/postmaster.pid" ;; # written by postgres itself
    greenmail) printf '%s' "$GREENMAIL_DIR/greenmail.pid" ;;
    prometheus) printf '%s' "$PROMETHEUS_DIR/prometheus.pid" ;;
  esac
}

# server_pid NAME: prints the PID of our running server NAME; fails when it does not run.
server_pid() {
  local name="$1" pidfile pid="" d
  pidfile="$(pidfile_of "$name")"
  if [ -f "$pidfile" ]; then
    { read -r pid || true; } 2>/dev/null <"$pidfile"
    if [[ "$pid" =~ ^[0-9]+$ ]] && "is_$name" "$pid"; then
      printf '%s' "$pid"
      return 0
    fi
  fi
  # A lost pid file: look for the process itself (the postmaster always has its pid file).
  [ "$name" = postgres ] && return 1
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    if "is_$name" "$pid"; then
      printf '%s' "$pid"
      return 0
    fi
  done
  return 1
}
kafka_pid() { server_pid kafka; }

# stop_server NAME SIGNAL: signal, wait up to 20 s, then SIGKILL; removes the pid file.
stop_server() {
  local name="$1" sig="$2" pidfile pid start
  pidfile="$(pidfile_of "$name")"
  if ! pid="$(server_pid "$name")"; then
    [ -f "$pidfile" ] && { rm -f "$pidfile"; say "$name: not running (stale pid file removed)"; }
    return 0
  fi
  start="$(now_us)"
  kill "-$sig" "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 200; i++)); do
    pid_alive "$pid" || break
    sleep 0.1
  done
  if pid_alive "$pid" && [ "$name" = postgres ]; then
    # PostgreSQL's own "immediate" shutdown (SIGQUIT) ends its children too; SIGKILL is last.
    say "$name: still running after 20 s, immediate shutdown"
    kill -QUIT "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      pid_alive "$pid" || break
      sleep 0.1
    done
  fi
  if pid_alive "$pid"; then
    say "$name: still running after 20 s, SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      pid_alive "$pid" || break
      sleep 0.1
    done
  fi
  rm -f "$pidfile"
  say "$name: stopped (pid $pid, $(since "$start") s)"
}

# Who listens on a port, for messages (ss may be missing: then nothing).
port_owner() {
  command -v ss >/dev/null || return 0
  local owner
  owner="$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(.*)' | head -n 1 || true)"
  [ -n "$owner" ] && printf ' %s' "$owner"
  return 0
}

# A port held by a server that is not ours, but answers as ours would: typically the stack of
# another checkout of this repository on the same machine (CI runs in a fresh clone while the
# developer's stack runs). It is used as it is; 'down' here leaves it alone.
foreign() {
  say "$1: 127.0.0.1:$2 is already served by another process$(port_owner "$2"), which answers: using it ('down' here leaves it alone)"
}

# ---------------------------------------------------------------------------------------------
# Kafka 4.1 in KRaft mode: one process is broker and controller (static voter set, node 1).

kafka_java() {
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2-tools.properties" -cp "$KAFKA_DIR/libs/*" "$@"
}

kafka_answers() { kcat -L -J -b "127.0.0.1:$KAFKA_PORT" -m "${1:-2}" >/dev/null 2>&1; }

kafka_config() {
  mkdir -p "$KAFKA_DIR/data"
  cat >"$KAFKA_DIR/server.properties" <<EOF
# Written by infra/local/stack.sh on each start: edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DIR/data
# One node: every replication factor and min.isr is 1.
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Topics come from infra/local/topics.txt only.
auto.create.topics.enable=false
log.segment.bytes=67108864
EOF
  cat >"$KAFKA_DIR/log4j2.properties" <<EOF
# Written by infra/local/stack.sh: the broker's log, $KAFKA_DIR/kafka.log (20 MB x 3).
appender.file.type=RollingFile
appender.file.name=file
appender.file.fileName=$KAFKA_DIR/kafka.log
appender.file.filePattern=$KAFKA_DIR/kafka.log.%i
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
appender.file.policies.type=Policies
appender.file.policies.size.type=SizeBasedTriggeringPolicy
appender.file.policies.size.size=20MB
appender.file.strategy.type=DefaultRolloverStrategy
appender.file.strategy.max=3
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
logger.storage.name=org.apache.kafka.storage.internals.log
logger.storage.level=WARN
logger.log.name=kafka.log
logger.log.level=WARN
logger.request.name=kafka.request.logger
logger.request.level=WARN
logger.state.name=state.change.logger
logger.state.level=WARN
EOF
  cat >"$KAFKA_DIR/log4j2-tools.properties" <<EOF
# Written by infra/local/stack.sh: Kafka's command-line tools log errors only, to stderr.
appender.err.type=Console
appender.err.name=err
appender.err.target=SYSTEM_ERR
appender.err.layout.type=PatternLayout
appender.err.layout.pattern=%p %m%n
rootLogger.level=ERROR
rootLogger.appenderRef.err.ref=err
EOF
}

# A cluster id as Kafka's Uuid.randomUuid() makes them: 16 random bytes, base64url, no padding,
# never starting with '-'.
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [ "${id:0:1}" != - ] && { printf '%s' "$id"; return 0; }
  done
}

KAFKA_LAUNCHED=""
KAFKA_START=""
KAFKA_FOREIGN=0

# kafka_start: starts the broker unless it runs (does not wait: see kafka_ready).
kafka_start() {
  local pid
  if pid="$(kafka_pid)"; then
    printf '%s\n' "$pid" >"$KAFKA_DIR/kafka.pid"
    return 0
  fi
  rm -f "$KAFKA_DIR/kafka.pid"
  if port_open "$KAFKA_PORT" && kafka_answers 5; then
    KAFKA_FOREIGN=1
    foreign kafka "$KAFKA_PORT"
    return 0
  fi
  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    port_open "$port" && die "kafka: port $port is taken by another process$(port_owner "$port")" \
      "(BOOKSTORE_KAFKA_PORT / BOOKSTORE_KAFKA_CONTROLLER_PORT choose others)"
  done
  kafka_config
  if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    # Formatted once; the cluster id is kept in the data folder (kafka/cluster.id and
    # data/meta.properties). Static voters (controller.quorum.voters) need no --standalone.
    local cluster_id start
    start="$(now_us)"
    [ -s "$KAFKA_DIR/cluster.id" ] || new_cluster_id >"$KAFKA_DIR/cluster.id"
    cluster_id="$(<"$KAFKA_DIR/cluster.id")"
    kafka_java kafka.tools.StorageTool format --cluster-id "$cluster_id" \
      --config "$KAFKA_DIR/server.properties" >"$KAFKA_DIR/format.log" 2>&1 \
      || fail "kafka: storage format failed" "$KAFKA_DIR/format.log"
    say "kafka: storage formatted, cluster id $cluster_id ($(since "$start") s)"
  fi
  KAFKA_START="$(now_us)"
  # setsid: its own session, so that nothing that ends the caller's process group ends Kafka.
  (
    cd "$KAFKA_DIR"
    # the servers must not inherit the stack's lock (9), nor a caller's (flock FILE CMD: 3)
    exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
    exec setsid java -Xms512m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
      -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" \
      -cp "$KAFKA_DIR/libs/*" kafka.Kafka "$KAFKA_DIR/server.properties" \
      </dev/null >"$KAFKA_DIR/stdout.log" 2>&1
  ) &
  KAFKA_LAUNCHED=$!
  printf '%s\n' "$KAFKA_LAUNCHED" >"$KAFKA_DIR/kafka.pid"
}

# kafka_ready: waits (60 s at most) until the broker answers a metadata request.
kafka_ready() {
  local i pid
  [ "$KAFKA_FOREIGN" = 1 ] && return 0
  if [ -z "$KAFKA_LAUNCHED" ]; then
    pid="$(kafka_pid)" || die "kafka: not running"
    kafka_answers 30 || fail "kafka: running (pid $pid) but not answering on 127.0.0.1:$KAFKA_PORT" \
      "$KAFKA_DIR/kafka.log"
    say "kafka: running (pid $pid) on 127.0.0.1:$KAFKA_PORT"
    return 0
  fi
  for ((i = 0; i < 600; i++)); do
    if ! pid_alive "$KAFKA_LAUNCHED" && ! kafka_pid >/dev/null; then
      rm -f "$KAFKA_DIR/kafka.pid"
      fail "kafka: exited during start-up" "$KAFKA_DIR/stdout.log" "$KAFKA_DIR/kafka.log"
    fi
    if port_open "$KAFKA_PORT" && kafka_answers 2; then
      pid="$(kafka_pid)" || pid="$KAFKA_LAUNCHED"
      printf '%s\n' "$pid" >"$KAFKA_DIR/kafka.pid"
      say "kafka: ready on 127.0.0.1:$KAFKA_PORT, pid $pid ($(since "$KAFKA_START") s)"
      return 0
    fi
    sleep 0.1
  done
  fail "kafka: not answering on 127.0.0.1:$KAFKA_PORT after 60 s (still running: 'down' stops it)" \
    "$KAFKA_DIR/stdout.log" "$KAFKA_DIR/kafka.log"
}

# Creates the topics of topics.txt that the broker does not have, in one JVM (CreateTopics.java).
kafka_topics() {
  local meta existing missing=() name partitions retention rest have start
  meta="$(kcat -L -J -b "127.0.0.1:$KAFKA_PORT" -m 10 2>/dev/null)" \
    || fail "kafka: cannot read the topic list" "$KAFKA_DIR/kafka.log"
  existing="$(jq -r '.topics[] | "\(.topic) \(.partitions | length)"' <<<"$meta")"
  while read -r name partitions retention rest || [ -n "${name:-}" ]; do
    case "$name" in '' | '#'*) continue ;; esac
    [[ "$partitions" =~ ^[0-9]+$ && "$retention" =~ ^-?[0-9]+$ && -z "$rest" ]] \
      || die "infra/local/topics.txt: expected 'name partitions retention.ms', got: $name $partitions $retention $rest"
    have="$(awk -v t="$name" '$1 == t { print $2 }' <<<"$existing")"
    if [ -z "$have" ]; then
      missing+=("$name:$partitions:$retention")
    elif [ "$have" != "$partitions" ]; then
      say "kafka: topic $name has $have partitions, topics.txt says $partitions (left as is; 'reset' recreates it)"
    fi
  done <"$HERE/topics.txt"
  [ ${#missing[@]} -eq 0 ] && return 0
  start="$(now_us)"
  local created
  created="$(kafka_java "$HERE/kafka/CreateTopics.java" "127.0.0.1:$KAFKA_PORT" "${missing[@]}" \
    2>"$KAFKA_DIR/topics.log")" || fail "kafka: cannot create the topics" "$KAFKA_DIR/topics.log"
  say "kafka: created topics ${created//$'\n'/ } ($(since "$start") s)"
}

# ---------------------------------------------------------------------------------------------
# Redis (Debian's redis-server; our own instance, no persistence)

redis_answers() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

redis_up() {
  local pid start i
  mkdir -p "$REDIS_DIR"
  if pid="$(server_pid redis)"; then
    printf '%s\n' "$pid" >"$REDIS_DIR/redis.pid"
    redis_answers || fail "redis: running (pid $pid) but not answering" "$REDIS_DIR/redis.log"
    say "redis: running (pid $pid) on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  rm -f "$REDIS_DIR/redis.pid"
  if port_open "$REDIS_PORT"; then
    redis_answers && { foreign redis "$REDIS_PORT"; return 0; }
    die "redis: port $REDIS_PORT is taken by another process$(port_owner "$REDIS_PORT")" \
      "(BOOKSTORE_REDIS_PORT chooses another)"
  fi
  start="$(now_us)"
  # Bounded memory, as on the cluster (infra/cluster/redis/redis.yaml): at the limit Redis evicts
  # the least recently used key among those with a TTL (every ledger entry and session has one).
  # Cold ledger answers go first; an evicted one costs a PostgreSQL-guarded re-run.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
    --pidfile "$REDIS_DIR/redis.pid" --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" \
    --maxmemory 256mb --maxmemory-policy volatile-lru --maxmemory-samples 10 \
    --save "" --appendonly no >/dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- || fail "redis: redis-server failed" "$REDIS_DIR/redis.log"
  for ((i = 0; i < 100; i++)); do
    redis_answers && break
    sleep 0.1
  done
  redis_answers || fail "redis: not answering on 127.0.0.1:$REDIS_PORT after 10 s" "$REDIS_DIR/redis.log"
  pid="$(server_pid redis)" || pid="?"
  say "redis: ready on 127.0.0.1:$REDIS_PORT, pid $pid ($(since "$start") s)"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL (Debian's packages). initdb refuses root: as root, the server runs as `postgres`.

as_postgres() {
  if is_root; then
    (cd "$PG_DIR" && runuser -u postgres -- "$@")
  else
    (cd "$PG_DIR" && "$@")
  fi
}

# The binaries for the data folder's version, else the newest installed.
pg_bin() {
  local version
  if [ -f "$PG_DIR/data/PG_VERSION" ]; then
    version="$(<"$PG_DIR/data/PG_VERSION")"
    [ -x "/usr/lib/postgresql/$version/bin/postgres" ] \
      || die "postgres: $PG_DIR/data is from PostgreSQL $version, not installed (apt-get install postgresql-$version, or 'reset')"
    printf '%s' "/usr/lib/postgresql/$version/bin"
  else
    pg_newest_bin || die "postgres: no PostgreSQL server installed"
  fi
}

pg_dirs() {
  mkdir -p "$PG_DIR"
  is_root || return 0
  chown postgres:postgres "$PG_DIR"
  # The postgres user must be able to reach its folder: add o+x where a parent lacks it.
  local d="$STACK_DIR" parents=()
  while [ "$d" != / ] && [ -n "$d" ]; do
    parents+=("$d")
    d="$(dirname "$d")"
  done
  local mode name
  while read -r mode name; do
    case "${mode:9:1}" in x | t) ;; *) chmod o+x "$name" ;; esac
  done < <(stat -c '%A %n' "${parents[@]}")
}

pg_conf() {
  local conf="$PG_DIR/data/postgresql.conf"
  grep -q "^include_if_exists 'bookstore-local.conf'" "$conf" \
    || printf "\n# infra/local/stack.sh\ninclude_if_exists 'bookstore-local.conf'\n" >>"$conf"
  cat >"$PG_DIR/data/bookstore-local.conf" <<EOF
# Written by infra/local/stack.sh on each start: edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 300
shared_buffers = 256MB
# Commits are durable, as on a production server: the chaos suite crashes this server while
# orders flow and counts on every acknowledged commit surviving (with synchronous_commit = off an
# immediate shutdown lost the last ~200 ms of them; tests/e2e StackDurabilityTest).
synchronous_commit = on
fsync = on
EOF
  is_root && chown postgres:postgres "$PG_DIR/data/bookstore-local.conf"
  return 0
}

pg_answers() { "$1/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -t "${2:-2}"; }

pg_up() {
  local bin pid start
  pg_dirs
  bin="$(pg_bin)"
  if pid="$(server_pid postgres)"; then
    pg_answers "$bin" 30 || fail "postgres: running (pid $pid) but not answering" "$PG_DIR/postgres.log"
    say "postgres: running (pid $pid) on 127.0.0.1:$PG_PORT"
  else
    if port_open "$PG_PORT"; then
      if pg_user_sql -c 'select 1' >/dev/null 2>&1; then
        foreign postgres "$PG_PORT"
        pg_foreign_databases
        return 0
      fi
      die "postgres: port $PG_PORT is taken by another process$(port_owner "$PG_PORT")," \
        "where $PG_USER cannot log in with BOOKSTORE_PG_PASSWORD (BOOKSTORE_PG_PORT chooses another port)"
    fi
    start="$(now_us)"
    if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
      rm -rf "$PG_DIR/data"
      as_postgres "$bin/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 \
        || fail "postgres: initdb failed" "$PG_DIR/initdb.log"
      say "postgres: initdb $PG_DIR/data ($(since "$start") s)"
    fi
    pg_conf
    # Not running, so these are stale (a dead process, or a PID since reused by another).
    rm -f "$PG_DIR/data/postmaster.pid" "$PG_DIR/.s.PGSQL.$PG_PORT.lock"
    as_postgres "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 -s start \
      >/dev/null 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- || fail "postgres: did not start" "$PG_DIR/postgres.log"
    pg_answers "$bin" 10 || fail "postgres: not answering on 127.0.0.1:$PG_PORT" "$PG_DIR/postgres.log"
    pid="$(server_pid postgres)" || pid="?"
    say "postgres: ready on 127.0.0.1:$PG_PORT, pid $pid ($(since "$start") s)"
  fi
  pg_databases "$bin"
}

# psql over TCP as BOOKSTORE_PG_USER (to the postgres database, which every role may reach).
pg_user_sql() {
  PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" \
    -d postgres -qtAX -v ON_ERROR_STOP=1 "$@"
}

# Another stack's server: the role exists (we logged in); the databases, if missing, as the role.
pg_foreign_databases() {
  local out
  out="$(pg_user_sql -v db="$PG_DB" 2>&1 <<'SQL'
SELECT 'database ' || d FROM unnest(ARRAY[:'db', :'db' || '_test']) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d);
SELECT format('CREATE DATABASE %I', d) FROM unnest(ARRAY[:'db', :'db' || '_test']) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d) \gexec
SQL
  )" || { say "$out"; die "postgres: cannot create the databases on the other server"; }
  [ -n "$out" ] && say "postgres: created ${out//$'\n'/, }"
  return 0
}

# The role (password kept in step with BOOKSTORE_PG_PASSWORD) and both databases, if missing.
pg_databases() {
  local bin="$1" out
  out="$(as_postgres "$bin/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -qtAX \
    -v ON_ERROR_STOP=1 -v u="$PG_USER" -v p="$PG_PASSWORD" -v db="$PG_DB" 2>&1 <<'SQL'
SELECT 'role ' || :'u' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u');
SELECT 'database ' || d FROM unnest(ARRAY[:'db', :'db' || '_test']) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d);
SELECT format('CREATE ROLE %I', :'u')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'u', :'p') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', d, :'u') FROM unnest(ARRAY[:'db', :'db' || '_test']) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d) \gexec
SQL
  )" || { say "$out"; die "postgres: cannot create the role and databases"; }
  [ -n "$out" ] && say "postgres: created ${out//$'\n'/, }"
  return 0
}

# ---------------------------------------------------------------------------------------------
# SMTP: GreenMail standalone (one jar from Maven Central). It accepts mail for any address and keeps
# it in memory, one mailbox per recipient, readable over its REST API: functions send real mail,
# scripts count what arrived. Nothing leaves this machine.

greenmail_answers() {
  [ "$(curl -s -m "${1:-2}" "http://127.0.0.1:$MAIL_API_PORT/api/service/readiness" 2>/dev/null)" \
    = '{"message":"Service running"}' ] && port_open "$SMTP_PORT"
}

greenmail_config() {
  cat >"$GREENMAIL_DIR/log4j2.properties" <<EOF
# Written by infra/local/stack.sh: the SMTP server's log, $GREENMAIL_DIR/greenmail.log (10 MB x 2).
appender.file.type=RollingFile
appender.file.name=file
appender.file.fileName=$GREENMAIL_DIR/greenmail.log
appender.file.filePattern=$GREENMAIL_DIR/greenmail.log.%i
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=%d %-5p %c{1} %m%n
appender.file.policies.type=Policies
appender.file.policies.size.type=SizeBasedTriggeringPolicy
appender.file.policies.size.size=10MB
appender.file.strategy.type=DefaultRolloverStrategy
appender.file.strategy.max=2
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
# otherwise one line per new recipient
logger.users.name=com.icegreen.greenmail.user.UserManager
logger.users.level=WARN
logger.jersey.name=org.glassfish.jersey
logger.jersey.level=ERROR
EOF
}

GREENMAIL_LAUNCHED=""
GREENMAIL_START=""
GREENMAIL_FOREIGN=0

# greenmail_start: starts the SMTP server unless it runs (does not wait: see greenmail_ready).
greenmail_start() {
  local pid port
  mkdir -p "$GREENMAIL_DIR"
  if pid="$(server_pid greenmail)"; then
    printf '%s\n' "$pid" >"$GREENMAIL_DIR/greenmail.pid"
    return 0
  fi
  rm -f "$GREENMAIL_DIR/greenmail.pid"
  if port_open "$SMTP_PORT" && greenmail_answers 5; then
    GREENMAIL_FOREIGN=1
    foreign greenmail "$SMTP_PORT"
    return 0
  fi
  for port in "$SMTP_PORT" "$MAIL_API_PORT"; do
    port_open "$port" && die "greenmail: port $port is taken by another process$(port_owner "$port")" \
      "(BOOKSTORE_SMTP_PORT / BOOKSTORE_MAIL_API_PORT choose others)"
  done
  local jars=("$GREENMAIL_DIR"/libs/*.jar)
  [ -f "${jars[0]}" ] || die "greenmail: no jar in $GREENMAIL_DIR/libs"
  greenmail_config
  GREENMAIL_START="$(now_us)"
  # Mail is kept in memory, so the heap bounds it (infra/local/README.md: how to purge it).
  (
    cd "$GREENMAIL_DIR"
    # the servers must not inherit the stack's lock (9), nor a caller's (flock FILE CMD: 3)
    exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
    exec setsid java -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$GREENMAIL_DIR/log4j2.properties" \
      -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$SMTP_PORT" \
      -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$MAIL_API_PORT" \
      -Dgreenmail.auth.disabled \
      -cp "$GREENMAIL_DIR/libs/*" com.icegreen.greenmail.standalone.GreenMailStandaloneRunner \
      </dev/null >"$GREENMAIL_DIR/stdout.log" 2>&1
  ) &
  GREENMAIL_LAUNCHED=$!
  printf '%s\n' "$GREENMAIL_LAUNCHED" >"$GREENMAIL_DIR/greenmail.pid"
}

# greenmail_ready: waits (30 s at most) until SMTP accepts connections and the API says it runs.
greenmail_ready() {
  local i pid
  [ "$GREENMAIL_FOREIGN" = 1 ] && return 0
  if [ -z "$GREENMAIL_LAUNCHED" ]; then
    pid="$(server_pid greenmail)" || die "greenmail: not running"
    greenmail_answers 10 \
      || fail "greenmail: running (pid $pid) but not answering on 127.0.0.1:$SMTP_PORT / :$MAIL_API_PORT" \
        "$GREENMAIL_DIR/greenmail.log"
    say "greenmail: running (pid $pid) on 127.0.0.1:$SMTP_PORT (SMTP), API http://127.0.0.1:$MAIL_API_PORT"
    return 0
  fi
  for ((i = 0; i < 300; i++)); do
    if ! pid_alive "$GREENMAIL_LAUNCHED" && ! server_pid greenmail >/dev/null; then
      rm -f "$GREENMAIL_DIR/greenmail.pid"
      fail "greenmail: exited during start-up" "$GREENMAIL_DIR/stdout.log" "$GREENMAIL_DIR/greenmail.log"
    fi
    if greenmail_answers 1; then
      pid="$(server_pid greenmail)" || pid="$GREENMAIL_LAUNCHED"
      printf '%s\n' "$pid" >"$GREENMAIL_DIR/greenmail.pid"
      say "greenmail: ready on 127.0.0.1:$SMTP_PORT (SMTP), API http://127.0.0.1:$MAIL_API_PORT, pid $pid ($(since "$GREENMAIL_START") s)"
      return 0
    fi
    sleep 0.1
  done
  fail "greenmail: not answering on 127.0.0.1:$SMTP_PORT / :$MAIL_API_PORT after 30 s (still running: 'down' stops it)" \
    "$GREENMAIL_DIR/stdout.log" "$GREENMAIL_DIR/greenmail.log"
}

# mail_count ADDRESS: how many messages ADDRESS's inbox holds. GreenMail makes a mailbox on the
# first message to an address; before that its API answers 400 "User ... not found": that is 0.
mail_count() {
  local address="$1" out code
  [ -n "$address" ] || die "usage: stack.sh mail-count ADDRESS"
  command -v jq >/dev/null || die "jq not found ('up' installs it)"
  out="$(curl -s -m 10 -w '\n%{http_code}' \
    "http://127.0.0.1:$MAIL_API_PORT/api/user/$(jq -rn --arg a "$address" '$a | @uri')/messages/INBOX")" \
    || die "greenmail: no answer on http://127.0.0.1:$MAIL_API_PORT ('up' starts it)"
  code="${out##*$'\n'}"
  out="${out%$'\n'*}"
  case "$code" in
    200) jq 'length' <<<"$out" ;;
    400) if [[ "$out" == *"not found"* ]]; then echo 0; else die "greenmail: $out"; fi ;;
    *) die "greenmail: HTTP $code from the API: $out" ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# Prometheus (Debian's prometheus): scrapes the functions' /q/metrics on their usual HTTP ports
# every 2 s and keeps 2 days. A function that does not run is a target that is down, nothing more.

# port:name of each function (its quarkus.http.port), the target's label app=name.
PROMETHEUS_TARGETS=(
  8081:register-user 8082:reserve-stock 8083:payment 8084:catalog 8085:place-order
  8086:saga-step 8087:compensate 8088:notify 8089:saga-timeouts 8091:dispatch-courier
)

prometheus_answers() {
  [ "$(curl -s -o /dev/null -m "${1:-2}" -w '%{http_code}' \
    "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" 2>/dev/null)" = 200 ]
}

PROMETHEUS_CONFIG_CHANGED=0

# prometheus_config: writes prometheus.yml when it differs (checked by promtool first), sets
# PROMETHEUS_CONFIG_CHANGED=1 then.
prometheus_config() {
  local conf="$PROMETHEUS_DIR/prometheus.yml" new="$PROMETHEUS_DIR/prometheus.yml.new" t
  {
    cat <<YAML
# Written by infra/local/stack.sh on each 'up': edit the script, not this file.
global:
  scrape_interval: 2s
  scrape_timeout: 2s
scrape_configs:
  # The functions' meters have a 'function' tag of their own: a target label 'function' would
  # rename theirs to exported_function, so the target's label is 'app'.
  - job_name: bookstore-functions
    metrics_path: /q/metrics
    static_configs:
YAML
    for t in "${PROMETHEUS_TARGETS[@]}"; do
      printf '      - targets: ["127.0.0.1:%s"]\n        labels: {app: %s}\n' "${t%%:*}" "${t#*:}"
    done
  } >"$new"
  if cmp -s "$new" "$conf"; then
    rm -f "$new"
    return 0
  fi
  promtool check config "$new" >"$PROMETHEUS_DIR/promtool.log" 2>&1 \
    || fail "prometheus: promtool check config rejects $new" "$PROMETHEUS_DIR/promtool.log"
  mv "$new" "$conf"
  PROMETHEUS_CONFIG_CHANGED=1
}

PROMETHEUS_LAUNCHED=""
PROMETHEUS_START=""
PROMETHEUS_FOREIGN=0

# prometheus_start: starts Prometheus unless it runs (does not wait: see prometheus_ready). A
# running one whose scrape config changed reloads it (SIGHUP by PID).
prometheus_start() {
  local pid
  mkdir -p "$PROMETHEUS_DIR/data"
  if pid="$(server_pid prometheus)"; then
    printf '%s\n' "$pid" >"$PROMETHEUS_DIR/prometheus.pid"
    prometheus_config
    if [ "$PROMETHEUS_CONFIG_CHANGED" = 1 ]; then
      kill -HUP "$pid" 2>/dev/null || true
      say "prometheus: scrape config changed, reloaded (SIGHUP to pid $pid)"
    fi
    return 0
  fi
  rm -f "$PROMETHEUS_DIR/prometheus.pid"
  if port_open "$PROMETHEUS_PORT" && prometheus_answers 5; then
    PROMETHEUS_FOREIGN=1
    foreign prometheus "$PROMETHEUS_PORT"
    return 0
  fi
  port_open "$PROMETHEUS_PORT" \
    && die "prometheus: port $PROMETHEUS_PORT is taken by another process$(port_owner "$PROMETHEUS_PORT")" \
      "(BOOKSTORE_PROMETHEUS_PORT chooses another)"
  prometheus_config
  PROMETHEUS_START="$(now_us)"
  # Its log (a few lines per start and per compaction) is appended to, across restarts.
  (
    cd "$PROMETHEUS_DIR"
    # the servers must not inherit the stack's lock (9), nor a caller's (flock FILE CMD: 3)
    exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
    exec setsid prometheus --config.file="$PROMETHEUS_DIR/prometheus.yml" \
      --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
      --storage.tsdb.path="$PROMETHEUS_DIR/data" --storage.tsdb.retention.time=2d \
      </dev/null >>"$PROMETHEUS_DIR/prometheus.log" 2>&1
  ) &
  PROMETHEUS_LAUNCHED=$!
  printf '%s\n' "$PROMETHEUS_LAUNCHED" >"$PROMETHEUS_DIR/prometheus.pid"
}

# prometheus_ready: waits (30 s at most) until GET /-/ready answers 200.
prometheus_ready() {
  local i pid
  [ "$PROMETHEUS_FOREIGN" = 1 ] && return 0
  if [ -z "$PROMETHEUS_LAUNCHED" ]; then
    pid="$(server_pid prometheus)" || die "prometheus: not running"
    prometheus_answers 10 \
      || fail "prometheus: running (pid $pid) but not answering on http://127.0.0.1:$PROMETHEUS_PORT" \
        "$PROMETHEUS_DIR/prometheus.log"
    say "prometheus: running (pid $pid) on http://127.0.0.1:$PROMETHEUS_PORT"
    return 0
  fi
  for ((i = 0; i < 300; i++)); do
    if ! pid_alive "$PROMETHEUS_LAUNCHED" && ! server_pid prometheus >/dev/null; then
      rm -f "$PROMETHEUS_DIR/prometheus.pid"
      fail "prometheus: exited during start-up" "$PROMETHEUS_DIR/prometheus.log"
    fi
    if prometheus_answers 1; then
      pid="$(server_pid prometheus)" || pid="$PROMETHEUS_LAUNCHED"
      printf '%s\n' "$pid" >"$PROMETHEUS_DIR/prometheus.pid"
      say "prometheus: ready on http://127.0.0.1:$PROMETHEUS_PORT, pid $pid ($(since "$PROMETHEUS_START") s)"
      return 0
    fi
    sleep 0.1
  done
  fail "prometheus: not answering on http://127.0.0.1:$PROMETHEUS_PORT after 30 s (still running: 'down' stops it)" \
    "$PROMETHEUS_DIR/prometheus.log"
}

# For 'status': ", N of M targets up" (nothing when Prometheus does not answer; its first
# scrape targets appear a few seconds after a start or a reload).
prometheus_targets() {
  curl -s -m 2 "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/targets?state=active" 2>/dev/null \
    | jq -r '.data.activeTargets | if length == 0 then ", no targets yet"
        else ", \(map(select(.health == "up")) | length) of \(length) targets up" end' 2>/dev/null || true
}

# One server stopped on purpose (fault injection): by PID, like every stop here. A server of
# another stack (a port served by a process not ours) is left alone.
cmd_stop_one() {
  local name="${1:-}" how="${2:-}" sig
  case "$name" in
    kafka | redis | greenmail | prometheus) sig=TERM ;;
    postgres) sig=INT ;;
    *) die "usage: stack.sh stop|kill kafka|redis|postgres|greenmail|prometheus" ;;
  esac
  case "$how" in
    '' | fast) ;;
    kill) if [ "$name" = postgres ]; then sig=QUIT; else sig=KILL; fi ;;
    immediate)
      [ "$name" = postgres ] || die "stop $name immediate: only postgres has an immediate shutdown"
      sig=QUIT
      ;;
    *) die "stop $name: '$how' is not fast or immediate" ;;
  esac
  server_pid "$name" >/dev/null || die "$name: not running here (nothing stopped)"
  stop_server "$name" "$sig"
}

# ---------------------------------------------------------------------------------------------

lock() {
  mkdir -p "$STACK_DIR"
  STACK_DIR="$(cd "$STACK_DIR" && pwd -P)"
  set_dirs
  exec 9>>"$STACK_DIR/.lock"
  if ! flock -n 9; then
    say "stack: waiting for another stack.sh on $STACK_DIR"
    flock -w 600 9 || die "another stack.sh holds $STACK_DIR/.lock"
  fi
}

cmd_up() {
  local start
  start="$(now_us)"
  lock
  install_missing
  mkdir -p "$KAFKA_DIR"
  kafka_libs
  greenmail_libs
  # Kafka, GreenMail and Prometheus start in the background while Redis and PostgreSQL come up.
  kafka_start
  greenmail_start
  prometheus_start
  redis_up
  pg_up
  kafka_ready
  kafka_topics
  greenmail_ready
  prometheus_ready
  say "stack: up ($(since "$start") s); eval \"\$(infra/local/stack.sh env)\" for the settings"
}

cmd_down() {
  stop_server kafka TERM
  stop_server redis TERM
  # SIGINT is PostgreSQL's "fast" shutdown (SIGTERM would wait for every client to disconnect).
  stop_server postgres INT
  stop_server greenmail TERM
  stop_server prometheus TERM
}

# status_line NAME PORT HEALTH [EXTRA]: EXTRA (e.g. a second port) follows the port when it runs.
status_line() {
  local name="$1" port="$2" healthy="$3" extra="${4:-}" pid
  if pid="$(server_pid "$name")"; then
    if "$healthy"; then
      printf '%-10s running  pid %-8s 127.0.0.1:%s%s\n' "$name" "$pid" "$port" "$extra"
    else
      printf '%-10s running  pid %-8s 127.0.0.1:%s (not answering)\n' "$name" "$pid" "$port"
    fi
  elif port_open "$port" && "$healthy"; then
    printf '%-10s other    pid %-8s 127.0.0.1:%s (served by a process not of this stack%s)\n' \
      "$name" - "$port" "$(port_owner "$port")"
  else
    printf '%-10s stopped  pid %-8s 127.0.0.1:%s\n' "$name" - "$port"
  fi
}
kafka_health() { kafka_answers 2; }
redis_health() { redis_answers; }
pg_health() { local bin; bin="$(pg_newest_bin)" && pg_answers "$bin" 2; }
greenmail_health() { greenmail_answers 2; }
prometheus_health() { prometheus_answers 2; }

cmd_env() {
  local var value
  while read -r var value; do
    printf 'export %s=%q\n' "$var" "$value"
  done <<EOF
BOOKSTORE_KAFKA_BOOTSTRAP 127.0.0.1:$KAFKA_PORT
BOOKSTORE_REDIS_URL redis://127.0.0.1:$REDIS_PORT
BOOKSTORE_REDIS_PORT $REDIS_PORT
BOOKSTORE_PG_HOST 127.0.0.1
BOOKSTORE_PG_PORT $PG_PORT
BOOKSTORE_PG_DB $PG_DB
BOOKSTORE_PG_USER $PG_USER
BOOKSTORE_PG_PASSWORD $PG_PASSWORD
BOOKSTORE_PG_REACTIVE_URL postgresql://127.0.0.1:$PG_PORT/$PG_DB
BOOKSTORE_PG_JDBC_URL jdbc:postgresql://127.0.0.1:$PG_PORT/$PG_DB
BOOKSTORE_PG_TEST_DB ${PG_DB}_test
BOOKSTORE_SMTP_HOST 127.0.0.1
BOOKSTORE_SMTP_PORT $SMTP_PORT
BOOKSTORE_MAIL_API_URL http://127.0.0.1:$MAIL_API_PORT
BOOKSTORE_PROMETHEUS_URL http://127.0.0.1:$PROMETHEUS_PORT
BOOKSTORE_STACK_DIR $STACK_DIR
EOF
}

cmd_reset() {
  case "$STACK_DIR" in
    / | "$HOME" | "$REPO_ROOT" | "$HERE") die "refusing to delete $STACK_DIR" ;;
  esac
  cmd_down
  # Everything but the lock that this command holds.
  find "$STACK_DIR" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
  say "stack: data deleted ($STACK_DIR)"
}

cmd_kafka_classpath() {
  lock
  mkdir -p "$KAFKA_DIR"
  kafka_libs
  local jars=("$KAFKA_DIR"/libs/*.jar)
  [ -f "${jars[0]}" ] || die "kafka: no jars in $KAFKA_DIR/libs"
  (IFS=:; printf '%s\n' "${jars[*]}")
}

case "${1:-}" in
  up) cmd_up ;;
  down)
    if [ -d "$STACK_DIR" ]; then lock; fi
    cmd_down
    ;;
  status)
    status_line kafka "$KAFKA_PORT" kafka_health
    status_line redis "$REDIS_PORT" redis_health
    status_line postgres "$PG_PORT" pg_health
    status_line greenmail "$SMTP_PORT" greenmail_health " (SMTP), API http://127.0.0.1:$MAIL_API_PORT"
    status_line prometheus "$PROMETHEUS_PORT" prometheus_health "$(prometheus_targets)"
    ;;
  env) cmd_env ;;
  reset)
    lock
    cmd_reset
    ;;
  kafka-classpath) cmd_kafka_classpath ;;
  mail-count) mail_count "${2:-}" ;;
  stop)
    lock
    cmd_stop_one "${2:-}" "${3:-}"
    ;;
  kill)
    lock
    cmd_stop_one "${2:-}" kill
    ;;
  -h | --help | help) sed -n '2,31p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  *)
    say "usage: $0 up | down | status | env | reset | kafka-classpath | mail-count ADDRESS | stop NAME [fast|immediate] | kill NAME  (--help for more)"
    exit 2
    ;;
esac
