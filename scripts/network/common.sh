# shellcheck shell=bash disable=SC1090
# Shared helpers of the network scripts (sourced, not run).
# Layout of the runtime folder (git-ignored, removed by down.sh):
#   $RUN/counties/<county>/  that county's own folder (its "machine"): crypto-config.yaml, cryptogen
#                            output in crypto/ (its CA key, peer/orderer/admin/user keys), county.json
#   $RUN/public/<county>/    what the county publishes: CA and TLS CA certificates, NodeOU config
#   $RUN/config/             configtx.yaml (public material only), peer/core.yaml, collections.json
#   $RUN/channel/            the channel genesis block
#   $RUN/nodes/<id>/         data folder of each node;  $RUN/nodes/<id>.env its environment
#   $RUN/env/<county>.env    peer CLI / osnadmin environment of each county's admin
#   $RUN/logs/<id>.log       one log per node (chaincode logs too)
#   $RUN/pids                "<pid> <id> <executable>" of every process started
#   $RUN/network.json        connection facts for clients
#   $RUN/layout              loopback | hosts;  hosts layout: $RUN/bridge "<bridge> <addr/len>",
#                            $RUN/hosts.tsv "<county> <netns> <host-link> <addr/len>" (render.mjs)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FABRIC_HOME="${FABRIC_HOME:-$ROOT/.fabric}"
FABRIC_BIN="$FABRIC_HOME/bin"
RUN="${NETWORK_RUN_DIR:-$ROOT/network/run}"
NETWORK_CONFIG="${NETWORK_CONFIG:-$ROOT/network/counties.json}"
PIDS="$RUN/pids"
LOGS="$RUN/logs"
START_TIMEOUT="${NETWORK_START_TIMEOUT:-60}"   # seconds a node may take to come up
export FABRIC_HOME NETWORK_RUN_DIR="$RUN" NETWORK_CONFIG

say() { echo "network: $*"; }
die() { echo "network: ERROR: $*" >&2; exit 1; }

require_fabric() {
  local t
  for t in peer orderer configtxgen cryptogen osnadmin; do
    [ -x "$FABRIC_BIN/$t" ] || die "$FABRIC_BIN/$t is missing; run 'npm run fabric:install' first"
  done
  [ -f "$FABRIC_HOME/sampleconfig/core.yaml" ] || die "$FABRIC_HOME/sampleconfig is missing; run 'npm run fabric:install' first"
}

# is_ours PID EXECUTABLE: the process exists and runs that executable (guards against PID reuse)
is_ours() {
  local pid="$1" exe="$2" cmd
  [ -r "/proc/$pid/cmdline" ] || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$exe"* ]]
}

# pid_of ID: the recorded PID of a running node, empty if none
pid_of() {
  local pid id exe
  [ -f "$PIDS" ] || return 0
  while read -r pid id exe; do
    if [ "$id" = "$1" ] && is_ours "$pid" "$exe"; then echo "$pid"; fi
  done <"$PIDS" | tail -1
}

# node_line ID: the nodes.tsv line of a node: id kind county checks health netns
node_line() { awk -F'\t' -v id="$1" '$1 == id' "$RUN/nodes.tsv"; }

# port_free HOST:PORT LABEL: dies with a readable message when something listens there
port_free() {
  local hp="$1" label="$2" host="${1%:*}" port="${1##*:}" who=""
  if timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$host" "$port" 2>/dev/null; then
    if command -v ss >/dev/null 2>&1; then
      who="$(ss -ltnpH "sport = :$port" 2>/dev/null | sed -n 's/.*users:((\("[^"]*",pid=[0-9]*\).*/\1/p' | head -1)"
    fi
    die "port $hp ($label) is already in use${who:+ by $who}. Stop that process, or choose another port in $NETWORK_CONFIG"
  fi
}

# tail_log ID: last lines of a node's log, for error messages
tail_log() {
  local f="$LOGS/$1.log"
  [ -f "$f" ] || return 0
  echo "---- last lines of $f ----" >&2; tail -n 25 "$f" >&2; echo "----" >&2
}

