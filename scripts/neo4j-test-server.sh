#!/usr/bin/env bash
# Build, start and stop a throwaway Neo4j 5.26 LTS Community server for pmkg's tests.
# The server is embedded Neo4j (scripts/neo4j-test-server/, one shaded jar) with Bolt on
# 127.0.0.1, auth off, data in a temp folder that is deleted when it stops.
#
#   scripts/neo4j-test-server.sh ensure-java   # java >= 17 (JDK) and mvn, apt-get installs them if root
#   scripts/neo4j-test-server.sh build         # mvn package, skipped when the jar is up to date
#   out=$(scripts/neo4j-test-server.sh start) && eval "$out"   # sets PMKG_NEO4J_URI
#   scripts/neo4j-test-server.sh status        # prints the URI if running
#   scripts/neo4j-test-server.sh stop
#
# Only `start` writes to stdout (one line: export PMKG_NEO4J_URI=bolt://127.0.0.1:PORT);
# all progress and errors go to stderr. Note: in `eval "$(... start)"` a failed start is
# not seen by `set -e`, hence the `out=... && eval` form above.
#
# Environment (all optional):
#   PMKG_NEO4J_STATE_DIR      pid, uri and log files (default: <repo>/.neo4j-test)
#   PMKG_NEO4J_PORT           Bolt port (default 0: a free port); `start PORT` also works
#   PMKG_NEO4J_PASSWORD       enable auth, user neo4j with this password (>= 8 characters)
#   PMKG_NEO4J_PAGECACHE      page cache size (default 256m)
#   PMKG_NEO4J_JAVA_OPTS      JVM options (default: -Xms512m -Xmx1g)
#   PMKG_NEO4J_START_TIMEOUT  seconds to wait for the server (default 120)
#   PMKG_NEO4J_STOP_TIMEOUT   seconds to wait for a clean stop before SIGKILL (default 60)
#   PMKG_MVN_ARGS             extra Maven arguments, e.g. -o or -Dmaven.repo.local=...
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
PROJECT_DIR=$SCRIPT_DIR/neo4j-test-server
JAR=$PROJECT_DIR/target/neo4j-test-server.jar
STATE_DIR=${PMKG_NEO4J_STATE_DIR:-$REPO_ROOT/.neo4j-test}
PID_FILE=$STATE_DIR/server.pid
URI_FILE=$STATE_DIR/server.uri
OUT_FILE=$STATE_DIR/server.out   # the server's stdout: the BOLT_URI= line
LOG_FILE=$STATE_DIR/server.log   # the server's stderr
START_TIMEOUT=${PMKG_NEO4J_START_TIMEOUT:-120}
STOP_TIMEOUT=${PMKG_NEO4J_STOP_TIMEOUT:-60}
JAVA_OPTS=${PMKG_NEO4J_JAVA_OPTS:--Xms512m -Xmx1g}

log() { echo "neo4j-test-server: $*" >&2; }
die() { log "error: $*"; exit 1; }

java_bin() {
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then echo "$JAVA_HOME/bin/java"; else echo java; fi
}

