#!/usr/bin/env bash
# Berth as a service: what `./berth install`, `./berth uninstall` and `./berth package` run (and the
# installed `berth uninstall`, from /usr/lib/berth/install.sh).
#
#   install.sh install   [--root DIR]                 put berthd, berth and their runtime in place
#   install.sh uninstall [--root DIR] [--force] [-H unix://SOCK]
#   install.sh package   [--output DIR]               the same tree as a .deb (dpkg-deb)
#
# The tree (paths under the root, / by default; --root DIR or DESTDIR installs into a scratch root):
#   /usr/lib/berth/runtime/           a jlinked Java 25 runtime with the modules the jars need (jdeps)
#   /usr/lib/berth/daemon/, cli/      the jars and their lib/
#   /usr/lib/berth/install.sh         this script (the installed `berth uninstall`)
#   /usr/lib/berth/installed-files    what install put in place (uninstall removes exactly that)
#   /usr/bin/berthd, /usr/bin/berth   wrappers that run the jars on that runtime
#   /usr/lib/systemd/system/berth.service   Type=notify, ExecReload = SIGHUP, KillMode=process
#   /etc/berth/daemon.json            {"group": "berth"} unless one exists (never overwritten)
#   /usr/share/bash-completion/completions/berth   `berth completion bash`
#   /usr/share/man/man8/berthd.8.gz, man1/berth.1.gz   from the programs' --help
#
# install never enables or starts the service; on the real root it creates the system group
# `berth` and runs `systemctl daemon-reload` when systemd runs. A second install changes nothing.
set -euo pipefail
SELF=$(readlink -f "${BASH_SOURCE[0]}")
HERE=${SELF%/*}
LIBDIR=usr/lib/berth
UNIT=usr/lib/systemd/system/berth.service
CONFIG=etc/berth/daemon.json
DEFAULT_CONFIG='{
  "group": "berth"
}'
MANIFEST=$LIBDIR/installed-files

die() { echo "berth: $*" >&2; exit 1; }
say() { echo "berth: $*"; }

# ---- where the build is (a source checkout) --------------------------------------------------
checkout() { # the repository root, or nothing when run from an installed tree
  if [[ -f $HERE/../pom.xml && -d $HERE/../berth-daemon ]]; then
    (cd "$HERE/.." && pwd)
  fi
}

version() { # the project's version, from the root pom
  sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$1/pom.xml" | head -1
}

# ---- staging: the whole tree in a directory, built once per build --------------------------
jdk() {
  local home=${JAVA_HOME:-${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}
  [[ -x $home/bin/jlink && -x $home/bin/jdeps ]] || die "no jlink/jdeps in $home: set JAVA_HOME to a JDK 25"
  echo "$home"
}

modules() { # the modules the daemon's and the CLI's jars need, per jdeps, plus what they load as services
  local src=$1 home=$2 found
  found=$("$home/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps \
    --class-path "$src/berth-daemon/target/lib/*:$src/berth-cli/target/lib/*" \
    "$src/berth-daemon/target/berth-daemon.jar" "$src/berth-daemon/target/lib/"*.jar \
    "$src/berth-cli/target/berth-cli.jar" "$src/berth-cli/target/lib/"*.jar 2>/dev/null | tail -1)
  [[ $found == java.base* ]] || die "jdeps found no modules for the jars: $found"
  # jdeps sees only linked classes: sun.misc.Signal's module, TLS with EC keys for registries, the
  # charsets of foreign file names, and the JNDI DNS provider dnsjava may ask for are added by hand
  # (not jdk.localedata, 30 MB: Berth formats as Go does, in the root locale).
  echo "$found,jdk.unsupported,jdk.crypto.ec,jdk.charsets,jdk.naming.dns"
}

roff_escape() { # a --help text as preformatted roff
  sed -e 's/\\/\\e/g' -e 's/^\([.'"'"']\)/\\\&\1/'
}

man_page() { # name section title help-text description
  local name=$1 section=$2 title=$3 help=$4 description=$5 version=$6
  cat <<EOF
.TH ${name^^} $section "" "Berth $version" "$title"
.SH NAME
$name \\- $description
.SH SYNOPSIS
.B $name
[\\fIOPTIONS\\fR]$( [[ $name == berth ]] && echo ' \fICOMMAND\fR' )
.SH DESCRIPTION
EOF
  if [[ $name == berthd ]]; then
    cat <<'EOF'
The Berth daemon: Docker's container networking (bridges, veth pairs, nftables, an embedded DNS)
and a Docker Engine API on a Unix socket, so the docker CLI and Docker's client libraries drive it.
It takes dockerd's flag names; each can be set in /etc/berth/daemon.json under the same name.
Installed as the systemd service \fBberth.service\fR (Type=notify); \fBsystemctl reload berth\fR
sends SIGHUP, which reloads daemon.json.
EOF
  else
    cat <<'EOF'
The client of Berth. Output, exit statuses and requests match the docker CLI's; the commands
Berth alone has are listed below. It finds the daemon through \fB\-H\fR, else \fBBERTH_HOST\fR,
else unix:///run/berth/berth.sock.
EOF
  fi
  echo ".SH OPTIONS AND COMMANDS"
  echo ".nf"
  printf '%s\n' "$help" | roff_escape
  echo ".fi"
  if [[ $name == berthd ]]; then
    cat <<'EOF'
.SH SIGNALS
SIGHUP reloads daemon.json; SIGTERM and SIGINT stop the daemon (containers keep running and are
adopted at the next start).
.SH FILES
/etc/berth/daemon.json, /var/lib/berth (data root), /run/berth (exec root, the API socket
berth.sock, group \fBberth\fR).
EOF
  fi
  cat <<EOF
.SH SEE ALSO
$( [[ $name == berth ]] && echo '\fBberthd\fR(8)' || echo '\fBberth\fR(1)' ), \\fBsystemctl\\fR(1), \\fBdocker\\fR(1)
EOF
}

unit_file() {
  cat <<'EOF'
[Unit]
Description=Berth: Docker's container networking and Engine API
Documentation=man:berthd(8)
After=network-online.target nftables.service
Wants=network-online.target
StartLimitBurst=3
StartLimitIntervalSec=60

[Service]
# berthd sends READY=1 once its API answers, RELOADING=1 / READY=1 around a reload, STOPPING=1.
Type=notify
ExecStart=/usr/bin/berthd
# A reload re-reads /etc/berth/daemon.json (invalid: the running configuration is kept, logged).
ExecReload=/bin/kill -HUP $MAINPID
TimeoutStartSec=120
# Containers outlive the daemon (their conmon monitors share its cgroup): stop only berthd.
KillMode=process
Restart=always
RestartSec=2
LimitNOFILE=infinity
LimitNPROC=infinity
TasksMax=infinity
OOMScoreAdjust=-500

[Install]
WantedBy=multi-user.target
EOF
}

# The wrappers' JVM flags are the launcher's (scripts/jvm-flags.sh), written in at install time.
wrapper_daemon() {
  # shellcheck source=scripts/jvm-flags.sh
  source "$HERE/jvm-flags.sh"
  cat <<'EOF'
#!/bin/sh
# berthd on Berth's own Java runtime (installed by `berth install` or the berth package).
# The serial GC and a heap that starts small: see README "berthd's JVM". BERTH_DAEMON_JVM_OPTS adds flags.
LIB=$(dirname "$(readlink -f "$0")")/../lib/berth
# shellcheck disable=SC2086
EOF
  echo "export ${DAEMON_ENV[*]}"
  echo "exec \"\$LIB/runtime/bin/java\" ${DAEMON_JVM[*]} \${BERTH_DAEMON_JVM_OPTS:-} -jar \"\$LIB/daemon/berth-daemon.jar\" \"\$@\""
}

wrapper_cli() {
  # shellcheck source=scripts/jvm-flags.sh
  source "$HERE/jvm-flags.sh"
  cat <<'EOF'
#!/bin/sh
# berth on Berth's own Java runtime (installed by `berth install` or the berth package).
LIB=$(dirname "$(readlink -f "$0")")/../lib/berth
case "${1:-}" in
  uninstall) shift; exec "$LIB/install.sh" uninstall "$@" ;;
  install|package) echo "berth: '$1' is run from a Berth source checkout: ./berth $1" >&2; exit 1 ;;
esac
EOF
  echo "exec \"\$LIB/runtime/bin/java\" ${CLI_JVM[*]} -jar \"\$LIB/cli/berth-cli.jar\" \"\$@\""
}

stage() { # the tree into $1 (cached: made again only when a jar or this script is newer)
  local src=$1 out=$2 home ver
  home=$(jdk)
  ver=$(version "$src")
  local stamp=$out/.staged
  if [[ -f $stamp && -z $(find "$src/berth-daemon/target/berth-daemon.jar" "$src/berth-cli/target/berth-cli.jar" \
        "$src"/berth-*/target/lib "$SELF" -newer "$stamp" -print -quit) ]]; then
    return 0
  fi
  say "staging the tree in $out (jlink, jars, unit, completion, man pages)..." >&2
  rm -rf "$out"
  mkdir -p "$out/tree/$LIBDIR/daemon" "$out/tree/$LIBDIR/cli" "$out/tree/usr/bin" "$out/tree/${UNIT%/*}" \
    "$out/tree/usr/share/bash-completion/completions" "$out/tree/usr/share/man/man8" "$out/tree/usr/share/man/man1"
  local t=$out/tree
  "$home/bin/jlink" --add-modules "$(modules "$src" "$home")" --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
    --generate-cds-archive --output "$t/$LIBDIR/runtime" >"$out/jlink.log" 2>&1 ||
    { cat "$out/jlink.log" >&2; die "jlink failed"; }
  cp -r "$src/berth-daemon/target/berth-daemon.jar" "$src/berth-daemon/target/lib" "$t/$LIBDIR/daemon/"
  cp -r "$src/berth-cli/target/berth-cli.jar" "$src/berth-cli/target/lib" "$t/$LIBDIR/cli/"
  install -m 0755 "$SELF" "$t/$LIBDIR/install.sh"
  wrapper_daemon >"$t/usr/bin/berthd"
  wrapper_cli >"$t/usr/bin/berth"
  chmod 0755 "$t/usr/bin/berthd" "$t/usr/bin/berth"
  unit_file >"$t/$UNIT"
  local java=$t/$LIBDIR/runtime/bin/java help_d help_c
  # the programs on the runtime just made: a missing module shows here, not at the first start
  help_d=$("$java" --enable-native-access=ALL-UNNAMED -jar "$t/$LIBDIR/daemon/berth-daemon.jar" --help) ||
    die "berthd --help failed on the jlinked runtime"
  help_c=$("$java" -jar "$t/$LIBDIR/cli/berth-cli.jar" --help) || die "berth --help failed on the jlinked runtime"
  "$java" -jar "$t/$LIBDIR/cli/berth-cli.jar" completion bash >"$t/usr/share/bash-completion/completions/berth"
  man_page berthd 8 "System Administration" "$help_d" "the Berth daemon" "$ver" | gzip -9n >"$t/usr/share/man/man8/berthd.8.gz"
  man_page berth 1 "User Commands" "$help_c" "the Berth command-line client" "$ver" | gzip -9n >"$t/usr/share/man/man1/berth.1.gz"
  chmod -R u=rwX,go=rX "$t"
  echo "$ver" >"$out/version"
  touch "$stamp"
}

