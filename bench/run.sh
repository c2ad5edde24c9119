#!/usr/bin/env bash
# Berth benchmarks beside the peers, in one run. Needs root.
#
#   bench/run.sh [network] [--peers docker,podman|none] [--n 200] [--warmup 200]
#
# network: `network create` and `network rm`
#   - Berth via the API (JMH, bench/target/benchmarks.jar; keep-alive connection and a
#     connection per request),
#   - Berth via the real docker CLI 28.2 (/usr/local/bin/docker),
#   - dockerd 20.10 via its docker CLI and podman 4.3 via podman, brought up with the peers'
#     own scripts (../shared/peers/docker-up.sh, podman-up.sh) and timed with the method of
#     ../shared/peers/bench.py (bench_engine: warm-up pair, then alternating create/rm, one
#     CLI invocation timed each), then torn down with ../shared/peers/all-down.sh.
# Prints one markdown table; raw JSON lines and the table go to bench/results/ (gitignored).
#
# Safety: berthd runs in a throwaway network namespace bb-<random> made here and deleted on
# exit (also on failure); it is stopped by its PID. The machine's initial namespace is never
# touched (the peers' scripts run their daemons in namespaces of their own).
#
# Env: BERTH_JAVA_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64), BERTH_PEERS_DIR (default
# ../shared/peers beside the repository), BERTH_DOCKER_CLI (default /usr/local/bin/docker),
# BERTH_DAEMON_JVM_OPTS (extra JVM flags for berthd), BERTH_KEEP_PEERS=1 (skip all-down.sh),
# BERTH_DAEMON_JAR (benchmark another build of berth-daemon.jar; no root build then).
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
PEERS_DIR=$(cd "${BERTH_PEERS_DIR:-$ROOT/../shared/peers}" 2>/dev/null && pwd || echo "${BERTH_PEERS_DIR:-$ROOT/../shared/peers}")
export JAVA_HOME=${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
DOCKER_CLI=${BERTH_DOCKER_CLI:-/usr/local/bin/docker}
PEERS_STATE=/tmp/peers            # fixed by the peers' scripts (pm hard-codes it)
export BERTH_PEERS_DIR=$PEERS_DIR

SUITE=network
PEER_LIST=docker,podman
N=200
WARMUP=200   # JMH warm-up single shots per benchmark: the daemon's JIT needs a few hundred requests

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
usage() { sed -n '3,4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

while [[ $# -gt 0 ]]; do
  case $1 in
    network) SUITE=network; shift ;;
    --peers) PEER_LIST=${2:?}; shift 2 ;;
    --peers=*) PEER_LIST=${1#*=}; shift ;;
    --n) N=${2:?}; shift 2 ;;
    --n=*) N=${1#*=}; shift ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    *) log "unknown argument: $1"; usage ;;
  esac
done
[[ $PEER_LIST == none ]] && PEER_LIST=""
[[ $N =~ ^[0-9]+$ && $N -ge 1 ]] || die "--n wants a positive number"
[[ $(id -u) == 0 ]] || die "run as root: berthd needs a network namespace, the peers need root"
[[ -x $JAVA ]] || die "no Java 25 at $JAVA (set BERTH_JAVA_HOME)"
for p in ${PEER_LIST//,/ }; do
  case $p in docker|podman) ;; *) die "unknown peer $p (docker, podman or none)";; esac
  [[ -x $PEERS_DIR/$p-up.sh ]] || die "no $PEERS_DIR/$p-up.sh (shared/ must be beside the repository)"
done

