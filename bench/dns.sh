#!/usr/bin/env bash
# The embedded DNS server under dnsperf, beside dnsmasq / aardvark-dns / Docker's resolver, in
# one run. Needs root. Called as `bench/run.sh dns ...` (or directly).
#
#   bench/dns.sh [--peers dnsmasq,aardvark,docker|none]      default peers: dnsmasq,aardvark
#
# Berth: berthd in a throwaway namespace bb-<random> (as run.sh's other suites), daemon.json
# {"dns": ["192.0.2.53"]}; user network dnsbnet (--ipv6, 172.18.0.0/16 + fd00:1::/64) with 50
# sandboxes c1..c50 at 172.18.0.2..51 / fd00:1::2..51 (POST /containers/create, no process);
# dnsperf runs in c1's network namespace against 127.0.0.11:53 (the sandbox's port-53 NAT sends
# it to berthd's listener), with ../shared/peers/dns-bench.sh's query file, parameters and
# measurements. The upstream is dnsmasq in a second namespace bb-<random>u at 192.0.2.53 (veth
# from berthd's namespace) answering ext1.example..ext50.example (A + AAAA) and NXDOMAIN for
# anything else; the forwarded runs ask for those names. "dnsmasq (forwarding, no cache)" is
# dnsmasq in berthd's namespace on 127.0.0.1 with --server=192.0.2.53 --cache-size=0, asked the
# same forwarded names the same way. Then ../shared/peers/dns-bench.sh for the peers; one table.
#
# Env (same meaning as dns-bench.sh): REPS=3 DUR=15 CLIENTS=4 THREADS=1 RATE=10000 NXQ=2000;
# BERTH_DNS_WARMUP=20 (s of unthrottled local queries before Berth is measured: the JIT),
# BERTH_DNS_FWD_WARMUP=10 (the same for forwarded names), BERTH_JAVA_HOME, BERTH_PEERS_DIR,
# BERTH_DAEMON_JAR, BERTH_DAEMON_JVM_OPTS (e.g. a JFR recording), BERTH_DNS_SKIP_FWD=1,
# BERTH_DNS_LOADGEN=1 (0: no DnsLoad rows), BERTH_DNS_LOAD_REPS=5 (DnsLoad repetitions; each runs
# Berth's local names, Berth's `c999 A` and dnsmasq's local names in turn, the order rotating from one
# repetition to the next; then one run alternating Berth's local names and `c999 A` in phases,
# DnsLoad's --alternate), BERTH_DNS_LOAD_DUR=5 (s measured per DnsLoad run), BERTH_DNS_LOAD_WARM=2 (s
# of the client's unmeasured start per run), BERTH_DNS_LOAD_Q="100 400" (DnsLoad's queries in flight, a
# row per window: 100 is dnsperf's -q; with 400 the window is not what limits a server that answers on
# two threads), BERTH_DNS_ALT_PHASE=1, BERTH_DNS_ALT_BLOCKS=4 and BERTH_DNS_ALT_WARM=4 (the alternating
# run: s per phase, measured blocks of four phases A B B A, s of one unmeasured block before them),
# BERTH_DNS_DNSPERF=0 (Berth's dnsperf runs on the local names left out: DnsLoad only),
# BERTH_DNS_METRICS_ADDR=127.0.0.1:9323 (berthd serves metrics there: what counting costs; the
# queries it counted are logged at the end), BERTH_DNS_NEG_TTL=0 (daemon.json dns-neg-ttl: 0 sends
# every c999 upstream, as before the negative TTL; unset: the default, 5 s), BERTH_DNS_ANSWER_PATH=0
# (no JMH AnswerPathBench: the server's own work per answer, local names against `c999 A` from the
# answer cache, without sockets; run once Berth's namespaces are gone, about 2 min).
#
# Safety: everything runs in the namespaces made here (and dns-bench.sh's own dnsb-*), deleted on
# exit also on failure; processes are stopped by their PID; the initial namespace is not touched.
set -euo pipefail
export LC_ALL=C

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# shellcheck source=bench/common.sh
. "$BENCH/common.sh"
export REPS=${REPS:-3} DUR=${DUR:-15} CLIENTS=${CLIENTS:-4} THREADS=${THREADS:-1} RATE=${RATE:-10000} NXQ=${NXQ:-2000}
WARM=${BERTH_DNS_WARMUP:-20}
FWD_WARM=${BERTH_DNS_FWD_WARMUP:-10}
PEER_LIST=dnsmasq,aardvark
UP4=192.0.2.53 HOST4=192.0.2.1
API=http://berth/v1.50