# start_node ID: starts a node as a detached native process and records its PID
start_node() {
  local id="$1" line kind exe pid
  line="$(node_line "$id")"; [ -n "$line" ] || die "unknown node '$id' (see $RUN/nodes.tsv)"
  kind="$(cut -f2 <<<"$line")"
  exe="$FABRIC_BIN/$kind"
  [ -z "$(pid_of "$id")" ] || die "$id is already running (pid $(pid_of "$id"))"
  local check
  for check in $(cut -f4 <<<"$line" | tr ',' ' '); do port_free "${check%%=*}" "$id ${check#*=}"; done
  mkdir -p "$RUN/nodes/$id" "$LOGS"
  echo "=== $(date -Is) starting $id" >>"$LOGS/$id.log"
  # shellcheck disable=SC1090
  # hosts layout: the node (and the chaincode its peer starts) runs in its county's namespace;
  # `ip netns exec` execs in place, so the recorded PID stays the node's
  local netns in=()
  netns="$(cut -f6 <<<"$line")"
  if [ -n "$netns" ]; then in=(ip netns exec "$netns"); fi
  ( set -a; . "$RUN/nodes/$id.env"; set +a
    cd "$RUN/nodes/$id"
    if [ "$kind" = peer ]; then exec "${in[@]}" setsid "$exe" node start; else exec "${in[@]}" setsid "$exe"; fi
  ) </dev/null >>"$LOGS/$id.log" 2>&1 &
  pid=$!
  echo "$pid $id $exe" >>"$PIDS"
  # until the subshell has exec'd the node its command line is this script's, and pid_of (so
  # wait_healthy) would take the node for exited; wait for the exec (bounded: it may really exit)
  for _ in $(seq 1 50); do is_ours "$pid" "$exe" && break; sleep 0.1; done
  say "started $id (pid $pid, log $LOGS/$id.log)"
}

# wait_healthy ID: waits until the node's operations /healthz answers OK
wait_healthy() {
  local id="$1" line health pid deadline body
  line="$(node_line "$id")"; health="$(cut -f5 <<<"$line")"
  deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    pid="$(pid_of "$id")"
    if [ -z "$pid" ]; then tail_log "$id"; die "$id exited during start-up; see its log $LOGS/$id.log"; fi
    body="$(curl -s --max-time 2 "http://$health/healthz" 2>/dev/null || true)"
    if [[ "$body" == *'"status":"OK"'* ]]; then return 0; fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail_log "$id"
      die "$id did not become healthy within ${START_TIMEOUT}s (http://$health/healthz said: ${body:-nothing}); see its log $LOGS/$id.log"
    fi
    sleep 0.5
  done
}

# stop_pid PID ID EXE: SIGTERM, then SIGKILL after 10 s
stop_pid() {
  local pid="$1" id="$2" exe="$3"
  is_ours "$pid" "$exe" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do is_ours "$pid" "$exe" || { say "stopped $id (pid $pid)"; return 0; }; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  # its sockets close only once it is gone: a start right after must not find its ports taken
  for _ in $(seq 1 50); do is_ours "$pid" "$exe" || break; sleep 0.1; done
  say "killed $id (pid $pid) after it ignored SIGTERM for 10s"
}

# in_county KEY CMD...: runs a command with that county's admin environment (peer CLI, osnadmin)
in_county() {
  local key="$1"; shift
  [ -f "$RUN/env/$key.env" ] || die "no admin environment for county '$key' ($RUN/env/$key.env); is the network up?"
  ( set -a; . "$RUN/env/$key.env"; set +a; PATH="$FABRIC_BIN:$PATH"; "$@" )
}

counties() { node -e 'for (const c of JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).counties) console.log(c.key)' "$NETWORK_CONFIG"; }

# ---- hosts layout (up.sh --hosts): one Linux network namespace per county, a veth pair from it to a
# bridge in the root namespace. Private 10.x addresses only, no default route in a namespace: nothing
# leaves the machine. Names: bridge clbr0, namespace and root-side link cl-<county> (15 characters at
# most), the namespace side eth0.

