#!/usr/bin/env bash
# Long reliability runs of issue 9 that CI only samples. Needs root.
#
#   bench/reliability.sh crash [--ops network-create,connect,...] [--mode full|ci|trace]
#   bench/reliability.sh fuzz|dns|load [-Dname=value...]
#
# crash: berth-it's CrashIT in full: SIGKILL berthd at every traced step (rtnetlink request,
#   sysctl write, namespace mount/unmount/unlink, nft transaction, store transaction, process
#   start/kill, sandbox file change, reply) of network create, connect, disconnect, publish,
#   connect with published ports, run -d, rm -f, network rm, network prune, and a reload (SIGHUP)
#   turning IPv6 on for the default bridge and one renumbering it (also with the old daemon.json
#   put back before the restart); restart and check
#   convergence after each. Prints per operation the points and every failing one with what was
#   wrong, then the figure "kill points tried / converged". About 5-10 s a point (~20 min for the
#   ~200 points); --mode ci is what CI runs (~2 min), --mode trace only lists the points.
#   The report is copied to bench/results/crash-<date>.txt (gitignored); the daemon logs of the
#   failing points are in berth-it/target/crash-logs/.
# fuzz:  10^6 generated Engine API requests (ApiFuzzIT with -Dberth.fuzz.requests=1000000)
# dns:   10^6 DNS packets at 127.0.0.11 inside a sandbox (DnsFuzzIT with -Dberth.dnsfuzz.packets=1000000)
# load:  100 connects/disconnects over 10 networks, 100 network creates, 1000 sandboxes under DNS
#        queries (LoadIT with -Dberth.load.sandboxes=1000)
#   Each of these is the CI integration test with the issue's sizes (N=... overrides the size).
#   The figures are the FUZZ-API / FUZZ-DNS / LOAD lines; they go to
#   bench/results/reliability-<suite>-<stamp>.txt.
#
# Safety: everything runs in the IT fixture's throwaway namespaces (see berth-it), which are
# deleted afterwards; the machine's initial namespace is never touched.
#
# Env: BERTH_JAVA_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail
export LC_ALL=C

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
export JAVA_HOME=${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

# Runs one IT of berth-it with extra -D options; maven's output goes to $1.
run_it() {
  local out=$1 test=$2; shift 2
  (cd "$ROOT" && mvn -B -pl berth-it -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
      -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test="$test" "$@" verify) >"$out" 2>&1
}

crash() {
  local ops="" mode=full
  while [[ $# -gt 0 ]]; do
    case $1 in
      --ops) ops=$2; shift 2 ;;
      --mode) mode=$2; shift 2 ;;
      *) die "unknown option $1 (see the head of $0)" ;;
    esac
  done
  local out="$BENCH/results/crash-$(date +%Y%m%d-%H%M%S).txt" report="$ROOT/berth-it/target/crash-report.txt"
  rm -f "$report"
  log "CrashIT, mode $mode${ops:+, operations $ops}; maven output in $out.mvn"
  # strict=false: a point that does not converge is reported, not a build failure.
  run_it "$out.mvn" CrashIT -Dberth.crash.mode="$mode" -Dberth.crash.strict=false ${ops:+-Dberth.crash.ops="$ops"} \
    || log "maven failed (see $out.mvn)"
  [[ -f $report ]] || die "no report written (see $out.mvn)"
  { echo "revision $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') $(date -Is)"; cat "$report"; } > "$out"
  cat "$out"
}

suite() {
  local name=$1 test props; shift
  case $name in
    fuzz) test=ApiFuzzIT; props=(-Dberth.fuzz.requests=${N:-1000000}) ;;
    dns)  test=DnsFuzzIT; props=(-Dberth.dnsfuzz.packets=${N:-1000000}) ;;
    load) test=LoadIT;    props=(-Dberth.load.sandboxes=${N:-1000}) ;;
  esac
  local out="$BENCH/results/reliability-$name-$(date +%Y%m%d-%H%M%S).txt" rc=0
  log "$test with ${props[*]}; maven output in $out.log"
  run_it "$out.log" "$test" -Djunit.jupiter.execution.timeout.default=6h "${props[@]}" "$@" || rc=$?
  grep -E '^(FUZZ-API|FUZZ-DNS|LOAD)|^  \[|^    -> |^       |Tests run:.*in dev' "$out.log" | tee "$out"
  echo "exit $rc; full log: $out.log" | tee -a "$out"
  return $rc
}

[[ $(id -u) -eq 0 ]] || die "needs root (network namespaces)"
mkdir -p "$BENCH/results"
case ${1:-} in
  crash) shift; crash "$@" ;;
  fuzz|dns|load) suite "$@" ;;
  *) die "usage: $0 crash [--ops a,b] [--mode full|ci|trace] | fuzz|dns|load [-Dname=value...]" ;;
esac
