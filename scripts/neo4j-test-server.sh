#!/usr/bin/env bash
# Build, start and stop a throwaway Neo4j 5.26 LTS Community server for pmkg's tests.
# The server is embedded Neo4j (scripts/neo4j-test-server/, one shaded jar) with Bolt on
# 127.0.0.1, auth off, data in a temp folder that is deleted when it stops.
#
#   scripts/neo4j-test-server.sh ensure-java   # java >= 17 (JDK) and mvn, apt-get installs them if root
#   scripts/neo4j-test-server.sh build         # mvn package, skipped when the jar is up to date
#   out=$(scripts/neo4j-test-server.sh start) && eval "$out"   # sets PMKG_NEO4J_URI
#   scripts/neo4j-test-server.sh status        # lists running servers and their URIs
#   scripts/neo4j-test-server.sh stop          # the server this shell started, else the newest
#   scripts/neo4j-test-server.sh stop --all
#
# Every `start` starts its own server (several test runs may share one checkout), in its own
# run folder <state>/run-XXXXXX/ (pid, uri, logs and a private copy of the jar, so a rebuild
# cannot disturb a running server). `start` prints, and only it writes to stdout:
#   export PMKG_NEO4J_URI=bolt://127.0.0.1:PORT
#   export PMKG_NEO4J_SERVER_DIR=<state>/run-XXXXXX
# and `stop` stops the server named by PMKG_NEO4J_SERVER_DIR, else the newest one
# (<state>/server.pid, server.uri and server.dir always describe the newest).
# All progress and errors go to stderr. In `eval "$(... start)"` a failed start is not seen
# by `set -e`, hence the `out=... && eval` form above.
#
# Environment (all optional):
#   PMKG_NEO4J_STATE_DIR      state folder (default: <repo>/.neo4j-test, gitignored)
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
JAR_NAME=neo4j-test-server.jar
JAR=$PROJECT_DIR/target/$JAR_NAME
STATE_DIR=${PMKG_NEO4J_STATE_DIR:-$REPO_ROOT/.neo4j-test}
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

# One build at a time per checkout (fd 9 holds the lock; closed by unlock_build or on exit).
lock_build() {
    mkdir -p "$PROJECT_DIR/target"
    exec 9>"$PROJECT_DIR/target/.build.lock"
    if command -v flock >/dev/null 2>&1; then flock 9; fi
}
unlock_build() { exec 9>&-; }

jar_up_to_date() {
    [[ -f "$JAR" ]] || return 1
    [[ -z $(find "$PROJECT_DIR/pom.xml" "$PROJECT_DIR/src" -type f -newer "$JAR" -print -quit) ]]
}

