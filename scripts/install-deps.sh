#!/usr/bin/env bash
# Installs what Berth needs on a Debian 12 machine, only what is missing. Idempotent and quiet
# when everything is there. Needs root for apt-get.
set -euo pipefail
JAVA_HOME=${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_cmd ip      || need+=(iproute2)
have_cmd nft     || need+=(nftables)
have_cmd ping    || need+=(iputils-ping)
have_cmd dig     || need+=(dnsutils)
have_cmd curl    || need+=(curl)
have_cmd nsenter || need+=(util-linux)
have_cmd mvn     || need+=(maven)
have_cmd python3 || need+=(python3)
have_cmd modprobe || need+=(kmod)
have_cmd conmon  || need+=(conmon)
have_cmd runc    || need+=(runc)
have_cmd openssl || need+=(openssl)   # the registry tests make a CA and a server certificate
have_cmd man     || need+=(man-db)    # PackageIT renders the installed man pages with man --warnings
# the client tests drive Berth with Debian's docker-compose 1.29 and the Python Docker SDK it depends on
# (python3-docker, run by /usr/bin/python3); --no-install-recommends keeps docker.io (and its service) out
[[ -x /usr/bin/docker-compose ]] || need+=(docker-compose)
dpkg -s python3-docker >/dev/null 2>&1 || need+=(python3-docker)
# the container and image tests build a root filesystem from a static busybox (a dynamic one needs the host's libc)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
# grep reads all of ldconfig's output: with -q it could stop early and, under pipefail, fail the pipe (SIGPIPE)
ldconfig -p 2>/dev/null | grep 'libnftables.so.1' >/dev/null || need+=(libnftables1)
if ((${#need[@]})); then
  echo "berth: installing ${need[*]} ..." >&2
  if [[ $(id -u) != 0 ]]; then echo "berth: run as root to install packages" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # No package may start a service here: a policy-rc.d that refuses every start (unless the machine
  # has one already), removed again afterwards, and RUNLEVEL=1 for maintainer scripts that ask runlevel
  policy=/usr/sbin/policy-rc.d
  made_policy=
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
    trap 'rm -f "$policy"' EXIT
  fi
  RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
  if [[ -n $made_policy ]]; then rm -f "$policy"; trap - EXIT; fi
fi
# unpack_deb PACKAGE DIR: the package's files under DIR, once (never installed: a postinst would
# start a system service). Unpacked next to DIR and renamed, so an interrupted run never leaves a
# half directory.
unpack_deb() {
  local package=$1 dir=$2 deb_dir
  if [[ $(id -u) != 0 ]]; then echo "berth: run as root to fetch $package" >&2; exit 1; fi
  echo "berth: unpacking $package into $dir ..." >&2
  deb_dir=$(mktemp -d)
  chmod 755 "$deb_dir"  # apt downloads as _apt
  trap 'rm -rf "$deb_dir"' EXIT
  if ! (cd "$deb_dir" && apt-get download -qq "$package" >&2); then
    apt-get update -qq >&2
    (cd "$deb_dir" && apt-get download -qq "$package" >&2)
  fi
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir.partial"
  dpkg-deb -x "$deb_dir/${package}"_*.deb "$dir.partial"
  mv "$dir.partial" "$dir"
  rm -rf "$deb_dir"
  trap - EXIT
}
# The image tests need a real registry: Debian's docker-registry.
REGISTRY_DIR=${BERTH_REGISTRY_DIR:-/opt/berth-deps/docker-registry}
if [[ ! -x "$REGISTRY_DIR/usr/bin/docker-registry" ]]; then
  unpack_deb docker-registry "$REGISTRY_DIR"
fi
# The overlay tests need a real etcd: Debian's etcd-server (the tests start it in a namespace of
# their own).
ETCD_DIR=${BERTH_ETCD_DIR:-/opt/berth-deps/etcd-server}
if [[ ! -x "$ETCD_DIR/usr/bin/etcd" ]]; then
  unpack_deb etcd-server "$ETCD_DIR"
fi
if [[ ! -x "$JAVA_HOME/bin/java" ]]; then
  echo "berth: Java 25 not found at $JAVA_HOME; install a JDK 25 and set BERTH_JAVA_HOME" >&2
  exit 1
fi
if [[ ! -x /usr/local/bin/docker ]] && ! have_cmd docker; then
  echo "berth: note: no docker CLI found; the demo and the tests that drive Berth with it need one" >&2
fi
