#!/usr/bin/env bash
# The berth CLI's start-up beside the docker CLI's, and berthd's start-up time and memory, all with
# the launcher's settings (./berth, ./berth daemon: JVM flags and AOT caches). Needs root. Called
# as `bench/run.sh footprint ...` (or directly).
#
#   bench/footprint.sh [--n N] [--warmup W] [--sandboxes K] [--reps R] [--settle S]
#                                          defaults N = 30, W = 3, K = 1000, R = 5, S = 10
#
# berthd: started by `./berth daemon` (BERTH_NO_BUILD_CHECK=1: built just before) in a throwaway
# namespace bb-<random>; bench/footprintbench.py forks it and polls HEAD /_ping every 2 ms: "ready"
# is fork to first 200. First start on a fresh data root (SQLite's native library is unpacked
# once), then R restarts with the empty store; RSS (VmRSS) is read S seconds after each start
# (idle). Then the CLI rows on the running daemon: N rounds, each running every command once in
# turn after W untimed runs, each invocation timed around fork+exec+exit (as ../shared/peers/
# bench.py times a CLI): `./berth` and the docker CLI 28.2 (/usr/local/bin/docker) against the
# same socket. Then K sandboxes on network bnet (POST /containers/create, no image, no process),
# RSS after S seconds; then R restarts restoring them (ready, and RSS S seconds after the last).
# Finally every sandbox is removed through the API.
#
# Targets (issue 13): `berth network ls` median <= 150 ms, `berth run --rm --network NET -- true`
# median <= 250 ms; berthd ready <= 0.6 s with an empty store and <= 2 s with 1000 sandboxes to
# restore; RSS <= 100 MiB idle and <= 200 MiB with 1000 sandboxes.
#
# Env: BERTH_JAVA_HOME, BERTH_DOCKER_CLI (as run.sh).
#
# Safety: berthd and its sandboxes live in the namespace made here, deleted on exit also on
# failure; berthd is stopped by its PID; the initial namespace is not touched.
set -euo pipefail
export LC_ALL=C

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# shellcheck source=bench/common.sh
. "$BENCH/common.sh"
DAEMON_JAR=$ROOT/berth-daemon/target/berth-daemon.jar   # the launcher's own build, whatever BERTH_DAEMON_JAR says
DOCKER_CLI=${BERTH_DOCKER_CLI:-/usr/local/bin/docker}
API=http://berth/v1.50
N=30 WARMUP=3 K=1000 REPS=5 SETTLE=10

while [[ $# -gt 0 ]]; do
  case $1 in
    --n) N=${2:?}; shift 2 ;;
    --n=*) N=${1#*=}; shift ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --warmup=*) WARMUP=${1#*=}; shift ;;
    --sandboxes) K=${2:?}; shift 2 ;;
    --sandboxes=*) K=${1#*=}; shift ;;
    --reps) REPS=${2:?}; shift 2 ;;
    --reps=*) REPS=${1#*=}; shift ;;
    --settle) SETTLE=${2:?}; shift 2 ;;
    --settle=*) SETTLE=${1#*=}; shift ;;
    -h|--help) sed -n '5,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    *) die "unknown argument: $1 (bench/run.sh footprint [--n N] [--warmup W] [--sandboxes K] [--reps R] [--settle S])" ;;
  esac
done
for v in "$N" "$WARMUP" "$K" "$REPS" "$SETTLE"; do [[ $v =~ ^[0-9]+$ ]] || die "--n, --warmup, --sandboxes, --reps, --settle want numbers"; done
[[ $N -ge 1 && $REPS -ge 1 ]] || die "--n and --reps want at least 1"
[[ $(id -u) == 0 ]] || die "run as root"
[[ -x $JAVA ]] || die "no Java 25 at $JAVA (set BERTH_JAVA_HOME)"
[[ -x $DOCKER_CLI ]] || die "no docker CLI at $DOCKER_CLI (set BERTH_DOCKER_CLI)"

STAMP=$(date +%Y%m%d-%H%M%S)
RES=$BENCH/results
mkdir -p "$RES"
OUT=$RES/footprint-$STAMP.jsonl
TABLE=$RES/footprint-$STAMP.md
NS="bb-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
DIR=$(mktemp -d /tmp/bb-footprint.XXXXXX)
SOCK=$DIR/berth.sock
BERTH_PID="" FILLED=0

