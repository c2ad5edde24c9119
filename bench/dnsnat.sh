#!/usr/bin/env bash
# What the sandbox's port-53 redirect costs a DNS server on the loopback path, the server being
# one dnsmasq (so that Berth's code is not in it). Needs root and bench/target/benchmarks.jar
# (bench/run.sh dns builds it). Run under the bench lock:
#
#   flock /work/wt/bench.lock bench/dnsnat.sh [REPS=4]
#
# In a throwaway namespace bb-nat<random>: dnsmasq on 127.0.0.11:5353 with dns-bench.sh's hosts
# file (c1..c50), and DnsLoad (-c 4 -q 400, 2 s unmeasured + 5 s) in the same namespace asking
#   direct:    127.0.0.11:5353, no rules (no conntrack in the namespace);
#   nat:       127.0.0.11:53 through Docker's rules, which Berth wrote until 2026-12-06 (UDP part:
#              nat output dnat to 127.0.0.11:5353, nat postrouting snat of the replies to :53);
#   stateless: 127.0.0.11:53 through what Berth writes now (NetnsSandboxNamespaces.redirect, UDP
#              part): the port rewritten in place, `udp dport set 5353` in a filter output chain
#              before conntrack (priority raw), `udp sport set 53` in a filter postrouting chain
#              after it (srcnat); no conntrack;
# in turn, REPS rounds; one line per run (QPS, lost, server / client / machine CPU, load).
# Safety: the namespace, dnsmasq (by PID) and the temp dir are removed on exit, also on failure.
set -euo pipefail
BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
REPS=${1:-4}
JAVA=${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=$BENCH/target/benchmarks.jar
[[ $(id -u) == 0 ]] || { echo "run as root" >&2; exit 1; }
[[ -f $JAR ]] || { echo "no $JAR (bench/run.sh dns builds it)" >&2; exit 1; }
NS=bb-nat$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
D=$(mktemp -d /tmp/bb-dnsnat.XXXXXX)
chmod 755 "$D"                 # dnsmasq reads its hosts file as nobody
PID=""
cleanup() {
  set +e
  [[ -n $PID ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  ip netns list | awk '{print $1}' | grep -qx "$NS" && ip netns del "$NS"
  rm -rf "$D"
}
trap cleanup EXIT
for i in $(seq 1 50); do
  printf '172.18.0.%d c%d\nfd00:1::%d c%d\n' $((i + 1)) "$i" $((i + 1)) "$i" >> "$D/hosts"
  printf 'c%d A\nc%d AAAA\n' "$i" "$i" >> "$D/queries.txt"
done
ip netns add "$NS"
ip -n "$NS" link set lo up
ip netns exec "$NS" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-hosts --addn-hosts="$D/hosts" --no-resolv \
  --listen-address=127.0.0.11 --bind-interfaces --port=5353 --pid-file="$D/pid" --log-facility="$D/log" &
PID=$!
for _ in $(seq 50); do ip netns exec "$NS" ss -lun | grep -q "127.0.0.11:5353 " && break; sleep 0.1; done

rules() { # direct|nat|stateless
  ip netns exec "$NS" nft flush ruleset
  case $1 in
    nat) ip netns exec "$NS" nft -f - <<'R'
table ip berth-dns {
  chain output { type nat hook output priority -100; policy accept; ip daddr 127.0.0.11 udp dport 53 dnat to 127.0.0.11:5353; }
  chain postrouting { type nat hook postrouting priority 100; policy accept; ip saddr 127.0.0.11 udp sport 5353 snat to :53; }
}
R
      ;;
    stateless) ip netns exec "$NS" nft -f - <<'R'
table ip berth-dns {
  chain queries { type filter hook output priority raw; policy accept; ip daddr 127.0.0.11 udp dport 53 udp dport set 5353; }
  chain replies { type filter hook postrouting priority srcnat; policy accept; ip saddr 127.0.0.11 udp sport 5353 udp sport set 53; }
}
R
      ;;
  esac
}

for r in $(seq 1 "$REPS"); do
  for mode in direct nat stateless; do
    rules "$mode"
    port=53; [[ $mode == direct ]] && port=5353
    out=$(ip netns exec "$NS" "$JAVA" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$JAR" dev.berth.bench.DnsLoad \
      -s 127.0.0.11 -p "$port" -d "$D/queries.txt" -l 5 -c 4 -q 400 -w 2 --server-pid "$PID" 2>&1) || true
    awk -v r="$r" -v mode="$mode" -v load="$(cut -d' ' -f1 /proc/loadavg)" '
      /Queries per second/ { qps = $4 } /Queries lost/ { lost = $3 } /Response codes/ { sub(/.*codes: */, ""); codes = $0 }
      /^LOADGEN_CPU/ { split($2, u, "="); split($3, s, "="); cli = u[2] + s[2] } /^SERVER_CPU/ { split($2, v, "="); srv = v[2] }
      /^MACHINE_CPU/ { mach = $2 " " $3 }
      END { printf "round %d %-9s qps %.0f lost %s server_cpu %s client_cpu %.2f %s load %s [%s]\n", r, mode, qps, lost, srv, cli, mach, load, codes }' <<< "$out"
  done
done
