#!/usr/bin/env bash
# Brings up the county network described by network/counties.json on native Fabric binaries:
# each county's crypto material in its own folder (cryptogen), its certificates published to
# run/public/<county>, channel genesis block from those (configtxgen), one Raft orderer and one peer per
# county as background processes, orderers joined with osnadmin, peers joined with the peer CLI.
# Anchor peers are part of the genesis block (AnchorPeers in each county's organisation).
# Everything lives in network/run (NETWORK_RUN_DIR); stop it with scripts/network/down.sh.
. "$(dirname "$0")/common.sh"

# Layout: loopback (default: every node on the addresses counties.json gives, 127.0.0.1) or hosts
# (--hosts, or NETWORK_LAYOUT=hosts): each county on its own host, a network namespace with its
# counties.json hostAddress. NETWORK_LAYOUT=auto takes hosts where it works. Where namespaces cannot be
# made (not root, no iproute2, a container without the right) the network comes up in loopback.
for arg in "$@"; do
  case "$arg" in
    --hosts) NETWORK_LAYOUT=hosts ;;
    --loopback) NETWORK_LAYOUT=loopback ;;
    *) die "unknown option '$arg' (options: --hosts, --loopback)" ;;
  esac
done
NETWORK_LAYOUT="${NETWORK_LAYOUT:-loopback}"
case "$NETWORK_LAYOUT" in
  loopback) ;;
  hosts | auto)
    if ! hosts_available; then
      if [ "$NETWORK_LAYOUT" = auto ]; then say "the hosts layout (one network namespace per county) is not available here: $HOSTS_WHY; using the loopback layout"
      else say "WARNING: the hosts layout (one network namespace per county) is not available: $HOSTS_WHY; starting the loopback layout instead"; fi
      NETWORK_LAYOUT=loopback
    else NETWORK_LAYOUT=hosts; fi ;;
  *) die "NETWORK_LAYOUT must be loopback, hosts or auto (not '$NETWORK_LAYOUT')" ;;
esac
export NETWORK_LAYOUT

bash "$ROOT/scripts/fabric-install.sh" || die "Fabric is not installed and 'npm run fabric:install' failed"
require_fabric
command -v curl >/dev/null || die "curl is needed to check node health"

# refuse to start twice
if [ -f "$PIDS" ]; then
  while read -r pid id exe; do
    if is_ours "$pid" "$exe"; then die "the network is already running ($id has pid $pid); run 'npm run network:down' first"; fi
  done <"$PIDS"
fi
case "$RUN" in /|"$HOME"|"$ROOT"|"$ROOT/network") die "refusing to use $RUN as the runtime folder (it is wiped)";; esac
rm -rf "$RUN"; mkdir -p "$RUN" "$LOGS"
: >"$PIDS"

# if anything below fails, stop what was started so no process is left behind
cleanup_on_error() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "network: start-up failed; stopping the nodes started so far (logs stay in $LOGS)" >&2
    NETWORK_KEEP_LOGS=1 bash "$ROOT/scripts/network/down.sh" >&2 || true
  fi
}
trap cleanup_on_error EXIT

say "rendering configuration from $NETWORK_CONFIG ($NETWORK_LAYOUT layout)"
node "$ROOT/scripts/network/render.mjs"
if [ "$NETWORK_LAYOUT" = hosts ]; then hosts_up; fi
CHANNEL="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).channel)' "$NETWORK_CONFIG")"