while [[ $# -gt 0 ]]; do
  case $1 in
    --peers) PEER_LIST=${2:?}; shift 2 ;;
    --peers=*) PEER_LIST=${1#*=}; shift ;;
    -h|--help) sed -n '5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    *) die "unknown argument: $1 (bench/run.sh dns [--peers dnsmasq,aardvark,docker|none])" ;;
  esac
done
[[ $PEER_LIST == none ]] && PEER_LIST=""
for p in ${PEER_LIST//,/ }; do case $p in dnsmasq|aardvark|docker) ;; *) die "unknown peer $p";; esac; done
[[ $(id -u) == 0 ]] || die "run as root"
[[ -x $JAVA ]] || die "no Java 25 at $JAVA (set BERTH_JAVA_HOME)"
[[ -z $PEER_LIST || -x $PEERS_DIR/dns-bench.sh ]] || die "no $PEERS_DIR/dns-bench.sh (shared/ must be beside the repository)"
if ! command -v dnsperf >/dev/null || ! command -v dnsmasq >/dev/null || [[ ! -x /usr/bin/time ]]; then
  log "installing dnsperf, dnsmasq-base, time (apt-get)"
  apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q dnsperf dnsmasq-base time >&2
fi
if [[ ,$PEER_LIST, == *,aardvark,* && ! -x /usr/lib/podman/aardvark-dns ]]; then
  log "installing aardvark-dns (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q aardvark-dns >&2
fi

# ----------------------------------------------------------------------------- build
build_berth
BENCH_JAR=$BENCH/target/benchmarks.jar
LOADGEN=${BERTH_DNS_LOADGEN:-1} LOAD_DUR=${BERTH_DNS_LOAD_DUR:-5} LOAD_Q=${BERTH_DNS_LOAD_Q:-100 400}
LOAD_REPS=${BERTH_DNS_LOAD_REPS:-5} LOAD_WARM=${BERTH_DNS_LOAD_WARM:-2} DNSPERF_LOCAL=${BERTH_DNS_DNSPERF:-1}
ALT_PHASE=${BERTH_DNS_ALT_PHASE:-1} ALT_BLOCKS=${BERTH_DNS_ALT_BLOCKS:-4} ALT_WARM=${BERTH_DNS_ALT_WARM:-4}
if [[ $LOADGEN == 1 ]] && stale "$BENCH_JAR" "$BENCH/src" "$BENCH/pom.xml" "$ROOT/berth-api/src"; then
  log "building bench (mvn -B -q -P bench -pl bench -am -DskipTests package at the root)"
  (cd "$ROOT" && mvn -B -q -P bench -pl bench -am -DskipTests package) >&2
fi

# ----------------------------------------------------------------------------- state, cleanup
STAMP=$(date +%Y%m%d-%H%M%S)
RES=$BENCH/results
mkdir -p "$RES"
OUT=$RES/dns-$STAMP.jsonl
TABLE=$RES/dns-$STAMP.md
RAWDIR=$RES/dns-$STAMP-raw
mkdir -p "$RAWDIR"
TSV=$RAWDIR/berth.tsv; : > "$TSV"
RAND=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
NS="bb-$RAND" UPNS="bb-${RAND}u" LNS="bb-${RAND}d"
DIR=$(mktemp -d /tmp/bb-dnsbench.XXXXXX)
chmod 755 "$DIR"               # dnsmasq reads its hosts file as nobody
SOCK=$DIR/berth.sock
BERTH_PID="" SANDBOXES=0
NOTES=()

stop_pid() { # pid cmdline-substring: TERM (KILL after 10 s) if it is still that process
  local pid=$1 pat=$2
  [[ -n $pid ]] || return 0
  if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$pat"; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { log "pid $pid ignored SIGTERM: SIGKILL"; kill -KILL "$pid"; }
  fi
  wait "$pid" 2>/dev/null || true
}

berth_teardown() {
  if [[ $SANDBOXES == 1 && -n $BERTH_PID ]] && kill -0 "$BERTH_PID" 2>/dev/null; then
    local failed=0
    for i in $(seq 1 50); do
      curl -s -o /dev/null --unix-socket "$SOCK" -X DELETE "$API/containers/c$i?force=1" || failed=$((failed + 1))
    done
    curl -s -o /dev/null --unix-socket "$SOCK" -X DELETE "$API/networks/dnsbnet" || true
    log "sandboxes removed via the API ($failed requests failed)"
  fi
  SANDBOXES=0
  if [[ -n $BERTH_PID ]]; then stop_pid "$BERTH_PID" berth-daemon.jar; BERTH_PID=""; fi
  local left
  left=$(sweep_netns_dir)
  if [[ -n $left && $left != 0 ]]; then
    NOTES+=("$left sandbox namespaces were left after berthd stopped (unmounted and removed by dns.sh)")
  fi
}

cleanup() {
  local rc=$?
  set +e
  if [[ -n $CHILD ]] && kill -0 "$CHILD" 2>/dev/null; then kill -TERM "$CHILD"; wait "$CHILD" 2>/dev/null; fi
  berth_teardown
  [[ -s $DIR/fwd.pid ]] && stop_pid "$(cat "$DIR/fwd.pid")" "$DIR/fwd"
  [[ -s $DIR/up.pid ]] && stop_pid "$(cat "$DIR/up.pid")" "$DIR/ext-hosts"
  [[ -s $DIR/local.pid ]] && stop_pid "$(cat "$DIR/local.pid")" "$DIR/local-hosts"
  for ns in "$NS" "$UPNS" "$LNS"; do ip netns list | awk '{print $1}' | grep -qx "$ns" && ip netns del "$ns"; done
  [[ -f $DIR/berthd.log ]] && cp "$DIR/berthd.log" "$RES/berthd-dns-$STAMP.log"
  rm -rf "$DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

BERTH_REV=$(berth_rev)
meta start "\"nproc\":$(nproc),\"kernel\":\"$(uname -r)\",\"berth\":\"$BERTH_REV\",\"peers\":\"$PEER_LIST\",\"dnsperf\":\"$(dnsperf -h 2>&1 | grep -m1 -o 'Version [0-9.]*')\",\"params\":\"-c $CLIENTS -T $THREADS, max -l $DUR, rate -l $DUR -Q $RATE -v, nx -n $NXQ -t 1, reps $REPS, warm-up $WARM s local and c999 + $FWD_WARM s forwarded; DnsLoad: $LOAD_REPS interleaved reps, -q $LOAD_Q, $LOAD_WARM s + $LOAD_DUR s per run\""
log "results -> $TABLE ; nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) ; berth $BERTH_REV"

# ----------------------------------------------------------------------------- inputs
: > "$DIR/queries.txt"; : > "$DIR/fwd-queries.txt"; : > "$DIR/ext-hosts"
for i in $(seq 1 50); do
  printf 'c%d A\nc%d AAAA\n' "$i" "$i" >> "$DIR/queries.txt"            # as dns-bench.sh
  printf 'ext%d.example A\next%d.example AAAA\n' "$i" "$i" >> "$DIR/fwd-queries.txt"
  printf '198.18.0.%d ext%d.example\n2001:db8:e::%d ext%d.example\n' "$((i + 1))" "$i" "$((i + 1))" "$i" >> "$DIR/ext-hosts"
done
echo "c999 A" > "$DIR/nx.txt"
# Berth's warm-up asks the local names and, as often, `c999 A`: both paths the runs compare are
# compiled from a profile that has seen them (it did not close NX's gap of 0-1 %: bench/README)
{ cat "$DIR/queries.txt"; for _ in $(seq 1 100); do cat "$DIR/nx.txt"; done; } > "$DIR/warm-queries.txt"
cp "$DIR/queries.txt" "$DIR/fwd-queries.txt" "$DIR/ext-hosts" "$RAWDIR/"

# ----------------------------------------------------------------------------- namespaces, upstream
ip netns add "$NS"
ip netns add "$UPNS"
ip -n "$NS" link set lo up
ip -n "$UPNS" link set lo up
ip -n "$NS" link add bbup0 type veth peer name bbup1 netns "$UPNS"
ip -n "$NS" addr add "$HOST4/24" dev bbup0
ip -n "$UPNS" addr add "$UP4/24" dev bbup1
ip -n "$NS" link set bbup0 up
ip -n "$UPNS" link set bbup1 up
# The upstream: knows ext*.example, NXDOMAIN for every other name (--domain-needed: plain
# names; --local=/#/: every domain is local-only), never forwards further.
ip netns exec "$UPNS" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-hosts \
  --addn-hosts="$DIR/ext-hosts" --no-resolv --domain-needed --local=/#/ --listen-address="$UP4" \
  --bind-interfaces --port=53 --pid-file="$DIR/up.pid.dnsmasq" --log-facility="$DIR/up.log" &
echo $! > "$DIR/up.pid"
for _ in $(seq 50); do ip netns exec "$UPNS" ss -lun | grep -q "$UP4:53 " && break; sleep 0.1; done
kill -0 "$(cat "$DIR/up.pid")" 2>/dev/null || die "upstream dnsmasq did not start: $(tail -3 "$DIR/up.log")"
ip netns exec "$NS" dnsperf -s "$UP4" -d "$DIR/fwd-queries.txt" -n 1 -v -t 1 2>&1 | grep '^> ' | grep -vq '^> NOERROR' \
  && die "the upstream does not answer every ext name"
log "upstream dnsmasq pid $(cat "$DIR/up.pid") in $UPNS at $UP4"

# ----------------------------------------------------------------------------- berthd
CONF="\"dns\": [\"$UP4\"]"
[[ -n ${BERTH_DNS_METRICS_ADDR:-} ]] && CONF+=", \"metrics-addr\": \"$BERTH_DNS_METRICS_ADDR\""
[[ -n ${BERTH_DNS_NEG_TTL:-} ]] && CONF+=", \"dns-neg-ttl\": $BERTH_DNS_NEG_TTL"
echo "{$CONF}" > "$DIR/daemon.json"
log "daemon.json {$CONF}"
start_berthd
log "berthd pid $BERTH_PID in namespace $NS"

post() { # path json -> body on stdout; dies on a non-2xx status
  local code
  code=$(curl -s -o "$DIR/post.out" -w '%{http_code}' --unix-socket "$SOCK" -X POST \
    -H 'Content-Type: application/json' --data "$2" "$API$1") || true
  [[ $code == 2* ]] || die "POST $1 -> HTTP $code: $(head -c 300 "$DIR/post.out")"
  cat "$DIR/post.out"
}
SANDBOXES=1
post /networks/create '{"Name":"dnsbnet","Driver":"bridge","EnableIPv6":true,"IPAM":{"Driver":"default","Config":[{"Subnet":"172.18.0.0/16"},{"Subnet":"fd00:1::/64"}]}}' >/dev/null
t0=$SECONDS
for i in $(seq 1 50); do
  id=$(post "/containers/create?name=c$i" "{\"Image\":\"\",\"HostConfig\":{\"NetworkMode\":\"dnsbnet\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\"dnsbnet\":{\"IPAMConfig\":{\"IPv4Address\":\"172.18.0.$((i + 1))\",\"IPv6Address\":\"fd00:1::$((i + 1))\"}}}}}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["Id"])')
  [[ $i == 1 ]] && C1=$id
done
log "network dnsbnet and sandboxes c1..c50 created in $((SECONDS - t0)) s"
C1NS=$DIR/exec/netns/${C1:0:12}
[[ -e $C1NS ]] || die "no namespace file $C1NS for c1"
C1EXEC=(nsenter --net="$C1NS")

# Every name must answer before measuring: one lost query stalls dnsperf's window.
check_all() { # query-file label
  local bad=1
  for _ in $(seq 10); do
    bad=$("${C1EXEC[@]}" dnsperf -s 127.0.0.11 -d "$1" -n 1 -v -t 1 2>&1 | grep '^> ' | grep -vc '^> NOERROR' || true)
    [[ $bad == 0 ]] && return 0
    log "$2: $bad of 100 queries not answered yet"; sleep 1
  done
  die "$2: $bad of 100 queries unanswered, not measuring"
}
check_all "$DIR/queries.txt" "Berth local names"
[[ ${BERTH_DNS_SKIP_FWD:-0} == 1 ]] || check_all "$DIR/fwd-queries.txt" "Berth forwarded names"

# ----------------------------------------------------------------------------- measuring
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
idle_pct() { # whole-machine idle % over 1 s (as dns-bench.sh)
  local a b
  read -r -a a < /proc/stat; sleep 1; read -r -a b < /proc/stat
  awk -v u0="${a[1]}" -v n0="${a[2]}" -v s0="${a[3]}" -v i0="${a[4]}" -v w0="${a[5]}" -v q0="${a[6]}" -v r0="${a[7]}" -v t0="${a[8]}" \
      -v u1="${b[1]}" -v n1="${b[2]}" -v s1="${b[3]}" -v i1="${b[4]}" -v w1="${b[5]}" -v q1="${b[6]}" -v r1="${b[7]}" -v t1="${b[8]}" \
      'BEGIN { tot = (u1+n1+s1+i1+w1+q1+r1+t1) - (u0+n0+s0+i0+w0+q0+r0+t0); idl = (i1+w1) - (i0+w0); printf "%.0f", tot ? 100*idl/tot : 0 }'
}

# run_dnsperf SERVER KIND REP QUERYFILE (globals NSEXEC, SIP, SPID): dns-bench.sh's run_dnsperf,
# with the query file as an argument (local or forwarded names) and a warm-up length.
run_dnsperf() {
  local srv=$1 kind=$2 rep=$3 qf=$4 tag out load idle c0 c1 args rss="" sampler=""
  tag="$(tr -c 'a-zA-Z0-9\n' '_' <<< "$srv")-$kind-$rep"; out="$RAWDIR/$tag.txt"
  case $kind in
    max)  args=(-d "$qf" -l "$DUR") ;;
    rate) args=(-d "$qf" -l "$DUR" -Q "$RATE" -v) ;;
    nx)   args=(-d "$DIR/nx.txt" -n "$NXQ" -t 1) ;;
    nxmax) args=(-d "$DIR/nx.txt" -l "$DUR") ;;
    warm) args=(-d "$qf" -l "$rep") ;;
  esac
  load=$(cut -d' ' -f1 /proc/loadavg); idle=$(idle_pct)
  c0=$(cpu_ticks "$SPID")
  if [[ $kind == max ]]; then
    ( sleep $(( DUR / 2 )); ps -o rss= -p "$SPID" | tr -d ' ' > "$out.rss" ) & sampler=$!
  fi
  run_child "${NSEXEC[@]}" /usr/bin/time -f 'DNSPERF_CPU user=%U sys=%S' \
      dnsperf -s "$SIP" -c "$CLIENTS" -T "$THREADS" "${args[@]}" > "$out" 2>&1 || true
  c1=$(cpu_ticks "$SPID")
  if [[ -n $sampler ]]; then wait "$sampler" || true; rss=$(cat "$out.rss" 2>/dev/null); rm -f "$out.rss"; fi
  if [[ $kind == warm ]]; then rm -f "$out"; return 0; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$srv" "$kind" "$rep" "$load" "$idle" \
    "$(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", (b-a)/hz}')" \
    "${rss:-?}" "$out" >> "$TSV"
  log "$srv $kind $rep: $(grep -E 'Queries per second' "$out" | awk '{print $4}') qps, lost $(grep -E 'Queries lost' "$out" | awk '{print $3}'), load $load, idle $idle%"
}

