#!/usr/bin/env bash
# Print deploy/nginx.conf for one set-up:  deploy/nginx-conf.sh LISTEN REPLICA...
#   LISTEN   where nginx listens, e.g. 8080, 127.0.0.1:8080 or [::]:80
#   REPLICA  a `kgraph serve` address, e.g. 127.0.0.1:8001 (as many as there are replicas)
# e.g. deploy/nginx-conf.sh 127.0.0.1:8080 127.0.0.1:8001 127.0.0.1:8002 > /srv/kgraph-nginx/nginx.conf
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 LISTEN REPLICA [REPLICA...]" >&2
  exit 2
fi
listen="$1"
shift
servers=""
for replica in "$@"; do
  # A replica that failed once is left out for 2 s, then tried again (a rollout restarts the next
  # replica only after that: while every replica is left out, nginx answers 502).
  servers+="server $replica max_fails=1 fail_timeout=2s;"$'\n        '
done
template="$(cat "$(dirname "$0")/nginx.conf")"
conf="${template//@LISTEN@/$listen}"
printf '%s\n' "${conf//@UPSTREAMS@/${servers%$'\n        '}}"
