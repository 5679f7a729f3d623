#!/usr/bin/env bash
# A real Bolt server for the conformance suite: ArcadeDB with its Bolt plugin, from PyPI.
#
#   .ci/arcadedb.sh start   installs (once) and starts the server, waits for Bolt, prints the
#                           environment the tests read (RETEX_TEST_BOLT_*) and writes it to
#                           $ARCADEDB_HOME/env
#   .ci/arcadedb.sh stop    stops the server by its PID
#   .ci/arcadedb.sh restart stops it and starts it again on the same data (recovery drills)
#
# No Neo4j server can be installed on CI machines (no Docker engine, no Maven): ArcadeDB speaks
# Bolt 4.4 and openCypher, and its PyPI wheel `arcadedb-embedded` carries the server jars, the
# Bolt plugin and its own Java runtime. Settings (environment):
#   ARCADEDB_HOME      where the venv is installed (~/.cache/retex-arcadedb)
#   ARCADEDB_RUN_DIR   where a server's databases, log, PID and env live ($ARCADEDB_HOME/run-<bolt port>)
#   ARCADEDB_VERSION   the wheel version (26.10.2.post1)
#   ARCADEDB_BOLT_PORT Bolt port on 127.0.0.1 (7687); ARCADEDB_HTTP_PORT HTTP port (2480)
#   ARCADEDB_PASSWORD  the root password (retex-ci-password)
#   ARCADEDB_DATABASE  the default database, created at start (retex)
set -euo pipefail

HOME_DIR="${ARCADEDB_HOME:-$HOME/.cache/retex-arcadedb}"
VERSION="${ARCADEDB_VERSION:-26.10.2.post1}"
BOLT_PORT="${ARCADEDB_BOLT_PORT:-7687}"
HTTP_PORT="${ARCADEDB_HTTP_PORT:-2480}"
PASSWORD="${ARCADEDB_PASSWORD:-retex-ci-password}"
DATABASE="${ARCADEDB_DATABASE:-retex}"
RUN_DIR="${ARCADEDB_RUN_DIR:-$HOME_DIR/run-$BOLT_PORT}"
PID_FILE="$RUN_DIR/arcadedb.pid"
LOG_FILE="$RUN_DIR/arcadedb.log"
START_TIMEOUT=60

log() { echo "arcadedb: $*" >&2; }

python_with_venv() {
  local py
  for py in python3 python3.11 python3.12 python3.13; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import venv, ensurepip' 2>/dev/null; then
      echo "$py"
      return
    fi
  done
  log "no python3 with venv: installing python3-venv"
  apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null
  echo python3
}

install() {
  local pkg="$HOME_DIR/venv/lib"
  if [ -f "$HOME_DIR/installed-$VERSION" ] && ! ls "$pkg"/python*/site-packages/arcadedb_embedded/jars >/dev/null 2>&1; then
    rm -f "$HOME_DIR/installed-$VERSION"
  fi
  if [ -f "$HOME_DIR/installed-$VERSION" ]; then
    return
  fi
  local py
  py="$(python_with_venv)"
  log "installing arcadedb-embedded==$VERSION into $HOME_DIR/venv"
  rm -rf "$HOME_DIR/venv"
  "$py" -m venv "$HOME_DIR/venv"
  "$HOME_DIR/venv/bin/pip" install -q --no-deps "arcadedb-embedded==$VERSION"
  ls "$pkg"/python*/site-packages/arcadedb_embedded/jars >/dev/null
  touch "$HOME_DIR/installed-$VERSION"
}

package_dir() {
  local dir
  dir="$(ls -d "$HOME_DIR"/venv/lib/python*/site-packages/arcadedb_embedded | head -n 1)"
  [ -d "$dir/jars" ] && [ -x "$dir/jre/bin/java" ] || {
    log "no jars or bundled jre in $dir"
    exit 1
  }
  echo "$dir"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

running() {
  [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

write_env() {
  cat >"$RUN_DIR/env" <<EOF
export RETEX_TEST_BOLT_URL=bolt://127.0.0.1:$BOLT_PORT
export RETEX_TEST_BOLT_USER=root
export RETEX_TEST_BOLT_PASSWORD=$PASSWORD
export RETEX_TEST_BOLT_DATABASE=$DATABASE
EOF
  cat "$RUN_DIR/env"
}

start() {
  local keep_data="${1:-}"
  mkdir -p "$HOME_DIR" "$RUN_DIR"
  if running; then
    log "already running (PID $(cat "$PID_FILE"))"
    write_env
    return
  fi
  if port_open "$BOLT_PORT"; then
    log "port $BOLT_PORT is taken by another program: set ARCADEDB_BOLT_PORT"
    exit 1
  fi
  install
  local dir began
  dir="$(package_dir)"
  began=$(date +%s%N)
  if [ -z "$keep_data" ]; then
    rm -rf "$RUN_DIR/server"
  fi
  mkdir -p "$RUN_DIR/server/databases" "$RUN_DIR/server/config"
  : >"$LOG_FILE"
  (
    cd "$RUN_DIR/server"
    exec "$dir/jre/bin/java" -Xms256m -Xmx1g \
      -cp "$dir/jars/*" \
      -Darcadedb.server.rootPath="$RUN_DIR/server" \
      -Darcadedb.server.databaseDirectory="$RUN_DIR/server/databases" \
      -Darcadedb.server.rootPassword="$PASSWORD" \
      -Darcadedb.server.defaultDatabases="$DATABASE[root]" \
      -Darcadedb.server.plugins="Bolt:com.arcadedb.bolt.BoltProtocolPlugin" \
      -Darcadedb.server.httpIncomingHost=127.0.0.1 \
      -Darcadedb.server.httpIncomingPort="$HTTP_PORT" \
      -Darcadedb.bolt.host=127.0.0.1 \
      -Darcadedb.bolt.port="$BOLT_PORT" \
      com.arcadedb.server.ArcadeDBServer
  ) >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  local waited=0
  # Bolt listens before the default database exists: wait for both.
  until port_open "$BOLT_PORT" && grep -q "ArcadeDB Server started" "$LOG_FILE"; do
    if ! running; then
      log "the server exited; its log:"
      tail -n 40 "$LOG_FILE" >&2
      exit 1
    fi
    if [ "$waited" -ge $((START_TIMEOUT * 10)) ]; then
      log "Bolt did not answer on port $BOLT_PORT within ${START_TIMEOUT}s; its log:"
      tail -n 40 "$LOG_FILE" >&2
      stop
      exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  log "ArcadeDB $VERSION answers Bolt on 127.0.0.1:$BOLT_PORT (PID $(cat "$PID_FILE"), $((($(date +%s%N) - began) / 1000000)) ms)"
  write_env
}

stop() {
  if ! [ -f "$PID_FILE" ]; then
    log "not running"
    return
  fi
  local pid
  pid="$(cat "$PID_FILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "stopped (PID $pid)"
  fi
  rm -f "$PID_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart)
    stop
    start keep-data
    ;;
  *)
    echo "usage: $0 start|stop|restart" >&2
    exit 2
    ;;
esac