staged_files() { # every file and symlink of the staged tree, relative, sorted
  (cd "$1" && find . \( -type f -o -type l \) -printf '%P\n' | LC_ALL=C sort)
}

# ---- install ---------------------------------------------------------------------------------
do_install() {
  local root=${DESTDIR:-/}
  while (($#)); do
    case $1 in
      --root) root=${2:?--root needs a directory}; shift 2 ;;
      --root=*) root=${1#--root=}; shift ;;
      *) die "install: unknown option $1 (usage: ./berth install [--root DIR])" ;;
    esac
  done
  local src
  src=$(checkout)
  [[ -n $src ]] || die "install runs from a Berth source checkout: ./berth install"
  [[ $root == / || -d $root ]] || die "install: root $root is not a directory"
  root=$(cd "$root" && pwd)
  if [[ $root == / ]]; then
    [[ $(id -u) == 0 ]] || die "install: run as root (or give --root DIR)"
    if dpkg-query -W -f='${Status}' berth 2>/dev/null | grep -q 'install ok installed'; then
      die "install: berth is installed by the Debian package berth; upgrade that package instead"
    fi
  fi
  local out=$src/target/berth-stage
  stage "$src" "$out"
  local tree=$out/tree changed=0 rel dest files
  files=$(staged_files "$tree")
  while IFS= read -r rel; do
    dest=${root%/}/$rel
    if [[ -L $tree/$rel ]]; then
      [[ -L $dest && $(readlink "$dest") == "$(readlink "$tree/$rel")" ]] && continue
    elif [[ -f $dest && ! -L $dest ]] && cmp -s "$tree/$rel" "$dest" &&
         [[ $(stat -c %a "$tree/$rel") == $(stat -c %a "$dest") ]]; then
      continue
    fi
    mkdir -p "${dest%/*}"
    # a new file beside the old, then rename: a running berthd keeps its open jars
    rm -rf "$dest.berth-new"
    cp -P -p "$tree/$rel" "$dest.berth-new" && mv -fT "$dest.berth-new" "$dest"
    changed=$((changed + 1))
  done <<<"$files"
  # what an older install put in place and this one does not: gone
  local old=${root%/}/$MANIFEST
  if [[ -f $old ]]; then
    while IFS= read -r rel; do
      [[ $rel == "$CONFIG" ]] && continue
      if ! grep -qxF "$rel" <<<"$files"; then
        rm -f "${root%/}/$rel" && changed=$((changed + 1))
      fi
    done <"$old"
  fi
  local config=${root%/}/$CONFIG
  if [[ ! -e $config ]]; then
    mkdir -p "${config%/*}"
    printf '%s\n' "$DEFAULT_CONFIG" >"$config"
    chmod 0644 "$config"
    changed=$((changed + 1))
  fi
  local manifest
  manifest=$( { echo "$files"; echo "$CONFIG"; } | LC_ALL=C sort -u)
  if [[ ! -f $old || $(cat "$old") != "$manifest" ]]; then
    printf '%s\n' "$manifest" >"$old"
  fi
  if [[ $root == / ]]; then
    if ! getent group berth >/dev/null; then
      groupadd --system berth
      say "created the system group berth (its members may use /run/berth/berth.sock)"
      changed=$((changed + 1))
    fi
    if [[ -d /run/systemd/system && $changed -gt 0 ]]; then
      systemctl daemon-reload
    fi
  fi
  if ((changed == 0)); then
    say "berth $(cat "$out/version") is installed in $root; nothing changed"
  else
    say "installed berth $(cat "$out/version") in $root ($changed files changed)"
    [[ $root == / ]] || say "group berth not created: --root given (create it in that system: groupadd --system berth)"
  fi
  if [[ $root == / ]]; then
    if [[ -d /run/systemd/system ]] && systemctl is-active --quiet berth.service 2>/dev/null; then
      ((changed == 0)) || say "berth.service still runs the previous build: systemctl restart berth to use this one"
    else
      say "start it with: systemctl enable --now berth   (not done for you)"
    fi
  fi
}

