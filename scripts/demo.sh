#!/usr/bin/env bash
# A short walkthrough of Berth in a throwaway host namespace. Everything it creates (namespaces,
# daemon and registry processes, containers, their mounts, temp dir) is removed on exit, also when
# a step fails. Needs root.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
DOCKER=${DOCKER:-$(command -v /usr/local/bin/docker docker 2>/dev/null | head -n1 || true)}
REGISTRY_BIN=${BERTH_REGISTRY_DIR:-/opt/berth-deps/docker-registry}/usr/bin/docker-registry
NS="berth-demo-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
DIR=$(mktemp -d /tmp/berth-demo.XXXXXX)
SOCK="$DIR/berth.sock"
PID=""
SERVER=""
REGISTRY=""
UPNS="$NS-up"

cleanup() {
  if [[ -n $SERVER ]] && kill -0 "$SERVER" 2>/dev/null; then
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  fi
  if [[ -n $REGISTRY ]] && kill -0 "$REGISTRY" 2>/dev/null; then
    kill -TERM "$REGISTRY"; wait "$REGISTRY" 2>/dev/null || true
  fi
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"; wait "$PID" 2>/dev/null || true
  fi
  # Containers outlive the daemon (live restore) and their processes do not name the demo's
  # directory: if a step failed before `docker rm`, runc deletes those of this demo (its own
  # state root), which kills them and removes their cgroups.
  local c p m pids=()
  if [[ -d $DIR/exec/runc ]]; then
    for c in "$DIR"/exec/runc/*/; do
      [[ -d $c ]] || continue
      c=$(basename "$c")
      p=$(runc --root "$DIR/exec/runc" state "$c" 2>/dev/null | sed -n 's/^ *"pid": *\([0-9]*\).*/\1/p')
      [[ -n $p && $p != 0 ]] && pids+=("$p")
      runc --root "$DIR/exec/runc" kill "$c" KILL >/dev/null 2>&1 || true
      runc --root "$DIR/exec/runc" delete --force "$c" >/dev/null 2>&1 || true
    done
  fi
  # their first processes, as runc recorded them, are gone before the demo returns
  for p in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
  # Sandbox processes and container monitors (conmon) name the demo's directory: end those, by PID.
  for p in $(grep -l -F -- "$DIR/" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
    [[ $p != "$$" ]] && kill -KILL "$p" 2>/dev/null || true
  done
  # Whatever is still mounted under the demo's directory (containers' overlay roots, namespace
  # files), deepest first, before the directory goes.
  for m in $(awk -v d="$DIR/" 'index($5, d) == 1 { print length($5), $5 }' /proc/self/mountinfo | sort -rn | cut -d' ' -f2); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  ip netns del "$UPNS" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT
# Ctrl-C or a TERM ends the demo through the same cleanup
trap 'exit 130' INT
trap 'exit 143' TERM

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Prints a command as one would type it (arguments with spaces or quotes in single quotes), then runs it.
show() {
  local a words=()
  for a in "$@"; do
    if [[ $a =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then words+=("$a"); else words+=("'${a//\'/\'\\\'\'}'"); fi
  done
  printf '$ %s\n' "${words[*]}"
  "$@"
}

# Starts berthd in the demo's namespace (own data root, exec root and socket), output to $1; waits for _ping.
start_berthd() {
  # as a user runs it: the launcher's JVM flags and AOT cache (built by `./berth demo` before this script)
  BERTH_NO_BUILD_CHECK=1 nsenter --net="/run/netns/$NS" "$ROOT/berth" daemon -H "unix://$SOCK" --data-root "$DIR/data" \
    --exec-root "$DIR/exec" --config-file "$DIR/daemon.json" >"$1" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do
    curl -sf --unix-socket "$SOCK" http://berth/_ping >/dev/null 2>&1 && break
    kill -0 "$PID" 2>/dev/null || { cat "$1"; exit 1; }
    sleep 0.1
  done
  echo "berthd pid $PID, socket $SOCK"
  sed 's/^/  log: /' "$1"
}

# The "outside": a namespace $UPNS joined to the host namespace by a veth pair (up0 there, eth0 in
# the host namespace), made once; addresses are added by the chapters that need them.
outside() {
  if ! ip netns list | grep -qw -- "$UPNS"; then
    ip netns add "$UPNS"
    ip -n "$UPNS" link set lo up
    ip -n "$UPNS" link add up0 type veth peer name eth0 netns "$NS"
    ip -n "$UPNS" link set up0 up && ip -n "$NS" link set eth0 up
  fi
}
# The IPv4 LAN 203.0.113.0/24: the outside is .1, the host's uplink .2.
outside_v4() {
  outside
  ip -n "$UPNS" -4 addr show dev up0 | grep -q 203.0.113.1/ || ip -n "$UPNS" addr add 203.0.113.1/24 dev up0
  ip -n "$NS" -4 addr show dev eth0 | grep -q 203.0.113.2/ || ip -n "$NS" addr add 203.0.113.2/24 dev eth0
}

# `docker ...` in the container chapters reads as typed; in_host runs a command in the host namespace
docker() { "$DOCKER" "$@"; }
in_host() { nsenter --net="/run/netns/$NS" "$@"; }
# curl http://$3/ from namespace $2 (shown as $1), one line: the page or why not
ask() {
  printf '$ (%s) curl http://%s/  -> ' "$1" "$3"
  nsenter --net="/run/netns/$2" curl -sS -m 3 "http://$3/" 2>&1 || true
}

step "A throwaway host namespace ($NS): the machine's own network is never touched"
ip netns add "$NS"
ip -n "$NS" link set lo up

step "Start berthd inside it (own data root, exec root and socket)"
echo '{ "mtu": 1500 }' > "$DIR/daemon.json"
start_berthd "$DIR/berthd.log"

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

HAVE_IMAGE=""
if [[ -n $DOCKER ]] && [[ -x /bin/busybox ]]; then
  step "An image: busybox from Debian's busybox-static, imported with docker import"
  ROOTFS="$DIR/busybox/rootfs"
  mkdir -p "$ROOTFS"/{bin,etc,tmp,root,proc,sys,dev}
  cp /bin/busybox "$ROOTFS/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [[ $applet == busybox || $applet == */* ]] || ln -s busybox "$ROOTFS/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$ROOTFS/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$ROOTFS/etc/group"
  chmod 1777 "$ROOTFS/tmp" && chmod 700 "$ROOTFS/root"
  tar -C "$ROOTFS" --sort=name --numeric-owner --owner=0 --group=0 -cf "$DIR/busybox/rootfs.tar" .
  echo "rootfs.tar: /bin/busybox and $(find "$ROOTFS/bin" -type l | wc -l) relative applet links (sh, httpd, wget, ip, ...), $(du -k "$DIR/busybox/rootfs.tar" | cut -f1) KiB"
  show docker import -c 'CMD ["sh"]' "$DIR/busybox/rootfs.tar" busybox
  show docker images
  HAVE_IMAGE=1
fi

if [[ -n $HAVE_IMAGE ]] && command -v python3 >/dev/null; then
  step "Published ports and isolation: an 'outside' namespace ($UPNS) on 203.0.113.0/24"
  outside_v4
  show "$DOCKER" network create front
  show "$DOCKER" network create back
  WEB=$("$DOCKER" create -p 8080:80 --name web --network front busybox)
  show "$DOCKER" create --name other --network back busybox
  show "$DOCKER" ps -a --format 'table {{.Names}}\t{{.Status}}\t{{.Ports}}\t{{.Networks}}'
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
  show "$DOCKER" create -p 8080:81 --name web2 --network front busybox || true
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
  outside
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

if [[ -n $HAVE_IMAGE ]] && command -v runc >/dev/null && command -v conmon >/dev/null; then
  step "docker run: a process from the image, run by runc under conmon; streams and exit code come back"
  rc=0
  show docker run --rm busybox sh -c 'echo hello from a container; exit 3' || rc=$?
  echo "exit code: $rc (--rm: the container is gone)"
  show docker ps -a

  step "A web server on a user network, published on port 8080"
  show docker network create demo-net
  show docker run -d --name web --network demo-net -p 8080:80 busybox \
    sh -c 'mkdir -p /www && echo "hello from busybox httpd in a container" >/www/index.html && exec httpd -f -v -p 80 -h /www'
  for _ in $(seq 1 50); do
    in_host curl -sf -m 1 http://127.0.0.1:8080/ >/dev/null 2>&1 && break
    sleep 0.1
  done
  show docker ps --format 'table {{.Names}}\t{{.Image}}\t{{.Command}}\t{{.Status}}\t{{.Ports}}'
  outside_v4
  ask host "$NS" 127.0.0.1:8080
  ask host "$NS" 203.0.113.2:8080
  ask outside "$UPNS" 203.0.113.2:8080
  echo "Another container finds it by name through the embedded DNS:"
  show docker run --rm --network demo-net busybox wget -qO- http://web
  show docker exec web ip addr
  show docker logs web

  step "Live restore: berthd killed with SIGKILL, the container keeps running under conmon"
  CPID=$(docker inspect -f '{{.State.Pid}}' web)
  show kill -KILL "$PID"
  wait "$PID" 2>/dev/null || true
  PID=""
  echo "no berthd now; runc and the kernel still have the container (httpd is pid $CPID on the host):"
  show runc --root "$DIR/exec/runc" list
  show ps -o pid,ppid,args -p "$CPID,$(ps -o ppid= -p "$CPID" | tr -d ' ')"
  ask outside "$UPNS" 203.0.113.2:8080
  ask host "$NS" 127.0.0.1:8080
  echo "berthd again (same data root): it finds the container and its monitor"
  start_berthd "$DIR/berthd-2.log"
  show docker ps --format 'table {{.Names}}\t{{.Status}}\t{{.Ports}}'
  show docker exec web echo "exec works after the restart"
  show docker stop -t 1 web
  show docker rm web
  show docker network rm demo-net

  if [[ -x $REGISTRY_BIN ]]; then
    step "docker pull from a real registry (Debian's docker-registry) on 127.0.0.1:5000 in $NS"
    mkdir -p "$DIR/registry/storage"
    cat >"$DIR/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $DIR/registry/storage
  maintenance:
    uploadpurging:
      enabled: false
health:
  storagedriver:
    enabled: false
http:
  addr: 127.0.0.1:5000
  secret: $(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
EOF
    # a plain command (not a function) in the background, so $! is the registry itself
    nsenter --net="/run/netns/$NS" "$REGISTRY_BIN" serve "$DIR/registry/config.yml" >"$DIR/registry/log" 2>&1 &
    REGISTRY=$!
    for _ in $(seq 1 100); do
      in_host curl -sf -m 1 http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && break
      kill -0 "$REGISTRY" 2>/dev/null || { cat "$DIR/registry/log"; exit 1; }
      sleep 0.1
    done
    echo "registry pid $REGISTRY"
    # An image of two layers, pushed over the registry's HTTP API as docker push does: the busybox
    # rootfs (the layer berthd already has) and a small one with /etc/motd; a Docker schema 2 manifest.
    mkdir -p "$DIR/registry/push/etc"
    echo "pulled from 127.0.0.1:5000" >"$DIR/registry/push/etc/motd"
    tar -C "$DIR/registry/push" --sort=name --numeric-owner --owner=0 --group=0 -cf "$DIR/registry/motd.tar" etc
    sha() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }
    push_blob() {
      local loc
      loc=$(in_host curl -sSf -D - -o /dev/null -X POST "http://127.0.0.1:5000/v2/busybox/blobs/uploads/" |
        tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
      [[ $loc == /* ]] && loc="http://127.0.0.1:5000$loc"
      [[ $loc == *\?* ]] && loc="$loc&digest=$(sha "$1")" || loc="$loc?digest=$(sha "$1")"
      in_host curl -sSf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$1" "$loc" >/dev/null
    }
    LAYERS=""
    DIFFS=""
    for t in "$DIR/busybox/rootfs.tar" "$DIR/registry/motd.tar"; do
      gzip -n -c "$t" >"$t.gz"
      push_blob "$t.gz"
      LAYERS+="${LAYERS:+,}{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":$(stat -c %s "$t.gz"),\"digest\":\"$(sha "$t.gz")\"}"
      DIFFS+="${DIFFS:+,}\"$(sha "$t")\""
    done
    printf '{"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
      "$DIFFS" >"$DIR/registry/config.json"
    push_blob "$DIR/registry/config.json"
    printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%s,"digest":"%s"},"layers":[%s]}' \
      "$(stat -c %s "$DIR/registry/config.json")" "$(sha "$DIR/registry/config.json")" "$LAYERS" >"$DIR/registry/manifest.json"
    in_host curl -sSf -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
      --data-binary "@$DIR/registry/manifest.json" http://127.0.0.1:5000/v2/busybox/manifests/latest >/dev/null
    echo "pushed 127.0.0.1:5000/busybox:latest ($(sha "$DIR/registry/manifest.json"))"
    show docker pull 127.0.0.1:5000/busybox
    show docker run --rm 127.0.0.1:5000/busybox cat /etc/motd
    show docker images
    show docker rmi 127.0.0.1:5000/busybox
    show kill -TERM "$REGISTRY"
    wait "$REGISTRY" 2>/dev/null || true
    REGISTRY=""
  fi
  show docker rmi busybox
  echo "(the image's layers go with the demo's data root)"
fi

step "Done: stopping berthd (SIGTERM) and removing the namespaces"
