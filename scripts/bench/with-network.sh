#!/usr/bin/env bash
# Runs a command against a freshly brought up three-county Fabric network with the County Ledger
# chaincode deployed (FABRIC_NETWORK set for it), and always takes the network down again.
# Callers hold /tmp/county-fabric.lock (fixed ports: one network per machine), e.g.
#   flock /tmp/county-fabric.lock bash scripts/bench/with-network.sh node dist/scripts/bench/domain.js --fabric
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
export NETWORK_RUN_DIR="${NETWORK_RUN_DIR:-$ROOT/network/run}"
cleanup() { bash scripts/network/down.sh >/dev/null 2>&1 || true; }
trap cleanup EXIT
fail() { echo "with-network: $*" >&2; exit 1; }
bash scripts/fabric-install.sh >/dev/null || fail "could not install Fabric"
if [ -f "$NETWORK_RUN_DIR/pids" ]; then bash scripts/network/down.sh >/dev/null 2>&1 || true; fi
bash scripts/network/up.sh >/dev/null || fail "the network did not come up; logs in $NETWORK_RUN_DIR/logs"
node scripts/network/package-chaincode.mjs "$NETWORK_RUN_DIR/chaincode-src" >/dev/null || fail "could not package the chaincode"
CC_COLLECTIONS_CONFIG="$NETWORK_RUN_DIR/config/collections.json" bash scripts/network/deploy.sh "$NETWORK_RUN_DIR/chaincode-src" countyledger 1.0 >/dev/null ||
  fail "could not deploy the chaincode"
FABRIC_NETWORK="$NETWORK_RUN_DIR/network.json" "$@"
