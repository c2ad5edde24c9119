#!/usr/bin/env bash
# Long reliability runs (issue 9): bench/reliability.sh fuzz|dns|load [extra -D options]
#
#   fuzz  10^6 generated Engine API requests (ApiFuzzIT with -Dberth.fuzz.requests=1000000)
#   dns   10^6 DNS packets at 127.0.0.11 inside a sandbox (DnsFuzzIT with -Dberth.dnsfuzz.packets=1000000)
#   load  100 connects/disconnects over 10 networks, 100 network creates, 1000 sandboxes under DNS
#         queries (LoadIT with -Dberth.load.sandboxes=1000)
#
# Each suite is the CI integration test with the issue's sizes: same fixture (a throwaway host
# namespace, the daemon as a child, a leak check at the end), nothing in the initial namespace.
# The figures are the FUZZ-API / FUZZ-DNS / LOAD lines; they go to bench/results/reliability-<suite>-<stamp>.txt.
set -euo pipefail
export LC_ALL=C
BENCH=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
export JAVA_HOME=${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
suite=${1:-}; shift || true
case $suite in
  fuzz) test=ApiFuzzIT; props=(-Dberth.fuzz.requests=${N:-1000000}) ;;
  dns)  test=DnsFuzzIT; props=(-Dberth.dnsfuzz.packets=${N:-1000000}) ;;
  load) test=LoadIT;    props=(-Dberth.load.sandboxes=${N:-1000}) ;;
  *) echo "usage: bench/reliability.sh fuzz|dns|load [-Dname=value...]" >&2; exit 2 ;;
esac
[[ $(id -u) == 0 ]] || { echo "run as root" >&2; exit 2; }
mkdir -p "$BENCH/results"
out=$BENCH/results/reliability-$suite-$(date +%Y%m%d-%H%M%S).txt
cd "$ROOT"
rc=0
mvn -o -B -pl berth-it -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test="$test" \
  -Djunit.jupiter.execution.timeout.default=6h "${props[@]}" "$@" verify > "$out.log" 2>&1 || rc=$?
grep -E '^(FUZZ-API|FUZZ-DNS|LOAD)|^  \[|^    -> |^       |Tests run:.*in dev' "$out.log" | tee "$out"
echo "exit $rc; full log: $out.log" | tee -a "$out"
exit $rc
