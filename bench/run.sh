#!/usr/bin/env bash
# Berth benchmarks beside the peers, in one run. Needs root.
#
#   bench/run.sh [network|attach] [--peers docker,podman|none] [--n N] [--warmup W]
#                [--sizes 1,100,1000] [--peer-sizes 0,50,100] [--api-peer-sizes 1,100]
#                [--containers] [--routed6[=off]]     (sizes, containers, routed6: attach only)
#   bench/run.sh dns [--peers dnsmasq,aardvark,docker|none]         (bench/dns.sh)
#   bench/run.sh reload [--sandboxes 100] [--reps 5]                (bench/reload.sh)
#   bench/run.sh container [--peers docker,podman|none] [--n 50]    (bench/container.sh)
#   bench/run.sh footprint [--n 30] [--sandboxes 1000] [--reps 5]   (bench/footprint.sh)
#
# network: `network create` and `network rm`
#   - Berth via the API (JMH, bench/target/benchmarks.jar; keep-alive connection and a
#     connection per request),
#   - Berth via the real docker CLI 28.2 (/usr/local/bin/docker),
#   - dockerd 20.10 via its docker CLI and podman 4.3 via podman, brought up with the peers'
#     own scripts (../shared/peers/docker-up.sh, podman-up.sh) and timed with the method of
#     ../shared/peers/bench.py (bench_engine: warm-up pair, then alternating create/rm, one
#     CLI invocation timed each), then torn down with ../shared/peers/all-down.sh;
#   - the same client against the peers: the JMH NetworkBench (keep-alive) against dockerd's
#     socket and against podman's Docker-compatible API (`podman system service`, started here
#     with pm's roots and namespaces and stopped by its PID), the same requests as for Berth.
#     Every JMH run (Berth's too) uses API version 1.41 in its paths (BERTH_BENCH_API): the
#     highest dockerd 20.10 and podman 4.3 speak. The table gets a same-client section with the
#     ratios peer ÷ Berth.
# attach: `network connect` / `network disconnect` of a running sandbox (probe, on network ba)
#   to/from network bb holding K = 1, 100, 1000 other sandboxes (--sizes); defaults N=100, W=500
#   - Berth via the API (JMH AttachBench, one run per K; bb is filled between the sizes by
#     AttachFill, every create timed: the k-th attach), then via the docker CLI 28.2;
#     berthd's VmRSS at 0, 1, 100, 1000 sandboxes; all sandboxes removed via the API at the end;
#   - dockerd / podman with K = 0, 50, 100 running containers (--peer-sizes), bench_engine's
#     probe() method (../shared/peers/bench.py) with N connect/disconnect pairs per size;
#   - the same client against the peers: AttachFill + JMH AttachBench (settleMs 0) against dockerd's
#     socket and podman's API service at K = --api-peer-sizes (default 1,100), with the same
#     bodies as for Berth. With peers in the run (or --containers), every probe and fill on every
#     daemon, Berth included, is a busybox:local container running `sleep 3600` (created, then
#     started; Berth gets the image with `docker import` of the same busybox-static rootfs);
#     without, Berth's sandboxes are image-less as before.
#   --routed6: bb also has IPv6 2001:db8::1:0:0:0/80 in gateway mode routed, inside the /64 of an
#     uplink eth0 (2001:db8::2/64, a veth whose peer stays in the bench namespace), so every attach
#     to bb also makes its NDP proxy entry (Berth rows only; the peers have no such thing).
#     --routed6=off: the same with daemon.json {"ndp-proxy": false}, to tell the NDP proxy's cost
#     from IPv6's.
# dns: the embedded DNS server under dnsperf (max QPS, p50/p99 at 10k QPS, CPU per query), local
#   and forwarded names, beside ../shared/peers/dns-bench.sh's dnsmasq / aardvark / Docker; all in
#   bench/dns.sh, which run.sh hands over to.
# container: containers from an image (run --rm, run -d + rm -f, exec, start to network-ready)
#   beside dockerd and podman; all in bench/container.sh, which run.sh hands over to.
# footprint: the berth CLI's start-up (network ls, run --rm) beside the docker CLI's against the same
#   berthd, and berthd's start-up time and RSS, empty and with 1000 sandboxes, with the launcher's
#   settings (./berth, ./berth daemon: JVM flags, AOT caches); all in bench/footprint.sh.
# reload: SIGHUP turning IPv6 on (then off) for the default bridge with 100 sandboxes on it, timed
#   until the last sandbox has its address; Berth only (dockerd reloads no bridge option); all in
#   bench/reload.sh, which run.sh hands over to.
# Prints one markdown table; raw JSON lines and the table go to bench/results/ (gitignored).
#
# Safety: berthd runs in a throwaway network namespace bb-<random> made here and deleted on
# exit (also on failure); it is stopped by its PID. The machine's initial namespace is never
# touched (the peers' scripts run their daemons in namespaces of their own).
#
# Env: BERTH_JAVA_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64), BERTH_PEERS_DIR (default
# ../shared/peers beside the repository), BERTH_DOCKER_CLI (default /usr/local/bin/docker),
# BERTH_DAEMON_JVM_OPTS (extra JVM flags for berthd), BERTH_KEEP_PEERS=1 (skip all-down.sh),
# BERTH_DAEMON_JAR (benchmark another build of berth-daemon.jar; no root build then),
# BERTH_BENCH_API (API version of the JMH requests, default 1.41), BERTH_PEER_WARMUP (JMH warm-up
# shots against a peer, default 20: Go, no JIT), BERTH_PEER_API_BUDGET_S (attach: start no further
# peer size through the API after this, default 420), BERTH_PEER_FILL_MAX_S (a peer's fill through
# the API stops after this, default 600) and BERTH_PEER_MIN_MEM_MIB (... or when MemAvailable drops
# below this, default 4096): the size is then left out with a note.
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# shellcheck source=bench/common.sh
. "$BENCH/common.sh"
DOCKER_CLI=${BERTH_DOCKER_CLI:-/usr/local/bin/docker}
PEERS_STATE=/tmp/peers            # fixed by the peers' scripts (pm hard-codes it)
export BERTH_PEERS_DIR=$PEERS_DIR

