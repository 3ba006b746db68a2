#!/usr/bin/env bash
# Stops every process the network scripts started (exactly the PIDs recorded in network/run/pids,
# each checked to still run the recorded executable), removes the hosts layout's namespaces, links
# and bridge (common.sh hosts_remove), and removes the runtime data.
# NETWORK_KEEP_LOGS=1 keeps network/run/logs.
. "$(dirname "$0")/common.sh"

if [ -f "$PIDS" ]; then
  # chaincode processes first (recorded by the external builder), then peers, then orderers
  mapfile -t lines < <(tac "$PIDS")
  for kind in chaincode peer orderer; do
    for l in "${lines[@]}"; do
      read -r pid id exe <<<"$l"
      case "$id" in
        chaincode:*) [ "$kind" = chaincode ] || continue ;;
        *-peer) [ "$kind" = peer ] || continue ;;
        *) [ "$kind" = orderer ] || continue ;;
      esac
      stop_pid "$pid" "$id" "$exe" &
    done
    wait
  done
fi

# hosts layout: the namespaces, their links and the bridge (also leftovers of a run that failed)
hosts_remove

case "$RUN" in /|"$HOME"|"$ROOT"|"$ROOT/network") die "refusing to remove $RUN";; esac
if [ -d "$RUN" ]; then
  if [ "${NETWORK_KEEP_LOGS:-0}" = "1" ]; then
    find "$RUN" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
    say "removed runtime data in $RUN (logs kept in $LOGS)"
  else
    rm -rf "$RUN"
    say "removed runtime data and logs in $RUN"
  fi
else
  say "nothing to remove ($RUN does not exist)"
fi
