#!/usr/bin/env bash
# Installs Fabric's node binaries from the Go module proxy at a pinned commit (v3.1.5).
# The module path has no /v3 suffix, so a v3 tag cannot be used with go install: pin the commit.
set -euo pipefail
FABRIC_COMMIT=86c1172bec37e6590c6b1ae6f847833df48d65fc
FABRIC_VERSION=v3.1.5
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${FABRIC_HOME:-$ROOT/.fabric}"
BIN="$DEST/bin"
STAMP="$DEST/installed-commit"
TOOLS=(peer orderer configtxgen cryptogen osnadmin)

have_all() {
  [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$FABRIC_COMMIT" ] || return 1
  for t in "${TOOLS[@]}"; do [ -x "$BIN/$t" ] || return 1; done
  [ -d "$DEST/sampleconfig" ] || return 1
}
if have_all; then echo "fabric: $FABRIC_VERSION ($FABRIC_COMMIT) already installed in $BIN"; exit 0; fi

GO="${GO:-$(command -v go || true)}"
[ -z "$GO" ] && [ -x /usr/local/go/bin/go ] && GO=/usr/local/go/bin/go
if [ -z "$GO" ]; then
  echo "fabric:install: Go is not installed. Install Go 1.23+ (e.g. at /usr/local/go) and put it on PATH, then run npm run fabric:install again." >&2
  exit 2
fi
PROXY="$("$GO" env GOPROXY)"
if [ "$PROXY" = "off" ] || [ -z "$PROXY" ]; then
  echo "fabric:install: the Go module proxy is off (GOPROXY=$PROXY). Set GOPROXY=https://proxy.golang.org (or your mirror) and run again." >&2
  exit 2
fi
mkdir -p "$BIN"
echo "fabric: installing ${TOOLS[*]} from github.com/hyperledger/fabric@$FABRIC_COMMIT ($FABRIC_VERSION) into $BIN"
echo "fabric: first build takes several minutes on two cores"
for t in "${TOOLS[@]}"; do
  echo "fabric: go install cmd/$t"
  if ! GOBIN="$BIN" "$GO" install "github.com/hyperledger/fabric/cmd/$t@$FABRIC_COMMIT"; then
    echo "fabric:install: go install of $t failed. Check that GOPROXY ($PROXY) is reachable from this machine." >&2
    exit 3
  fi
done
MODDIR="$("$GO" env GOMODCACHE)/github.com/hyperledger/fabric@$("$GO" list -m -f '{{.Version}}' "github.com/hyperledger/fabric@$FABRIC_COMMIT" 2>/dev/null || echo missing)"
if [ ! -d "$MODDIR/sampleconfig" ]; then
  MODDIR="$(ls -d "$("$GO" env GOMODCACHE)"/github.com/hyperledger/fabric@*"${FABRIC_COMMIT:0:12}" 2>/dev/null | head -1)"
fi
if [ -z "$MODDIR" ] || [ ! -d "$MODDIR/sampleconfig" ]; then
  echo "fabric:install: could not find sampleconfig/ of the Fabric module in the Go module cache" >&2; exit 3
fi
rm -rf "$DEST/sampleconfig"; cp -r "$MODDIR/sampleconfig" "$DEST/sampleconfig"; chmod -R u+w "$DEST/sampleconfig"
echo "$FABRIC_COMMIT" > "$STAMP"
echo "fabric: installed $FABRIC_VERSION into $BIN"