# run_load SERVER KIND REP QUERYFILE [WINDOW [FILE2]] (globals NSEXEC, SIP, SPID): the same query
# file and shape as run_dnsperf's max (-c CLIENTS sockets, WINDOW in flight, default 100) through
# DnsLoad (bench/src: one thread, recvmmsg/sendmmsg), a client that costs less per query than
# dnsperf; LOAD_WARM s unmeasured first (its JIT), LOAD_DUR s measured. With FILE2, DnsLoad's
# --alternate: ALT_WARM s unmeasured, then ALT_BLOCKS blocks of four ALT_PHASE s phases. It measures the server's CPU, its
# own and the whole machine's over the measured seconds itself.
run_load() {
  local srv=$1 kind=$2 rep=$3 qf=$4 q=${5:-100} alt=${6:-} tag out load idle dur=$LOAD_DUR warm=$LOAD_WARM extra=()
  if [[ -n $alt ]]; then
    extra=(--alternate "$alt" --phase "$ALT_PHASE"); warm=$ALT_WARM; dur=$(awk -v p="$ALT_PHASE" -v b="$ALT_BLOCKS" 'BEGIN { print p * 4 * b + 0.01 }')
  fi
  [[ $q == 100 ]] || srv+=" (-q $q)"
  tag="$(tr -c 'a-zA-Z0-9\n' '_' <<< "$srv")-$kind-$rep"; out="$RAWDIR/$tag.txt"
  load=$(cut -d' ' -f1 /proc/loadavg); idle=$(idle_pct)
  run_child "${NSEXEC[@]}" "$JAVA" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$BENCH_JAR" \
      dev.berth.bench.DnsLoad -s "$SIP" -d "$qf" -l "$dur" -c "$CLIENTS" -q "$q" -w "$warm" --server-pid "$SPID" "${extra[@]}" > "$out" 2>&1 || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$srv" "$kind" "$rep" "$load" "$idle" \
    "$(sed -n 's/^SERVER_CPU s=//p' "$out")" "?" "$out" >> "$TSV"
  log "$srv $kind $rep (DnsLoad): $(grep -E 'Queries per second' "$out" | awk '{print $4}') qps, lost $(grep -E 'Queries lost' "$out" | awk '{print $3}'), load $load, idle $idle% before, machine during it $(sed -n 's/^MACHINE_CPU //p' "$out")"
}

