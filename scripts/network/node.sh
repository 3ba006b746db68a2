#!/usr/bin/env bash
# Stops, starts or shows one node of a running network (for fault tests), by its recorded PID.
# Usage: scripts/network/node.sh stop|start|status <id>     ids: see network/run/nodes.tsv
#        scripts/network/node.sh list
. "$(dirname "$0")/common.sh"
[ -f "$RUN/nodes.tsv" ] || die "the network is not up ($RUN/nodes.tsv is missing)"
cmd="${1:-}"; id="${2:-}"
case "$cmd" in
  list)
    while IFS=$'\t' read -r nid kind county checks _; do
      printf '%-18s %-8s %-10s pid %-7s %s\n' "$nid" "$kind" "$county" "$(pid_of "$nid" || true)" "${checks//=/ }"
    done <"$RUN/nodes.tsv" ;;
  status)
    [ -n "$id" ] || die "usage: $0 status <id>"
    pid="$(pid_of "$id")"; if [ -n "$pid" ]; then echo "$id running (pid $pid)"; else echo "$id stopped"; exit 3; fi ;;
  stop)
    [ -n "$id" ] || die "usage: $0 stop <id>"
    pid="$(pid_of "$id")"; [ -n "$pid" ] || die "$id is not running"
    stop_pid "$pid" "$id" "$FABRIC_BIN/$(node_line "$id" | cut -f2)" ;;
  start)
    [ -n "$id" ] || die "usage: $0 start <id>"
    start_node "$id"; wait_healthy "$id"; say "$id is healthy" ;;
  *) die "usage: $0 list | status <id> | stop <id> | start <id>" ;;
esac
