#!/usr/bin/env bash
# Containers from an image, Berth beside dockerd 20.10 and podman 4.3 in one run, each through its
# own CLI. Needs root. Called as `bench/run.sh container ...` (or directly).
#
#   bench/container.sh [--peers docker,podman|none] [--n N]            default N = 50
#
# Every engine gets the same busybox-static rootfs imported as busybox:local (`import -c 'CMD
# ["sh"]'`) and a user network bnet, then bench/containerbench.py times, N times each after a
# warm-up: `run --rm busybox:local true` (default network, --network none, --network bnet),
# `run -d --network bnet ... sleep` + `rm -f`, `exec c1 true`, and start-to-network-ready (`run -d
# -p PORT:80 ... httpd`, until 127.0.0.1:PORT accepts). The driver runs inside each engine's
# network namespace. Berth is driven by the docker CLI 28.2 (/usr/local/bin/docker), dockerd by
# Debian's docker CLI, podman by podman (../shared/peers/d and pm).
#
# Targets (issue #12): Berth's `run --rm true` <= 0.5 x dockerd's and <= podman's; the network
# part of a start (run --network bnet minus run --network none, medians) <= 10 ms.
#
# Env: BERTH_JAVA_HOME, BERTH_DAEMON_JAR, BERTH_DAEMON_JVM_OPTS, BERTH_PEERS_DIR,
# BERTH_KEEP_PEERS=1 (as run.sh).
#
# Safety: berthd runs in a throwaway namespace bb-<random>, stopped by its PID; its containers are
# removed through the API before it stops; the namespace and the temp dir go on exit, also on
# failure. The peers run in their own namespaces and are torn down by ../shared/peers/all-down.sh.
set -euo pipefail
export LC_ALL=C

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# shellcheck source=bench/common.sh
. "$BENCH/common.sh"
DOCKER_CLI=/usr/local/bin/docker
PEER_LIST=docker,podman
N=50
PORT=18080

while [[ $# -gt 0 ]]; do
  case $1 in
    --peers) PEER_LIST=${2:?}; shift 2 ;;
    --peers=*) PEER_LIST=${1#*=}; shift ;;
    --n) N=${2:?}; shift 2 ;;
    --n=*) N=${1#*=}; shift ;;
    -h|--help) sed -n '5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    *) die "unknown argument: $1 (bench/run.sh container [--peers docker,podman|none] [--n N])" ;;
  esac
done
[[ $PEER_LIST == none ]] && PEER_LIST=""
[[ $N =~ ^[0-9]+$ && $N -ge 1 ]] || die "--n wants a positive number"
[[ $(id -u) == 0 ]] || die "run as root"
[[ -x $JAVA ]] || die "no Java 25 at $JAVA (set BERTH_JAVA_HOME)"
[[ -x /bin/busybox ]] || die "no /bin/busybox (apt-get install busybox-static)"
for p in ${PEER_LIST//,/ }; do
  case $p in docker|podman) ;; *) die "unknown peer $p (docker, podman or none)";; esac
  [[ -x $PEERS_DIR/$p-up.sh ]] || die "no $PEERS_DIR/$p-up.sh (shared/ must be beside the repository)"
done

STAMP=$(date +%Y%m%d-%H%M%S)
RES=$BENCH/results
mkdir -p "$RES"
export BENCH_OUT=$RES/container-$STAMP.jsonl
OUT=$BENCH_OUT
TABLE=$RES/container-$STAMP.md
NS="bb-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
DIR=$(mktemp -d /tmp/bb-containerbench.XXXXXX)
SOCK=$DIR/berth.sock
BERTH_PID="" PEERS_TOUCHED=0

