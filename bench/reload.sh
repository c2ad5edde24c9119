#!/usr/bin/env bash
# A live reload of the default bridge: SIGHUP turns IPv6 on (then off) with K running sandboxes
# on it, timed until the last sandbox has its address (has lost it). Needs root. Called as
# `bench/run.sh reload ...` (or directly).
#
#   bench/reload.sh [--sandboxes K] [--reps R]          defaults: K = 100, R = 5
#
# berthd runs in a throwaway namespace bb-<random> (as run.sh's other suites) with daemon.json {}
# (IPv4 only); K sandboxes s1..sK are made on the default bridge (POST /containers/create, no
# process). Each repetition writes {"ipv6": true, "fixed-cidr-v6": "fd00:bb::/80"}, and
# bench/reloadbench.py, holding one rtnetlink socket in every sandbox namespace (subscribed to
# IPv6 address events), sends SIGHUP to berthd by PID and takes the time until every namespace has
# reported its global IPv6 address (RTM_NEWADDR); then {} and the same until every one is gone
# (RTM_DELADDR). The first repetition is reported apart (the JIT is cold). Dockerd has nothing to
# compare: it does not reload any bridge option (../shared/reference/docker-network-behavior.md §6.2).
#
# Env: BERTH_JAVA_HOME, BERTH_DAEMON_JAR, BERTH_DAEMON_JVM_OPTS (as run.sh).
#
# Safety: berthd and the sandboxes live in the namespace made here, deleted on exit also on
# failure; berthd is stopped by its PID; reloadbench.py only listens in the sandbox namespaces;
# the initial namespace is not touched.
set -euo pipefail
export LC_ALL=C

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# shellcheck source=bench/common.sh
. "$BENCH/common.sh"
API=http://berth/v1.50
K=100
REPS=5

while [[ $# -gt 0 ]]; do
  case $1 in
    --sandboxes) K=${2:?}; shift 2 ;;
    --sandboxes=*) K=${1#*=}; shift ;;
    --reps) REPS=${2:?}; shift 2 ;;
    --reps=*) REPS=${1#*=}; shift ;;
    -h|--help) sed -n '5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    *) die "unknown argument: $1 (bench/run.sh reload [--sandboxes K] [--reps R])" ;;
  esac
done
[[ $K =~ ^[0-9]+$ && $REPS =~ ^[0-9]+$ && $REPS -ge 2 ]] || die "--sandboxes and --reps want numbers (reps >= 2)"
[[ $(id -u) == 0 ]] || die "run as root"
[[ -x $JAVA ]] || die "no Java 25 at $JAVA (set BERTH_JAVA_HOME)"

STAMP=$(date +%Y%m%d-%H%M%S)
RES=$BENCH/results
mkdir -p "$RES"
OUT=$RES/reload-$STAMP.jsonl
TABLE=$RES/reload-$STAMP.md
RAND=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
NS="bb-$RAND"
DIR=$(mktemp -d /tmp/bb-reloadbench.XXXXXX)
SOCK=$DIR/berth.sock
BERTH_PID="" MADE=0

cleanup() {
  local rc=$?
  set +e
  if [[ -n $BERTH_PID ]] && kill -0 "$BERTH_PID" 2>/dev/null; then
    for i in $(seq 1 "$MADE"); do
      curl -s -o /dev/null --unix-socket "$SOCK" -X DELETE "$API/containers/s$i?force=1"
    done
  fi
  end_berth_run reload
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

build_berth
BERTH_REV=$(berth_rev)
meta start "\"nproc\":$(nproc),\"kernel\":\"$(uname -r)\",\"berth\":\"$BERTH_REV\",\"sandboxes\":$K,\"reps\":$REPS"
log "results -> $TABLE ; nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) ; berth $BERTH_REV"

ip netns add "$NS"
ip -n "$NS" link set lo up
echo '{}' > "$DIR/daemon.json"
start_berthd
log "making $K sandboxes on the default bridge"
for i in $(seq 1 "$K"); do
  code=$(curl -s -o "$DIR/post.out" -w '%{http_code}' --unix-socket "$SOCK" -X POST \
    -H 'Content-Type: application/json' -d '{"Image":""}' "$API/containers/create?name=s$i")
  [[ $code == 201 ]] || die "create s$i: $code $(cat "$DIR/post.out")"
  MADE=$i
done

on='{"ipv6": true, "fixed-cidr-v6": "fd00:bb::/80"}'
for r in $(seq 1 "$REPS"); do
  for mode in on off; do
    if [[ $mode == on ]]; then echo "$on" > "$DIR/daemon.json"; else echo '{}' > "$DIR/daemon.json"; fi
    line=$(python3 "$BENCH/reloadbench.py" "$BERTH_PID" "$DIR/exec/netns" "$mode") \
      || die "reload $mode (rep $r) did not reach every sandbox: $line"
    echo "{\"rep\":$r,${line#\{}" >> "$OUT"
    log "rep $r ipv6 $mode: $line"
    sleep 0.5
  done
done
grep -c 'Reloaded configuration' "$DIR/berthd.log" >/dev/null || die "berthd logged no reload"
meta end

python3 - "$OUT" "$K" "$BERTH_REV" > "$TABLE" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{"rep"')]
print(f"Reload (SIGHUP) of the default bridge with {sys.argv[2]} sandboxes on it, berth {sys.argv[3]}: "
      "time until the last sandbox has (has lost) its IPv6 address")
print()
print("| change | first reload (cold JIT) | median of the others | max of the others | first sandbox (median) |")
print("| --- | --- | --- | --- | --- |")
for mode, what in (("on", "IPv6 on (+ address, default route)"), ("off", "IPv6 off")):
    ms = [r for r in rows if r["mode"] == mode]
    rest = [r["ms"] for r in ms[1:]]
    first = statistics.median(r["first_ms"] for r in ms[1:])
    print(f"| {what} | {ms[0]['ms']} ms | {round(statistics.median(rest), 1)} ms | {max(rest)} ms | "
          f"{round(first, 1)} ms |")
PY
cat "$TABLE"