SUITE=network
PEER_LIST=docker,podman
N=""
WARMUP=""    # JMH warm-up single shots per benchmark: the daemon's JIT needs a few hundred requests
SIZES=1,100,1000
PEER_SIZES=0,50,100
API_PEER_SIZES=1,100
CONTAINERS=0   # attach: busybox:local containers running sleep instead of image-less sandboxes
API_VERSION=${BERTH_BENCH_API:-1.41}
PEER_WARMUP=${BERTH_PEER_WARMUP:-20}
PEER_API_BUDGET_S=${BERTH_PEER_API_BUDGET_S:-420}
PEER_FILL_MAX_S=${BERTH_PEER_FILL_MAX_S:-600}     # attach: a peer's fill through the API stops after this
PEER_MIN_MEM_MIB=${BERTH_PEER_MIN_MEM_MIB:-4096}  # ... or when the machine's MemAvailable drops below this
PODMAN_SOCK=/tmp/peers/podman/api.sock   # podman system service, started and stopped here
PODMAN_SVC_PID=""
ROUTED6=0
NDP_OFF=0
BERTH_BUDGET_S=${BERTH_ATTACH_BUDGET_S:-480}   # attach: start no further Berth size after this

usage() { sed -n '3,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

if [[ ${1:-} == dns ]]; then shift; exec "$BENCH/dns.sh" "$@"; fi
if [[ ${1:-} == reload ]]; then shift; exec "$BENCH/reload.sh" "$@"; fi
if [[ ${1:-} == container ]]; then shift; exec "$BENCH/container.sh" "$@"; fi
if [[ ${1:-} == footprint ]]; then shift; exec "$BENCH/footprint.sh" "$@"; fi

while [[ $# -gt 0 ]]; do
  case $1 in
    network) SUITE=network; shift ;;
    attach) SUITE=attach; shift ;;
    --sizes) SIZES=${2:?}; shift 2 ;;
    --sizes=*) SIZES=${1#*=}; shift ;;
    --peer-sizes) PEER_SIZES=${2:?}; shift 2 ;;
    --peer-sizes=*) PEER_SIZES=${1#*=}; shift ;;
    --api-peer-sizes) API_PEER_SIZES=${2:?}; shift 2 ;;
    --api-peer-sizes=*) API_PEER_SIZES=${1#*=}; shift ;;
    --containers) CONTAINERS=1; shift ;;
    --peers) PEER_LIST=${2:?}; shift 2 ;;
    --peers=*) PEER_LIST=${1#*=}; shift ;;
    --n) N=${2:?}; shift 2 ;;
    --n=*) N=${1#*=}; shift ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --routed6) ROUTED6=1; shift ;;
    --routed6=off) ROUTED6=1; NDP_OFF=1; shift ;;
    -h|--help) usage ;;
    *) log "unknown argument: $1"; usage ;;
  esac
