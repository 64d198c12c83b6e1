#!/usr/bin/env bash
# The local stack: a real Kafka broker (KRaft, single node), Redis and PostgreSQL on loopback,
# without Docker or systemd. Installs what is missing, waits until each answers, creates the
# topics and databases, is safe to run twice, and stops everything by PID.
#
#   infra/local/stack.sh up | down | status | env | reset | kafka-classpath
#
# Settings (environment): BOOKSTORE_KAFKA_PORT (19092), BOOKSTORE_KAFKA_CONTROLLER_PORT (19093),
# BOOKSTORE_REDIS_PORT (16379), BOOKSTORE_PG_PORT (15432), BOOKSTORE_PG_DB (bookstore),
# BOOKSTORE_PG_USER (bookstore), BOOKSTORE_PG_PASSWORD (bookstore-local: a local-only
# development credential), BOOKSTORE_STACK_DIR (infra/local/.run).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_PORT="${BOOKSTORE_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${BOOKSTORE_KAFKA_CONTROLLER_PORT:-19093}"
REDIS_PORT="${BOOKSTORE_REDIS_PORT:-16379}"
PG_PORT="${BOOKSTORE_PG_PORT:-15432}"
PG_DB="${BOOKSTORE_PG_DB:-bookstore}"
PG_USER="${BOOKSTORE_PG_USER:-bookstore}"
PG_PASSWORD="${BOOKSTORE_PG_PASSWORD:-bookstore-local}"
STACK_DIR="${BOOKSTORE_STACK_DIR:-$here/.run}"
KAFKA_DIR="$STACK_DIR/kafka"
REDIS_DIR="$STACK_DIR/redis"
PG_DIR="$STACK_DIR/postgres"

