#!/usr/bin/env bash
# A short walkthrough of Berth in a throwaway host namespace. Everything it creates (namespace,
# daemon process, temp dir) is removed on exit, also when a step fails. Needs root.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
JAVA="${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
DOCKER=${DOCKER:-$(command -v /usr/local/bin/docker docker 2>/dev/null | head -n1 || true)}
NS="berth-demo-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
DIR=$(mktemp -d /tmp/berth-demo.XXXXXX)
SOCK="$DIR/berth.sock"
PID=""
SERVER=""
UPNS="$NS-up"

cleanup() {
  if [[ -n $SERVER ]] && kill -0 "$SERVER" 2>/dev/null; then
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  fi
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"; wait "$PID" 2>/dev/null || true
  fi
  # Sandbox processes outlive the daemon (live restore): end those of this demo (their monitors
  # name the demo's directory), by PID, if a step failed before `rm -f`.
  local p
  for p in $(grep -l -F -- "$DIR/" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
    [[ $p != "$$" ]] && kill -KILL "$p" 2>/dev/null || true
  done
  ip netns del "$UPNS" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "A throwaway host namespace ($NS): the machine's own network is never touched"
ip netns add "$NS"
ip -n "$NS" link set lo up

step "Start berthd inside it (own data root, exec root and socket)"
echo '{ "mtu": 1500 }' > "$DIR/daemon.json"
nsenter --net="/run/netns/$NS" "$JAVA" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
  -jar "$ROOT/berth-daemon/target/berth-daemon.jar" -H "unix://$SOCK" --data-root "$DIR/data" \
  --exec-root "$DIR/exec" --config-file "$DIR/daemon.json" >"$DIR/berthd.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do
  curl -sf --unix-socket "$SOCK" http://berth/_ping >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { cat "$DIR/berthd.log"; exit 1; }
  sleep 0.1
done
echo "berthd pid $PID, socket $SOCK"
sed 's/^/  log: /' "$DIR/berthd.log"

export BERTH_HOST="unix://$SOCK"
if [[ -n $DOCKER ]]; then
  export DOCKER_HOST="unix://$SOCK" DOCKER_CONFIG="$DIR/docker-config"
  step "The real docker CLI drives Berth"
  show "$DOCKER" network ls
  show "$DOCKER" network inspect bridge
  show "$DOCKER" version --format 'Server: {{.Server.Version}} (API {{.Server.APIVersion}})'
fi

step "Berth's own CLI prints the same"
show "$ROOT/berth" network ls

step "Real kernel objects: docker0 in the host namespace"
show ip -n "$NS" -br addr show docker0

step "User-defined networks: Docker's IPAM, a bridge device at once"
"$ROOT/berth" events --filter type=network >"$DIR/events.txt" 2>&1 &
EVENTS=$!
show "$ROOT/berth" network create web
show "$ROOT/berth" network create --ipv6 --subnet fd00:1::1/80 --gateway fd00:1::1 my-net-ipv6
show "$ROOT/berth" network create --internal --subnet 10.77.0.0/24 -o com.docker.network.bridge.name=br-internal backend
show "$ROOT/berth" network ls
show ip -n "$NS" -br addr
show "$ROOT/berth" network inspect --format '{{.Name}}: {{range .IPAM.Config}}{{.Subnet}} via {{.Gateway}}  {{end}}' web my-net-ipv6 backend

step "Bad input changes nothing"
show "$ROOT/berth" network create --subnet 10.77.0.0/16 clash || true
show "$ROOT/berth" network rm bridge || true

step "Remove and prune: devices and addresses go with them"
show "$ROOT/berth" network rm web
show "$ROOT/berth" network prune -f
show ip -n "$NS" -br link
sleep 0.5
kill "$EVENTS" 2>/dev/null; wait "$EVENTS" 2>/dev/null || true
step "What berth events saw meanwhile"
cat "$DIR/events.txt"

if [[ -n $DOCKER ]] && command -v python3 >/dev/null; then
  step "Published ports and isolation: an 'outside' namespace ($UPNS) on 203.0.113.0/24"
  ip netns add "$UPNS"
  ip -n "$UPNS" link set lo up
  ip -n "$UPNS" link add up0 type veth peer name eth0 netns "$NS"
  ip -n "$UPNS" addr add 203.0.113.1/24 dev up0 && ip -n "$UPNS" link set up0 up
  ip -n "$NS" addr add 203.0.113.2/24 dev eth0 && ip -n "$NS" link set eth0 up
  show "$DOCKER" network create front
  show "$DOCKER" network create back
  WEB=$("$DOCKER" create -p 8080:80 --name web --network front x)
  show "$DOCKER" create --name other --network back x
  show "$DOCKER" ps --format 'table {{.Names}}\t{{.Ports}}\t{{.Networks}}'
  WEB_IP=$("$DOCKER" inspect -f '{{.NetworkSettings.Networks.front.IPAddress}}' web)
  OTHER_NS="$DIR/exec/netns/$("$DOCKER" inspect -f '{{.Id}}' other | cut -c1-12)"
  SERVE='import socket
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("", 80)); s.listen(8)
while True:
    c, a = s.accept(); c.sendall(("hello from web, you are %s\n" % a[0]).encode()); c.close()'
  ASK='import socket, sys
try: print(socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1.5).recv(99).decode().strip())
except Exception as e: print("no answer:", type(e).__name__)'
  nsenter --net="$DIR/exec/netns/${WEB:0:12}" python3 -c "$SERVE" &
  SERVER=$!
  sleep 0.5
  echo "web listens on $WEB_IP:80 inside its sandbox"
  printf '$ (outside) connect 203.0.113.2:8080  -> '; nsenter --net="/run/netns/$UPNS" python3 -c "$ASK" 203.0.113.2 8080
  printf '$ (host) connect 127.0.0.1:8080        -> '; nsenter --net="/run/netns/$NS" python3 -c "$ASK" 127.0.0.1 8080
  printf '$ (other, network back) connect %s:80 -> ' "$WEB_IP"; nsenter --net="$OTHER_NS" python3 -c "$ASK" "$WEB_IP" 80
  show "$DOCKER" network connect front other
  printf '$ (other, now also on front) connect %s:80 -> ' "$WEB_IP"; nsenter --net="$OTHER_NS" python3 -c "$ASK" "$WEB_IP" 80
  show "$DOCKER" create -p 8080:81 --name web2 --network front x || true
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  show "$DOCKER" rm -f web other
  show "$DOCKER" network rm front back
  show ip -n "$NS" -br link show type veth