done
[[ $PEER_LIST == none ]] && PEER_LIST=""
# attach: 500, because the first size's run is the fresh daemon's first connects: with 100 its
# samples still fell from 5-7 to 3 ms while K=100 ran at 1.5 (the cold row keeps the first 100)
if [[ $SUITE == attach ]]; then N=${N:-100}; WARMUP=${WARMUP:-500}; else N=${N:-200}; WARMUP=${WARMUP:-200}; fi
VARIANT="" ROUTED6_FLAG="" SETUP_VARIANT=()   # --routed6: row labels, the command line, AttachFill setup
[[ $ROUTED6 == 1 ]] && { VARIANT=", bb routed IPv6 + NDP proxy"; ROUTED6_FLAG=" --routed6"; SETUP_VARIANT=(routed6); }
[[ $NDP_OFF == 1 ]] && { VARIANT=", bb routed IPv6, ndp-proxy false"; ROUTED6_FLAG=" --routed6=off"; }
[[ $SIZES =~ ^[0-9]+(,[0-9]+)*$ && $PEER_SIZES =~ ^[0-9]+(,[0-9]+)*$ && $API_PEER_SIZES =~ ^[0-9]+(,[0-9]+)*$ ]] \
  || die "--sizes / --peer-sizes / --api-peer-sizes want e.g. 1,100,1000"
[[ $API_VERSION =~ ^1\.[0-9]+$ && $PEER_WARMUP =~ ^[0-9]+$ ]] || die "BERTH_BENCH_API wants e.g. 1.41, BERTH_PEER_WARMUP a number"
[[ -n $PEER_LIST && $SUITE == attach ]] && CONTAINERS=1   # the same thing attached on every side
IMAGE_PROPS=()                        # AttachFill: -Dberth.image when containers run a process
[[ $CONTAINERS == 1 ]] && { IMAGE_PROPS=(-Dberth.image=busybox:local); VARIANT+=", busybox:local containers running sleep"; }
[[ $N =~ ^[0-9]+$ && $N -ge 1 ]] || die "--n wants a positive number"
[[ $(id -u) == 0 ]] || die "run as root: berthd needs a network namespace, the peers need root"
[[ -x $JAVA ]] || die "no Java 25 at $JAVA (set BERTH_JAVA_HOME)"
for p in ${PEER_LIST//,/ }; do
  case $p in docker|podman) ;; *) die "unknown peer $p (docker, podman or none)";; esac
  [[ -x $PEERS_DIR/$p-up.sh ]] || die "no $PEERS_DIR/$p-up.sh (shared/ must be beside the repository)"
done