build_locked() {
    if jar_up_to_date; then log "jar is up to date: $JAR"; return 0; fi
    cmd_ensure_java
    log "building $JAR with Maven (the first build downloads ~150 MB into ~/.m2)"
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

cmd_build() { lock_build; build_locked; unlock_build; }

# True if process $1 exists and is not a zombie (kill -0 alone says yes to a zombie that
# nobody has reaped yet, e.g. after its parent, this script, has exited).
alive() {
    local state
    state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# Pid of the live server of run folder $1 (checked against its command line, so a stale,
# reused pid is not mistaken for it); fails if it is not running.
run_pid() {
    local pid
    [[ -f "$1/pid" ]] || return 1
    pid=$(<"$1/pid")
    [[ -n "$pid" ]] && alive "$pid" \
        && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF "$1/$JAR_NAME" \
        && echo "$pid"
}

# The server's temp folder, from the first line of its stderr.
run_home() {
    [[ -f "$1/server.log" ]] && sed -n 's/^neo4j-test-server: home \([^ ]*\) .*/\1/p' "$1/server.log" | head -n1
}

print_log_tail() {
    local home
    log "---- tail of $1/server.log ----"
    [[ -f "$1/server.log" ]] && tail -n 40 "$1/server.log" >&2
    home=$(run_home "$1" || true)
    if [[ -n "$home" && -f "$home/logs/debug.log" ]]; then
        log "---- tail of $home/logs/debug.log ----"
        tail -n 40 "$home/logs/debug.log" >&2
    fi
}

port_open() {  # bash's /dev/tcp: no nc or python needed
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Removes run folders whose server is gone (killed, crashed, machine restarted). Careful not
# to take one that another `start` is just setting up: its process exists before
# java runs, and a folder without a pid file is left alone for 10 minutes.
prune_dead_runs() {
    local dir home
    for dir in "$STATE_DIR"/run-*; do
        [[ -d "$dir" ]] || continue
        if [[ -f "$dir/pid" ]]; then
            alive "$(<"$dir/pid")" && continue
        else
            [[ -n $(find "$dir" -maxdepth 0 -mmin +10) ]] || continue
        fi
        home=$(run_home "$dir" || true)
        [[ -n "$home" && -d "$home" ]] && rm -rf "$home"
        rm -rf "$dir"
    done
}

cmd_start() {
    local port=${1:-${PMKG_NEO4J_PORT:-0}} dir pid uri deadline t0
    mkdir -p "$STATE_DIR"
    prune_dead_runs
    lock_build
    build_locked
    dir=$(mktemp -d "$STATE_DIR/run-XXXXXX")
    cp "$JAR" "$dir/$JAR_NAME"
    unlock_build

    local -a env_args=()
    [[ -n "${PMKG_NEO4J_PASSWORD:-}" ]] && env_args+=("NEO4J_TEST_PASSWORD=$PMKG_NEO4J_PASSWORD")
    [[ -n "${PMKG_NEO4J_PAGECACHE:-}" ]] && env_args+=("NEO4J_TEST_PAGECACHE=$PMKG_NEO4J_PAGECACHE")
    : >"$dir/server.out"
    : >"$dir/server.log"
    # Own files for stdout/stderr, so `$(... start)` does not wait for the server to exit.
    # shellcheck disable=SC2086  # JAVA_OPTS is a list of words
    env ${env_args[@]+"${env_args[@]}"} "$(java_bin)" $JAVA_OPTS -jar "$dir/$JAR_NAME" "$port" \
        </dev/null >"$dir/server.out" 2>"$dir/server.log" &
    pid=$!
    t0=$SECONDS
    echo "$pid" >"$dir/pid"
    log "started pid $pid, waiting up to ${START_TIMEOUT}s for Bolt (run folder $dir)"

    deadline=$((SECONDS + START_TIMEOUT))
    uri=
    while ((SECONDS < deadline)); do
        if ! alive "$pid"; then
            print_log_tail "$dir"
            die "server exited during startup (see log above)"
        fi
        uri=$(sed -n 's/^BOLT_URI=//p' "$dir/server.out" | head -n1)
        [[ -n "$uri" ]] && port_open "${uri##*:}" && break
        uri=
        sleep 0.2
    done
    if [[ -z "$uri" ]]; then
        print_log_tail "$dir"
        stop_run "$dir" || true
        die "server not ready within ${START_TIMEOUT}s"
    fi
    echo "$uri" >"$dir/uri"
    echo "$pid" >"$STATE_DIR/server.pid"
    echo "$uri" >"$STATE_DIR/server.uri"
    echo "$dir" >"$STATE_DIR/server.dir"
    log "ready at $uri after $((SECONDS - t0))s (pid $pid)"
    echo "export PMKG_NEO4J_URI=$uri"
    echo "export PMKG_NEO4J_SERVER_DIR=$dir"
}

# Stops the server of run folder $1 and removes the folder.
stop_run() {
    local dir=$1 pid home deadline
    home=$(run_home "$dir" || true)
    if pid=$(run_pid "$dir"); then
        kill -TERM "$pid" 2>/dev/null || true
        deadline=$((SECONDS + STOP_TIMEOUT))
        while alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
        if alive "$pid"; then
            log "pid $pid still running after ${STOP_TIMEOUT}s, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            while alive "$pid"; do sleep 0.1; done
        fi
        log "stopped pid $pid"
    else
        log "not running: $dir"
    fi
    if [[ -n "$home" && -d "$home" ]]; then  # only after an unclean stop
        log "removing leftover $home"
        rm -rf "$home"
    fi
    if [[ -f "$STATE_DIR/server.dir" && "$(<"$STATE_DIR/server.dir")" == "$dir" ]]; then
        rm -f "$STATE_DIR/server.pid" "$STATE_DIR/server.uri" "$STATE_DIR/server.dir"
    fi
    rm -rf "$dir"
}

cmd_stop() {
    local dir
    if [[ "${1:-}" == --all ]]; then
        for dir in "$STATE_DIR"/run-*; do [[ -d "$dir" ]] && stop_run "$dir"; done
        return 0
    fi
    if [[ -n "${PMKG_NEO4J_SERVER_DIR:-}" ]]; then
        dir=$PMKG_NEO4J_SERVER_DIR
    elif [[ -f "$STATE_DIR/server.dir" ]]; then
        dir=$(<"$STATE_DIR/server.dir")
    else
        log "no server recorded in $STATE_DIR"
        return 0
    fi
    [[ -d "$dir" ]] || { log "not running: $dir"; return 0; }
    stop_run "$dir"
}

cmd_status() {
    local dir pid any=1
    for dir in "$STATE_DIR"/run-*; do
        [[ -d "$dir" ]] || continue
        if pid=$(run_pid "$dir"); then
            echo "pid $pid  $(cat "$dir/uri" 2>/dev/null || echo starting)  $dir"
            any=0
        fi
    done
    ((any == 0)) || log "no server running (state in $STATE_DIR)"
    return $any
}

case "${1:-}" in
    ensure-java) cmd_ensure_java ;;
    build)       cmd_build ;;
    start)       shift; cmd_start "$@" ;;
    stop)        shift; cmd_stop "$@" ;;
    status)      cmd_status ;;
    *) echo "usage: $0 {ensure-java|build|start [PORT]|stop [--all]|status}" >&2; exit 2 ;;
esac