# ---- uninstall -------------------------------------------------------------------------------
do_uninstall() {
  local root=${DESTDIR:-/} force=0 host=""
  if [[ -z $(checkout) && $HERE == */$LIBDIR ]]; then
    root=${HERE%/"$LIBDIR"} # the installed copy uninstalls the tree it is part of
    root=${root:-/}
  fi
  while (($#)); do
    case $1 in
      --root) root=${2:?--root needs a directory}; shift 2 ;;
      --root=*) root=${1#--root=}; shift ;;
      --force|-f) force=1; shift ;;
      -H|--host) host=${2:?$1 needs unix:///path}; shift 2 ;;
      --host=*) host=${1#--host=}; shift ;;
      *) die "uninstall: unknown option $1 (usage: berth uninstall [--force] [--root DIR] [-H unix:///SOCK])" ;;
    esac
  done
  [[ $root == / || -d $root ]] || die "uninstall: root $root is not a directory"
  root=$(cd "$root" && pwd)
  local r=${root%/}
  if [[ $root == / ]]; then
    [[ $(id -u) == 0 ]] || die "uninstall: run as root (or give --root DIR)"
    if dpkg-query -W -f='${Status}' berth 2>/dev/null | grep -q 'install ok installed'; then
      die "uninstall: berth is installed by the Debian package berth: apt-get remove berth"
    fi
  fi
  if [[ ! -f $r/$MANIFEST ]]; then
    say "berth is not installed in $root; nothing to do"
    return 0
  fi
  # ask the daemon of that root (its default socket, or -H) what runs: those stop with berth
  host=${host:-unix://$r/run/berth/berth.sock}
  [[ $host == unix:///* ]] || die "uninstall: -H takes the daemon's Unix socket, unix:///path (not $host)"
  local sock=${host#unix://} cli=("$r/usr/bin/berth" -H "$host") running=""
  if [[ -S $sock ]]; then
    if ! running=$(BERTH_NO_BUILD_CHECK=1 "${cli[@]}" ps -q 2>&1); then
      if ((force == 0)); then
        die "uninstall: the daemon at $host does not answer ($running); cannot tell what runs. Stop berth first, or give --force"
      fi
      running=""
    fi
  fi
  if [[ -n $running ]]; then
    local n
    n=$(wc -l <<<"$running")
    if ((force == 0)); then
      {
        echo "berth: uninstall refused: $n container(s) run on the daemon at $host and would stop:"
        "${cli[@]}" ps | sed 's/^/  /'
        echo "berth: stop them first (berth stop ...), or run uninstall --force to stop them"
      } >&2
      exit 1
    fi
    say "stopping $n container(s) that run on the daemon at $host:"
    # shellcheck disable=SC2046
    "${cli[@]}" stop $running | sed 's/^/  stopped /'
  fi
  if [[ $root == / && -d /run/systemd/system ]] && systemctl is-active --quiet berth.service 2>/dev/null; then
    say "stopping berth.service"
    systemctl stop berth.service
    systemctl disable berth.service 2>/dev/null || true
  fi
  local rel removed=0 kept=""
  while IFS= read -r rel; do
    [[ -n $rel ]] || continue
    if [[ $rel == "$CONFIG" ]]; then
      if [[ -f $r/$rel && $(cat "$r/$rel") != "$DEFAULT_CONFIG" ]]; then
        kept=$r/$rel
        continue
      fi
    fi
    if [[ -e $r/$rel || -L $r/$rel ]]; then
      rm -f "$r/$rel"
      removed=$((removed + 1))
    fi
  done < <(grep -vxF "$MANIFEST" "$r/$MANIFEST")
  rm -f "$r/$MANIFEST"
  # the directories install made, now empty (shared ones such as /usr/bin stay: they are not empty)
  find "$r/$LIBDIR" -depth -type d -empty -delete 2>/dev/null || true
  rmdir "$r/etc/berth" 2>/dev/null || true
  if [[ $root == / && -d /run/systemd/system ]]; then
    systemctl daemon-reload
  fi
  say "removed berth from $root ($removed files)"
  [[ -z $kept ]] || say "kept $kept (changed since install)"
  say "kept the data root and exec root (/var/lib/berth, /run/berth) and the group berth; remove them by hand"
}

# ---- package ---------------------------------------------------------------------------------
do_package() {
  local output=""
  while (($#)); do
    case $1 in
      --output|-o) output=${2:?$1 needs a directory}; shift 2 ;;
      --output=*) output=${1#--output=}; shift ;;
      *) die "package: unknown option $1 (usage: ./berth package [--output DIR])" ;;
    esac
  done
  local src
  src=$(checkout)
  [[ -n $src ]] || die "package runs from a Berth source checkout: ./berth package"
  output=${output:-$src/target}
  mkdir -p "$output"
  command -v dpkg-deb >/dev/null || die "package: dpkg-deb is missing (apt-get install dpkg)"
  local out=$src/target/berth-stage
  stage "$src" "$out"
  local ver deb_ver pkg
  ver=$(cat "$out/version")
  deb_ver=$(tr - '~' <<<"$ver") # 0.1.0~SNAPSHOT sorts before 0.1.0
  pkg=$(mktemp -d -t berth-deb.XXXXXX)
  trap 'rm -rf "$pkg"' RETURN
  cp -a "$out/tree/." "$pkg/"
  mkdir -p "$pkg/${CONFIG%/*}" "$pkg/DEBIAN" "$pkg/usr/share/doc/berth"
  printf '%s\n' "$DEFAULT_CONFIG" >"$pkg/$CONFIG"
  rm -f "$pkg/$MANIFEST" # dpkg keeps the list of a package's files
  cp "$src/README.md" "$pkg/usr/share/doc/berth/README.md"
  gzip -9n "$pkg/usr/share/doc/berth/README.md"
  local size
  size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
  cat >"$pkg/DEBIAN/control" <<EOF
Package: berth
Version: $deb_ver
Architecture: amd64
Maintainer: Berth developers <berth@localhost>
Installed-Size: $size
Depends: libnftables1, runc, conmon, iproute2, util-linux
Section: admin
Priority: optional
Description: Docker's container networking and Engine API as a daemon
 berthd builds networks from real kernel objects (bridges, veth pairs, nftables),
 runs containers with runc under conmon and speaks the Docker Engine API on
 /run/berth/berth.sock, so the docker CLI drives it. Brings its own Java runtime.
 The service berth.service is installed but neither enabled nor started.
EOF
  echo "/$CONFIG" >"$pkg/DEBIAN/conffiles"
  cat >"$pkg/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  getent group berth >/dev/null || addgroup --system berth
  if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
  echo "berth: start it with: systemctl enable --now berth   (not done for you)"
fi
EOF
  cat >"$pkg/DEBIAN/prerm" <<'EOF'
#!/bin/sh
# Removal while containers run on the daemon: refused, naming them, unless BERTH_FORCE=1 (which stops them).
set -e
if [ "$1" = remove ] && [ -S /run/berth/berth.sock ]; then
  running=$(/usr/bin/berth ps -q 2>/dev/null || true)
  if [ -n "$running" ]; then
    if [ "${BERTH_FORCE:-0}" != 1 ]; then
      echo "berth: removal refused: these containers run and would stop:" >&2
      /usr/bin/berth ps >&2 || true
      echo "berth: stop them first, or remove with BERTH_FORCE=1 to stop them" >&2
      exit 1
    fi
    # shellcheck disable=SC2086
    /usr/bin/berth stop $running
  fi
fi
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
  systemctl stop berth.service 2>/dev/null || true
  systemctl disable berth.service 2>/dev/null || true
fi
EOF
  cat >"$pkg/DEBIAN/postrm" <<'EOF'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
EOF
  chmod 0755 "$pkg/DEBIAN/postinst" "$pkg/DEBIAN/prerm" "$pkg/DEBIAN/postrm"
  local deb=$output/berth_${deb_ver}_amd64.deb
  dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$deb" >/dev/null
  say "built $deb"
}

cmd=${1:-}
shift || true
case $cmd in
  install) do_install "$@" ;;
  uninstall) do_uninstall "$@" ;;
  package) do_package "$@" ;;
  *) die "usage: install.sh install|uninstall|package [options]" ;;
esac