# hosts_available: sets HOSTS_WHY and fails when namespaces, veth pairs and bridges cannot be made here
hosts_available() {
  HOSTS_WHY=""
  if [ "$(id -u)" != 0 ]; then HOSTS_WHY="it needs root"; return 1; fi
  if ! command -v ip >/dev/null 2>&1; then HOSTS_WHY="the ip command (iproute2) is missing"; return 1; fi
  local probe="clprobe$$"
  if ! ip netns add "$probe" 2>/dev/null; then HOSTS_WHY="'ip netns add' does not work here"; return 1; fi
  if ! ip link add "${probe:0:13}b" type veth peer name eth0 netns "$probe" 2>/dev/null; then
    ip netns del "$probe" 2>/dev/null || true
    HOSTS_WHY="veth pairs cannot be made here"; return 1
  fi
  ip link del "${probe:0:13}b" 2>/dev/null || true
  ip netns del "$probe" 2>/dev/null || true
  if ! ip link add "${probe:0:13}r" type bridge 2>/dev/null; then HOSTS_WHY="bridges cannot be made here"; return 1; fi
  ip link del "${probe:0:13}r" 2>/dev/null || true
}

# hosts_names: "<netns> <host-link>" per county and "bridge <name>", from the runtime folder and from
# the county file (so that leftovers are found even when the runtime folder is gone)
hosts_names() {
  if [ -f "$RUN/hosts.tsv" ]; then awk -F'\t' '{print $2, $3}' "$RUN/hosts.tsv"; fi
  if [ -f "$RUN/bridge" ]; then awk -F'\t' '{print "bridge", $1}' "$RUN/bridge"; fi
  if [ -f "$NETWORK_CONFIG" ]; then
    node -e 'const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      for (const x of c.counties ?? []) { const n = `cl-${x.key}`.slice(0, 15); console.log(n, n); }
      console.log("bridge", (c.hosts && c.hosts.bridge) || "clbr0");' "$NETWORK_CONFIG" 2>/dev/null || true
  fi
}

# hosts_remove: every namespace, link and bridge of the hosts layout that exists (idempotent). A
# process still inside one of our namespaces (a gateway a test left, a chaincode) is killed by its PID.
hosts_remove() {
  command -v ip >/dev/null 2>&1 || return 0
  local a b pid left=0
  while read -r a b; do
    [ -n "$a" ] || continue
    if [ "$a" = bridge ]; then continue; fi
    if ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$a"; then
      for pid in $(ip netns pids "$a" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null && left=$((left + 1)); done
      ip netns del "$a" 2>/dev/null && say "removed network namespace $a"
    fi
    if ip link show "$b" >/dev/null 2>&1; then ip link del "$b" 2>/dev/null && say "removed link $b"; fi
  done < <(hosts_names | sort -u)
  while read -r a b; do
    if [ "$a" = bridge ] && ip link show "$b" >/dev/null 2>&1; then ip link del "$b" 2>/dev/null && say "removed bridge $b"; fi
  done < <(hosts_names | sort -u)
  if [ "$left" -gt 0 ]; then say "killed $left process(es) left in the counties' namespaces"; fi
  return 0
}

# hosts_up: makes the bridge, and each county's namespace with its address on a veth pair to it
hosts_up() {
  local bridge baddr key ns link addr
  IFS=$'\t' read -r bridge baddr <"$RUN/bridge"
  hosts_remove >/dev/null
  ip link add "$bridge" type bridge || die "could not make the bridge $bridge"
  ip addr add "$baddr" dev "$bridge"
  ip link set "$bridge" up
  while IFS=$'\t' read -r key ns link addr; do
    ip netns add "$ns" || die "could not make the network namespace $ns"
    ip link add "$link" type veth peer name eth0 netns "$ns" || die "could not make the veth pair $link"
    ip link set "$link" master "$bridge"
    ip link set "$link" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$addr" dev eth0
    ip -n "$ns" link set eth0 up
    say "host of $key: namespace $ns, address ${addr%/*}, link $link on bridge $bridge"
  done <"$RUN/hosts.tsv"
}