SPID=$BERTH_PID SIP=127.0.0.11 NSEXEC=("${C1EXEC[@]}")
echo "{\"meta\":\"berthd_rss_idle_kb\",\"value\":$(ps -o rss= -p "$BERTH_PID" | tr -d ' ')}" >> "$OUT"
log "Berth: warm-up $WARM s unthrottled (local names and, as often, c999 A)"
run_dnsperf Berth warm "$WARM" "$DIR/warm-queries.txt"
for r in $(seq 1 "$REPS"); do
  [[ $DNSPERF_LOCAL == 1 ]] || break
  run_dnsperf Berth max "$r" "$DIR/queries.txt"
  run_dnsperf Berth rate "$r" "$DIR/queries.txt"
  run_dnsperf Berth nx "$r" "$DIR/queries.txt"
  run_dnsperf Berth nxmax "$r" "$DIR/queries.txt"   # the NX name unthrottled, as max: comparable with it
done
if [[ $LOADGEN == 1 ]]; then
  # dnsmasq for the local names as dns-bench.sh runs it (its hosts file, on 172.18.0.1 of a
  # port-less bridge), in a namespace of its own (berthd's has dnsbnet's 172.18.0.1), beside
  # berthd: each repetition runs Berth local, Berth NX and dnsmasq local under DnsLoad in turn,
  # so that a ratio compares runs seconds apart, not minutes. The order rotates from one
  # repetition (and window) to the next: no row always runs first.
  : > "$DIR/local-hosts"
  for i in $(seq 1 50); do printf '172.18.0.%d c%d\nfd00:1::%d c%d\n' "$((i + 1))" "$i" "$((i + 1))" "$i" >> "$DIR/local-hosts"; done
  ip netns add "$LNS"
  ip -n "$LNS" link set lo up
  ip -n "$LNS" link add bbdns0 type bridge
  ip -n "$LNS" addr add 172.18.0.1/16 dev bbdns0
  ip -n "$LNS" link set bbdns0 up
  ip netns exec "$LNS" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-hosts --addn-hosts="$DIR/local-hosts" \
    --no-resolv --listen-address=172.18.0.1 --bind-interfaces --port=53 --pid-file="$DIR/local.pid.dnsmasq" \
    --log-facility="$DIR/local.log" &
  echo $! > "$DIR/local.pid"
  for _ in $(seq 50); do ip netns exec "$LNS" ss -lun | grep -q "172.18.0.1:53 " && break; sleep 0.1; done
  LOCAL_PID=$(cat "$DIR/local.pid")
  kill -0 "$LOCAL_PID" 2>/dev/null || die "local dnsmasq did not start: $(tail -3 "$DIR/local.log")"
  log "dnsmasq for the local names pid $LOCAL_PID in $LNS at 172.18.0.1; DnsLoad: $LOAD_REPS repetitions of Berth local, Berth NX, dnsmasq local per window ($LOAD_Q), ${LOAD_WARM}+${LOAD_DUR} s each"
  turn=0
  for r in $(seq 1 "$LOAD_REPS"); do
    for q in $LOAD_Q; do
      for k in 0 1 2; do
        case $(( (turn + k) % 3 )) in
          0) SPID=$BERTH_PID SIP=127.0.0.11 NSEXEC=("${C1EXEC[@]}"); run_load Berth lmax "$r" "$DIR/queries.txt" "$q" ;;
          1) SPID=$BERTH_PID SIP=127.0.0.11 NSEXEC=("${C1EXEC[@]}"); run_load Berth lnxmax "$r" "$DIR/nx.txt" "$q" ;;
          2) SPID=$LOCAL_PID SIP=172.18.0.1 NSEXEC=(ip netns exec "$LNS"); run_load dnsmasq lmax "$r" "$DIR/queries.txt" "$q" ;;
        esac
      done
      # NX against local within one client: phases A (local names) B (c999 A) B A, ...
      SPID=$BERTH_PID SIP=127.0.0.11 NSEXEC=("${C1EXEC[@]}"); run_load Berth lalt "$r" "$DIR/queries.txt" "$q" "$DIR/nx.txt"
      turn=$((turn + 1))
    done
  done
  stop_pid "$LOCAL_PID" "$DIR/local-hosts"; rm -f "$DIR/local.pid"
  ip netns del "$LNS"
  SPID=$BERTH_PID SIP=127.0.0.11 NSEXEC=("${C1EXEC[@]}")