# ----------------------------------------------------------------------------- build
DAEMON_JAR=${BERTH_DAEMON_JAR:-$ROOT/berth-daemon/target/berth-daemon.jar}
BENCH_JAR=$BENCH/target/benchmarks.jar
stale() { # jar dir...: missing, or a source/pom under the dirs is newer
  local jar=$1; shift
  [[ ! -f $jar ]] && return 0
  [[ -n $(find "$@" \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$jar" -not -path '*/target/*' -print -quit 2>/dev/null) ]]
}
if [[ -z ${BERTH_DAEMON_JAR:-} ]] && stale "$DAEMON_JAR" "$ROOT"/berth-*/ "$ROOT/pom.xml"; then
  log "building Berth (mvn -B -q -DskipTests package at the root)"
  (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
fi
if stale "$BENCH_JAR" "$BENCH/src" "$BENCH/pom.xml"; then
  log "building bench (cd bench && mvn -B -q package)"
  (cd "$BENCH" && mvn -B -q package) >&2
fi

# ----------------------------------------------------------------------------- state, cleanup
STAMP=$(date +%Y%m%d-%H%M%S)
RES=$BENCH/results
mkdir -p "$RES"
OUT=$RES/network-$STAMP.jsonl
TABLE=$RES/network-$STAMP.md
NS=""
DIR=""
BERTH_PID=""
PEERS_TOUCHED=0
NOTES=()

# Long steps run as a background child and are waited for, so that SIGINT/SIGTERM reach the
# trap at once (bash defers traps until a foreground child ends); cleanup ends the child by PID.
CHILD=""
run_child() {
  local rc=0
  "$@" &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  return "$rc"
}

stop_berth() {
  if [[ -n $BERTH_PID ]] && kill -0 "$BERTH_PID" 2>/dev/null; then
    kill -TERM "$BERTH_PID"
    for _ in $(seq 200); do kill -0 "$BERTH_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$BERTH_PID" 2>/dev/null; then log "berthd $BERTH_PID ignored SIGTERM for 20 s: SIGKILL"; kill -KILL "$BERTH_PID"; fi
    wait "$BERTH_PID" 2>/dev/null || true
  fi
  BERTH_PID=""
}

cleanup() {
  local rc=$?
  set +e
  if [[ -n $CHILD ]] && kill -0 "$CHILD" 2>/dev/null; then
    kill -TERM "$CHILD"; wait "$CHILD" 2>/dev/null
  fi
  stop_berth
  if [[ -n $NS ]]; then ip netns del "$NS" 2>/dev/null; NS=""; fi
  if [[ -n $DIR && -d $DIR ]]; then
    [[ -f $DIR/berthd.log ]] && cp "$DIR/berthd.log" "$RES/berthd-$STAMP.log"
    rm -rf "$DIR"
  fi
  if [[ $PEERS_TOUCHED == 1 && ${BERTH_KEEP_PEERS:-0} != 1 ]]; then
    log "tearing the peers down ($PEERS_DIR/all-down.sh)"
    "$PEERS_DIR/all-down.sh" >>"$RES/peers-$STAMP.log" 2>&1 || log "all-down.sh reported a problem: see $RES/peers-$STAMP.log"
    tail -1 "$RES/peers-$STAMP.log" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

meta() { # key json-fields...
  echo "{\"meta\":\"$1\",\"date\":\"$(date -Is)\",\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"${2:+,$2}}" >> "$OUT"
}
json_str() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }

if [[ -n ${BERTH_DAEMON_JAR:-} ]]; then
  BERTH_REV="jar $BERTH_DAEMON_JAR"
else
  BERTH_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  [[ -n $(git -C "$ROOT" status --porcelain -- . ':!bench' 2>/dev/null) ]] && BERTH_REV+="-dirty"
  BERTH_REV+=" ($(git -C "$ROOT" rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?'))"
fi
meta start "\"nproc\":$(nproc),\"kernel\":\"$(uname -r)\",\"berth\":$(json_str "$BERTH_REV"),\"n\":$N,\"peers\":\"$PEER_LIST\""
log "results -> $OUT ; nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) ; berth $BERTH_REV"

# ----------------------------------------------------------------------------- Berth
NS="bb-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
DIR=$(mktemp -d /tmp/bb-bench.XXXXXX)
SOCK=$DIR/berth.sock
ip netns add "$NS"
ip -n "$NS" link set lo up
echo '{}' > "$DIR/daemon.json"
# shellcheck disable=SC2086  # BERTH_DAEMON_JVM_OPTS is a list of flags
nsenter --net="/run/netns/$NS" "$JAVA" --enable-native-access=ALL-UNNAMED ${BERTH_DAEMON_JVM_OPTS:-} \
  -jar "$DAEMON_JAR" -H "unix://$SOCK" --data-root "$DIR/data" --exec-root "$DIR/exec" \
  --config-file "$DIR/daemon.json" >"$DIR/berthd.log" 2>&1 &
BERTH_PID=$!
for _ in $(seq 300); do
  curl -sf --unix-socket "$SOCK" http://berth/_ping >/dev/null 2>&1 && break
  kill -0 "$BERTH_PID" 2>/dev/null || { cat "$DIR/berthd.log" >&2; die "berthd exited during start-up"; }
  sleep 0.1
done
curl -sf --unix-socket "$SOCK" http://berth/_ping >/dev/null || die "berthd did not answer /_ping within 30 s"
log "berthd pid $BERTH_PID in namespace $NS, socket $SOCK"

# Does this berthd implement network create/remove? (main had only the built-in networks.)
probe_code=$(curl -s -o "$DIR/probe.out" -w '%{http_code}' --unix-socket "$SOCK" -X POST \
  -H 'Content-Type: application/json' --data '{"Name":"bprobe","Driver":"bridge"}' \
  http://berth/v1.50/networks/create || true)
if [[ $probe_code == 201 ]]; then
  probe_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Id"])' "$DIR/probe.out")
  curl -sf -o /dev/null --unix-socket "$SOCK" -X DELETE "http://berth/v1.50/networks/$probe_id" \
    || die "berthd created a network but could not remove it"
  BERTH_OK=1
else
  BERTH_OK=0
  NOTES+=("Berth rows not measured: berthd $BERTH_REV answers POST /networks/create with HTTP $probe_code ($(head -c 160 "$DIR/probe.out" | tr -d '\n|'))")
  log "${NOTES[-1]}"
fi

if [[ $BERTH_OK == 1 ]]; then
  log "JMH: create/remove over the API, $WARMUP warm-up + $N measured single shots each (log: $RES/jmh-$STAMP.log)"
  run_child "$JAVA" -jar "$BENCH_JAR" 'dev.berth.bench.NetworkBench.*' -p socket="$SOCK" -p connection="${BERTH_JMH_CONNECTIONS:-KEEPALIVE,FRESH}" \
    -i "$N" -wi "$WARMUP" -f 1 -rf json -rff "$RES/jmh-$STAMP.json" >"$RES/jmh-$STAMP.log" 2>&1 \
    || { tail -40 "$RES/jmh-$STAMP.log" >&2; die "JMH failed"; }
  sed -n '/^Benchmark/,$p' "$RES/jmh-$STAMP.log" | grep -E '^Benchmark|·p0.50|·p0.95|ss +[0-9]' >&2 || true
  python3 "$BENCH/netbench.py" jmh --label "Berth (API via JMH, keep-alive)" \
    --label-fresh "Berth (API via JMH, new connection per request)" --out "$OUT" \
    --log "$RES/jmh-$STAMP.log" "$RES/jmh-$STAMP.json"

  log "docker CLI $("$DOCKER_CLI" --version | cut -d, -f1 | awk '{print $3}') against berthd: $N x create/rm"
  DOCKER_HOST="unix://$SOCK" DOCKER_CONFIG="$DIR/docker-config" \
    run_child python3 "$BENCH/netbench.py" cli --label "Berth (docker CLI 28.2)" --out "$OUT" --n "$N" -- "$DOCKER_CLI"
fi
stop_berth
ip netns del "$NS"; NS=""

# ----------------------------------------------------------------------------- peers
for p in ${PEER_LIST//,/ }; do
  PEERS_TOUCHED=1
  case $p in
    docker)
      log "bringing up dockerd 20.10 ($PEERS_DIR/docker-up.sh default; first time installs docker.io)"
      if run_child "$PEERS_DIR/docker-up.sh" default >>"$RES/peers-$STAMP.log" 2>&1; then
        run_child python3 "$BENCH/netbench.py" cli --label "dockerd 20.10 (docker CLI 20.10)" --out "$OUT" --n "$N" \
          -- /usr/bin/docker -H "unix://$PEERS_STATE/docker/docker.sock" \
          || NOTES+=("dockerd rows failed: see the output above")
      else
        NOTES+=("dockerd not measured: docker-up.sh failed ($(tail -1 "$RES/peers-$STAMP.log" | tr -d '|'))")
        log "${NOTES[-1]}"
      fi ;;
    podman)
      log "bringing up podman 4.3 ($PEERS_DIR/podman-up.sh; first time installs podman)"
      if run_child "$PEERS_DIR/podman-up.sh" >>"$RES/peers-$STAMP.log" 2>&1; then
        run_child python3 "$BENCH/netbench.py" cli --label "podman 4.3 (podman CLI)" --out "$OUT" --n "$N" \
          -- "$PEERS_DIR/pm" || NOTES+=("podman rows failed: see the output above")
      else
        NOTES+=("podman not measured: podman-up.sh failed ($(tail -1 "$RES/peers-$STAMP.log" | tr -d '|'))")
        log "${NOTES[-1]}"
      fi ;;
  esac
done

notes_json=$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "${NOTES[@]}")
meta skipped "\"notes\":$notes_json"
meta end
{
  echo "### network create / rm — $(date -u '+%Y-%m-%d %H:%M UTC'), N=$N per row"
  echo
  python3 "$BENCH/netbench.py" table "$OUT"
  echo
  echo "Command: \`bench/run.sh network --peers ${PEER_LIST:-none} --n $N\`; raw samples: \`bench/results/$(basename "$OUT")\`."
} | tee "$TABLE"
log "table -> $TABLE"
