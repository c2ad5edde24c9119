#!/usr/bin/env bash
# The whole test suite: unit tests (Surefire), then privileged integration tests (Failsafe) that
# run berthd in throwaway network namespaces. Needs root. This is what .ci/run calls.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
export JAVA_HOME=${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
"$ROOT/scripts/install-deps.sh"
if [[ $(id -u) != 0 ]]; then
  echo "berth: the integration tests create network namespaces and need root" >&2
  exit 1
fi
cd "$ROOT"
exec mvn -B -Dstyle.color=never verify "$@"
