#!/usr/bin/env bash
# npm run test:fabric: installs Fabric if missing, brings the three-county network up, packages
# and deploys the County Ledger chaincode, runs the end-to-end suite (dist/test/fabric) against
# it, and always takes the network down again, on failure too.
#
#   npm run test:fabric [-- --hosts | --loopback] [mocha arguments, e.g. --grep fallback or spec files]
#
# Layout: NETWORK_LAYOUT (default auto): auto takes the hosts layout (one network namespace per
# county, up.sh --hosts) where it can be made (root, iproute2) and loopback elsewhere, saying so.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
export NETWORK_RUN_DIR="${NETWORK_RUN_DIR:-$ROOT/network/run}"
export NETWORK_LAYOUT="${NETWORK_LAYOUT:-auto}"
mocha_args=()
for arg in "$@"; do
  case "$arg" in
    --hosts) NETWORK_LAYOUT=hosts ;;
    --loopback) NETWORK_LAYOUT=loopback ;;
    *) mocha_args+=("$arg") ;;
  esac
done
cleanup() { NETWORK_KEEP_LOGS="${NETWORK_KEEP_LOGS:-1}" bash scripts/network/down.sh >/dev/null 2>&1 || true; }
trap cleanup EXIT
fail() { echo "test:fabric: $*" >&2; exit 1; }
started=$SECONDS

npm run -s build:all || fail "compile failed"
bash scripts/fabric-install.sh || fail "could not install Fabric"
if [ -f "$NETWORK_RUN_DIR/pids" ]; then bash scripts/network/down.sh >/dev/null 2>&1 || true; fi
network_at=$SECONDS
bash scripts/network/up.sh || fail "the network did not come up; logs in $NETWORK_RUN_DIR/logs"
layout="$(cat "$NETWORK_RUN_DIR/layout" 2>/dev/null || echo loopback)"
node scripts/network/package-chaincode.mjs "$NETWORK_RUN_DIR/chaincode-src" || fail "could not package the chaincode"
CC_COLLECTIONS_CONFIG="$NETWORK_RUN_DIR/config/collections.json" bash scripts/network/deploy.sh "$NETWORK_RUN_DIR/chaincode-src" countyledger 1.0 || fail "could not deploy the chaincode"
suite_at=$SECONDS
FABRIC_NETWORK="$NETWORK_RUN_DIR/network.json" npx mocha --config .mocharc.fabric.json "${mocha_args[@]}"
rc=$?
# network:down must leave nothing of the hosts layout behind (namespaces, links, bridge)
cleanup; trap - EXIT
if command -v ip >/dev/null 2>&1; then
  left="$( { ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E '^(clbr0|cl-[a-z0-9]+)$'; ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^cl-'; } | tr '\n' ' ')"
  if [ -n "$left" ]; then echo "test:fabric: network:down left namespaces or links behind: $left" >&2; rc=1; fi
fi
echo "test:fabric: $layout layout: network up and chaincode deployed in $((suite_at - network_at)) s, suite $((SECONDS - suite_at)) s, total $((SECONDS - started)) s"
exit "$rc"
