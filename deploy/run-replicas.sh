#!/usr/bin/env bash
# Serve the current release with N replicas behind nginx, on this machine:
#     deploy/run-replicas.sh [N]        (default 2; Ctrl-C or SIGTERM stops them all)
# Run it where `kgraph serve` would run (its kgraph.toml, its build folder): every replica is
# `kgraph serve --port FIRST_PORT+i` on 127.0.0.1 following build_dir/current, and nginx
# (deploy/nginx.conf) listens on LISTEN in front of them, its cache and log in RUN_DIR.
# Settings (environment): LISTEN (127.0.0.1:8080), FIRST_PORT (8001), WORKERS per replica (2),
# RUN_DIR (./.deploy), KGRAPH (the kgraph command: on PATH, else .venv/bin/kgraph), NGINX.
# If any of them exits, the others are stopped too and the script exits with its status.
set -euo pipefail
replicas="${1:-2}"
listen="${LISTEN:-127.0.0.1:8080}"
first_port="${FIRST_PORT:-8001}"
run_dir="${RUN_DIR:-$PWD/.deploy}"
here="$(cd "$(dirname "$0")" && pwd)"
kgraph="${KGRAPH:-$(command -v kgraph || echo "$here/../.venv/bin/kgraph")}"
nginx="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"

pids=()
stop() {
  trap - EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop EXIT
trap 'exit 143' INT TERM

addresses=()
for ((i = 0; i < replicas; i++)); do
  port=$((first_port + i))
  "$kgraph" serve --host 127.0.0.1 --port "$port" --workers "${WORKERS:-2}" &
  pids+=("$!")
  addresses+=("127.0.0.1:$port")
done
mkdir -p "$run_dir"
"$here/nginx-conf.sh" "$listen" "${addresses[@]}" > "$run_dir/nginx.conf"
"$nginx" -p "$run_dir" -c "$run_dir/nginx.conf" -g 'daemon off;' &
pids+=("$!")
echo "kgraph: $replicas replicas (${addresses[*]}) behind nginx on http://$listen/ (cache in $run_dir/cache)"
status=0
wait -n || status=$?
echo "kgraph: a replica or nginx stopped (status $status): stopping the others" >&2
exit "$status"