cleanup() {
  local rc=$?
  set +e
  if [[ -n $CHILD ]] && kill -0 "$CHILD" 2>/dev/null; then kill -TERM "$CHILD"; wait "$CHILD" 2>/dev/null; fi
  if [[ $FILLED == 1 && -n $BERTH_PID ]] && kill -0 "$BERTH_PID" 2>/dev/null; then
    python3 "$BENCH/footprintbench.py" drain "$SOCK" >&2
  fi
  end_berth_run footprint
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ----------------------------------------------------------------------------- build
# The launcher builds what is stale and trains the AOT caches; a cache older than its jar (a
# `mvn package` by hand) means a full `./berth build`, so that the caches are measured.
"$ROOT/berth" --version >/dev/null
if grep -q AOTCacheOutput "$ROOT/berth"; then # (a launcher from before the caches: measured as it is)
  for pair in berth-cli/target/berth-cli berth-daemon/target/berth-daemon; do
    if [[ ! $ROOT/$pair.aot -nt $ROOT/$pair.jar ]]; then
      log "no fresh $pair.aot: ./berth build"
      "$ROOT/berth" build
      break
    fi
  done
fi
CACHES=""
for pair in berth-cli/target/berth-cli berth-daemon/target/berth-daemon; do
  [[ -f $ROOT/$pair.aot ]] && CACHES+="${pair##*/}.aot $(( $(stat -c %s "$ROOT/$pair.aot") / 1048576 )) MiB, "
done
BERTH_REV=$(berth_rev)
meta start "\"nproc\":$(nproc),\"kernel\":\"$(uname -r)\",\"berth\":\"$BERTH_REV\",\"n\":$N,\"sandboxes\":$K,\"reps\":$REPS,\"settle_s\":$SETTLE,\"caches\":\"${CACHES%, }\""
log "results -> $TABLE ; nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) ; berth $BERTH_REV ; ${CACHES%, }"

ip netns add "$NS"
ip -n "$NS" link set lo up
echo '{}' > "$DIR/daemon.json"

start() { # what: berthd by the launcher, timed to its first answer; sets BERTH_PID, records ready_ms
  local line
  line=$(BERTH_NO_BUILD_CHECK=1 python3 "$BENCH/footprintbench.py" start "$SOCK" "$DIR/berthd.log" \
    nsenter --net="/run/netns/$NS" "$ROOT/berth" daemon -H "unix://$SOCK" --data-root "$DIR/data" \
    --exec-root "$DIR/exec" --config-file "$DIR/daemon.json") || die "berthd did not start: $(tail -5 "$DIR/berthd.log")"
  BERTH_PID=$(sed 's/.*"pid": \([0-9]*\).*/\1/' <<<"$line")
  echo "{\"step\":\"ready\",\"what\":\"$1\",${line#\{}" >> "$OUT"
  log "$1: $line"
}
rss() { # what: VmRSS of berthd after SETTLE seconds idle
  sleep "$SETTLE"
  local kib
  kib=$(awk '/^VmRSS/ {print $2}' "/proc/$BERTH_PID/status")
  echo "{\"step\":\"rss\",\"what\":\"$1\",\"kib\":$kib,\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "$OUT"
  log "$1: VmRSS $((kib / 1024)) MiB"
}

# ----------------------------------------------------------------------------- daemon, empty store
start first
rss first
for r in $(seq 1 "$REPS"); do
  stop_berth
  start empty
  rss empty
done

# ----------------------------------------------------------------------------- CLI rows
code=$(curl -s -o "$DIR/post.out" -w '%{http_code}' --unix-socket "$SOCK" -X POST -H 'Content-Type: application/json' \
  -d '{"Name":"bnet"}' "$API/networks/create")
[[ $code == 201 ]] || die "network create bnet: $code $(cat "$DIR/post.out")"
H="-H unix://$SOCK"
PAIRS=("berth network ls" "$ROOT/berth $H network ls"
       "docker network ls" "$DOCKER_CLI $H network ls"
       "berth network ls (no AOT cache)" "env BERTH_NO_AOT=1 $ROOT/berth $H network ls"
       "berth --version" "$ROOT/berth --version"
       "berth run --rm --network bnet -- true" "$ROOT/berth $H run --rm --network bnet -- true")
if [[ -x /bin/busybox ]]; then # the docker CLI wants an image: busybox-static's, as bench/container.sh
  mkdir -p "$DIR/rootfs/bin"
  cp /bin/busybox "$DIR/rootfs/bin/busybox"
  chroot "$DIR/rootfs" /bin/busybox --install -s /bin
  tar -C "$DIR/rootfs" -cf "$DIR/rootfs.tar" .
  "$DOCKER_CLI" -H "unix://$SOCK" import -c 'CMD ["sh"]' "$DIR/rootfs.tar" busybox:local >/dev/null
  PAIRS+=("docker run --rm --network bnet busybox:local true" "$DOCKER_CLI $H run --rm --network bnet busybox:local true")
else
  log "no /bin/busybox: no docker run row (apt-get install busybox-static)"
fi
log "CLI rows: $N rounds of ${#PAIRS[@]}/2 commands (after $WARMUP untimed runs each)"
run_child python3 "$BENCH/footprintbench.py" cli "$N" "$WARMUP" "${PAIRS[@]}" > "$DIR/cli.jsonl"
sed 's/^{/{"step":"cli",/' "$DIR/cli.jsonl" >> "$OUT"

# ----------------------------------------------------------------------------- K sandboxes
if [[ $K -gt 0 ]]; then
  log "making $K sandboxes on bnet"
  FILLED=1
  line=$(python3 "$BENCH/footprintbench.py" fill "$SOCK" "$K" bnet)
  echo "{\"step\":\"fill\",${line#\{}" >> "$OUT"
  log "fill: $line"
  rss filled
  for r in $(seq 1 "$REPS"); do
    stop_berth
    start restore
  done
  rss restored
  log "removing the $K sandboxes"
  python3 "$BENCH/footprintbench.py" drain "$SOCK" >&2
  FILLED=0
fi
meta end

python3 - "$OUT" "$K" "$BERTH_REV" > "$TABLE" <<'PY'
import json, math, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
k, rev = int(sys.argv[2]), sys.argv[3]
meta = {r["meta"]: r for r in rows if "meta" in r}
def med(xs): return statistics.median(xs)
def p95(xs): s = sorted(xs); return s[max(0, math.ceil(0.95 * len(s)) - 1)]
def verdict(value, target): return "met" if value <= target else "**not met**"
print(f"berth CLI and berthd footprint, launcher settings, berth {rev}, {meta['start']['caches'] or 'no AOT caches'}; "
      f"load {meta['start']['loadavg']} → {meta['end']['loadavg']}")
print()
print("| row | median | p95 | min | docker CLI 28.2, same daemon (median) | target | |")
print("| --- | --- | --- | --- | --- | --- | --- |")
cli = {r["label"]: r["samples_ms"] for r in rows if r.get("step") == "cli"}
targets = {"berth network ls": 150, "berth run --rm --network bnet -- true": 250}
peers = {"berth network ls": "docker network ls",
         "berth network ls (no AOT cache)": "docker network ls",
         "berth run --rm --network bnet -- true": "docker run --rm --network bnet busybox:local true"}
for label, xs in cli.items():
    if label.startswith("docker"):
        continue
    peer = cli.get(peers.get(label, ""), [])
    peer_text = f"{med(peer):.1f} ms ({med(xs) / med(peer):.1f}×)" if peer else ""
    t = targets.get(label)
    print(f"| `{label}` | {med(xs):.1f} ms | {p95(xs):.1f} ms | {min(xs):.1f} ms | {peer_text} | "
          f"{'≤ %d ms' % t if t else ''} | {verdict(med(xs), t) if t else ''} |")
ready = {w: [r["ready_ms"] for r in rows if r.get("step") == "ready" and r["what"] == w] for w in ("first", "empty", "restore")}
rss = {r["what"]: r["kib"] / 1024 for r in rows if r.get("step") == "rss"}
rss_empty = [r["kib"] / 1024 for r in rows if r.get("step") == "rss" and r["what"] == "empty"]
def ready_row(label, xs, target):
    if xs:
        t = f"≤ {target} ms" if target else ""
        print(f"| {label} | {med(xs):.0f} ms | {max(xs):.0f} ms (max) | {min(xs):.0f} ms | | {t} | {verdict(med(xs), target) if target else ''} |")
ready_row("berthd ready, first start (fresh data root)", ready["first"], None)
ready_row(f"berthd ready, empty store ({len(ready['empty'])} starts)", ready["empty"], 600)
ready_row(f"berthd ready, {k} sandboxes to restore ({len(ready['restore'])} starts)", ready["restore"], 2000)
if rss_empty:
    print(f"| berthd RSS idle, empty store ({len(rss_empty)} starts) | {med(rss_empty):.0f} MiB | {max(rss_empty):.0f} MiB (max) "
          f"| {min(rss_empty):.0f} MiB | | ≤ 100 MiB | {verdict(med(rss_empty), 100)} |")
for what, label in (("filled", f"berthd RSS, {k} sandboxes made"), ("restored", f"berthd RSS, {k} sandboxes restored")):
    if what in rss:
        print(f"| {label} | {rss[what]:.0f} MiB | | | | ≤ 200 MiB | {verdict(rss[what], 200)} |")
fill = [r for r in rows if r.get("step") == "fill"]
if fill:
    print()
    print(f"{fill[0]['sandboxes']} sandboxes made in {fill[0]['ms'] / 1000:.1f} s (one kept-alive connection).")
PY
cat "$TABLE"
