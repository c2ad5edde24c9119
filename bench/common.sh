# shellcheck shell=bash
# What the bench scripts (run.sh, dns.sh, reload.sh, container.sh, footprint.sh) share: logging, building a
# stale berthd, running a long step as a child, the revision line, meta records, starting berthd
# in a namespace, stopping it by PID, and sweeping its exec root's netns directory. Sourced, never
# run, right after the caller set BENCH (this folder); it sets ROOT, PEERS_DIR, JAVA_HOME, JAVA,
# DAEMON_JAR and DAEMON_JVM (the caller sets OUT before meta, NS/DIR/SOCK before start_berthd).

ROOT=$(cd "$BENCH/.." && pwd)
PEERS_DIR=$(cd "${BERTH_PEERS_DIR:-$ROOT/../shared/peers}" 2>/dev/null && pwd || echo "${BERTH_PEERS_DIR:-$ROOT/../shared/peers}")
export JAVA_HOME=${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
DAEMON_JAR=${BERTH_DAEMON_JAR:-$ROOT/berth-daemon/target/berth-daemon.jar}
# DAEMON_JVM, DAEMON_ENV: berthd's JVM flags and environment as the launcher gives them (serial GC,
# small initial heap, trim; two malloc arenas)
# shellcheck source=scripts/jvm-flags.sh
. "$ROOT/scripts/jvm-flags.sh"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

stale() { # jar dir...: missing, or a source/pom under the dirs is newer
  local jar=$1; shift
  [[ ! -f $jar ]] && return 0
  [[ -n $(find "$@" \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$jar" -not -path '*/target/*' -print -quit 2>/dev/null) ]]
}

build_berth() { # the daemon jar, unless BERTH_DAEMON_JAR names another build
  if [[ -z ${BERTH_DAEMON_JAR:-} ]] && stale "$DAEMON_JAR" "$ROOT"/berth-*/ "$ROOT/pom.xml"; then
    log "building Berth (mvn -B -q -DskipTests package at the root)"
    (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
  fi
}

# Long steps run as a background child and are waited for, so that SIGINT/SIGTERM reach the
# trap at once (bash defers traps until a foreground child ends); cleanup ends the child by PID.
CHILD=""
run_child() {
  local rc=0
  "$@" &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  return "$rc"
}

berth_rev() { # what is measured: the jar given, or the commit (dirty outside bench/) and branch
  if [[ -n ${BERTH_DAEMON_JAR:-} ]]; then
    echo "jar $BERTH_DAEMON_JAR"
    return
  fi
  local rev
  rev="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  [[ -n $(git -C "$ROOT" status --porcelain -- . ':!bench' 2>/dev/null) ]] && rev+="-dirty"
  echo "$rev ($(git -C "$ROOT" rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?'))"
}

meta() { # key [json-fields]: one meta line in $OUT
  echo "{\"meta\":\"$1\",\"date\":\"$(date -Is)\",\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"${2:+,$2}}" >> "$OUT"
}

start_berthd() { # berthd in namespace $NS with $DIR/daemon.json, socket $SOCK; sets BERTH_PID
  # the launcher's JVM flags and, as ./berth daemon, its AOT cache beside the jar while it fits
  # (classes and the training's method profiles: a fresh daemon's first requests are faster);
  # BERTH_NO_AOT=1: none
  local aot=() cache=${DAEMON_JAR%.jar}.aot
  if [[ ${BERTH_NO_AOT:-0} != 1 ]] && aot_fresh "$cache" "$DAEMON_JAR"; then
    aot=(-XX:AOTCache="$cache" "${AOT_USE[@]}")
  fi
  local used=none
  [[ ${#aot[@]} -gt 0 ]] && used=$cache
  [[ -n ${OUT:-} ]] && meta daemon "\"aot_cache\":\"$used\""
  log "berthd: the launcher's JVM flags, AOT cache: $used"
  # shellcheck disable=SC2086  # BERTH_DAEMON_JVM_OPTS is a list of flags
  nsenter --net="/run/netns/$NS" env "${DAEMON_ENV[@]}" "$JAVA" "${DAEMON_JVM[@]}" "${aot[@]}" ${BERTH_DAEMON_JVM_OPTS:-} \
    -jar "$DAEMON_JAR" -H "unix://$SOCK" --data-root "$DIR/data" --exec-root "$DIR/exec" \
    --config-file "$DIR/daemon.json" >"$DIR/berthd.log" 2>&1 &
  BERTH_PID=$!
  for _ in $(seq 300); do
    curl -sf --unix-socket "$SOCK" http://berth/_ping >/dev/null 2>&1 && break
    kill -0 "$BERTH_PID" 2>/dev/null || { cat "$DIR/berthd.log" >&2; die "berthd exited during start-up"; }
    sleep 0.1
  done
  curl -sf --unix-socket "$SOCK" http://berth/_ping >/dev/null || die "berthd did not answer /_ping within 30 s"
}

# The busybox-static rootfs every engine gets as busybox:local (as ../shared/peers/common.sh's
# build_busybox_tar makes it): $1/rootfs, tarred to $1/busybox-rootfs.tar.
make_busybox_tar() { # dir
  local rf=$1/rootfs
  [[ -x /bin/busybox ]] || die "no /bin/busybox (apt-get install busybox-static)"
  mkdir -p "$rf"/{bin,etc,www,tmp,proc,sys,dev,root}
  cp /bin/busybox "$rf/bin/busybox"
  chroot "$rf" /bin/busybox --install -s /bin
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$rf/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$rf/etc/group"
  echo "hello from busybox:local" > "$rf/www/index.html"
  chmod 1777 "$rf/tmp"
  tar -C "$rf" -cf "$1/busybox-rootfs.tar" .
}

# SIGTERM to berthd by $BERTH_PID, SIGKILL after 20 s; clears BERTH_PID. Nothing when it is not running.
stop_berth() {
  if [[ -n $BERTH_PID ]] && kill -0 "$BERTH_PID" 2>/dev/null; then
    kill -TERM "$BERTH_PID"
    for _ in $(seq 200); do kill -0 "$BERTH_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$BERTH_PID" 2>/dev/null; then log "berthd $BERTH_PID ignored SIGTERM for 20 s: SIGKILL"; kill -KILL "$BERTH_PID"; fi
    wait "$BERTH_PID" 2>/dev/null || true
  fi
  BERTH_PID=""
}

# After berthd stopped: sandbox namespace files still under $DIR/exec/netns are unmounted and
# removed (loudly), then the directory itself. Prints how many were left; nothing when there is
# no such directory (a second teardown).
sweep_netns_dir() {
  local dir=$DIR/exec/netns left
  [[ -n $DIR && -d $dir ]] || return 0
  left=$(find "$dir" -mindepth 1 -maxdepth 1 | wc -l)
  if [[ $left != 0 ]]; then
    log "WARNING: $left namespace files left under $dir after berthd stopped: unmounting them"
    find "$dir" -mindepth 1 -maxdepth 1 -exec umount -l {} \; -exec rm -f {} \; 2>/dev/null
  else
    log "$dir is empty"
  fi
  # berthd makes the directory a mount point of its own and unmounts it on a clean stop;
  # after a crash it is still mounted, and rm -rf of the temp dir would leave it behind
  mountpoint -q "$dir" && umount -l "$dir"
  rmdir "$dir" 2>/dev/null || true
  echo "$left"
}

# The end of a suite's cleanup, after its own steps: berthd stopped, its namespace directory swept,
# the bench namespace $NS deleted, berthd's log kept as results/berthd-SUITE-$STAMP.log, $DIR removed.
end_berth_run() { # suite
  stop_berth
  sweep_netns_dir >/dev/null
  ip netns list | awk '{print $1}' | grep -qx "$NS" && ip netns del "$NS"
  [[ -f $DIR/berthd.log ]] && cp "$DIR/berthd.log" "$RES/berthd-$1-$STAMP.log"
  rm -rf "$DIR"
}
