#!/usr/bin/env bash
# Long reliability runs of issue 9 that CI only samples. Needs root.
#
#   bench/reliability.sh crash [--ops network-create,connect,...] [--mode full|ci|trace]
#
# crash: berth-it's CrashIT in full: SIGKILL berthd at every traced step (rtnetlink request,
#   sysctl write, namespace mount/unmount/unlink, nft transaction, store transaction, process
#   start/kill, sandbox file change, reply) of network create, connect, disconnect, publish,
#   connect with published ports, run -d, rm -f, network rm and network prune; restart and check
#   convergence after each. Prints per operation the points and every failing one with what was
#   wrong, then the figure "kill points tried / converged". About 8 s a point (~25 min for the
#   ~150 points); --mode ci is what CI runs (~3 min), --mode trace only lists the points.
#   The report is copied to bench/results/crash-<date>.txt (gitignored); the daemon logs of the
#   failing points are in berth-it/target/crash-logs/.
#
# Safety: everything runs in the IT fixture's throwaway namespaces (see berth-it), which are
# deleted after each point; the machine's initial namespace is never touched.
#
# Env: BERTH_JAVA_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail

BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
export JAVA_HOME=${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

crash() {
  local ops="" mode=full
  while [[ $# -gt 0 ]]; do
    case $1 in
      --ops) ops=$2; shift 2 ;;
      --mode) mode=$2; shift 2 ;;
      *) die "unknown option $1 (see the head of $0)" ;;
    esac
  done
  [[ $(id -u) -eq 0 ]] || die "needs root (network namespaces)"
  local out="$BENCH/results/crash-$(date +%Y%m%d-%H%M%S).txt" report="$ROOT/berth-it/target/crash-report.txt"
  mkdir -p "$BENCH/results"
  rm -f "$report"
  log "CrashIT, mode $mode${ops:+, operations $ops}; maven output in $out.mvn"
  # strict=false: a point that does not converge is reported, not a build failure.
  (cd "$ROOT" && mvn -B -pl berth-it -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
      -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=CrashIT -Dberth.crash.mode="$mode" \
      -Dberth.crash.strict=false ${ops:+-Dberth.crash.ops="$ops"} verify) >"$out.mvn" 2>&1 \
    || log "maven failed (see $out.mvn)"
  [[ -f $report ]] || die "no report written (see $out.mvn)"
  { echo "revision $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') $(date -Is)"; cat "$report"; } > "$out"
  cat "$out"
}

case ${1:-} in
  crash) shift; crash "$@" ;;
  *) die "usage: $0 crash [--ops a,b] [--mode full|ci|trace]" ;;
esac