fi

step "Embedded DNS at 127.0.0.11: sandboxes on a user-defined network find each other by name"
show "$ROOT/berth" network create app
show "$ROOT/berth" run -d --name db --network app --network-alias database -- sleep 300
show "$ROOT/berth" run --rm --network app -- cat /etc/resolv.conf
show "$ROOT/berth" run --rm --network app -- getent hosts db database
show "$ROOT/berth" run --rm --network app -- ping -c 1 -W 2 db
step "The default bridge has no embedded DNS (as in Docker): its resolv.conf lists the upstream servers"
show "$ROOT/berth" run --rm -- cat /etc/resolv.conf
show "$ROOT/berth" rm -f db
show "$ROOT/berth" network rm app

if command -v python3 >/dev/null; then
  step "IPv6 from the LAN: a routed sandbox inside the host's /64, reached through the automatic NDP proxy"
  if ! ip netns list | grep -qw -- "$UPNS"; then
    ip netns add "$UPNS"
    ip -n "$UPNS" link set lo up
    ip -n "$UPNS" link add up0 type veth peer name eth0 netns "$NS"
    ip -n "$UPNS" link set up0 up && ip -n "$NS" link set eth0 up
  fi
  # The LAN: the host's uplink has 2001:db8::2/64 (a provider's one /64), the router 2001:db8::1.
  ip -n "$UPNS" addr add 2001:db8::1/64 dev up0 nodad
  ip -n "$NS" addr add 2001:db8::2/64 dev eth0 nodad
  show ip -n "$NS" -6 -br addr show eth0
  echo "A slice of that /64 for a network whose IPv6 is routed (the sandbox keeps its own address):"
  show "$ROOT/berth" network create --ipv6 --subnet 2001:db8::1:0:0:0/80 \
    -o com.docker.network.bridge.gateway_mode_ipv6=routed web6
  SERVE6='import socket
s=socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("::", 80)); s.listen(8)
while True:
    c, a = s.accept(); c.sendall(("hello over IPv6, you are %s\n" % a[0]).encode()); c.close()'
  ASK6='import socket, sys
try: print(socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).recv(99).decode().strip())
except Exception as e: print("no answer:", type(e).__name__)'
  printf '$ %s\n' "berth run -d --name www6 --network web6 --ip6 2001:db8::1:0:0:2 -p 8080:80 -- python3 -c <server on port 80>"
  "$ROOT/berth" run -d --name www6 --network web6 --ip6 2001:db8::1:0:0:2 -p 8080:80 -- python3 -c "$SERVE6"
  echo "Berth proxied the sandbox's address on eth0 before the run returned (no ndppd, no ip neigh add):"
  show ip -n "$NS" -6 neigh show proxy
  show nsenter --net="/run/netns/$NS" cat /proc/sys/net/ipv6/conf/eth0/proxy_ndp
  echo "The LAN's router has no route to the /80: to it the address is on-link, it asks by neighbour solicitation:"
  show ip -n "$UPNS" -6 route
  sleep 0.5
  printf '$ (LAN) ping -6 2001:db8::1:0:0:2            -> '
  ip netns exec "$UPNS" ping -6 -c 1 -W 3 2001:db8::1:0:0:2 >/dev/null && echo "reply" || echo "no reply"
  printf '$ (LAN) connect [2001:db8::1:0:0:2]:80       -> '; ip netns exec "$UPNS" python3 -c "$ASK6" 2001:db8::1:0:0:2 80
  printf '$ (LAN) connect [2001:db8::1:0:0:2]:81       -> '; ip netns exec "$UPNS" python3 -c "$ASK6" 2001:db8::1:0:0:2 81
  echo "(routed opens ICMP and the published container port only)"
  show "$ROOT/berth" rm -f www6
  echo "The entry went with the sandbox:"
  show ip -n "$NS" -6 neigh show proxy
  show "$ROOT/berth" network rm web6
fi

step "Done: stopping berthd (SIGTERM) and removing the namespaces"
