#!/usr/bin/env bash
# Deploys a Node.js chaincode to the running county network with the full Fabric lifecycle:
# package -> install on every county's peer -> approve by every county -> commit -> querycommitted.
#
#   scripts/network/deploy.sh <package-dir> <name> <version> [sequence]
#
# <package-dir> is the chaincode's directory *including its production node_modules*
# (package.json "main" exports `contracts`); the peers run it with the node-external builder
# (network/builders/node), which does not run npm install.
# The sequence defaults to the committed sequence + 1 (1 for a new chaincode); deploying the same
# name, version and package again is a no-op.
# CC_COLLECTIONS_CONFIG=<file> adds private data collections to the definition (a JSON list as for
# `peer lifecycle chaincode approveformyorg --collections-config`); network/run/config/collections.json,
# written by render.mjs from counties.json, has one `<mspId>-private` collection per county.
# Endorsement policy: the channel's /Channel/Application/Endorsement policy, i.e. "MAJORITY
# Endorsement" = a majority of the counties' peers. CC_SIGNATURE_POLICY="OutOf(2, 'A.peer', ...)"
# replaces it with an explicit signature policy.
. "$(dirname "$0")/common.sh"
[ $# -ge 3 ] || die "usage: $0 <package-dir> <name> <version> [sequence]"
SRC="$(cd "$1" 2>/dev/null && pwd)" || die "package directory '$1' does not exist"
NAME="$2"; VERSION="$3"; SEQUENCE="${4:-}"
[[ "$NAME" =~ ^[a-zA-Z0-9][a-zA-Z0-9_-]*$ ]] || die "chaincode name '$NAME' may only contain letters, digits, _ and -"
[ -f "$SRC/package.json" ] || die "$SRC has no package.json"
[ -f "$SRC/node_modules/fabric-shim/cli.js" ] || die "$SRC/node_modules/fabric-shim is missing: the package must contain its node_modules (the peers do not run npm install)"
[ -f "$RUN/network.json" ] && [ -n "$(pid_of "$(awk -F'\t' '$2=="peer"{print $1; exit}' "$RUN/nodes.tsv")")" ] \
  || die "the network is not up; run 'npm run network:up' first"
require_fabric

mapfile -t COUNTIES < <(counties)
CHANNEL="$(in_county "${COUNTIES[0]}" sh -c 'echo "$CHANNEL"')"
LABEL="${NAME}_${VERSION}"
PKGDIR="$RUN/chaincode"; PKG="$PKGDIR/$LABEL.tar.gz"
mkdir -p "$PKGDIR"

# ---- package: metadata.json + code.tar.gz (the format "peer lifecycle chaincode package" writes;
# the CLI's node packager drops node_modules and does not know the node-external type) ----
say "packaging $SRC as $LABEL (type node-external)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
printf '{"path":"","type":"node-external","label":"%s"}\n' "$LABEL" >"$tmp/metadata.json"
# the peer accepts only regular files and folders: node_modules/.bin (symlinks) is left out and any
# other symlink is stored as the file it points to
tar -C "$SRC" --exclude=./.git --exclude=./node_modules/.bin --dereference --sort=name --mtime='2020-01-01 00:00Z' --owner=0 --group=0 --numeric-owner \
    -czf "$tmp/code.tar.gz" .
tar -C "$tmp" --sort=name --mtime='2020-01-01 00:00Z' --owner=0 --group=0 --numeric-owner \
    -czf "$PKG" metadata.json code.tar.gz
PKGID="$(in_county "${COUNTIES[0]}" peer lifecycle chaincode calculatepackageid "$PKG")" || die "could not compute the package id of $PKG"
say "package $PKG ($(du -h "$PKG" | cut -f1)), id $PKGID"

# ---- sequence ----
committed="$(in_county "${COUNTIES[0]}" peer lifecycle chaincode querycommitted -C "$CHANNEL" -n "$NAME" -O json 2>/dev/null || true)"
cur_seq="$(node -e 'try{const j=JSON.parse(process.argv[1]);console.log(j.sequence||0)}catch{console.log(0)}' "$committed")"
cur_ver="$(node -e 'try{console.log(JSON.parse(process.argv[1]).version||"")}catch{console.log("")}' "$committed")"
if [ -z "$SEQUENCE" ]; then
  if [ "$cur_seq" != 0 ] && [ "$cur_ver" = "$VERSION" ]; then
    approved="$(in_county "${COUNTIES[0]}" peer lifecycle chaincode queryapproved -C "$CHANNEL" -n "$NAME" -O json 2>/dev/null || true)"
    if grep -q "\"package_id\": *\"$PKGID\"" <<<"$approved"; then
      say "$NAME $VERSION (sequence $cur_seq, package $PKGID) is already committed; nothing to do"; exit 0
    fi
  fi
  SEQUENCE=$((cur_seq + 1))
fi
say "deploying $NAME version $VERSION as sequence $SEQUENCE on channel $CHANNEL"

POLICY_ARGS=(--channel-config-policy /Channel/Application/Endorsement)
[ -n "${CC_SIGNATURE_POLICY:-}" ] && POLICY_ARGS=(--signature-policy "$CC_SIGNATURE_POLICY")
if [ -n "${CC_COLLECTIONS_CONFIG:-}" ]; then
  [ -f "$CC_COLLECTIONS_CONFIG" ] || die "collections config $CC_COLLECTIONS_CONFIG does not exist"
  node -e 'const c=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); if(!Array.isArray(c)||!c.length) throw new Error("not a non-empty list")' "$CC_COLLECTIONS_CONFIG" \
    || die "collections config $CC_COLLECTIONS_CONFIG is not a JSON list of collections"
  POLICY_ARGS+=(--collections-config "$CC_COLLECTIONS_CONFIG")
  say "private data collections from $CC_COLLECTIONS_CONFIG: $(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).map(c=>c.name).join(", "))' "$CC_COLLECTIONS_CONFIG")"
fi

# ---- install on every county's peer (in parallel; the peer runs the builder's detect/build) ----
for c in "${COUNTIES[@]}"; do
  (
    if out="$(in_county "$c" peer lifecycle chaincode install "$PKG" 2>&1)"; then
      say "installed on $c's peer"
    elif grep -q "already successfully installed" <<<"$out"; then
      say "already installed on $c's peer"
    else
      echo "$out" >&2; echo "network: see $LOGS/$c-peer.log (external builder output)" >&2; exit 1
    fi
  ) &
done
for job in $(jobs -p); do wait "$job" || die "chaincode install failed"; done

# ---- approve by every county (each through its own orderer) ----
for c in "${COUNTIES[@]}"; do
  out="$(in_county "$c" sh -c 'peer lifecycle chaincode approveformyorg -o "$ORDERER_ADDRESS" --tls --cafile "$ORDERER_TLS_CA" \
      -C "$CHANNEL" "$@"' _ -n "$NAME" -v "$VERSION" --package-id "$PKGID" --sequence "$SEQUENCE" "${POLICY_ARGS[@]}" 2>&1)" \
    || { echo "$out" >&2; die "approval by $c failed"; }
  say "approved by $c"
done

# ---- commit, endorsed by every county's peer ----
PEER_ARGS=()
for c in "${COUNTIES[@]}"; do
  mapfile -t pa < <(in_county "$c" sh -c 'echo "$CORE_PEER_ADDRESS"; echo "$CORE_PEER_TLS_ROOTCERT_FILE"')
  PEER_ARGS+=(--peerAddresses "${pa[0]}" --tlsRootCertFiles "${pa[1]}")
done
ready="$(in_county "${COUNTIES[0]}" peer lifecycle chaincode checkcommitreadiness -C "$CHANNEL" -n "$NAME" -v "$VERSION" \
  --sequence "$SEQUENCE" "${POLICY_ARGS[@]}" -O json 2>&1)" || { echo "$ready" >&2; die "checkcommitreadiness failed"; }
grep -q false <<<"$ready" && { echo "$ready" >&2; die "not every county has approved $NAME $VERSION sequence $SEQUENCE"; }
out="$(in_county "${COUNTIES[0]}" sh -c 'peer lifecycle chaincode commit -o "$ORDERER_ADDRESS" --tls --cafile "$ORDERER_TLS_CA" \
    -C "$CHANNEL" "$@"' _ -n "$NAME" -v "$VERSION" --sequence "$SEQUENCE" "${POLICY_ARGS[@]}" "${PEER_ARGS[@]}" 2>&1)" \
  || { echo "$out" >&2; die "commit of $NAME failed"; }
say "committed $NAME $VERSION sequence $SEQUENCE"

# ---- every peer sees the definition, and the chaincode starts on every peer ----
for c in "${COUNTIES[@]}"; do
  deadline=$((SECONDS + START_TIMEOUT))
  until q="$(in_county "$c" peer lifecycle chaincode querycommitted -C "$CHANNEL" -n "$NAME" -O json 2>/dev/null || true)"; \
        grep -q "\"sequence\": *$SEQUENCE," <<<"$q"; do
    [ "$SECONDS" -lt "$deadline" ] || die "$c's peer does not show $NAME sequence $SEQUENCE after ${START_TIMEOUT}s"
    sleep 0.5
  done
  # contract-api chaincode answers the system contract's GetMetadata; this launches it on the peer
  if in_county "$c" peer chaincode query -C "$CHANNEL" -n "$NAME" -c '{"Args":["org.hyperledger.fabric:GetMetadata"]}' >/dev/null 2>"$tmp/q.err"; then
    say "$NAME is running on $c's peer"
  else
    cat "$tmp/q.err" >&2
    die "$NAME does not answer on $c's peer; see $LOGS/$c-peer.log and $LOGS/chaincode-*-${LABEL}.log"
  fi
done
in_county "${COUNTIES[0]}" peer lifecycle chaincode querycommitted -C "$CHANNEL" -n "$NAME"