# ports first, so that a taken port is reported before anything starts
while IFS=$'\t' read -r id _ _ checks _; do
  for check in ${checks//,/ }; do port_free "${check%%=*}" "$id ${check#*=}"; done
done <"$RUN/nodes.tsv"

# each county makes its own keys in its own folder (as on its own machine) and publishes only its
# certificates; the genesis block is built from those public copies
for county in $(counties); do
  say "generating $county's crypto material in $RUN/counties/$county (cryptogen)"
  "$FABRIC_BIN/cryptogen" generate --config "$RUN/counties/$county/crypto-config.yaml" --output "$RUN/counties/$county/crypto" \
    >>"$LOGS/cryptogen.log" 2>&1 || { cat "$LOGS/cryptogen.log" >&2; die "cryptogen failed for $county"; }
done
node "$ROOT/scripts/network/publish.mjs" || die "could not publish the counties' certificates"

# peers use the module's core.yaml with Docker switched off (chaincode runs via the external builder);
# every other setting comes from the environment in $RUN/nodes/<id>.env
mkdir -p "$RUN/config/peer"
sed 's|^\(  endpoint:\) unix:///var/run/docker.sock|\1|' "$FABRIC_HOME/sampleconfig/core.yaml" >"$RUN/config/peer/core.yaml"
grep -q '^  endpoint: unix:' "$RUN/config/peer/core.yaml" && die "could not switch off Docker in core.yaml (unexpected layout of $FABRIC_HOME/sampleconfig/core.yaml)"

say "building the genesis block of channel $CHANNEL (configtxgen)"
"$FABRIC_BIN/configtxgen" -configPath "$RUN/config" -profile CountyLedgerChannel -channelID "$CHANNEL" \
  -outputBlock "$RUN/channel/$CHANNEL.block" >"$LOGS/configtxgen.log" 2>&1 \
  || { cat "$LOGS/configtxgen.log" >&2; die "configtxgen failed"; }

mapfile -t ORDERERS < <(awk -F'\t' '$2 == "orderer" {print $1}' "$RUN/nodes.tsv")
mapfile -t PEERS < <(awk -F'\t' '$2 == "peer" {print $1}' "$RUN/nodes.tsv")

for id in "${ORDERERS[@]}"; do start_node "$id"; done
for id in "${ORDERERS[@]}"; do wait_healthy "$id"; done

for id in "${ORDERERS[@]}"; do
  county="$(node_line "$id" | cut -f3)"
  out="$(in_county "$county" sh -c 'osnadmin channel join --channelID "$CHANNEL" --config-block "$1" \
      -o "$ORDERER_ADMIN_ADDRESS" --ca-file "$ORDERER_TLS_CA" --client-cert "$ORDERER_ADMIN_TLS_CERT" \
      --client-key "$ORDERER_ADMIN_TLS_KEY"' _ "$RUN/channel/$CHANNEL.block" 2>&1)" \
    || { echo "$out" >&2; tail_log "$id"; die "osnadmin could not join $id to channel $CHANNEL"; }
  grep -q '"status": *201\|Status: 201' <<<"$out" || { echo "$out" >&2; die "osnadmin join of $id did not answer 201 Created"; }
  say "joined $id to $CHANNEL"
done

# wait until the Raft cluster has elected a leader (prometheus metric of any orderer)
say "waiting for the Raft cluster to elect a leader"
deadline=$((SECONDS + START_TIMEOUT))
raft_leader() {
  local id metrics=""
  for id in "${ORDERERS[@]}"; do
    metrics+="$(curl -s --max-time 2 "http://$(node_line "$id" | cut -f5)/metrics" 2>/dev/null || true)"$'\n'
  done
  grep -q "^consensus_etcdraft_is_leader{channel=\"$CHANNEL\"} 1" <<<"$metrics"
}
until raft_leader; do
  [ "$SECONDS" -lt "$deadline" ] || { for id in "${ORDERERS[@]}"; do tail_log "$id"; done; die "no Raft leader for $CHANNEL within ${START_TIMEOUT}s; see the orderer logs in $LOGS"; }
  sleep 0.5
done

for id in "${PEERS[@]}"; do start_node "$id"; done
for id in "${PEERS[@]}"; do wait_healthy "$id"; done

for id in "${PEERS[@]}"; do
  county="$(node_line "$id" | cut -f3)"
  ok=""
  for _ in 1 2 3 4 5; do
    if out="$(in_county "$county" peer channel join -b "$RUN/channel/$CHANNEL.block" 2>&1)"; then ok=1; break; fi
    sleep 1
  done
  [ -n "$ok" ] || { echo "$out" >&2; tail_log "$id"; die "$id could not join channel $CHANNEL"; }
  say "joined $id to $CHANNEL"
done

# each peer pulls the genesis block from the ordering service
for id in "${PEERS[@]}"; do
  county="$(node_line "$id" | cut -f3)"
  deadline=$((SECONDS + START_TIMEOUT))
  until info="$(in_county "$county" peer channel getinfo -c "$CHANNEL" 2>/dev/null || true)"; grep -q '"height":[1-9]' <<<"$info"; do
    [ "$SECONDS" -lt "$deadline" ] || { tail_log "$id"; die "$id has no block of $CHANNEL after ${START_TIMEOUT}s; see $LOGS/$id.log"; }
    sleep 0.5
  done
done

# gossip: every peer must know the other counties' peers (service discovery, endorsement by majority)
others=$(( ${#PEERS[@]} - 1 ))
for id in "${PEERS[@]}"; do
  deadline=$((SECONDS + START_TIMEOUT))
  until m="$(curl -s --max-time 2 "http://$(node_line "$id" | cut -f5)/metrics" 2>/dev/null || true)"; \
        grep -q "^gossip_membership_total_peers_known{channel=\"$CHANNEL\"} $others\$" <<<"$m"; do
    [ "$SECONDS" -lt "$deadline" ] || { tail_log "$id"; die "$id does not see the other $others peers of $CHANNEL after ${START_TIMEOUT}s (gossip); see $LOGS/$id.log"; }
    sleep 0.5
  done
done

trap - EXIT
say "network is up ($NETWORK_LAYOUT layout): channel $CHANNEL, ${#ORDERERS[@]} orderers, ${#PEERS[@]} peers"
while IFS=$'\t' read -r id _ _ checks _; do
  printf 'network:   %-18s pid %-7s %s  (log %s)\n' "$id" "$(pid_of "$id")" "${checks//=/ }" "$LOGS/$id.log"
done <"$RUN/nodes.tsv"
say "county admin environments: $RUN/env/<county>.env; client connection facts: $RUN/network.json"
say "deploy chaincode with: bash scripts/network/deploy.sh <package-dir> <name> <version> [sequence]"