say() { printf '%s\n' "$*" >&2; }
die() { say "stack: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

# ---------------------------------------------------------------------------------------------
# Installation (Debian packages; Kafka from Maven Central)

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing: ${missing[*]}"
  if [ "$apt_updated" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

pg_bin() {
  local initdb
  initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$initdb" ] && dirname "$initdb"
}

install_missing() {
  local pkgs=(redis-server redis-tools kcat wrk curl jq procps)
  [ -n "$(pg_bin)" ] || pkgs+=(postgresql)
  apt_install "${pkgs[@]}"
  [ -n "$(pg_bin)" ] || die "PostgreSQL server binaries not found after install"
  # Debian's packages may start their own servers (on the default ports); ours are separate.
  if command -v service >/dev/null 2>&1; then
    service redis-server stop >/dev/null 2>&1 || true
    service postgresql stop >/dev/null 2>&1 || true
  fi
  kafka_libs
}

kafka_libs() {
  if [ ! -f "$KAFKA_DIR/libs/.complete" ]; then
    say "kafka: fetching broker jars from Maven Central"
    mkdir -p "$KAFKA_DIR/libs"
    mvn -q -B -Dstyle.color=never -f "$here/kafka/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$KAFKA_DIR/libs" >/dev/null || die "cannot fetch the Kafka jars"
    touch "$KAFKA_DIR/libs/.complete"
  fi
}

kafka_classpath() { printf '%s/libs/*' "$KAFKA_DIR"; }

kafka_java() {
  java -Xms64m -Xmx256m -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2-tools.properties" \
    -cp "$(kafka_classpath)" "$@"
}

# ---------------------------------------------------------------------------------------------
# Process helpers

alive() { [ -f "$1" ] && kill -0 "$(head -n 1 "$1")" 2>/dev/null; }

stop_pid() {
  local name="$1" pidfile="$2"
  if ! alive "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  local pid
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name: did not stop in 20 s, killing"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  say "$name: stopped"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# Kafka (KRaft, broker and controller in one process)

kafka_config() {
  mkdir -p "$KAFKA_DIR/data"
  cat >"$KAFKA_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=6
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
log.segment.bytes=67108864
EOF
  cat >"$KAFKA_DIR/log4j2.properties" <<EOF
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
appender.file.type=File
appender.file.name=file
appender.file.fileName=$KAFKA_DIR/kafka.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
logger.kafka.name=kafka
logger.kafka.level=WARN
logger.apache.name=org.apache.kafka
logger.apache.level=WARN
EOF
  cat >"$KAFKA_DIR/log4j2-tools.properties" <<EOF
rootLogger.level=ERROR
rootLogger.appenderRef.err.ref=err
appender.err.type=Console
appender.err.name=err
appender.err.target=SYSTEM_ERR
appender.err.layout.type=PatternLayout
appender.err.layout.pattern=%p %m%n
EOF
}

kafka_up() {
  local pidfile="$KAFKA_DIR/kafka.pid" start
  start="$(now)"
  if alive "$pidfile"; then
    say "kafka: already running (pid $(cat "$pidfile")) on 127.0.0.1:$KAFKA_PORT"
    return 0
  fi
  rm -f "$pidfile"
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by another process (set BOOKSTORE_KAFKA_PORT)"
  kafka_config
  if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    local cluster_id
    cluster_id="$(kafka_java org.apache.kafka.tools.StorageTool random-uuid 2>/dev/null \
      || kafka_java kafka.tools.StorageTool random-uuid)"
    kafka_java kafka.tools.StorageTool format -t "$cluster_id" \
      -c "$KAFKA_DIR/server.properties" >/dev/null || die "kafka: storage format failed"
  fi
  nohup java -Xms512m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" \
    -cp "$(kafka_classpath)" kafka.Kafka "$KAFKA_DIR/server.properties" \
    >"$KAFKA_DIR/stdout.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 300); do
    if ! alive "$pidfile"; then
      tail -n 30 "$KAFKA_DIR/stdout.log" "$KAFKA_DIR/kafka.log" >&2 2>/dev/null || true
      die "kafka: exited during start-up"
    fi
    port_open "$KAFKA_PORT" && break
    sleep 0.1
  done
  port_open "$KAFKA_PORT" || die "kafka: not listening after 30 s"
  say "kafka: ready on 127.0.0.1:$KAFKA_PORT ($(since "$start") s)"
}

kafka_topics() {
  local existing wanted=() line name partitions retention
  existing="$(kafka_java org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list 2>/dev/null)" \
    || die "kafka: cannot list topics"
  while read -r name partitions retention; do
    case "$name" in '' | '#'*) continue ;; esac
    grep -qx "$name" <<<"$existing" && continue
    kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
      --create --if-not-exists --topic "$name" --partitions "$partitions" \
      --replication-factor 1 --config "retention.ms=$retention" \
      --config min.insync.replicas=1 >/dev/null || die "kafka: cannot create topic $name"
    wanted+=("$name")
  done <"$here/topics.txt"
  [ ${#wanted[@]} -gt 0 ] && say "kafka: created topics ${wanted[*]}"
  return 0
}

# ---------------------------------------------------------------------------------------------
# Redis

redis_up() {
  local pidfile="$REDIS_DIR/redis.pid"
  mkdir -p "$REDIS_DIR"
  if alive "$pidfile"; then
    say "redis: already running (pid $(cat "$pidfile")) on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  rm -f "$pidfile"
  port_open "$REDIS_PORT" && die "port $REDIS_PORT is taken by another process (set BOOKSTORE_REDIS_PORT)"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --pidfile "$pidfile" \
    --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" --save "" --appendonly no \
    --maxmemory 512mb --maxmemory-policy noeviction >/dev/null
  for _ in $(seq 1 100); do
    [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && break
    sleep 0.1
  done
  [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] \
    || { tail -n 20 "$REDIS_DIR/redis.log" >&2; die "redis: not answering"; }
  say "redis: ready on 127.0.0.1:$REDIS_PORT"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL (initdb refuses root: the server runs as the postgres user)

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_up() {
  local bin pidfile="$PG_DIR/data/postmaster.pid" start
  bin="$(pg_bin)"
  start="$(now)"
  mkdir -p "$PG_DIR"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$PG_DIR"
    # postgres must be able to reach its folder
    local d="$PG_DIR"
    while [ "$d" != / ]; do
      chmod o+x "$d" 2>/dev/null || true
      d="$(dirname "$d")"
    done
  fi
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
      || { tail -n 20 "$PG_DIR/initdb.log" >&2; die "postgres: initdb failed"; }
    cat >>"$PG_DIR/data/postgresql.conf" <<EOF

# --- bookstore local stack ---
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 200
shared_buffers = 256MB
# Local stack only: a crash may lose the last few commits, never corrupts. fsync stays on.
synchronous_commit = off
EOF
  fi
  if as_postgres "$bin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
    say "postgres: already running on 127.0.0.1:$PG_PORT"
  else
    port_open "$PG_PORT" && die "port $PG_PORT is taken by another process (set BOOKSTORE_PG_PORT)"
    as_postgres "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 start >/dev/null \
      || { tail -n 30 "$PG_DIR/postgres.log" >&2; die "postgres: start failed"; }
    say "postgres: ready on 127.0.0.1:$PG_PORT ($(since "$start") s)"
  fi
  "$bin/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q || die "postgres: not accepting connections"
  pg_databases
}

psql_admin() { as_postgres psql -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -qtAX "$@"; }

pg_databases() {
  local sql_user sql_password
  sql_user="${PG_USER//\"/}"
  sql_password="${PG_PASSWORD//\'/\'\'}"
  if [ -z "$(psql_admin -c "select 1 from pg_roles where rolname = '$sql_user'")" ]; then
    psql_admin -c "create role \"$sql_user\" login createdb password '$sql_password'" >/dev/null
  else
    psql_admin -c "alter role \"$sql_user\" password '$sql_password'" >/dev/null
  fi
  for db in "$PG_DB" "${PG_DB}_test"; do
    if [ -z "$(psql_admin -c "select 1 from pg_database where datname = '$db'")" ]; then
      psql_admin -c "create database \"$db\" owner \"$sql_user\"" >/dev/null
      say "postgres: created database $db"
    fi
  done
}

pg_down() {
  local bin
  bin="$(pg_bin)"
  [ -n "$bin" ] && [ -f "$PG_DIR/data/PG_VERSION" ] || return 0
  if as_postgres "$bin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null \
      || stop_pid postgres "$PG_DIR/data/postmaster.pid"
    say "postgres: stopped"
  fi
}

# ---------------------------------------------------------------------------------------------

status_line() {
  local name="$1" pidfile="$2" port="$3"
  if alive "$pidfile"; then
    printf '%-9s running  pid %-7s 127.0.0.1:%s\n' "$name" "$(head -n 1 "$pidfile")" "$port"
  else
    printf '%-9s stopped\n' "$name"
  fi
}

print_env() {
  cat <<EOF
export BOOKSTORE_KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT
export BOOKSTORE_REDIS_URL=redis://127.0.0.1:$REDIS_PORT
export BOOKSTORE_PG_HOST=127.0.0.1
export BOOKSTORE_PG_PORT=$PG_PORT
export BOOKSTORE_PG_DB=$PG_DB
export BOOKSTORE_PG_USER=$PG_USER
export BOOKSTORE_PG_PASSWORD=$PG_PASSWORD
export BOOKSTORE_PG_REACTIVE_URL=postgresql://127.0.0.1:$PG_PORT/$PG_DB
export BOOKSTORE_PG_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/$PG_DB
export BOOKSTORE_STACK_DIR=$STACK_DIR
EOF
}

case "${1:-}" in
  up)
    mkdir -p "$STACK_DIR"
    install_missing
    redis_up
    pg_up
    kafka_up
    kafka_topics
    ;;
  down)
    stop_pid kafka "$KAFKA_DIR/kafka.pid"
    if alive "$REDIS_DIR/redis.pid"; then
      redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
      stop_pid redis "$REDIS_DIR/redis.pid"
      say "redis: stopped"
    fi
    pg_down
    ;;
  status)
    status_line kafka "$KAFKA_DIR/kafka.pid" "$KAFKA_PORT"
    status_line redis "$REDIS_DIR/redis.pid" "$REDIS_PORT"
    status_line postgres "$PG_DIR/data/postmaster.pid" "$PG_PORT"
    ;;
  env) print_env ;;
  reset)
    "$0" down
    rm -rf "$STACK_DIR"
    say "stack: data removed ($STACK_DIR)"
    ;;
  kafka-classpath)
    kafka_libs
    kafka_classpath
    echo
    ;;
  *)
    say "usage: $0 up | down | status | env | reset | kafka-classpath"
    exit 2
    ;;
esac
