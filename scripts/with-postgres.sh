#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL server on 127.0.0.1, stopped afterwards.
set -euo pipefail
initdb_path=$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)
bindir=$(dirname "$(readlink -f "$initdb_path")")
port=${KAOPING_PG_PORT:-54329}
data=$(mktemp -d /tmp/kaoping-pg-XXXXXX)
run_as=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root.
  chown postgres "$data"
  run_as=(runuser -u postgres --)
fi
cleanup() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT
"${run_as[@]}" "$bindir/initdb" -D "$data" -U kaoping --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/log" -w \
  -o "-h 127.0.0.1 -p $port -k $data -F -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U kaoping kaoping
export KAOPING_DATABASE_URL="postgres://kaoping@127.0.0.1:$port/kaoping"
"$@"