fi
if [[ ${BERTH_DNS_SKIP_FWD:-0} != 1 ]]; then
  log "Berth: warm-up $FWD_WARM s unthrottled (forwarded names)"
  run_dnsperf "Berth (forwarded)" warm "$FWD_WARM" "$DIR/fwd-queries.txt"
  for r in $(seq 1 "$REPS"); do
    run_dnsperf "Berth (forwarded)" max "$r" "$DIR/fwd-queries.txt"
    run_dnsperf "Berth (forwarded)" rate "$r" "$DIR/fwd-queries.txt"
  done
fi
if [[ -n ${BERTH_DNS_METRICS_ADDR:-} ]]; then
  log "metrics: $(ip netns exec "$NS" curl -s "http://$BERTH_DNS_METRICS_ADDR/metrics" \
    | grep '^berth_dns_query_duration_seconds_count' | tr '\n' ' ')"
fi
UP_PID=$(cat "$DIR/up.pid")
echo "{\"meta\":\"upstream_cpu_s_during_berth\",\"value\":$(awk -v t="$(cpu_ticks "$UP_PID")" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", t/hz}')}" >> "$OUT"
berth_teardown

if [[ ${BERTH_DNS_SKIP_FWD:-0} != 1 ]]; then
  # dnsmasq forwarding the same names to the same upstream, from berthd's namespace; no cache,
  # or it would answer from memory after the first round (Berth does not cache).
  ip netns exec "$NS" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-hosts --no-resolv \
    --server="$UP4" --cache-size=0 --listen-address=127.0.0.1 --bind-interfaces --port=53 \
    --pid-file="$DIR/fwd.pid.dnsmasq" --log-facility="$DIR/fwd.log" &
  echo $! > "$DIR/fwd.pid"
  for _ in $(seq 50); do ip netns exec "$NS" ss -lun | grep -q "127.0.0.1:53 " && break; sleep 0.1; done
  SPID=$(cat "$DIR/fwd.pid") SIP=127.0.0.1 NSEXEC=(ip netns exec "$NS")
  kill -0 "$SPID" 2>/dev/null || die "forwarding dnsmasq did not start: $(tail -3 "$DIR/fwd.log")"
  run_dnsperf "dnsmasq (forwarding, no cache)" warm 2 "$DIR/fwd-queries.txt"
  for r in $(seq 1 "$REPS"); do
    run_dnsperf "dnsmasq (forwarding, no cache)" max "$r" "$DIR/fwd-queries.txt"
    run_dnsperf "dnsmasq (forwarding, no cache)" rate "$r" "$DIR/fwd-queries.txt"
  done
  stop_pid "$SPID" "$DIR/fwd"; rm -f "$DIR/fwd.pid"