# ----------------------------------------------------------------------------- build
BENCH_JAR=$BENCH/target/benchmarks.jar
build_berth
if stale "$BENCH_JAR" "$BENCH/src" "$BENCH/pom.xml" "$ROOT/berth-api/src"; then
  log "building bench (mvn -B -q -P bench -pl bench -am -DskipTests package at the root)"
  (cd "$ROOT" && mvn -B -q -P bench -pl bench -am -DskipTests package) >&2
fi

# ----------------------------------------------------------------------------- state, cleanup
STAMP=$(date +%Y%m%d-%H%M%S)
RES=$BENCH/results
mkdir -p "$RES"
OUT=$RES/$SUITE-$STAMP.jsonl
TABLE=$RES/$SUITE-$STAMP.md
NS=""
DIR=""
BERTH_PID=""
PEERS_TOUCHED=0
NOTES=()

cleanup() {
  local rc=$?
  set +e
  if [[ -n $CHILD ]] && kill -0 "$CHILD" 2>/dev/null; then
    kill -TERM "$CHILD"; wait "$CHILD" 2>/dev/null
  fi
  berth_teardown
  podman_service_stop
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
# podman's Docker-compatible API: `podman system service` through pm (namespace podmanhost, its
# mount namespace and roots), no idle timeout; stopped by its PID (pm execs nsenter, which execs
# podman: $! is podman). Containers it started keep running under conmon; podman-down.sh removes them.
podman_service_start() {
  rm -f "$PODMAN_SOCK"
  "$PEERS_DIR/pm" system service --time=0 "unix://$PODMAN_SOCK" >>"$RES/podman-service-$STAMP.log" 2>&1 &
  PODMAN_SVC_PID=$!
  for _ in $(seq 150); do
    curl -sf --unix-socket "$PODMAN_SOCK" http://podman/_ping >/dev/null 2>&1 && return 0
    kill -0 "$PODMAN_SVC_PID" 2>/dev/null || { PODMAN_SVC_PID=""; return 1; }
    sleep 0.1
  done
  return 1
}
podman_service_stop() {
  if [[ -n $PODMAN_SVC_PID ]] && kill -0 "$PODMAN_SVC_PID" 2>/dev/null; then
    kill -TERM "$PODMAN_SVC_PID"
    for _ in $(seq 100); do kill -0 "$PODMAN_SVC_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$PODMAN_SVC_PID" 2>/dev/null && { log "podman service $PODMAN_SVC_PID ignored SIGTERM for 10 s: SIGKILL"; kill -KILL "$PODMAN_SVC_PID"; }
    wait "$PODMAN_SVC_PID" 2>/dev/null || true
  fi
  PODMAN_SVC_PID=""
  rm -f "$PODMAN_SOCK"
}
# attach: stopping berthd does not delete sandboxes (each is a netns file bind-mounted under
# <exec-root>/netns): remove them through the API first, then stop, then check that the
# directory is empty (unmount and remove what is left, loudly), then delete the namespace.
ATTACH_SETUP=0
berth_teardown() {
  if [[ $ATTACH_SETUP == 1 && -n $BERTH_PID ]] && kill -0 "$BERTH_PID" 2>/dev/null; then
    log "removing all sandboxes via the API (DELETE /containers/{id}?force=1)"
    timeout 600 "$JAVA" -Dberth.api="$API_VERSION" "${IMAGE_PROPS[@]}" -cp "$BENCH_JAR" dev.berth.bench.AttachFill clean "$SOCK" "$OUT" >&2 \
      || log "clean-up via the API reported a problem (see above)"
  fi
  ATTACH_SETUP=0
  stop_berth
  local left
  left=$(sweep_netns_dir)   # empty when already swept: a second teardown finds nothing
  if [[ -n $left ]]; then
    [[ $left != 0 ]] && NOTES+=("$left sandbox namespaces were left under the exec root after berthd stopped (unmounted and removed by run.sh)")
    [[ -n ${OUT:-} && -f $OUT ]] && echo "{\"meta\":\"netns_left\",\"count\":$left}" >> "$OUT"
  fi
  if [[ -n $NS ]]; then ip netns del "$NS" 2>/dev/null; NS=""; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

json_str() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }

BERTH_REV=$(berth_rev)
meta start "\"nproc\":$(nproc),\"kernel\":\"$(uname -r)\",\"berth\":$(json_str "$BERTH_REV"),\"n\":$N,\"peers\":\"$PEER_LIST\",\"api\":\"$API_VERSION\",\"warmup\":$WARMUP,\"peer_warmup\":$PEER_WARMUP"
log "results -> $OUT ; nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) ; berth $BERTH_REV"

# ----------------------------------------------------------------------------- Berth
NS="bb-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
DIR=$(mktemp -d /tmp/bb-bench.XXXXXX)
SOCK=$DIR/berth.sock
ip netns add "$NS"
ip -n "$NS" link set lo up
if [[ $ROUTED6 == 1 ]]; then
  # The host's LAN /64 on an uplink eth0; both veth ends stay in the bench namespace.
  ip -n "$NS" link add eth0 type veth peer name up0
  ip -n "$NS" addr add 2001:db8::2/64 dev eth0 nodad
  ip -n "$NS" link set up0 up
  ip -n "$NS" link set eth0 up
fi
if [[ $NDP_OFF == 1 ]]; then echo '{"ndp-proxy": false}' > "$DIR/daemon.json"; else echo '{}' > "$DIR/daemon.json"; fi
start_berthd
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

if [[ $BERTH_OK == 1 && $SUITE == attach ]]; then
  AF=("$JAVA" -Dberth.api="$API_VERSION" "${IMAGE_PROPS[@]}" -cp "$BENCH_JAR" dev.berth.bench.AttachFill)
  if [[ $CONTAINERS == 1 ]]; then
    make_busybox_tar "$DIR"
    DOCKER_CONFIG="$DIR/docker-config" "$DOCKER_CLI" -H "unix://$SOCK" import -c 'CMD ["sh"]' "$DIR/busybox-rootfs.tar" busybox:local >/dev/null \
      || die "docker import of busybox:local into berthd failed"
    rm -rf "$DIR/rootfs"
    log "imported busybox:local into berthd"
  fi
  rss() { # label
    local kb
    kb=$(awk '/^VmRSS:/{print $2}' "/proc/$BERTH_PID/status")
    echo "{\"meta\":\"rss\",\"label\":\"$1\",\"vmrss_kb\":$kb,\"date\":\"$(date -Is)\"}" >> "$OUT"
    log "berthd VmRSS $((kb / 1024)) MiB ($1)"
  }
  ATTACH_SETUP=1
  run_child "${AF[@]}" setup "$SOCK" "${SETUP_VARIANT[@]}" >&2 || die "AttachFill setup failed"
  rss "0 sandboxes on bb (probe on ba only)"
  CLI_VER=$("$DOCKER_CLI" --version | cut -d, -f1 | awk '{print $3}')
  t_attach=$SECONDS
  have=0
  for K in ${SIZES//,/ }; do
    if (( SECONDS - t_attach > BERTH_BUDGET_S )); then
      NOTES+=("Berth K=$K and above not measured: the $BERTH_BUDGET_S s budget (BERTH_ATTACH_BUDGET_S) was used up after $((SECONDS - t_attach)) s at K=$have")
      log "${NOTES[-1]}"; break
    fi
    if (( K > have )); then
      log "fill: sandboxes bs$((have + 1))..bs$K on bb (each create timed)"
      run_child "${AF[@]}" fill "$SOCK" "$have" "$K" "$OUT" "Berth (API, keep-alive$VARIANT)" >&2 || die "fill to $K failed"
      have=$K
      rss "$K sandboxes on bb"
      if [[ $ROUTED6 == 1 ]]; then
        entries=$(ip -n "$NS" -6 neigh show proxy | grep -c 'dev eth0 proxy proto 98' || true)
        echo "{\"meta\":\"note\",\"text\":\"routed6: $entries NDP proxy entries of Berth on eth0 with $K sandboxes on bb\"}" >> "$OUT"
        log "routed6: $entries NDP proxy entries on eth0 with $K sandboxes on bb"
      fi
    fi
    log "JMH AttachBench k=$K: connect/disconnect over the API, $WARMUP warm-up + $N measured single shots each"
    run_child "$JAVA" -jar "$BENCH_JAR" 'dev.berth.bench.AttachBench.*' -p socket="$SOCK" -p k="$K" -p settleMs="${BERTH_ATTACH_SETTLE_MS:-0,50}" -p api="$API_VERSION" \
      -i "$N" -wi "$WARMUP" -f 1 -rf json -rff "$RES/jmh-attach-$STAMP-k$K.json" >"$RES/jmh-attach-$STAMP-k$K.log" 2>&1 \
      || { tail -40 "$RES/jmh-attach-$STAMP-k$K.log" >&2; die "JMH failed at k=$K"; }
    # the first size's log: its warm-up connects are the first the fresh daemon served (the cold row)
    cold_log=(); [[ $K == "${SIZES%%,*}" ]] && cold_log=(--log "$RES/jmh-attach-$STAMP-k$K.log")
    python3 "$BENCH/attachbench.py" jmh --label "Berth (API via JMH, keep-alive$VARIANT)" --engine Berth --size "$K" --out "$OUT" \
      "${cold_log[@]}" "$RES/jmh-attach-$STAMP-k$K.json" >&2
    log "docker CLI $CLI_VER against berthd, k=$K: $N x connect/disconnect"
    DOCKER_HOST="unix://$SOCK" DOCKER_CONFIG="$DIR/docker-config" \
      run_child python3 "$BENCH/attachbench.py" cli --label "Berth (docker CLI $CLI_VER$VARIANT)" --size "$K" \
        --out "$OUT" --n "$N" -- "$DOCKER_CLI" >&2 || die "docker CLI connect/disconnect failed at k=$K"
  done
  rss "$have sandboxes on bb, after all measurements"
fi

if [[ $BERTH_OK == 1 && $SUITE == network ]]; then
  log "JMH: create/remove over the API, $WARMUP warm-up + $N measured single shots each (log: $RES/jmh-$STAMP.log)"
  run_child "$JAVA" -jar "$BENCH_JAR" 'dev.berth.bench.NetworkBench.*' -p socket="$SOCK" -p connection="${BERTH_JMH_CONNECTIONS:-KEEPALIVE,FRESH}" -p api="$API_VERSION" \
    -i "$N" -wi "$WARMUP" -f 1 -rf json -rff "$RES/jmh-$STAMP.json" >"$RES/jmh-$STAMP.log" 2>&1 \
    || { tail -40 "$RES/jmh-$STAMP.log" >&2; die "JMH failed"; }
  sed -n '/^Benchmark/,$p' "$RES/jmh-$STAMP.log" | grep -E '^Benchmark|·p0.50|·p0.95|ss +[0-9]' >&2 || true
  python3 "$BENCH/netbench.py" jmh --label "Berth (API via JMH, keep-alive)" --engine Berth \
    --label-fresh "Berth (API via JMH, new connection per request)" --out "$OUT" \
    --log "$RES/jmh-$STAMP.log" "$RES/jmh-$STAMP.json"

  log "docker CLI $("$DOCKER_CLI" --version | cut -d, -f1 | awk '{print $3}') against berthd: $N x create/rm"
  DOCKER_HOST="unix://$SOCK" DOCKER_CONFIG="$DIR/docker-config" \
    run_child python3 "$BENCH/netbench.py" cli --label "Berth (docker CLI 28.2)" --out "$OUT" --n "$N" -- "$DOCKER_CLI"
fi
berth_teardown

# ----------------------------------------------------------------------------- peers
peer_measure() { # label cli...: the suite's driver against one peer's CLI
  local label=$1; shift
  if [[ $SUITE == attach ]]; then
    local extra=(); [[ $label == podman* ]] && extra=(--podman)
    run_child python3 "$BENCH/attachbench.py" peer --label "$label" --out "$OUT" --n "$N" \
      --sizes "$PEER_SIZES" "${extra[@]}" -- "$@" >&2
  else
    run_child python3 "$BENCH/netbench.py" cli --label "$label" --out "$OUT" --n "$N" -- "$@"
  fi
}
# The same client against a peer's API socket: JMH with the same requests as for Berth (keep-alive,
# API $API_VERSION), $PEER_WARMUP warm-up shots. attach: AttachFill makes ba, bb and the probe, fills
# bb to each K of --api-peer-sizes, removes everything again (all-down.sh does it on failure).
peer_api() { # engine label socket tag
  local engine=$1 label=$2 sock=$3 tag=$4 jr=$RES/jmh-$SUITE-$STAMP-$4
  if [[ $SUITE == network ]]; then
    log "JMH NetworkBench against $engine ($sock): $PEER_WARMUP warm-up + $N measured single shots each"
    run_child "$JAVA" -jar "$BENCH_JAR" 'dev.berth.bench.NetworkBench.*' -p socket="$sock" -p connection=KEEPALIVE -p api="$API_VERSION" \
      -i "$N" -wi "$PEER_WARMUP" -f 1 -rf json -rff "$jr.json" >"$jr.log" 2>&1 \
      || { tail -40 "$jr.log" >&2; return 1; }
    python3 "$BENCH/netbench.py" jmh --label "$label" --engine "$engine" --out "$OUT" "$jr.json"
    return
  fi
  local af=("$JAVA" -Dberth.api="$API_VERSION" "${IMAGE_PROPS[@]}" -Dberth.fill.minAvailableMiB="$PEER_MIN_MEM_MIB" \
    -Dberth.fill.maxSeconds="$PEER_FILL_MAX_S" -cp "$BENCH_JAR" dev.berth.bench.AttachFill) have=0 t0=$SECONDS rc=0 frc
  run_child "${af[@]}" setup "$sock" >&2 || return 1
  for K in ${API_PEER_SIZES//,/ }; do
    if (( SECONDS - t0 > PEER_API_BUDGET_S )); then
      NOTES+=("$engine through the API: K=$K and above not measured, the $PEER_API_BUDGET_S s budget (BERTH_PEER_API_BUDGET_S) was used up after $((SECONDS - t0)) s at K=$have")
      log "${NOTES[-1]}"; break
    fi
    if (( K > have )); then
      log "fill $engine: containers bs$((have + 1))..bs$K on bb through the API (each create + start timed)"
      frc=0
      run_child "${af[@]}" fill "$sock" "$have" "$K" "$OUT" "${label/API via JMH/API}" >&2 || frc=$?
      if [[ $frc == 3 ]]; then
        NOTES+=("$engine through the API: K=$K not measured, the fill stopped early (limits: ${PEER_FILL_MAX_S} s per fill, MemAvailable ≥ ${PEER_MIN_MEM_MIB} MiB; see the fill line)")
        log "${NOTES[-1]}"; break
      fi
      [[ $frc == 0 ]] || { rc=1; break; }
      have=$K
    fi
    log "JMH AttachBench against $engine, k=$K: $PEER_WARMUP warm-up + $N measured single shots each"
    run_child "$JAVA" -jar "$BENCH_JAR" 'dev.berth.bench.AttachBench.*' -p socket="$sock" -p k="$K" -p settleMs=0 -p api="$API_VERSION" \
      -i "$N" -wi "$PEER_WARMUP" -f 1 -rf json -rff "$jr-k$K.json" >"$jr-k$K.log" 2>&1 \
      || { tail -40 "$jr-k$K.log" >&2; rc=1; break; }
    python3 "$BENCH/attachbench.py" jmh --label "$label" --engine "$engine" --size "$K" --out "$OUT" "$jr-k$K.json" >&2
  done
  log "removing $engine's bench containers and networks through the API"
  run_child "${af[@]}" clean "$sock" >&2 || rc=1
  return "$rc"
}

for p in ${PEER_LIST//,/ }; do
  PEERS_TOUCHED=1
  case $p in
    docker)
      log "bringing up dockerd 20.10 ($PEERS_DIR/docker-up.sh default; first time installs docker.io)"
      if run_child "$PEERS_DIR/docker-up.sh" default >>"$RES/peers-$STAMP.log" 2>&1; then
        peer_measure "dockerd 20.10 (docker CLI 20.10)" /usr/bin/docker -H "unix://$PEERS_STATE/docker/docker.sock" \
          || NOTES+=("dockerd rows failed or incomplete: see the output above")
        peer_api dockerd "dockerd 20.10 (API via JMH, keep-alive$VARIANT)" "$PEERS_STATE/docker/docker.sock" dockerd \
          || NOTES+=("dockerd API rows (same client) failed or incomplete: see the output above")
      else
        NOTES+=("dockerd not measured: docker-up.sh failed ($(tail -1 "$RES/peers-$STAMP.log" | tr -d '|'))")
        log "${NOTES[-1]}"
      fi ;;
    podman)
      log "bringing up podman 4.3 ($PEERS_DIR/podman-up.sh; first time installs podman)"
      if run_child "$PEERS_DIR/podman-up.sh" >>"$RES/peers-$STAMP.log" 2>&1; then
        peer_measure "podman 4.3 (podman CLI)" "$PEERS_DIR/pm" \
          || NOTES+=("podman rows failed or incomplete: see the output above")
        if podman_service_start; then
          log "podman system service pid $PODMAN_SVC_PID, socket $PODMAN_SOCK"
          peer_api podman "podman 4.3 (API via JMH, keep-alive, podman system service$VARIANT)" "$PODMAN_SOCK" podman \
            || NOTES+=("podman API rows (same client) failed or incomplete: see the output above")
          podman_service_stop
        else
          NOTES+=("podman API rows not measured: podman system service did not answer /_ping (see $RES/podman-service-$STAMP.log)")
          log "${NOTES[-1]}"; podman_service_stop
        fi
      else
        NOTES+=("podman not measured: podman-up.sh failed ($(tail -1 "$RES/peers-$STAMP.log" | tr -d '|'))")
        log "${NOTES[-1]}"
      fi ;;
  esac
done

notes_json=$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "${NOTES[@]}")
meta skipped "\"notes\":$notes_json"
meta end
if [[ $SUITE == attach ]]; then
  {
    echo "### network connect / disconnect of a running sandbox — $(date -u '+%Y-%m-%d %H:%M UTC'), N=$N per row"
    echo
    python3 "$BENCH/attachbench.py" table "$OUT"
    echo
    echo "Command: \`bench/run.sh attach --peers ${PEER_LIST:-none} --n $N --warmup $WARMUP --sizes $SIZES --peer-sizes $PEER_SIZES --api-peer-sizes $API_PEER_SIZES${ROUTED6_FLAG}\`; raw samples: \`bench/results/$(basename "$OUT")\`."
  } | tee "$TABLE"
else
{
  echo "### network create / rm — $(date -u '+%Y-%m-%d %H:%M UTC'), N=$N per row"
  echo
  python3 "$BENCH/netbench.py" table "$OUT"
  echo
  echo "Command: \`bench/run.sh network --peers ${PEER_LIST:-none} --n $N\`; raw samples: \`bench/results/$(basename "$OUT")\`."
} | tee "$TABLE"
fi
log "table -> $TABLE"