cleanup() {
  local rc=$?
  set +e
  if [[ -n $BERTH_PID ]] && kill -0 "$BERTH_PID" 2>/dev/null; then
    for c in $("$DOCKER_CLI" -H "unix://$SOCK" ps -aq 2>/dev/null); do
      "$DOCKER_CLI" -H "unix://$SOCK" rm -f "$c" >/dev/null 2>&1
    done
  fi
  end_berth_run container
  if [[ $PEERS_TOUCHED == 1 && ${BERTH_KEEP_PEERS:-0} != 1 ]]; then
    log "tearing the peers down ($PEERS_DIR/all-down.sh)"
    "$PEERS_DIR/all-down.sh" >>"$RES/peers-$STAMP.log" 2>&1 || log "all-down.sh reported a problem: see $RES/peers-$STAMP.log"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

build_berth
BERTH_REV=$(berth_rev)
meta start "\"nproc\":$(nproc),\"kernel\":\"$(uname -r)\",\"berth\":\"$BERTH_REV\",\"n\":$N,\"peers\":\"$PEER_LIST\""
log "results -> $TABLE ; nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) ; berth $BERTH_REV"

# The same rootfs for every engine (as ../shared/peers/common.sh's build_busybox_tar makes it).
make_busybox_tar "$DIR"

# ----------------------------------------------------------------------------- Berth
ip netns add "$NS"
ip -n "$NS" link set lo up
echo '{}' > "$DIR/daemon.json"
start_berthd
log "berthd pid $BERTH_PID in namespace $NS"
B=("$DOCKER_CLI" -H "unix://$SOCK")
"${B[@]}" import -c 'CMD ["sh"]' "$DIR/busybox-rootfs.tar" busybox:local >/dev/null
"${B[@]}" network create bnet >/dev/null
nsenter --net="/run/netns/$NS" python3 "$BENCH/containerbench.py" berth "$N" busybox:local bnet "$PORT" "${B[@]}"
meta berth_rss "\"vmrss_kb\":$(awk '/VmRSS/{print $2}' "/proc/$BERTH_PID/status")"
"${B[@]}" network rm bnet >/dev/null

# ----------------------------------------------------------------------------- peers
for p in ${PEER_LIST//,/ }; do
  PEERS_TOUCHED=1
  log "bringing $p up ($PEERS_DIR/$p-up.sh)"
  "$PEERS_DIR/$p-up.sh" >>"$RES/peers-$STAMP.log" 2>&1 || die "$p-up.sh failed: see $RES/peers-$STAMP.log"
  case $p in
    docker) cli=("$PEERS_DIR/d"); pns=dockerhost; name=dockerd ;;
    podman) cli=("$PEERS_DIR/pm"); pns=podmanhost; name=podman ;;
  esac
  "${cli[@]}" network rm bnet >/dev/null 2>&1 || true
  "${cli[@]}" network create bnet >/dev/null
  nsenter --net="/run/netns/$pns" python3 "$BENCH/containerbench.py" "$name" "$N" busybox:local bnet "$PORT" "${cli[@]}"
  "${cli[@]}" network rm bnet >/dev/null
done
meta end

python3 - "$OUT" "$BERTH_REV" "$N" > "$TABLE" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{"peer"')]
peers = list(dict.fromkeys(r["peer"] for r in rows))
ops = list(dict.fromkeys(r["op"] for r in rows))
cell = {(r["peer"], r["op"]): r for r in rows}
print(f"Containers, berth {sys.argv[2]}, N = {sys.argv[3]} each: median (p90) ms, one CLI invocation per sample")
print()
print("| operation | " + " | ".join(peers) + " |")
print("| --- |" + " --- |" * len(peers))
for op in ops:
    print(f"| {op} | " + " | ".join(
        f"{cell[(p, op)]['median_ms']} ({cell[(p, op)]['p90_ms']})" if (p, op) in cell else "" for p in peers) + " |")
print()
for p in peers:
    net = next((cell[(p, o)]["median_ms"] for o in ops if o.startswith("run --rm --network bnet") and (p, o) in cell), None)
    none = cell.get((p, "run --rm --network none true"))
    if net is not None and none:
        print(f"- {p}: network part of a start (run --network bnet minus --network none, medians): "
              f"{round(net - none['median_ms'], 2)} ms")
b = cell.get(("berth", "run --rm true"))
for p in ("dockerd", "podman"):
    o = cell.get((p, "run --rm true"))
    if b and o:
        print(f"- run --rm true: berth / {p} = {round(b['median_ms'] / o['median_ms'], 2)}")
PY
cat "$TABLE"