fi
stop_pid "$(cat "$DIR/up.pid")" "$DIR/ext-hosts"; rm -f "$DIR/up.pid"
ip netns del "$NS"; ip netns del "$UPNS"

# ----------------------------------------------------------------------------- the server's own work
# What the DnsLoad NX rows compare, without the kernel's part: JMH AnswerPathBench (3 forks, 5 s
# warm-up + 10 s per fork and path). Its lock file goes to this run's directory.
ANSWER_PATH=()
if [[ ${BERTH_DNS_ANSWER_PATH:-1} != 0 ]]; then
  log "JMH AnswerPathBench: the server's own work per answer, local names and c999 A (about 2 min)"
  if run_child "$JAVA" -Djava.io.tmpdir="$DIR" -jar "$BENCH_JAR" AnswerPathBench -rf json \
      -rff "$RAWDIR/answer-path.json" > "$RAWDIR/answer-path.log" 2>&1; then
    ANSWER_PATH=(--answer-path "$RAWDIR/answer-path.json")
  else
    NOTES+=("AnswerPathBench failed: $(tail -1 "$RAWDIR/answer-path.log" | tr -d '|')"); log "${NOTES[-1]}"
  fi
fi

# ----------------------------------------------------------------------------- peers
TSVS=("$TSV")
if [[ -n $PEER_LIST ]]; then
  log "peers: $PEERS_DIR/dns-bench.sh ${PEER_LIST//,/ } (about 2 min each, docker 4.5 min)"
  mkdir -p "$RAWDIR/peers"
  if B="$RAWDIR/peers" run_child "$PEERS_DIR/dns-bench.sh" ${PEER_LIST//,/ } > "$RAWDIR/peers.log" 2>&1; then
    TSVS+=("$(ls "$RAWDIR"/peers/results-*.tsv | tail -1)")
  else
    NOTES+=("dns-bench.sh failed: $(tail -1 "$RAWDIR/peers.log" | tr -d '|')"); log "${NOTES[-1]}"
  fi
fi

# ----------------------------------------------------------------------------- table
notes_json=$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "${NOTES[@]}")
meta end "\"notes\":$notes_json"
{
  echo "### embedded DNS under dnsperf — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  python3 "$BENCH/dnsbench.py" --rate "$RATE" --nxq "$NXQ" --clients "$CLIENTS" --jsonl "$OUT" "${ANSWER_PATH[@]}" "${TSVS[@]}"
  echo
  echo "Command: \`bench/run.sh dns --peers ${PEER_LIST:-none}\` (REPS=$REPS DUR=$DUR CLIENTS=$CLIENTS THREADS=$THREADS RATE=$RATE, Berth warm-up $WARM s + $FWD_WARM s; DnsLoad $LOAD_REPS interleaved repetitions of $LOAD_WARM s + $LOAD_DUR s per run); raw dnsperf output: \`bench/results/dns-$STAMP-raw/\`."
  for n in "${NOTES[@]}"; do echo "- $n"; done
} | tee "$TABLE"
# the same TSVs through dns-bench.sh's own summary, as a cross-check of the formulas
[[ -x $PEERS_DIR/dns-bench.sh ]] && "$PEERS_DIR/dns-bench.sh" summary "$RAWDIR/summary-dns-bench-format.md" "${TSVS[@]}" >/dev/null 2>&1 || true
# -v output of the rate runs is ~6 MB each: compress it once the table is made
find "$RAWDIR" -name '*.txt' -size +1M -exec gzip -f {} +
log "table -> $TABLE"
