#!/usr/bin/env bash
# Rebuilds one county's peer from nothing, from the network: stops the peer (and its chaincode
# processes) by their recorded PIDs, removes its whole data folder (ledger, state, private data,
# installed chaincode), starts it again with the same identity and environment, joins it to the
# channel with the channel's genesis block, installs the chaincode packages again, and waits
# (bounded) until it has pulled every block and its height equals the other peers'.
#
#   scripts/network/rejoin-peer.sh <county-key>        (npm run network:rejoin -- <county-key>)
#
# Works whether the peer is running or already gone. Private data the county alone held (its own
# collections, one peer per county) exists nowhere else and is NOT restored: blocks carry only its
# hashes. While catching up the peer waits REJOIN_PVT_PULL_RETRY (default 1s) per block for private
# data it cannot get instead of the configured 60 s, then it is restarted with its own environment.
# REJOIN_TIMEOUT (seconds, default 300) bounds the catch-up. Prints "rejoined <id> height <h> in <ms> ms".
. "$(dirname "$0")/common.sh"
county="${1:-}"
[ -f "$RUN/nodes.tsv" ] || die "the network is not up ($RUN/nodes.tsv is missing)"
[ -n "$county" ] || die "usage: $0 <county-key>   (counties: $(counties | tr '\n' ' '))"
require_fabric
id="$county-peer"
line="$(node_line "$id")"
[ -n "$line" ] && [ "$(cut -f2 <<<"$line")" = peer ] || die "unknown county '$county' (counties: $(counties | tr '\n' ' '))"
exe="$FABRIC_BIN/peer"
TIMEOUT="${REJOIN_TIMEOUT:-300}"
env_of() { ( set -a; . "$RUN/nodes/$id.env"; set +a; eval "echo \"\${$1:-}\"" ); }
DATA="$(env_of CORE_PEER_FILESYSTEMPATH)"
MSPID="$(env_of CORE_PEER_LOCALMSPID)"
CHANNEL="$(in_county "$county" sh -c 'echo "$CHANNEL"')"
BLOCK="$RUN/channel/$CHANNEL.block"
[ -f "$BLOCK" ] || die "the channel's genesis block $BLOCK is missing"
# the data folder is wiped: it must be this peer's own folder under the runtime folder
[ "$DATA" = "$RUN/nodes/$id" ] || die "refusing to remove $id's data folder '$DATA' (expected $RUN/nodes/$id)"
mapfile -t OTHERS < <(awk -F'\t' -v id="$id" '$2 == "peer" && $1 != id {print $5}' "$RUN/nodes.tsv")
HEALTH="$(cut -f5 <<<"$line")"
shopt -s nullglob
PACKAGES=("$RUN"/chaincode/*.tar.gz)
shopt -u nullglob
[ ${#PACKAGES[@]} -gt 0 ] || say "WARNING: no chaincode package in $RUN/chaincode/: the rebuilt peer will not endorse until one is installed"

metric() { curl -s --max-time 2 "http://$1/metrics" 2>/dev/null | sed -n "s/^$2{channel=\"$CHANNEL\"} \([0-9]*\)\$/\1/p" | head -1; }
# the height every other peer has reached (their operations endpoints; no other county's keys needed)
others_height() {
  local h best=""
  for ops in "${OTHERS[@]}"; do
    h="$(metric "$ops" ledger_blockchain_height)"
    if [ -n "$h" ] && { [ -z "$best" ] || [ "$h" -gt "$best" ]; }; then best="$h"; fi
  done
  # a peer that committed nothing since it started publishes no height: ask the county's own orderer
  if [ -z "$best" ]; then
    best="$(in_county "$county" sh -c 'osnadmin channel list --channelID "$CHANNEL" -o "$ORDERER_ADMIN_ADDRESS" --ca-file "$ORDERER_TLS_CA" \
      --client-cert "$ORDERER_ADMIN_TLS_CERT" --client-key "$ORDERER_ADMIN_TLS_KEY"' 2>/dev/null | sed -n 's/.*"height": *\([0-9]*\).*/\1/p' | head -1)"
  fi
  echo "${best:-0}"
}
own_height() { in_county "$county" peer channel getinfo -c "$CHANNEL" 2>/dev/null | sed -n 's/.*"height":\([0-9]*\).*/\1/p'; }

stop_peer() {
  local pid l cpid cid cexe
  pid="$(pid_of "$id")"
  if [ -n "$pid" ]; then stop_pid "$pid" "$id" "$exe"; else say "$id is not running"; fi
  # its chaincode processes (recorded by the external builder): they serve this peer alone
  [ -f "$PIDS" ] || return 0
  while read -r l; do
    read -r cpid cid cexe <<<"$l"
    [[ "$cid" == "chaincode:$MSPID:"* ]] && stop_pid "$cpid" "$cid" "$cexe"
  done < <(cat "$PIDS")
  return 0
}