# Prints the major version of `java` (8 for "1.8.0_x", 17 for "17.0.15"), or nothing.
java_major() {
    local v
    v=$("$(java_bin)" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1) || true
    [[ -n "$v" ]] || return 0
    [[ "$v" == 1.* ]] && v=${v#1.}
    echo "${v%%[.+-]*}"
}

java_ok() {
    local major
    major=$(java_major)
    [[ -n "$major" && "$major" -ge 17 ]] && command -v javac >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1
}

cmd_ensure_java() {
    if java_ok; then return 0; fi
    local need="a JDK >= 17 (java and javac) and Maven >= 3.6 (mvn)"
    if [[ $(id -u) -eq 0 && -f /etc/debian_version ]] && command -v apt-get >/dev/null 2>&1; then
        log "installing openjdk-17-jdk-headless and maven with apt-get (need $need)"
        apt-get update >&2 || die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
            openjdk-17-jdk-headless maven >&2 \
            || die "apt-get install openjdk-17-jdk-headless maven failed"
        hash -r
        java_ok || die "still missing $need after apt-get install (java: '$(java_major)', $(command -v javac || echo 'no javac'), $(command -v mvn || echo 'no mvn'))"
        return 0
    fi
    die "need $need; found java major '$(java_major)', javac: $(command -v javac || echo missing), mvn: $(command -v mvn || echo missing).
  On Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y openjdk-17-jdk-headless maven
  Elsewhere: install any JDK 17+ and Maven 3.6+, and put java, javac and mvn on PATH (or set JAVA_HOME)."
}

jar_up_to_date() {
    [[ -f "$JAR" ]] || return 1
    [[ -z $(find "$PROJECT_DIR/pom.xml" "$PROJECT_DIR/src" -type f -newer "$JAR" -print -quit) ]]
}

cmd_build() {
    if jar_up_to_date; then log "jar is up to date: $JAR"; return 0; fi
    cmd_ensure_java
    log "building $JAR with Maven (the first build downloads ~125 MB into ~/.m2)"
    # sed: Debian's Maven 3.8 prints stray ANSI resets even with -B -q. pipefail keeps mvn's status.
    # shellcheck disable=SC2086  # PMKG_MVN_ARGS is a list of words
    if ! mvn -B -q -f "$PROJECT_DIR/pom.xml" ${PMKG_MVN_ARGS:-} package 2>&1 \
            | sed -u 's/\x1b\[[0-9;]*m//g' >&2; then
        rm -f "$JAR"
        die "Maven build failed (see above); rerun: mvn -B -f $PROJECT_DIR/pom.xml package"
    fi
    [[ -f "$JAR" ]] || die "Maven succeeded but $JAR is missing"
    touch "$JAR"
    log "built $JAR ($(du -h "$JAR" | cut -f1))"
}

# True if $1 is a live process running our jar (guards against a stale, reused pid).
is_our_server() {
    local pid=$1
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null \
        && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'neo4j-test-server\.jar'
}

running_pid() {
    local pid
    [[ -f "$PID_FILE" ]] || return 1
    pid=$(<"$PID_FILE")
    is_our_server "$pid" && echo "$pid"
}

# The server's temp folder, from the first line of its stderr.
server_home() {
    [[ -f "$LOG_FILE" ]] && sed -n 's/^neo4j-test-server: home \([^ ]*\) .*/\1/p' "$LOG_FILE" | head -n1
}

print_log_tail() {
    local home
    log "---- tail of $LOG_FILE ----"
    [[ -f "$LOG_FILE" ]] && tail -n 40 "$LOG_FILE" >&2
    home=$(server_home || true)
    if [[ -n "$home" && -f "$home/logs/debug.log" ]]; then
        log "---- tail of $home/logs/debug.log ----"
        tail -n 40 "$home/logs/debug.log" >&2
    fi
}

port_open() {  # bash's /dev/tcp: no nc or python needed
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

cmd_start() {
    local port=${1:-${PMKG_NEO4J_PORT:-0}} pid uri bolt_port deadline t0
    if pid=$(running_pid) && [[ -s "$URI_FILE" ]]; then
        log "already running (pid $pid)"
        echo "export PMKG_NEO4J_URI=$(<"$URI_FILE")"
        return 0
    fi
    cmd_build
    mkdir -p "$STATE_DIR"
    rm -f "$PID_FILE" "$URI_FILE" "$OUT_FILE" "$LOG_FILE"

    local -a env_args=()
    [[ -n "${PMKG_NEO4J_PASSWORD:-}" ]] && env_args+=("NEO4J_TEST_PASSWORD=$PMKG_NEO4J_PASSWORD")
    [[ -n "${PMKG_NEO4J_PAGECACHE:-}" ]] && env_args+=("NEO4J_TEST_PAGECACHE=$PMKG_NEO4J_PAGECACHE")
    # Own files for stdout/stderr, so `$(... start)` does not wait for the server to exit.
    # shellcheck disable=SC2086  # JAVA_OPTS is a list of words
    env ${env_args[@]+"${env_args[@]}"} "$(java_bin)" $JAVA_OPTS -jar "$JAR" "$port" \
        </dev/null >"$OUT_FILE" 2>"$LOG_FILE" &
    pid=$!
    t0=$SECONDS
    echo "$pid" >"$PID_FILE"
    log "started pid $pid, waiting up to ${START_TIMEOUT}s for Bolt"

    deadline=$((SECONDS + START_TIMEOUT))
    uri=
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            print_log_tail
            rm -f "$PID_FILE"
            die "server exited during startup (see log above)"
        fi
        uri=$(sed -n 's/^BOLT_URI=//p' "$OUT_FILE" | head -n1)
        if [[ -n "$uri" ]]; then
            bolt_port=${uri##*:}
            port_open "$bolt_port" && break
        fi
        uri=
        sleep 0.2
    done
    if [[ -z "$uri" ]]; then
        print_log_tail
        cmd_stop || true
        die "server not ready within ${START_TIMEOUT}s"
    fi
    echo "$uri" >"$URI_FILE"
    log "ready at $uri after $((SECONDS - t0))s (pid $pid, state in $STATE_DIR)"
    echo "export PMKG_NEO4J_URI=$uri"
}

cmd_stop() {
    local pid home deadline
    if ! pid=$(running_pid); then
        log "not running"
        rm -f "$PID_FILE" "$URI_FILE"
        return 0
    fi
    home=$(server_home || true)
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid still running after ${STOP_TIMEOUT}s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
    if [[ -n "$home" && -d "$home" ]]; then  # only after an unclean stop
        log "removing leftover $home"
        rm -rf "$home"
    fi
    rm -f "$PID_FILE" "$URI_FILE"
    log "stopped pid $pid"
}

cmd_status() {
    local pid
    if pid=$(running_pid); then
        log "running, pid $pid"
        cat "$URI_FILE" 2>/dev/null || true
    else
        log "not running"
        return 1
    fi
}

case "${1:-}" in
    ensure-java) cmd_ensure_java ;;
    build)       cmd_build ;;
    start)       shift; cmd_start "$@" ;;
    stop)        cmd_stop ;;
    status)      cmd_status ;;
    *) echo "usage: $0 {ensure-java|build|start [PORT]|stop|status}" >&2; exit 2 ;;
esac
