#!/usr/bin/env bash
# npm run test:faults: its own three-county network (as test:fabric brings one up), a steady mixed
# load through two counties' gateway processes while an orderer, a peer, (hosts layout) a county's
# link and a gateway fail in turn (test/fabric/load/faults-under-load.spec.ts); always takes the
# network down again, on failure too. Bounded: the load phases take about three minutes.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
export NETWORK_RUN_DIR="${NETWORK_RUN_DIR:-$ROOT/network/run}"
# The hosts layout where namespaces can be made (CI runs as root), so the link-cut phase runs; loopback elsewhere.
export NETWORK_LAYOUT="${NETWORK_LAYOUT:-auto}"
cleanup() { NETWORK_KEEP_LOGS="${NETWORK_KEEP_LOGS:-1}" bash scripts/network/down.sh >/dev/null 2>&1 || true; }
trap cleanup EXIT
fail() { echo "test:faults: $*" >&2; exit 1; }

npm run -s build:all || fail "compile failed"
bash scripts/fabric-install.sh || fail "could not install Fabric"
if [ -f "$NETWORK_RUN_DIR/pids" ]; then bash scripts/network/down.sh >/dev/null 2>&1 || true; fi
bash scripts/network/up.sh "$@" || fail "the network did not come up; logs in $NETWORK_RUN_DIR/logs"
node scripts/network/package-chaincode.mjs "$NETWORK_RUN_DIR/chaincode-src" || fail "could not package the chaincode"
CC_COLLECTIONS_CONFIG="$NETWORK_RUN_DIR/config/collections.json" bash scripts/network/deploy.sh "$NETWORK_RUN_DIR/chaincode-src" countyledger 1.0 || fail "could not deploy the chaincode"
FABRIC_NETWORK="$NETWORK_RUN_DIR/network.json" timeout 900 npx mocha --config .mocharc.faults.json