# a process that has just exited may hold its listening sockets a moment longer
wait_ports_free() {
  local check hp deadline=$((SECONDS + 15))
  for check in $(cut -f4 <<<"$line" | tr ',' ' '); do
    hp="${check%%=*}"
    while timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "${hp%:*}" "${hp##*:}" 2>/dev/null; do
      [ "$SECONDS" -lt "$deadline" ] || die "$hp ($id ${check#*=}) is still in use 15 s after $id stopped"
      sleep 0.2
    done
  done
}

started_ms=$(($(date +%s%N) / 1000000))
target="$(others_height)"
say "rebuilding $id from nothing (channel $CHANNEL, the other peers at height $target)"
stop_peer
wait_ports_free
rm -rf "$DATA"
mkdir -p "$DATA"
say "removed $id's data folder $DATA"

# catch-up start: the private data of this county's collections is on no other peer, so do not wait
# the configured pullRetryThreshold (60 s) for it at every block that carries some
CORE_PEER_GOSSIP_PVTDATA_PULLRETRYTHRESHOLD="${REJOIN_PVT_PULL_RETRY:-1s}" start_node "$id"
wait_healthy "$id"
ok=""
for _ in 1 2 3 4 5; do
  if out="$(in_county "$county" peer channel join -b "$BLOCK" 2>&1)"; then ok=1; break; fi
  sleep 1
done
[ -n "$ok" ] || { echo "$out" >&2; tail_log "$id"; die "$id could not join channel $CHANNEL"; }
say "joined $id to $CHANNEL with the genesis block; pulling the blocks"

# the installed packages were in the data folder: install them again (the peer runs the builder)
for pkg in "${PACKAGES[@]}"; do
  out="$(in_county "$county" peer lifecycle chaincode install "$pkg" 2>&1)" \
    || grep -q "already successfully installed" <<<"$out" \
    || { echo "$out" >&2; die "could not install $pkg on $id; see $LOGS/$id.log"; }
  say "installed $(basename "$pkg") on $id"
done

wait_caught_up() {
  local deadline=$((SECONDS + TIMEOUT)) h t
  while :; do
    h="$(own_height)"; t="$(others_height)"
    if [ -n "$h" ] && [ "$t" -gt 0 ] && [ "$h" -ge "$t" ]; then echo "$h"; return 0; fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail_log "$id"; die "$id reached height ${h:-0} of $t within ${TIMEOUT}s; see $LOGS/$id.log"
    fi
    sleep 0.5
  done
}
height="$(wait_caught_up)"
caught_ms=$(($(date +%s%N) / 1000000))
say "$id pulled $height blocks in $((caught_ms - started_ms)) ms; restarting it with its own environment"

stop_peer
wait_ports_free
start_node "$id"
wait_healthy "$id"
height="$(wait_caught_up)"

# gossip: it must know the other peers again and they it (endorsement by a majority, discovery)
n=${#OTHERS[@]}
deadline=$((SECONDS + TIMEOUT))
for ops in "$HEALTH" "${OTHERS[@]}"; do
  until [ "$(metric "$ops" gossip_membership_total_peers_known)" = "$n" ]; do
    [ "$SECONDS" -lt "$deadline" ] || { tail_log "$id"; die "the peer at $ops does not see the other $n peers of $CHANNEL after ${TIMEOUT}s (gossip)"; }
    sleep 0.5
  done
done

# start the chaincode of every definition its packages serve (as deploy.sh does) so it endorses at once
installed="$(in_county "$county" peer lifecycle chaincode queryinstalled -O json 2>/dev/null || true)"
mapfile -t NAMES < <(node -e '
  const j = JSON.parse(process.argv[1] || "{}"), ch = process.argv[2], names = new Set();
  for (const p of j.installed_chaincodes ?? []) for (const c of p.references?.[ch]?.chaincodes ?? []) names.add(c.name);
  for (const n of names) console.log(n);' "$installed" "$CHANNEL")
for name in "${NAMES[@]}"; do
  deadline=$((SECONDS + TIMEOUT))
  until in_county "$county" peer chaincode query -C "$CHANNEL" -n "$name" -c '{"Args":["org.hyperledger.fabric:GetMetadata"]}' >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "$name does not answer on $id after ${TIMEOUT}s; see $LOGS/$id.log and $LOGS/chaincode-$MSPID-*.log"
    sleep 1
  done
  say "$name is running on $id"
done

done_ms=$(($(date +%s%N) / 1000000))
say "rejoined $id height $height in $((done_ms - started_ms)) ms (blocks pulled in $((caught_ms - started_ms)) ms)"
