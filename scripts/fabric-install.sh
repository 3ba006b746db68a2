#!/usr/bin/env bash
# Installs Fabric's node binaries (peer, orderer, configtxgen, cryptogen, osnadmin) with `go install`
# from the Go module proxy at the one pinned version, into the git-ignored .fabric/bin, and copies the
# module's sampleconfig/ to .fabric/sampleconfig. Does nothing when that version is installed.
#
# The pin is Fabric v3.1.1: the Go module proxy this project is developed behind serves it and answers
# 403 for later v3.1.x releases. The module path github.com/hyperledger/fabric has no /v3 suffix, so a
# v3 tag cannot be used with go install: the release's commit is pinned by its pseudo-version.
REL=v3.1.1
COMMIT=435a7f1a780a128756fb2f72bf4cad164bf13fbb
PV=v1.4.0-rc1.0.20250510200036-435a7f1a780a
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${FABRIC_HOME:-$ROOT/.fabric}"
BIN="$DEST/bin"
STAMP="$DEST/installed-commit"     # one line: "<release> <commit> <pseudo-version>"
PIN="$REL $COMMIT $PV"
TOOLS=(peer orderer configtxgen cryptogen osnadmin)
MODULE=github.com/hyperledger/fabric

say() { echo "fabric: $*"; }
die() { local code="$1"; shift; echo "fabric:install: $*" >&2; exit "$code"; }

binaries_present() {
  for t in "${TOOLS[@]}"; do [ -x "$BIN/$t" ] || return 1; done
  [ -f "$DEST/sampleconfig/core.yaml" ] && [ -f "$DEST/sampleconfig/orderer.yaml" ]
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$PIN" ] && binaries_present; then
  say "$REL ($COMMIT) already installed in $BIN"; exit 0
fi
[ -f "$STAMP" ] && say "replacing $(cut -d' ' -f1 "$STAMP") in $BIN with the pinned $REL"

GO="${GO:-$(command -v go || true)}"
[ -z "$GO" ] && [ -x /usr/local/go/bin/go ] && GO=/usr/local/go/bin/go
if [ -z "$GO" ] || ! [ -x "$GO" ]; then
  die 2 "Go is not installed${GO:+ (no executable at GO=$GO)}. Install Go 1.24 or newer (e.g. at /usr/local/go, https://go.dev/dl/) and put it on PATH (or set GO=/path/to/go), then run 'npm run fabric:install' again."
fi
PROXY="$("$GO" env GOPROXY)"
if [ "$PROXY" = "off" ] || [ -z "$PROXY" ]; then
  die 2 "the Go module proxy is off (GOPROXY=$PROXY). Set GOPROXY=https://proxy.golang.org (or your mirror), e.g. 'go env -w GOPROXY=https://proxy.golang.org,direct', and run again."
fi

# `go mod download` uses Go's own proxy and checksum settings, verifies the module and leaves it in
# the module cache (we need its sampleconfig/).
say "downloading $MODULE@$PV ($REL) from $PROXY"
if ! out="$("$GO" mod download -json "$MODULE@$PV" 2>&1)"; then
  err="$(sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p' <<<"$out" | head -1)"
  [ -z "$err" ] && err="$(tail -1 <<<"$out")"
  err="$(sed 's/\\[nt]/ /g' <<<"$err")"   # JSON-escaped newlines/tabs -> spaces
  die 3 "the Go module proxy ($PROXY) did not give Fabric $REL ($MODULE@$PV): $err
Check that the proxy is reachable from this machine and serves it: curl ${PROXY%%,*}/$MODULE/@v/$PV.info"
fi
MODDIR="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$out" | head -1)"
[ -n "$MODDIR" ] && [ -d "$MODDIR/sampleconfig" ] || die 3 "downloaded $MODULE@$PV but found no sampleconfig/ in the module cache ($MODDIR)"

# `go install pkg@version` checks the module for deprecation by reading $PROXY/<module>/@v/list.
# Proxies that filter versions may refuse that list (403), which makes go install fail although the
# version itself is served. A one-module file proxy placed first in GOPROXY answers the list (and
# .info/.mod) for Fabric; everything else, including the module zip, still comes from the real proxy.
SHIM="$DEST/goproxy"
rm -rf "$SHIM"; mkdir -p "$SHIM/$MODULE/@v"
CACHE_V="$("$GO" env GOMODCACHE)/cache/download/$MODULE/@v"
echo "$PV" > "$SHIM/$MODULE/@v/list"
cp "$CACHE_V/$PV.info" "$CACHE_V/$PV.mod" "$SHIM/$MODULE/@v/"

mkdir -p "$BIN"
say "installing ${TOOLS[*]} from $MODULE@$PV ($REL, commit $COMMIT) into $BIN"
say "a first build takes several minutes on two cores"
PKGS=(); for t in "${TOOLS[@]}"; do PKGS+=("$MODULE/cmd/$t@$PV"); done
LDFLAGS="-X $MODULE/common/metadata.Version=${REL#v} -X $MODULE/common/metadata.CommitSHA=${COMMIT:0:12}"
if ! GOPROXY="file://$SHIM,$PROXY" GOBIN="$BIN" GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
     "$GO" install -ldflags "$LDFLAGS" "${PKGS[@]}"; then
  die 3 "go install of Fabric $REL failed (see the Go output above). GOPROXY=$PROXY must serve Fabric's dependencies too."
fi
rm -rf "$DEST/sampleconfig"; cp -r "$MODDIR/sampleconfig" "$DEST/sampleconfig"; chmod -R u+w "$DEST/sampleconfig"
echo "$PIN" > "$STAMP"
say "installed Fabric $REL (commit $COMMIT, $PV) into $BIN; config templates in $DEST/sampleconfig"
"$BIN/peer" version | sed 's/^/fabric:   /'
