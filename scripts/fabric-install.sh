#!/usr/bin/env bash
# Installs Fabric's node binaries (peer, orderer, configtxgen, cryptogen, osnadmin) with `go install`
# from the Go module proxy at a pinned commit, into the git-ignored .fabric/bin, and copies the
# module's sampleconfig/ to .fabric/sampleconfig. Does nothing when the wanted version is installed.
#
# The module path github.com/hyperledger/fabric has no /v3 suffix, so a v3 tag cannot be used with
# go install: commits are pinned by their pseudo-version.
#
# Candidates, in order of preference. The first is the commit the project is pinned to (v3.1.5).
# Some Go module proxies (including the one this project is developed behind) only serve an allow-
# listed subset of versions and answer 403 "This module version is not available" for the others;
# then the next candidate that the proxy does serve is installed, and the script says so.
# Format: "<release> <commit> <pseudo-version>".
CANDIDATES=(
  "v3.1.5 86c1172bec37e6590c6b1ae6f847833df48d65fc v1.4.0-rc1.0.20260618074816-86c1172bec37"
  "v3.1.1 435a7f1a780a128756fb2f72bf4cad164bf13fbb v1.4.0-rc1.0.20250510200036-435a7f1a780a"
  "v3.1.0 8f08391d840c1b105c6b62e8917687e81937695e v1.4.0-rc1.0.20250318174348-8f08391d840c"
)
# Set FABRIC_STRICT=1 to refuse any fallback (only the first candidate is acceptable).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${FABRIC_HOME:-$ROOT/.fabric}"
BIN="$DEST/bin"
STAMP="$DEST/installed-commit"     # one line: "<release> <commit> <pseudo-version>"
TOOLS=(peer orderer configtxgen cryptogen osnadmin)
MODULE=github.com/hyperledger/fabric

say() { echo "fabric: $*"; }
die() { local code="$1"; shift; echo "fabric:install: $*" >&2; exit "$code"; }

installed_line() { [ -f "$STAMP" ] && cat "$STAMP" || true; }
binaries_present() {
  for t in "${TOOLS[@]}"; do [ -x "$BIN/$t" ] || return 1; done
  [ -f "$DEST/sampleconfig/core.yaml" ] && [ -f "$DEST/sampleconfig/orderer.yaml" ]
}

GO="${GO:-$(command -v go || true)}"
[ -z "$GO" ] && [ -x /usr/local/go/bin/go ] && GO=/usr/local/go/bin/go

# Already installed?
CURRENT="$(installed_line)"
if [ -n "$CURRENT" ] && binaries_present; then
  read -r cur_rel cur_commit _ <<<"$CURRENT"
  first_rel="${CANDIDATES[0]%% *}"
  if [ "$CURRENT" = "${CANDIDATES[0]}" ]; then
    say "$cur_rel ($cur_commit) already installed in $BIN"; exit 0
  fi
  # A fallback is installed: upgrade only if the preferred version has become obtainable.
  read -r _ _ first_pv <<<"${CANDIDATES[0]}"
  if [ -z "$GO" ] || ! "$GO" mod download -json "$MODULE@$first_pv" >/dev/null 2>&1; then
    say "$cur_rel ($cur_commit) already installed in $BIN (fallback; $first_rel is still not obtainable from the Go module proxy)"
    exit 0
  fi
  say "$first_rel is now obtainable; replacing the installed fallback $cur_rel"
fi

if [ -z "$GO" ]; then
  die 2 "Go is not installed. Install Go 1.24 or newer (e.g. at /usr/local/go, https://go.dev/dl/) and put it on PATH (or set GO=/path/to/go), then run 'npm run fabric:install' again."
fi
PROXY="$("$GO" env GOPROXY)"
if [ "$PROXY" = "off" ] || [ -z "$PROXY" ]; then
  die 2 "the Go module proxy is off (GOPROXY=$PROXY). Set GOPROXY=https://proxy.golang.org (or your mirror), e.g. 'go env -w GOPROXY=https://proxy.golang.org,direct', and run again."
fi

# Pick the first candidate the proxy serves. `go mod download` uses Go's own proxy and checksum
# settings, verifies the module and leaves it in the module cache (we need its sampleconfig/).
CHOSEN=""; MODDIR=""; REASONS=()
for c in "${CANDIDATES[@]}"; do
  read -r rel _ pv <<<"$c"
  say "checking $MODULE@$pv ($rel) on $PROXY"
  if out="$("$GO" mod download -json "$MODULE@$pv" 2>&1)"; then
    CHOSEN="$c"
    MODDIR="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$out" | head -1)"
    break
  fi
  err="$(sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p' <<<"$out" | head -1)"
  [ -z "$err" ] && err="$(tail -1 <<<"$out")"
  err="$(sed 's/\\[nt]/ /g' <<<"$err")"   # JSON-escaped newlines/tabs -> spaces
  REASONS+=("$rel ($pv): $err")
  say "  not obtainable: $err"
  if [ "${FABRIC_STRICT:-0}" = "1" ]; then break; fi
done
if [ -z "$CHOSEN" ]; then
  printf '  %s\n' "${REASONS[@]}" >&2
  die 3 "no pinned Fabric version could be downloaded from the Go module proxy ($PROXY). Check that the proxy is reachable from this machine (curl ${PROXY%%,*}/$MODULE/@v/${CANDIDATES[0]##* }.info) and serves github.com/hyperledger/fabric."
fi
read -r REL COMMIT PV <<<"$CHOSEN"
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
if [ "$CHOSEN" != "${CANDIDATES[0]}" ]; then
  say "NOTE: installing fallback $REL ($COMMIT) because the preferred ${CANDIDATES[0]%% *} is not obtainable:"
  printf 'fabric:   %s\n' "${REASONS[@]}"
fi
say "installing ${TOOLS[*]} from $MODULE@$PV ($REL, commit $COMMIT) into $BIN"
say "a first build takes several minutes on two cores"
PKGS=(); for t in "${TOOLS[@]}"; do PKGS+=("$MODULE/cmd/$t@$PV"); done
LDFLAGS="-X $MODULE/common/metadata.Version=${REL#v} -X $MODULE/common/metadata.CommitSHA=${COMMIT:0:12}"
if ! GOPROXY="file://$SHIM,$PROXY" GOBIN="$BIN" GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
     "$GO" install -ldflags "$LDFLAGS" "${PKGS[@]}"; then
  die 3 "go install of Fabric $REL failed (see the Go output above). GOPROXY=$PROXY must serve Fabric's dependencies too."
fi
rm -rf "$DEST/sampleconfig"; cp -r "$MODDIR/sampleconfig" "$DEST/sampleconfig"; chmod -R u+w "$DEST/sampleconfig"
echo "$CHOSEN" > "$STAMP"
say "installed Fabric $REL (commit $COMMIT, $PV) into $BIN; config templates in $DEST/sampleconfig"
"$BIN/peer" version | sed 's/^/fabric:   /'
